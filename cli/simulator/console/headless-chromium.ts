/**
 * Debian's Chromium (/usr/bin/chromium), headless, driven by playwright-core pointed at it (no
 * browser download): what the console's browser test and `bench console` open the page with.
 * playwright-core is a development dependency, loaded only here and only when asked.
 */
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { DeviceUnavailableError } from '../../../firmware/core/errors.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Quiet on a closed network: no background fetches, updates, sync or first-run pages. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface HeadlessChromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** `hasTouch`: the pages take touch input too (a tablet's taps), besides the mouse. */
export async function launchChromium(
  o: { viewport?: { width: number; height: number }; hasTouch?: boolean } = {},
): Promise<HeadlessChromium> {
  try {
    await access(CHROMIUM);
  } catch (err) {
    throw new DeviceUnavailableError('chromium', 'install the Debian package "chromium" (scripts/setup.sh does)', { cause: err });
  }
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'kaoreader-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: o.viewport ?? { width: 1280, height: 900 },
      hasTouch: o.hasTouch ?? false,
    });
    return {
      context,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
}
