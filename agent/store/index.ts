// The store's public surface.
export { Store } from './store';
export type * from './types';
export { generateHistory, type GenerateOptions } from './generate';
