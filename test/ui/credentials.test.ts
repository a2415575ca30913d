/**
 * Cluster credentials in a real VS Code workbench (issue 7's UI acceptance), used as a person would:
 * F1 "OpenVidu: Copy LiveKit Credentials…" → openvidu-demo → secrets masked in the quick pick → "API secret":
 * the notification names what was copied and never the value (the clipboard holds it); F1 "OpenVidu: Write
 * Credentials to a Config File…" → openvidu-demo → LiveKit → the workspace's existing .env → a diff preview and
 * the modal "Write" → the .env keeps its comment and other key and gets the three LIVEKIT_* variables.
 *
 * No screenshot may show a secret: every screenshot of this file (also a -FAILED one) first covers each on-screen
 * occurrence of the cluster's API key and secret with a black box (read from the emulator's Secrets Manager).
 * Screenshots: artifacts/ui-credentials-NN-*.png.
 */
import { describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { EMULATOR, FOLDER, URL_BASE, useWorkbench } from './helpers';

const STACK = 'openvidu-demo';
const REGION = 'eu-west-1';
const ENV_BEFORE = '# local settings for the demo app\nPORT=3000\n';

/** The cluster's shared-info secret values, straight from the emulator's Secrets Manager. */
async function clusterSecret(): Promise<Record<string, string>> {
  const r = await fetch(EMULATOR, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'secretsmanager.GetSecretValue',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIATESTEMULATOR/20260101/${REGION}/secretsmanager/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify({ SecretId: `openvidu-ha-${REGION}-${STACK}` }),
  });
  assert.equal(r.status, 200, 'GetSecretValue on the emulator');
  const { SecretString } = (await r.json()) as { SecretString?: string };
  return JSON.parse(SecretString ?? '{}') as Record<string, string>;
}

/**
 * Browser-side code (a string, so the test's transpiler adds no helpers the page lacks) that covers every
 * on-screen occurrence of the given values with black boxes and returns how many boxes it drew. Text is matched
 * across the text nodes of the document, so a value split into several tokens by the editor is covered too.
 */
const COVER_JS = `(values) => {
  const nodes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  const starts = [];
  let all = '';
  for (const n of nodes) {
    starts.push(all.length);
    all += (n.data || '').replace(/\\u00a0/g, ' ');
  }
  function at(i) {
    let k = starts.length - 1;
    while (k > 0 && starts[k] > i) k--;
    return [nodes[k], i - starts[k]];
  }
  let drawn = 0;
  for (const v of values) {
    for (let i = all.indexOf(v); i >= 0; i = all.indexOf(v, i + 1)) {
      const range = document.createRange();
      const s = at(i);
      const e = at(i + v.length - 1);
      range.setStart(s[0], s[1]);
      range.setEnd(e[0], e[1] + 1);
      for (const r of Array.from(range.getClientRects())) {
        if (r.width < 1 || r.height < 1) continue;
        const box = document.createElement('div');
        box.className = 'ui-test-secret-cover';
        Object.assign(box.style, { position: 'fixed', left: (r.left - 2) + 'px', top: (r.top - 1) + 'px', width: (r.width + 4) + 'px', height: (r.height + 2) + 'px', background: '#000', zIndex: '2147483647', pointerEvents: 'none' });
        document.body.appendChild(box);
        drawn++;
      }
    }
  }
  return drawn;
}`;

/**
 * Covers the secrets in the workbench and in every frame (webviews); returns the number of boxes. Fails closed:
 * when a frame that is still attached cannot be covered, it throws, so no screenshot is taken.
 */
async function coverSecrets(page: Page, secrets: string[]): Promise<number> {
  let boxes = 0;
  for (const frame of page.frames()) {
    try {
      boxes += (await frame.evaluate(`(${COVER_JS})(${JSON.stringify(secrets)})`)) as number;
    } catch (e) {
      if (!frame.isDetached()) throw new Error(`could not cover the secrets in a frame (${frame.url().slice(0, 80)}): ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return boxes;
}

async function uncoverSecrets(page: Page): Promise<void> {
  for (const frame of page.frames()) await frame.evaluate(`document.querySelectorAll('.ui-test-secret-cover').forEach((e) => e.remove())`).catch(() => {});
}

describe('OpenVidu HA credentials in the workbench', { concurrency: false }, () => {
  const wb = useWorkbench('credentials');
  let apiKey = '';
  let apiSecret = '';
  /** boxes drawn by the last screenshot */
  let covered = 0;

  // Every screenshot of this file, also a -FAILED one, goes through the secret covers.
  const shoot = wb.screenshot.bind(wb);
  wb.screenshot = async (name: string) => {
    assert.ok(apiKey && apiSecret, 'the secret values must be known before any screenshot');
    covered = await coverSecrets(wb.page, [apiKey, apiSecret]);
    const shown = await wb.page.locator('.monaco-workbench').innerText();
    if (!covered && (shown.includes(apiKey) || shown.includes(apiSecret))) throw new Error('a secret is on screen and could not be covered: no screenshot');
    try {
      await shoot(name);
    } finally {
      await uncoverSecrets(wb.page);
    }
  };

  const quickInput = () => wb.page.locator('.quick-input-widget');
  const pick = (title: string | RegExp, ...texts: (string | RegExp)[]) => wb.pick(title, ...texts);
  const noSecretIn = (text: string, what: string) => {
    // never print the values themselves
    assert.ok(!text.includes(apiSecret), `${what} shows the LiveKit API secret`);
    assert.ok(!text.includes(apiKey), `${what} shows the LiveKit API key`);
  };

  wb.step('the demo cluster has generated its LiveKit API key and secret', 'workbench', async () => {
    const values = await clusterSecret();
    apiKey = values.LIVEKIT_API_KEY ?? '';
    apiSecret = values.LIVEKIT_API_SECRET ?? '';
    assert.ok(apiKey.length >= 8 && apiKey !== 'none', 'LIVEKIT_API_KEY of openvidu-demo is generated');
    assert.ok(apiSecret.length >= 16 && apiSecret !== 'none', 'LIVEKIT_API_SECRET of openvidu-demo is generated');
    await wb.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(URL_BASE).origin });
    await wb.openView();
    await wb.treeRow(STACK).waitFor({ timeout: 30_000 });
  });

  wb.step('F1 "OpenVidu: Copy LiveKit Credentials…" → openvidu-demo: the URLs are shown, the key and secret masked', 'copy-pick', async () => {
    await wb.runCommand('OpenVidu: Copy LiveKit Credentials');
    await pick('Copy LiveKit credentials of', STACK);
    await quickInput().locator('.quick-input-title', { hasText: `LiveKit credentials of ${STACK}` }).waitFor();
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'API secret' }).waitFor();
    const list = (await wb.page.locator('.quick-input-list').innerText()).replace(/\s+/g, ' ');
    assert.match(list, /LiveKit URL \(wss:\/\/\)\s*(wss:\/\/openvidu\.example\.com|ws:\/\/127\.0\.0\.1:\d+)/);
    assert.match(list, /API secret\s*••••••••/);
    noSecretIn(list, 'the quick pick');
  });

  wb.step('picking "API secret" copies it: the notification names what was copied, without the value', 'copied', async () => {
    await pick(`LiveKit credentials of ${STACK}`, /^\s*API secret/);
    const text = await wb.toast('Copied the LiveKit API secret');
    assert.match(text, new RegExp(`Copied the LiveKit API secret of ${STACK} to the clipboard\\.`), `notification: ${text}`);
    noSecretIn(text, 'the notification');
    const clip = await wb.page.evaluate(() => navigator.clipboard.readText()).catch(() => undefined);
    if (clip !== undefined) assert.ok(clip === apiSecret, 'the clipboard holds the LiveKit API secret');
    else console.log('# the browser clipboard could not be read: the copied value was not checked');
    noSecretIn(await wb.page.locator('.monaco-workbench').innerText(), 'the workbench');
  });

  wb.step('F1 "OpenVidu: Write Credentials to a Config File…" → openvidu-demo → LiveKit → .env: a diff preview and a modal', 'write-diff', async () => {
    writeFileSync(join(FOLDER, '.env'), ENV_BEFORE);
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.runCommand('OpenVidu: Write Credentials to a Config File');
    await pick('Write the credentials of', STACK);
    await pick('Write credentials: which variables?', /^\s*LiveKit\s*LIVEKIT_URL/);
    await pick('Write credentials to', /^\s*\.env\s*existing file/);
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const message = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(message, new RegExp(`Write the credentials of ${STACK} to \\.env\\?`), `dialog: ${message}`);
    assert.match(message, /Added: LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET/);
    noSecretIn(message, 'the dialog');
    // behind the modal: the diff editor of .env against the proposed text
    await wb.page.locator('.tab', { hasText: `.env ↔ with the credentials of ${STACK}` }).waitFor();
    const diff = wb.page.locator('.monaco-diff-editor');
    await diff.waitFor();
    const modified = (await diff.locator('.editor.modified .view-lines').innerText()).replace(/\u00a0/g, ' ');
    for (const line of ['# local settings for the demo app', 'PORT=3000', 'LIVEKIT_URL=', 'LIVEKIT_API_KEY=', 'LIVEKIT_API_SECRET=']) assert.ok(modified.includes(line), `the proposed .env has ${line}`);
    // the screenshot of this step covers the key and the secret (both are on screen in the diff)
  });

  wb.step('"Write" writes the file: the comment and PORT stay, the three LIVEKIT_* variables are added', 'written', async () => {
    assert.ok(covered >= 2, `the diff screenshot covered the API key and secret (${covered} boxes)`);
    await wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Write$/ }).click();
    const text = await wb.toast('Wrote LIVEKIT_URL');
    assert.match(text, new RegExp(`Wrote LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET of ${STACK} to \\.env \\(0 changed, 3 added\\)`), `notification: ${text}`);
    noSecretIn(text, 'the notification');
    await wb.page.locator('.tab', { hasText: `.env ↔` }).waitFor({ state: 'detached' });
    const env = readFileSync(join(FOLDER, '.env'), 'utf8');
    assert.ok(env.startsWith(ENV_BEFORE), 'the comment and PORT=3000 are kept, first');
    const keys = env.split('\n').filter(Boolean).map((l) => l.split('=')[0]);
    assert.deepEqual(keys, ['# local settings for the demo app', 'PORT', 'LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']);
    // the demo's secret points at its own emulated address (ws://127.0.0.1:<port>/) where the demo domain cannot resolve
    assert.match(env, /LIVEKIT_URL=(wss:\/\/openvidu\.example\.com|ws:\/\/127\.0\.0\.1:\d+\/?)/, 'LIVEKIT_URL is the LiveKit URL');
    assert.ok(env.includes(apiKey) && env.includes(apiSecret), 'the file holds the API key and secret');
  });

  wb.step('the .env opened in the editor shows the variable names (values of the key and secret covered)', 'env-file', async () => {
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Control+P');
    const input = wb.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('.env');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: '.env' }).first().waitFor();
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.tab', { hasText: /^\s*\.env/ }).waitFor();
    const lines = wb.page.locator('.editor-group-container.active .monaco-editor .view-line');
    await lines.filter({ hasText: 'LIVEKIT_API_SECRET=' }).waitFor();
    const text = (await lines.allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' '));
    assert.deepEqual(
      text.filter(Boolean).map((l) => l.split('=')[0]),
      ['# local settings for the demo app', 'PORT', 'LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'],
    );
  });

  wb.step('writing again changes nothing and says so', 'unchanged', async () => {
    await wb.runCommand('OpenVidu: Write Credentials to a Config File');
    await pick('Write the credentials of', STACK);
    await pick('Write credentials: which variables?', /^\s*LiveKit\s*LIVEKIT_URL/);
    await pick('Write credentials to', /^\s*\.env\s*existing file/);
    const text = await wb.toast('already has');
    assert.match(text, new RegExp(`\\.env already has the LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET of ${STACK}\\.`), `notification: ${text}`);
    assert.equal(await wb.page.locator('.monaco-dialog-box').count(), 0, 'no modal');
  });

  wb.step('closing the editors leaves the workbench as other UI tests expect it', 'closed', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.page.locator('.tab', { hasText: /^\s*\.env/ }).waitFor({ state: 'detached' });
    assert.ok(covered >= 2, `the last screenshot covered the API key and secret in the open .env (${covered} boxes)`);
  });
});
