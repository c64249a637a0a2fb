// Container names without privileges, from fixture trees laid out as the runtimes leave them
// (test/fixtures/containers/README.md): Docker's config.v2.json, containers-storage's
// containers.json, a pod's /proc/PID/environ; and what is not a name.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { containerFromCgroup } from '../../../../agent/collect/cgroup';
import {
  hostnameFromEnviron,
  nameFromContainersJson,
  nameFromDockerConfig,
  resolveContainerName,
  type ContainerNameRoots,
} from '../../../../agent/collect/containerName';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures');
const TREE = path.join(FIXTURES, 'containers');
const DOCKER = '3f2a6c1b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a';
const PODMAN = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const roots = (tree = TREE): ContainerNameRoots => ({
  proc: path.join(tree, 'proc'),
  docker: path.join(tree, 'docker'),
  storage: [path.join(tree, 'nowhere'), path.join(tree, 'storage')],
});
const cgroup = (file: string) =>
  containerFromCgroup(readFileSync(path.join(FIXTURES, 'cgroup', file), 'utf8'))!;

describe('container names', () => {
  test("docker: the Name of the container's config.v2.json, without its slash", () => {
    const id = cgroup('docker-v2-systemd.txt');
    assert.equal(id, `docker:${DOCKER}`);
    assert.equal(resolveContainerName(id, 4343, roots()), 'web-frontend');
  });

  test('podman: names[0] of containers-storage, the user’s storage before the system’s', () => {
    const id = cgroup('podman-v2-rootless.txt');
    assert.equal(resolveContainerName(id, null, roots()), 'db');
  });

  test("a Kubernetes pod: HOSTNAME in its process's environ (the pod's name)", () => {
    const id = cgroup('kubepods-burstable-v2.txt');
    assert.match(id, /^k8s:/);
    assert.equal(resolveContainerName(id, 4242, roots()), 'checkout-7d9f8b6c5-x2x1q');
  });

  test('lxc: the name is in the cgroup path', () => {
    assert.equal(resolveContainerName(cgroup('lxc-v2.txt'), null, roots()), 'web01');
  });

  test("docker's default hostname (the id's prefix) is not a name", () => {
    const unreadable = { ...roots(), docker: path.join(TREE, 'nowhere') };
    assert.equal(resolveContainerName(`docker:${DOCKER}`, 4343, unreadable), null);
    assert.equal(hostnameFromEnviron('HOSTNAME=3f2a6c1b9e8d\0', DOCKER), null);
  });

  test('control characters, empty and overlong values are not names', () => {
    assert.equal(resolveContainerName(`k8s:${'a'.repeat(36)}`, 4444, roots()), null);
    assert.equal(hostnameFromEnviron('HOSTNAME=\0', 'x'), null);
    assert.equal(hostnameFromEnviron(`HOSTNAME=${'a'.repeat(300)}\0`, 'x'), null);
    assert.equal(nameFromDockerConfig('{"ID":"x","Name":"/a\\u0007b"}', 'x'), null);
  });

  test("malformed files, another container's file and missing processes give no name", () => {
    assert.equal(nameFromDockerConfig('{not json', DOCKER), null);
    assert.equal(nameFromDockerConfig(`{"ID":"${PODMAN}","Name":"/x"}`, DOCKER), null);
    assert.equal(nameFromContainersJson('{"id":"x"}', 'x'), null);
    assert.equal(nameFromContainersJson('[{"id":"x","names":"web"}]', 'x'), null);
    assert.equal(resolveContainerName(`containerd:${PODMAN}`, 99999, roots()), null);
  });

  test("a file the agent's user cannot read gives no name (and no error)", () => {
    // chmod 000 means nothing to root, and CI runs as root: a directory where the file should be
    // fails the same read (EISDIR instead of EACCES) on every account.
    const tree = mkdtempSync(path.join(os.tmpdir(), 'pt-container-names-'));
    try {
      cpSync(TREE, tree, { recursive: true });
      const config = path.join(tree, 'docker', 'containers', DOCKER, 'config.v2.json');
      const kept = readFileSync(config);
      rmSync(config);
      mkdirSync(config);
      assert.equal(resolveContainerName(`docker:${DOCKER}`, 4343, roots(tree)), null);
      rmSync(config, { recursive: true });
      writeFileSync(config, kept);
      assert.equal(resolveContainerName(`docker:${DOCKER}`, 4343, roots(tree)), 'web-frontend');
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
