// One place for the agent's version: the handshake, `--version` and the handover compare it.
export const VERSION = '0.1.0';
