/**
 * Restricted Mode: a cloned repository's .vscode/settings.json must not redirect AWS calls. This file starts its
 * own code-server with workspace trust on, over a folder whose workspace settings point `openviduHa.endpoint`
 * at a dead address (and `templateBaseUrl` / `profile` elsewhere), while the user settings point at the emulator.
 * Untrusted: the tree lists the demo cluster (the workspace values are refused). Trusted: the same workspace
 * values apply (the folder's profile, which does not exist, leaves no credentials), which proves the first result came
 * from the restriction.
 * Screenshots: artifacts/ui-restricted-NN-*.png.
 */
import { after, before, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR, VIEW, Workbench } from './helpers';
import { QUIET_SETTINGS, installVsix, startCodeServer, writeUserSettings } from '../../scripts/lib/code-server.mjs';
import { emulatorEnv, emulatorSettings } from '../../scripts/lib/emulator.mjs';
import { VSIX } from '../../scripts/lib/paths.mjs';

const DEAD_ENDPOINT = 'http://127.0.0.1:9';

describe('Restricted Mode', { concurrency: false }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'openvidu-restricted-'));
  const folder = join(scratch, 'cloned-repo');
  let server: { url: string; stop(): Promise<void> } | undefined;
  const wb = new Workbench('restricted');

  before(async () => {
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(join(folder, 'README.md'), '# A repository someone else wrote\n');
    writeFileSync(
      join(folder, '.vscode/settings.json'),
      JSON.stringify({
        'openviduHa.endpoint': DEAD_ENDPOINT,
        'openviduHa.templateBaseUrl': 'https://attacker.invalid/templates',
        'openviduHa.profile': 'someone-elses-profile',
      }, null, 2),
    );
    const userDataDir = join(scratch, 'user-data');
    const extensionsDir = join(scratch, 'extensions');
    installVsix(VSIX, { extensionsDir, userDataDir });
    writeUserSettings(userDataDir, {
      ...QUIET_SETTINGS,
      ...emulatorSettings(EMULATOR),
      'openviduHa.showWalkthroughOnFirstStart': false,
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'always',
      'security.workspace.trust.banner': 'always',
    });
    server = await startCodeServer({
      dir: scratch,
      userDataDir,
      extensionsDir,
      workspaceTrust: true,
      logFile: join(scratch, 'code-server.log'),
      env: emulatorEnv(scratch),
    });
    await wb.open({ url: server.url, folder });
  });
  after(async () => {
    await wb.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  wb.step('opening a folder of unknown authors asks for trust; "No" enters Restricted Mode', 'trust-prompt', async () => {
    const dontTrust = wb.page.getByRole('button', { name: /No, I don.t trust the authors/ });
    await dontTrust.waitFor({ timeout: 60_000 });
    await wb.screenshot('trust-prompt-shown');
    await dontTrust.click();
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
  });

  wb.step('in Restricted Mode the tree lists the demo cluster: the workspace endpoint is refused', 'tree-restricted', async () => {
    await wb.openView();
    try {
      await wb.treeRow('openvidu-demo').waitFor({ timeout: 60_000 });
    } catch (e) {
      const rows = await wb.page.locator(`${VIEW} .monaco-list-row`).evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? el.textContent));
      throw new Error(`the demo cluster is not listed; the tree shows: ${JSON.stringify(rows)}`, { cause: e });
    }
  });

  wb.step('the Settings UI marks the workspace value of openviduHa.endpoint as not applied', 'settings-restricted', async () => {
    await wb.runCommand('Preferences: Open Workspace Settings');
    await wb.page.locator('.settings-editor .search-container .monaco-editor').first().click();
    await wb.page.keyboard.type('openviduHa.endpoint');
    const item = wb.page.locator('.settings-editor .setting-item-contents', { hasText: 'Endpoint' }).first();
    await item.waitFor({ timeout: 30_000 });
    await wb.page.waitForTimeout(1000);
    const text = (await item.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Restricted Mode|trust/i, `the setting does not say it waits for trust: ${text}`);
  });

  wb.step('trusting the folder applies its settings: its profile is used and the demo cluster is gone', 'tree-trusted', async () => {
    await wb.runCommand('Workspaces: Manage Workspace Trust');
    const trust = wb.page.getByRole('button', { name: /^Trust$/ }).first();
    await trust.waitFor({ timeout: 30_000 });
    await trust.click();
    await wb.page.locator('text=You trust this folder').first().waitFor({ timeout: 30_000 });
    await wb.page.keyboard.press('Escape');
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    await wb.page.locator(VIEW).getByText(/No AWS credentials were found|Cannot reach AWS/).first().waitFor({ timeout: 90_000 });
    assert.equal(await wb.treeRow('openvidu-demo').count(), 0, 'the demo cluster is still listed through the user settings');
  });
});
