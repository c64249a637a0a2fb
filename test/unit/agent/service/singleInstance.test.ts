// Letting go of the agent's address while another starter is trying to bind it, on real Unix sockets:
// the other starter runs on its own thread (so the two truly overlap, as two processes do) and tries
// to listen in a tight loop. Whatever it binds the moment this side lets go must stay its own — a
// file removed behind its back lets a third starter bind beside it (two agents on one data dir).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { after, test } from 'node:test';
import { probeSocket, releaseAddress } from '../../../../agent/service/singleInstance';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-single-instance-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// The rival starter: on 'go' it tries to listen until it can, says 'bound', and closes on 'close'.
const RIVAL = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
let server;
parentPort.on('message', (message) => {
  if (message === 'close') return server.close(() => parentPort.postMessage('closed'));
  const attempt = () => {
    const candidate = net.createServer();
    candidate.once('error', () => setImmediate(attempt));
    candidate.listen(workerData, () => {
      server = candidate;
      parentPort.postMessage('bound');
    });
  };
  attempt();
});
`;

function listen(socketPath: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(socketPath, () => resolve(server));
  });
}

test(
  'a socket another starter binds the moment this agent lets go of the address stays its own',
  { skip: process.platform === 'win32' },
  async () => {
    const socketPath = path.join(dir, 'agent.sock');
    const rival = new Worker(RIVAL, { eval: true, workerData: socketPath });
    try {
      for (let round = 0; round < 150; round++) {
        const server = await listen(socketPath);
        rival.postMessage('go');
        // Let the rival's first attempts fail on the taken address, so it is mid-loop when we let go.
        await new Promise((resolve) => setTimeout(resolve, 1));
        const bound = once(rival, 'message');
        releaseAddress(server);
        await bound;
        assert.ok(
          existsSync(socketPath),
          `round ${round}: the rival's socket file was removed after it bound`,
        );
        assert.equal(
          await probeSocket(socketPath, 5000),
          'alive',
          `round ${round}: the rival's socket does not answer`,
        );
        const closed = once(rival, 'message');
        rival.postMessage('close');
        await closed;
      }
    } finally {
      await rival.terminate();
    }
  },
);
