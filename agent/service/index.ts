// The agent service's public surface, for agent/agent.ts, agent/cli and the tests.
export type { AgentCore, CoreQueries, CoreStatus } from './core';
export {
  startService,
  type ServiceHandle,
  type ServiceOptions,
  type AlreadyServing,
  type TakeOver,
} from './server';
export { readProcessDetails, ProcessGoneError } from './details';
export { killProcess } from './kill';
