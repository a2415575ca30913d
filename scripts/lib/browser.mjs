// Headless Debian Chromium driven by playwright-core (no browser download).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, TOOLS, xdgEnv } from './paths.mjs';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser() {
  // Chromium writes ~/.config/chromium, ~/.cache, ~/.pki even with a temporary profile: give it a home under .tools/.
  const home = join(TOOLS, 'chromium-home');
  mkdirSync(home, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    env: { ...process.env, ...xdgEnv(), HOME: home },
  });
}

/** Closes the browser; if that hangs, kills its process group by PID. */
export async function closeBrowser(browser) {
  if (!browser) return;
  const pid = browser.process?.()?.pid;
  await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
  if (pid) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}
