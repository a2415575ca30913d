import type { Browser } from 'playwright-core';
export const CHROMIUM_ARGS: string[];
export function launchBrowser(): Promise<Browser>;
export function closeBrowser(browser: Browser | undefined): Promise<void>;
