import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { containerFromCgroup } from '../../../../agent/collect/cgroup';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'cgroup');
const DOCKER = '3f2a6c1b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a';
const CONTAINERD = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const PODMAN = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

const EXPECTED: Record<string, string | null> = {
  'docker-v1.txt': `docker:${DOCKER}`,
  'docker-v2-systemd.txt': `docker:${DOCKER}`,
  'docker-v2-cgroupfs.txt': `docker:${DOCKER}`,
  'dockerd-host-service.txt': null,
  'containerd-v2-nok8s.txt': `containerd:${CONTAINERD}`,
  'nerdctl-v2.txt': `containerd:${CONTAINERD}`,
  'containerd-ctr-namespace-v2.txt': `container:${CONTAINERD}`,
  'podman-v2-rootless.txt': `podman:${PODMAN}`,
  'podman-v1.txt': `podman:${PODMAN}`,
  'podman-conmon.txt': null,
  'kubepods-burstable-v2.txt': 'k8s:7d1c2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f',
  'kubepods-burstable-cgroupfs-v2.txt': 'k8s:7d1c2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f',
  'kubepods-besteffort-v1.txt': 'k8s:0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f',
  'kubepods-guaranteed-crio-v2.txt': 'k8s:11111111-2222-3333-4444-555555555555',
  'host-v2-session.txt': null,
  'host-v1.txt': null,
  'host-root.txt': null,
  'lxc-v2.txt': 'lxc:web01',
};

describe('containerFromCgroup', () => {
  test('every fixture has an expectation', () => {
    assert.deepEqual(readdirSync(FIXTURES).sort(), Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    test(`${file} -> ${expected}`, () => {
      assert.equal(containerFromCgroup(readFileSync(path.join(FIXTURES, file), 'utf8')), expected);
    });
  }

  test('empty and malformed text is the host', () => {
    assert.equal(containerFromCgroup(''), null);
    assert.equal(containerFromCgroup('garbage without colons\n\n'), null);
  });

  test('a short hex segment is not a container id', () => {
    assert.equal(containerFromCgroup('0::/docker/3f2a6c1b9e8d\n'), null);
  });

  test('this machine’s own cgroup parses without throwing', () => {
    const own = readFileSync('/proc/self/cgroup', 'utf8');
    const result = containerFromCgroup(own);
    assert.ok(result === null || /^[a-z0-9]+:.+/.test(result));
  });
});
