#!/usr/bin/env node
// Renders docs/icon.svg to media/icon.png (256×256, the Marketplace icon) with Debian's Chromium.
// Run after changing the SVG: node scripts/render-icon.mjs
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { CHROMIUM, ROOT } from './lib/paths.mjs';

const svg = readFileSync(`${ROOT}/docs/icon.svg`, 'utf8');
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 256, height: 256 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.locator('svg').screenshot({ path: `${ROOT}/media/icon.png`, omitBackground: true });
await browser.close();
console.log('media/icon.png written');
