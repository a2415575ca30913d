/**
 * Day-2 operations in a real VS Code workbench (issue 6's UI acceptance), used as a person would:
 * OpenVidu HA view → expand openvidu-demo → Media nodes; F1 "OpenVidu: Check Service Status" → stack → Media
 * nodes: the services appear under each media node and the status report opens; F1 "OpenVidu: Show Logs…" →
 * a media node → the openvidu service: a log document with timestamped lines; F1 "OpenVidu: Follow Logs (Live
 * Tail)…" → all media nodes of openvidu-demo → openvidu: lines arrive, the status bar shows the tail; the
 * editor-title Stop button stops it, goes away, and the document says so. Also screenshots the status report maximised
 * and the Settings UI filtered to `openviduHa`.
 * Screenshots: artifacts/ui-operations-NN-*.png.
 */
import { describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { VIEW, useWorkbench } from './helpers';

const STACK = 'openvidu-demo';
/** an ISO timestamp at the start of a log line (after the `[Media i-…]` prefix in a tail of several nodes) */
const TIMESTAMPED = /^(\[[^\]]+\]\s)?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?\s/; // \s: the editor renders spaces as U+00A0

describe('OpenVidu HA operations in the workbench', { concurrency: false }, () => {
  const wb = useWorkbench('operations');
  let media: string[] = [];

  const pick = (title: string | RegExp, ...texts: (string | RegExp)[]) => wb.pick(title, ...texts);
  /** F1, the command's exact title (a fuzzy match may rank a longer title first), click it. */
  const command = async (title: string) => {
    await wb.runCommand(title, { run: false });
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first().click();
  };
  /** Lines the active text editor renders (Monaco draws only the visible ones), spaces normalised. */
  const editorLines = async (): Promise<string[]> =>
    (await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line').allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' '));
  /** The highest line number the active editor shows in its gutter. */
  const lastLineNumber = async (): Promise<number> =>
    Math.max(0, ...(await wb.page.locator('.editor-group-container.active .monaco-editor .margin-view-overlays .line-numbers').allInnerTexts()).map(Number).filter(Number.isFinite));
  const tailItem = () => wb.page.locator('.statusbar-item', { hasText: /openvidu · all media nodes · [\d.]+ lines\/s/ });

  wb.step('opens the OpenVidu HA view and expands openvidu-demo → Media nodes', 'media-nodes', async () => {
    await wb.openView();
    await wb.expand(STACK);
    await wb.expand('Media nodes');
    const level = Number(await wb.treeRow('Media nodes').getAttribute('aria-level')) + 1;
    const rows = wb.page.locator(`${VIEW} .monaco-list-row[aria-level="${level}"] .label-name`, { hasText: /^i-[0-9a-f]+$/ });
    await rows.nth(1).waitFor({ timeout: 30_000 });
    media = (await rows.allInnerTexts()).map((s) => s.trim());
    assert.equal(media.length, 2, `media nodes: ${media.join(', ')}`);
  });

  wb.step('F1 "OpenVidu: Check Service Status" → openvidu-demo → Media nodes: services under each media node, a report', 'status', async () => {
    await command('OpenVidu: Check Service Status');
    await pick('Check service status of', STACK);
    await pick('Check service status of', /^\s*Media nodes/);
    const text = await wb.toast(/nodes healthy/, 60_000);
    assert.match(text, /2\/2 checked nodes healthy\./, `notification: ${text}`);
    // the rendered report (Markdown preview) opens beside the tree
    await wb.page.locator('.tab', { hasText: `${STACK}-status` }).waitFor({ timeout: 30_000 });
    // each media node now has its services under it; "openvidu" among them
    for (const id of media) {
      const row = wb.treeRow(id);
      await row.waitFor();
      await wb.page.waitForFunction(([sel, id]) => Array.from(document.querySelectorAll(sel)).some((e) => e.textContent?.includes(id) && /\d+\/\d+ services up/.test(e.textContent)), [`${VIEW} .monaco-list-row`, id] as const, { timeout: 30_000 });
    }
    // they open on their services by themselves (no click)
    for (const id of media) await wb.page.waitForFunction(([sel, id]) => Array.from(document.querySelectorAll(sel)).some((e) => e.querySelector('.label-name')?.textContent === id && e.getAttribute('aria-expanded') === 'true'), [`${VIEW} .monaco-list-row`, id] as const, { timeout: 15_000 });
    await wb.treeRow('openvidu').first().waitFor({ timeout: 30_000 });
    await assert.doesNotReject(() => wb.treeRow('openvidu').nth(1).waitFor({ timeout: 15_000 }), 'an "openvidu" service row under each media node');
    await wb.treeRow('caddy').first().waitFor();
  });

  wb.step('the status report lists both media nodes and their services', 'status-report', async () => {
    const preview = wb.webview();
    await preview.locator('body', { hasText: media[0] }).waitFor({ timeout: 30_000 });
    const body = await preview.locator('body').innerText();
    for (const id of media) assert.ok(body.includes(id), `the report names ${id}`);
    assert.match(body, /openvidu/);
    // one table per role, the systemd unit named as such, and each instance id on one line
    await preview.locator('h2', { hasText: /^Media nodes \(2\)$/ }).waitFor();
    const headers = await preview.locator('th').allInnerTexts();
    assert.ok(headers.some((h) => h.trim() === 'openvidu.service (systemd)'), headers.join(' | '));
    for (const id of media) {
      const lines = await preview.locator('td span', { hasText: id }).first().evaluate((e) => e.getClientRects().length);
      assert.equal(lines, 1, `${id} is on one line`);
    }
    // the report alone, the side bar hidden (Ctrl+B toggles it): what a person reads
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Control+B');
    await wb.page.locator(VIEW).waitFor({ state: 'hidden' });
    await wb.page.waitForTimeout(800);
    await wb.screenshot('status-report-wide');
    await wb.page.keyboard.press('Control+B');
    await wb.page.locator(VIEW).waitFor();
  });

  wb.step('F1 "OpenVidu: Show Logs…" → a media node → openvidu: a log document with timestamped lines', 'logs', async () => {
    await wb.runCommand('View: Close All Editors');
    await command('OpenVidu: Show Logs…');
    await pick('Show logs of node', media[0], STACK);
    await pick(`Logs of ${STACK} · Media ${media[0]}`, /^\s*openvidu\s*service · docker compose logs/);
    // the two questions: Enter on each keeps the defaults (the last N lines, every line)
    const title = (t: string) => wb.page.locator('.quick-input-widget .quick-input-title', { hasText: t });
    await title(`openvidu logs of ${STACK} · Media ${media[0]}`).waitFor({ timeout: 30_000 });
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: /Last \d+ lines/ }).first().waitFor();
    await wb.screenshot('logs-which-lines');
    await wb.page.keyboard.press('Enter');
    await title(`Filter openvidu logs of ${STACK} · Media ${media[0]}`).waitFor({ timeout: 30_000 });
    await wb.screenshot('logs-filter');
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.tab', { hasText: `openvidu · Media ${media[0]}.log` }).waitFor({ timeout: 60_000 });
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: TIMESTAMPED }).first().waitFor({ timeout: 30_000 });
    const lines = await editorLines();
    assert.match(lines[0], new RegExp(`^# ${STACK} · Media ${media[0]} · openvidu logs`), `header: ${lines[0]}`);
    const stamped = lines.filter((l) => TIMESTAMPED.test(l));
    assert.ok(stamped.length >= 5, `timestamped lines on screen: ${stamped.length}\n${lines.slice(0, 8).join('\n')}`);
    assert.ok(stamped.some((l) => /starting OpenVidu Server|livekit|openvidu/.test(l)), 'openvidu log lines');
  });

  wb.step('F1 "OpenVidu: Follow Logs (Live Tail)…" → all media nodes → openvidu: lines arrive, the status bar shows the tail', 'tail-running', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.page.locator('.tab', { hasText: 'openvidu · ' }).waitFor({ state: 'detached' });
    await command('OpenVidu: Follow Logs (Live Tail)…');
    await pick('Follow logs of', 'All media nodes', STACK);
    await pick(`Follow which service on ${STACK} · all media nodes`, /^\s*openvidu\s*on 2 of 2 node/);
    // the optional filter: Enter follows every line
    await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: `Follow openvidu on ${STACK} · all media nodes: filter (optional)` }).waitFor({ timeout: 30_000 });
    await wb.page.keyboard.press('Enter');
    // its own tab name: a Show Logs document of the same service is "openvidu · Media i-….log"
    await wb.page.locator('.tab.active', { hasText: /^\s*openvidu · all media nodes · live\.log/ }).waitFor({ timeout: 30_000 });
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: `# Following openvidu on ${STACK} · all media nodes` }).waitFor({ timeout: 30_000 });
    await tailItem().waitFor({ timeout: 30_000 });
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: TIMESTAMPED }).first().waitFor({ timeout: 60_000 });
    const first = await lastLineNumber();
    // the next polls (every 5 s) bring new lines: the document grows
    await wb.page.waitForFunction(
      ([sel, n]) => Math.max(0, ...Array.from(document.querySelectorAll(sel)).map((e) => Number(e.textContent))) > n,
      ['.editor-group-container.active .monaco-editor .margin-view-overlays .line-numbers', first] as const,
      { timeout: 60_000 },
    );
    // interleaved from both nodes: each line names its node
    const lines = (await editorLines()).filter((l) => TIMESTAMPED.test(l));
    assert.ok(lines.length >= 3, `tail lines on screen: ${lines.length}`);
    assert.ok(media.every((id) => lines.some((l) => l.includes(id))), `lines from both media nodes:\n${lines.slice(-6).join('\n')}`);
    await wb.page.waitForFunction(
      () => Array.from(document.querySelectorAll('.statusbar-item')).some((e) => /openvidu · all media nodes · (?!0\.0 )[\d.]+ lines\/s/.test(e.textContent ?? '')),
      undefined,
      { timeout: 30_000 },
    );
  });

  wb.step('the editor-title Stop button stops the tail: status bar item gone, the document says "stopped", no more lines', 'tail-stopped', async () => {
    const stop = wb.page.locator('.editor-group-container.active .editor-actions .action-label[aria-label^="Stop Live Tail"]');
    await stop.waitFor();
    await stop.click();
    await tailItem().waitFor({ state: 'detached', timeout: 15_000 });
    // the Stop button goes with the tail
    await stop.waitFor({ state: 'detached', timeout: 15_000 });
    // the header (line 1) says why it stopped
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await wb.page.keyboard.press('Control+Home');
    const header = wb.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: `# Following openvidu on ${STACK} · all media nodes` });
    await header.waitFor();
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'stopped: stopped by the user' }).waitFor({ timeout: 15_000 });
    // the cursor at the end of the document: the status bar's "Ln N" is its line count
    const lineCount = async () => {
      await wb.page.keyboard.press('Control+End');
      await wb.page.waitForTimeout(500);
      const text = await wb.page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first().innerText();
      return Number(/Ln (\d+)/.exec(text)?.[1]);
    };
    const end = await lineCount();
    assert.ok(end > 3, `the document keeps its lines (${end})`);
    await wb.page.waitForTimeout(7_000); // longer than one poll interval
    assert.equal(await lineCount(), end, 'no lines arrive after Stop');
    // wrap lines, so the screenshot shows the whole header with "stopped: stopped by the user"
    await wb.runCommand('View: Toggle Word Wrap');
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await wb.page.keyboard.press('Control+Home');
    await header.waitFor();
    await wb.page.waitForTimeout(300);
  });

  wb.step('the Settings UI filtered to openviduHa shows the extension settings under their own title', 'settings', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Preferences: Open Settings (UI)');
    const editor = wb.page.locator('.settings-editor');
    await editor.waitFor({ timeout: 30_000 });
    await wb.page.keyboard.type('openviduHa');
    // the first setting in the extension's own order (`order` in package.json); the list is virtualized, so a
    // setting further down may not be drawn
    await editor.locator('.setting-item-contents', { hasText: 'Profile' }).first().waitFor({ timeout: 30_000 });
    await wb.page.waitForTimeout(800);
  });

  wb.step('closing the editors leaves the workbench as other UI tests expect it', 'closed', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.page.locator('.tab', { hasText: 'openvidu · ' }).waitFor({ state: 'detached' });
  });
});
