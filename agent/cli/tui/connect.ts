// The live view's way to the agent: connect to the one serving the data dir, or start one (detached,
// as the extension does, so it outlives this view) and connect once it serves. The only file of
// the view that names where the client and the launcher live.
import { connectOrStart } from '../../../client/launcher';
import { connectToAgent, type AgentConnection } from '../../../client/connection';
import { socketPathFor } from '../../../client/socketDir';
import { VERSION } from '../version';

export type { AgentConnection };

const HELLO = { clientName: 'process-tracker-live', clientVersion: VERSION };

export async function connectOrStartAgent(
  dataDir: string,
  script: string,
): Promise<{ connection: AgentConnection; startedPid?: number }> {
  const socketPath = socketPathFor(dataDir);
  const running = await connectToAgent({ socketPath }, HELLO);
  if (running) return { connection: running };
  const started = await connectOrStart(
    {
      script,
      nodePath: process.execPath,
      dataDir,
      socketPath,
      extraArgs: [],
      env: process.env,
      autoStart: true,
    },
    () => {},
  );
  // The launcher's raw socket proved the agent serves; the typed connection is a second one.
  started.socket.destroy();
  const connection = await connectToAgent({ socketPath }, HELLO);
  if (!connection)
    throw new Error(`the agent started for ${dataDir} closed its socket ${socketPath} at once`);
  return { connection, ...(started.spawnedPid ? { startedPid: started.spawnedPid } : {}) };
}
