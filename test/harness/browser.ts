// Launches Debian's Chromium through playwright-core (never `playwright install`, which downloads a
// browser build from outside the package registries).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { childEnv } from './childEnv';
import { SETUP_HINT } from './codeServer';

export const CHROMIUM_PATH = process.env.PROCESS_TRACKER_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox', // we run as root in CI, where Chromium's sandbox refuses to start
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage', // containers often have a tiny /dev/shm
];

export interface LaunchOptions {
  /** Default true; false shows the window (needs a display). */
  headless?: boolean;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed (${CHROMIUM_PATH} is missing): ${SETUP_HINT}`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    args: CHROMIUM_ARGS,
    env: childEnv(),
    timeout: 60_000,
  });
}
