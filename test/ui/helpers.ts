/**
 * Helpers for UI tests: a real VS Code workbench (code-server started by scripts/run-ui-tests.mjs with the
 * packaged extension installed and settings pointing at the emulator) driven like a person would, in headless
 * Chromium. Each test file gets its own browser page; every step leaves a screenshot in artifacts/.
 *
 *   const wb = useWorkbench('explorer');          // in a describe(): opens the page before, closes it after
 *   wb.step('does X', 'x', async () => { … });    // an it() that saves artifacts/ui-explorer-NN-x.png
 *   await wb.runCommand('OpenVidu: Refresh');     // F1, type, Enter
 *   await wb.treeRow('openvidu-demo').waitFor();  // rows of the OpenVidu HA tree, by exact label
 *   wb.webview()                                  // the active webview's content (a FrameLocator)
 */
import { after, before, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { closeBrowser, launchBrowser } from '../../scripts/lib/browser.mjs';

export const URL_BASE = process.env.OPENVIDU_UI_URL ?? '';
export const FOLDER = process.env.OPENVIDU_UI_FOLDER ?? '';
export const EMULATOR = process.env.OPENVIDU_TEST_EMULATOR ?? '';
export const ARTIFACTS = process.env.OPENVIDU_UI_ARTIFACTS ?? 'artifacts';
export const VIEW = '[id="workbench.view.extension.openviduHa"]';
export const ACTIVITY = '.activitybar a.action-label[aria-label^="OpenVidu"]';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Workbench {
  browser?: Browser;
  page!: Page;
  private shot = 0;

  constructor(readonly name: string) {}

  /** Opens the workbench of the suite's code-server, or of another one (`url`, `folder`). */
  async open({ url = URL_BASE, folder = FOLDER }: { url?: string; folder?: string } = {}): Promise<void> {
    assert.ok(url && folder && EMULATOR, 'run through scripts/run-ui-tests.mjs (OPENVIDU_UI_URL, OPENVIDU_UI_FOLDER, OPENVIDU_TEST_EMULATOR)');
    mkdirSync(ARTIFACTS, { recursive: true });
    this.browser = await launchBrowser();
    this.page = await this.browser.newPage({ viewport: { width: 1400, height: 900 } });
    this.page.setDefaultTimeout(30_000);
    await this.page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { timeout: 120_000 });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  }

  async close(): Promise<void> {
    await closeBrowser(this.browser);
  }

  async screenshot(name: string): Promise<void> {
    this.shot++;
    await this.page.screenshot({ path: join(ARTIFACTS, `ui-${this.name}-${String(this.shot).padStart(2, '0')}-${name}.png`) });
  }

  /** A test that always leaves a screenshot: `<name>.png` on success, `<name>-FAILED.png` on failure. */
  step(title: string, name: string, fn: () => Promise<void>, { skip }: { skip?: string } = {}): void {
    it(title, { skip }, async () => {
      try {
        await fn();
      } catch (e) {
        await this.screenshot(`${name}-FAILED`).catch(() => {});
        throw e;
      }
      await this.screenshot(name);
    });
  }

  /** Opens the OpenVidu HA view from the activity bar (and widens the sidebar for readable screenshots). */
  async openView(): Promise<void> {
    await this.page.locator(ACTIVITY).click();
    await this.page.locator(VIEW).waitFor();
    await this.widenSidebar();
  }

  /** A row of the OpenVidu HA tree whose label is exactly `label`. */
  treeRow(label: string): Locator {
    return this.page
      .locator(`${VIEW} .monaco-list-row`)
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  }

  /** Expands a tree row (no-op when already expanded) and waits until it is. */
  async expand(label: string): Promise<void> {
    const r = this.treeRow(label);
    await r.waitFor({ timeout: 30_000 });
    if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
    await this.page.waitForFunction(
      ([view, text]) =>
        Array.from(document.querySelectorAll(`${view} .monaco-list-row`)).some(
          (e) => e.querySelector('.label-name')?.textContent === text && e.getAttribute('aria-expanded') === 'true',
        ),
      [VIEW, label] as const,
      { timeout: 15_000 },
    );
  }

  /** Waits for the quick pick titled `title`, then clicks the row containing every one of `texts`. */
  async pick(title: string | RegExp, ...texts: (string | RegExp)[]): Promise<void> {
    await this.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
    let row = this.page.locator('.quick-input-list .monaco-list-row');
    for (const t of texts) row = row.filter({ hasText: t });
    await row.first().waitFor({ timeout: 30_000 });
    await row.first().click();
  }

  /** F1, type the command's title, wait for it in the list; `run: false` leaves the palette open. */
  async runCommand(title: string, { run = true, shot }: { run?: boolean; shot?: string } = {}): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.monaco-workbench').click({ position: { x: 900, y: 450 } });
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    if (shot) await this.screenshot(shot);
    if (run) await this.page.keyboard.press('Enter');
  }

  /** The first notification toast containing `text`; returns its text (whitespace collapsed). */
  async toast(text: string | RegExp, timeout = 30_000): Promise<string> {
    const t = this.page.locator('.notification-toast', { hasText: text }).first();
    await t.waitFor({ timeout });
    await this.page.waitForTimeout(600); // let it finish fading in, for the screenshot
    return (await t.innerText()).replace(/\s+/g, ' ').trim();
  }

  /** The content of the active webview (the deploy wizard…). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  /** Drags the sidebar's edge so tree descriptions (states, instance ids) are readable in screenshots. */
  async widenSidebar(width = 560): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= width) return;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width + 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 8 });
    await this.page.mouse.up();
  }
}

/** A Workbench opened before the enclosing describe()'s tests and closed after them. */
export function useWorkbench(name: string): Workbench {
  const wb = new Workbench(name);
  before(() => wb.open());
  after(() => wb.close());
  return wb;
}

/** Calls an AWS query-protocol action on the emulator directly (to learn what the UI should show). */
export async function emulatorQuery(action: string, version: string, service = 'sts', region = 'eu-west-1'): Promise<string> {
  const r = await fetch(EMULATOR, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIATESTEMULATOR/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: `Action=${action}&Version=${version}`,
  });
  return r.text();
}
