/**
 * The packaged extension (.vsix) in a real VS Code workbench (code-server), used the way a person would:
 * activity bar → OpenVidu HA view → expand the demo stack → F1 "OpenVidu: Show AWS Account" → notification.
 * Started by scripts/run-ui-tests.mjs, which provides the code-server URL, the emulator and the settings.
 * One screenshot per step in artifacts/ui-NN-*.png.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { closeBrowser, launchBrowser } from '../../scripts/lib/browser.mjs';

const URL_BASE = process.env.OPENVIDU_UI_URL ?? '';
const FOLDER = process.env.OPENVIDU_UI_FOLDER ?? '';
const EMULATOR = process.env.OPENVIDU_TEST_EMULATOR ?? '';
const ARTIFACTS = process.env.OPENVIDU_UI_ARTIFACTS ?? 'artifacts';
const VIEW = '[id="workbench.view.extension.openviduHa"]';
const ACTIVITY = '.activitybar a.action-label[aria-label^="OpenVidu HA"]';

let browser: Browser | undefined;
let page: Page;
let shot = 0;

async function screenshot(name: string): Promise<void> {
  shot++;
  await page.screenshot({ path: join(ARTIFACTS, `ui-${String(shot).padStart(2, '0')}-${name}.png`) });
}

/** A test step that always leaves a screenshot: `<name>.png` on success, `<name>-FAILED.png` on failure. */
function step(title: string, name: string, fn: () => Promise<void>): void {
  it(title, async () => {
    try {
      await fn();
    } catch (e) {
      await screenshot(`${name}-FAILED`).catch(() => {});
      throw e;
    }
    await screenshot(name);
  });
}

/** A row of the OpenVidu HA tree whose label is exactly `label`. */
function row(label: string): Locator {
  return page.locator(`${VIEW} .monaco-list-row`).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

async function expand(label: string): Promise<void> {
  const r = row(label);
  await r.waitFor({ timeout: 30_000 });
  if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
  await page.waitForFunction(
    ([view, text]) =>
      Array.from(document.querySelectorAll(`${view} .monaco-list-row`)).some(
        (e) => e.querySelector('.label-name')?.textContent === text && e.getAttribute('aria-expanded') === 'true',
      ),
    [VIEW, label] as const,
    { timeout: 15_000 },
  );
}

/** Drags the sidebar's edge so tree descriptions (states, instance ids) are readable in the screenshots. */
async function widenSidebar(width = 560): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const x = box.x + box.width + 1;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}

async function accountId(): Promise<string> {
  const r = await fetch(EMULATOR, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIATESTEMULATOR/20260101/eu-west-1/sts/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  const id = /<Account>(\d+)<\/Account>/.exec(await r.text())?.[1];
  assert.ok(id, 'the emulator did not answer GetCallerIdentity');
  return id;
}

describe('OpenVidu HA in the workbench', { concurrency: false }, () => {
  before(async () => {
    assert.ok(URL_BASE && FOLDER && EMULATOR, 'run through scripts/run-ui-tests.mjs (OPENVIDU_UI_URL, OPENVIDU_UI_FOLDER, OPENVIDU_TEST_EMULATOR)');
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30_000);
  });

  after(async () => {
    await closeBrowser(browser);
  });

  step('opens the workbench with the OpenVidu HA activity bar entry', 'workbench', async () => {
    await page.goto(`${URL_BASE}/?folder=${encodeURIComponent(FOLDER)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator(ACTIVITY).waitFor({ timeout: 60_000 });
  });

  step('opening the OpenVidu HA view activates the extension and lists the demo stack under eu-west-1', 'clusters-view', async () => {
    await page.locator(ACTIVITY).click();
    await page.locator(`${VIEW}`).waitFor();
    await widenSidebar();
    await row('eu-west-1').waitFor({ timeout: 30_000 });
    await row('openvidu-demo').waitFor({ timeout: 30_000 });
  });

  step('expands the demo stack into its 4 master and 2 media nodes', 'stack-expanded', async () => {
    await expand('openvidu-demo');
    await expand('Master nodes');
    await expand('Media nodes');
    for (const m of ['Master 1', 'Master 2', 'Master 3', 'Master 4']) await row(m).waitFor();
    // media nodes are labelled with their instance ids, one level below "Media nodes"
    const mediaLevel = Number(await row('Media nodes').getAttribute('aria-level')) + 1;
    const media = page.locator(`${VIEW} .monaco-list-row[aria-level="${mediaLevel}"]`).filter({ hasText: /^\s*i-[0-9a-f]+/ });
    await assert.doesNotReject(() => media.nth(1).waitFor({ timeout: 15_000 }), 'fewer than 2 media nodes under "Media nodes"');
  });

  step('runs "OpenVidu: Show AWS Account" from the command palette and shows the account', 'account-notification', async () => {
    const expected = await accountId();
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('>OpenVidu: Show AWS Account');
    const item = page.locator('.quick-input-list .monaco-list-row', { hasText: 'OpenVidu: Show AWS Account' }).first();
    await item.waitFor();
    await screenshot('palette');
    await page.keyboard.press('Enter');
    const toast = page.locator('.notification-toast', { hasText: 'AWS account' }).first();
    await toast.waitFor({ timeout: 30_000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    await page.waitForTimeout(600); // let the toast finish fading in for the screenshot
    assert.match(text, new RegExp(`AWS account ${expected}`), `notification: ${text}`);
  });
});
