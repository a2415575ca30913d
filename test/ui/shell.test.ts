/**
 * A shell on a node in a real VS Code workbench (issue 15's UI acceptance), used as a person would: OpenVidu HA
 * view → openvidu-demo → Media nodes → the inline "Open Shell on Node" icon on a media node: a terminal named
 * "Media · i-…" opens on the node's prompt; typing `docker compose ps` shows the services; closing the terminal
 * terminates the session (the emulator lists it in DescribeSessions' History, none Active).
 * Screenshots: artifacts/ui-shell-NN-*.png.
 */
import { describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { EMULATOR, VIEW, useWorkbench } from './helpers';

const STACK = 'openvidu-demo';

describe('A shell on a node in the workbench', { concurrency: false }, () => {
  const wb = useWorkbench('shell');
  let media = '';

  /** The terminal's text: from the DOM renderer's rows, else from the accessible buffer (WebGL renderer). */
  const terminalText = async (): Promise<string> => {
    const rows = wb.page.locator('.terminal-wrapper.active .xterm-rows');
    if (await rows.count()) {
      const t = (await rows.first().innerText()).replace(/\u00a0/g, ' ');
      if (t.trim()) return t;
    }
    // the WebGL renderer draws on a canvas: read the terminal through its accessible view (Alt+F2 in the terminal)
    await wb.page.locator('.terminal-wrapper.active .xterm').first().click();
    await wb.page.keyboard.press('Alt+F2');
    const view = wb.page.locator('.accessible-view .view-lines').first();
    await view.waitFor({ timeout: 10_000 });
    const text = (await view.innerText()).replace(/\u00a0/g, ' ');
    await wb.page.keyboard.press('Escape');
    return text;
  };
  const waitForTerminal = async (re: RegExp, timeout = 30_000): Promise<string> => {
    const end = Date.now() + timeout;
    let text = '';
    while (Date.now() < end) {
      text = await terminalText();
      if (re.test(text)) return text;
      await wb.page.waitForTimeout(500);
    }
    assert.match(text, re);
    return text;
  };

  wb.step('opens the OpenVidu HA view and expands openvidu-demo → Media nodes', 'media-nodes', async () => {
    await wb.openView();
    await wb.expand(STACK);
    await wb.expand('Media nodes');
    const level = Number(await wb.treeRow('Media nodes').getAttribute('aria-level')) + 1;
    const rows = wb.page.locator(`${VIEW} .monaco-list-row[aria-level="${level}"] .label-name`, { hasText: /^i-[0-9a-f]+$/ });
    await rows.first().waitFor({ timeout: 30_000 });
    media = (await rows.first().innerText()).trim();
  });

  wb.step('the inline "Open Shell on Node" icon opens a terminal named after the node', 'terminal', async () => {
    const row = wb.page.locator(`${VIEW} .monaco-list-row`, { has: wb.page.locator('.label-name', { hasText: new RegExp(`^${media}$`) }) }).first();
    await row.hover();
    await row.locator('.action-label[aria-label="Open Shell on Node"]').click();
    await wb.page.locator('.terminal-tabs-entry, .single-terminal-tab, .terminal-tab, .pane-header', { hasText: /Media · i-/ }).first().waitFor({ timeout: 30_000 });
    await wb.page.waitForTimeout(3000); // for the screenshot: the session's start line and the prompt
  });

  wb.step('typing docker compose ps shows the media node\'s services', 'docker-compose-ps', async () => {
    await wb.page.locator('.terminal-wrapper.active .xterm').first().click();
    await wb.page.keyboard.type('docker compose ps');
    await wb.page.keyboard.press('Enter');
    // the panel shows the last rows only (the typed line may have scrolled off): the table, then a new prompt
    const text = await waitForTerminal(/docker\.io\/openvidu\/ingress[\s\S]*\$\s*$/m);
    assert.match(text, /docker\.io\/openvidu\/openvidu-server-pro/);
    await wb.page.locator('.terminal-wrapper.active .xterm').first().click();
  });

  wb.step('closing the terminal terminates the session: none left Active', 'closed', async () => {
    await wb.runCommand('Terminal: Kill the Active Terminal Instance');
    const deadline = Date.now() + 30_000;
    let sessions: { target: string; status: string }[] = [];
    while (Date.now() < deadline) {
      sessions = (await (await fetch(`${EMULATOR}/_emulator/sessions`)).json()) as typeof sessions;
      if (sessions.some((s) => s.target === media) && sessions.filter((s) => s.target === media).every((s) => s.status === 'Terminated')) break;
      await wb.page.waitForTimeout(500);
    }
    const mine = sessions.filter((s) => s.target === media);
    assert.ok(mine.length >= 1, 'a session was started on the node');
    assert.deepEqual(mine.map((s) => s.status), mine.map(() => 'Terminated'));
  });
});
