/**
 * Lifecycle commands in a real VS Code workbench, used as a person would:
 *  - update: F1 "OpenVidu: Update or Upgrade Deployment…" → pick `openvidu-demo` → the update form, prefilled (name
 *    and region fixed, the license empty: "keep the current value") → change MasterNodeInstanceType (replaces the
 *    masters) → the change set review in the panel with the master-replacement warning → Discard;
 *  - delete: F1 "OpenVidu: Delete Deployment…" → pick `openvidu-broken` → a wrong name is refused as typed →
 *    the right name deletes it (DELETE_IN_PROGRESS, then gone from the tree).
 * Screenshots: artifacts/ui-lifecycle-NN-*.png.
 */
import { describe } from 'node:test';
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { ACTIVITY, EMULATOR, useWorkbench } from './helpers';

describe('OpenVidu HA lifecycle commands in the workbench', { concurrency: false }, () => {
  const wb = useWorkbench('lifecycle');
  const quickInput = () => wb.page.locator('.quick-input-widget');
  const quickRow = (text: string | RegExp) => wb.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  /** Types into the open quick pick and accepts the row showing `row`. */
  const pick = async (filter: string, row: string | RegExp = filter) => {
    const input = quickInput().locator('input');
    await input.fill(filter);
    await quickRow(row).waitFor();
    await quickRow(row).click();
  };
  let web: FrameLocator;
  const field = (key: string): Locator => web.locator(`[data-field="${key}"]`);
  const toTop = (key: string) => field(key).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const button = (text: string | RegExp): Locator => web.locator('vscode-button', { hasText: text });
  const advanceClock = (ms: number) => fetch(`${EMULATOR}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: ms }) });

  wb.step('the tree lists openvidu-demo and openvidu-broken', 'tree', async () => {
    await wb.page.locator(ACTIVITY).waitFor({ timeout: 60_000 });
    await wb.openView();
    await wb.expand('eu-west-1').catch(() => undefined);
    await wb.treeRow('openvidu-demo').waitFor({ timeout: 60_000 });
    await wb.treeRow('openvidu-broken').waitFor();
  });

  wb.step('Update: the palette command asks for the stack', 'update-pick-stack', async () => {
    await wb.runCommand('OpenVidu: Update or Upgrade Deployment');
    await quickRow('openvidu-demo').waitFor();
    await pick('openvidu-demo');
    web = wb.webview();
    await web.locator('h1', { hasText: 'Update openvidu-demo' }).waitFor({ timeout: 60_000 });
  });

  wb.step('Update: the form is prefilled, name and region fixed, the license empty ("keep the current value")', 'update-form', async () => {
    await field('DomainName').waitFor({ timeout: 60_000 });
    await web.locator('#app[data-facts="ready"]').waitFor();
    // fixed values are text, not inputs that look editable
    assert.equal(await web.locator('[data-fixed="StackName"]').innerText(), 'openvidu-demo');
    assert.equal(await web.locator('[data-fixed="Region"]').innerText(), 'eu-west-1');
    assert.equal(await web.locator('#update-fixed input, #update-fixed vscode-textfield').count(), 0);
    assert.equal(await field('DomainName').locator('input').inputValue(), 'openvidu.example.com');
    const license = field('OpenViduLicense').locator('input');
    assert.equal(await license.inputValue(), '');
    assert.equal(await license.getAttribute('placeholder'), 'keep the current value');
    assert.equal(await web.locator('[data-control-for="Version"]').evaluate((e) => (e as unknown as { value: string }).value), 'keep');
    assert.match(await field('MasterNodeInstanceType').locator('vscode-single-select').evaluate((e) => (e as unknown as { value: string }).value), /^c6a\.xlarge$/);
    await web.locator('#issue-summary').waitFor();
    assert.doesNotMatch(await web.locator('#issue-summary').innerText(), /[1-9]\d* error/);
  });

  wb.step('Update: a 3.8.0 stack shows its current version; older versions are "Downgrade", warned and need a confirmation', 'update-downgrade', async () => {
    assert.equal(await web.locator('[data-fixed="CurrentVersion"]').innerText(), '3.8.0');
    const select = web.locator('vscode-single-select[data-control-for="Version"]');
    const versionToTop = () => select.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const labels = (await select.locator('vscode-option').allTextContents()).map((l) => l.trim());
    assert.ok(labels.includes('Keep the current template (3.8.0)'), labels.join(' | '));
    assert.ok(labels.some((l) => /Downgrade to 3\.2\.0/.test(l)), labels.join(' | '));
    assert.ok(!labels.some((l) => /Upgrade to 3\.[2-8]\.0/.test(l)), labels.join(' | '));
    await versionToTop();
    await select.click();
    await select.locator('li[role=option]', { hasText: 'Downgrade to 3.2.0' }).first().click();
    await web.locator('#downgrade-warning', { hasText: 'Downgrade from 3.8.0 to 3.2.0' }).waitFor({ timeout: 30_000 });
    await web.locator('#confirm-downgrade').waitFor();
    await field('DomainName').waitFor({ timeout: 60_000 });
    await fetch(`${EMULATOR}/_emulator/requests`, { method: 'DELETE' });
    await button(/Review changes/).click();
    await web.locator('[data-issues-for="Version"] .issue.error', { hasText: 'Tick the confirmation to downgrade' }).waitFor();
    const log = (await (await fetch(`${EMULATOR}/_emulator/requests/summary`)).json()) as Record<string, number>;
    assert.equal(log['cloudformation:CreateChangeSet'] ?? 0, 0, 'no change set before the confirmation');
    await versionToTop();
    await wb.screenshot('downgrade-warned');
    // back to the current template for the rest of the walk
    await select.click();
    await select.locator('li[role=option]', { hasText: 'Keep the current template' }).first().click();
    await web.locator('#downgrade-warning').waitFor({ state: 'detached' });
    await field('MasterNodeInstanceType').waitFor({ timeout: 60_000 });
    await web.locator('#app[data-facts="ready"]').waitFor();
  });

  wb.step('Update: change the master instance type (a change that replaces the masters)', 'update-master-type', async () => {
    await toTop('MasterNodeInstanceType');
    const select = field('MasterNodeInstanceType').locator('vscode-single-select');
    await select.click();
    await select.locator('input').fill('c6a.2xlarge');
    await select.locator('li[role=option]', { hasText: 'c6a.2xlarge' }).first().click();
    assert.equal(await select.evaluate((e) => (e as unknown as { value: string }).value), 'c6a.2xlarge');
  });

  wb.step('Update: the change set review in the panel says loudly that the masters are replaced', 'update-review', async () => {
    await button(/Review changes/).click();
    await web.locator('h1', { hasText: 'Change set for openvidu-demo' }).waitFor({ timeout: 60_000 });
    const text = (await web.locator('#app').innerText()).replace(/\s+/g, ' ');
    assert.match(text, /MASTER NODES WILL BE REPLACED/);
    assert.match(text, /data loss/);
    assert.match(text, /MasterNodeInstanceType c6a\.xlarge c6a\.2xlarge/);
    assert.match(text, /OpenViduMasterNode1/);
    assert.doesNotMatch(text, /DEMO-LICENSE/);
    await button('Discard').waitFor();
    await button(/Execute/).waitFor();
  });

  wb.step('Update: Discard deletes the change set and leaves the stack unchanged', 'update-discarded', async () => {
    await button('Discard').click();
    await web.locator('.banner', { hasText: 'Discarded the change set: openvidu-demo is unchanged.' }).waitFor();
    await field('MasterNodeInstanceType').waitFor();
    await web.locator('.banner', { hasText: 'Discarded the change set' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  });

  wb.step('Update: closing the form leaves no change set behind', 'update-closed', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.page.locator('.tab', { hasText: 'Update openvidu-demo' }).waitFor({ state: 'detached' });
    await wb.page.keyboard.press('Escape');
  });

  wb.step('Delete: the palette command asks for the stack, then the name typed', 'delete-confirm', async () => {
    await wb.runCommand('OpenVidu: Delete Deployment');
    await quickRow('openvidu-broken').waitFor();
    await pick('openvidu-broken');
    await quickInput().locator('input[placeholder="Type openvidu-broken to confirm"]').waitFor({ timeout: 30_000 });
    assert.match(await quickInput().innerText(), /Lost:/);
  });

  wb.step('Delete: a wrong name is refused as you type', 'delete-wrong-name', async () => {
    await quickInput().locator('input').fill('openvidu-demo');
    await quickInput().locator('.quick-input-message', { hasText: 'Type the stack name "openvidu-broken" exactly' }).waitFor();
    await wb.page.keyboard.press('Enter'); // refused: the box stays open
    await wb.page.waitForTimeout(300);
    await quickInput().locator('input').waitFor();
    assert.equal(await quickInput().locator('input').inputValue(), 'openvidu-demo');
  });

  wb.step('Delete: the right name deletes the stack (DELETE_IN_PROGRESS, then gone)', 'delete-in-progress', async () => {
    await quickInput().locator('input').fill('openvidu-broken');
    await wb.page.waitForTimeout(300);
    assert.equal(await quickInput().locator('.quick-input-message', { hasText: 'exactly' }).count(), 0);
    await wb.page.keyboard.press('Enter');
    await wb.toast(/Deleting openvidu-broken/);
  });

  wb.step('Delete: the stack leaves the tree', 'deleted', async () => {
    const row = wb.treeRow('openvidu-broken');
    for (let i = 0; i < 60 && (await row.count()); i++) {
      await advanceClock(120_000);
      await wb.page.waitForTimeout(1000);
    }
    await wb.toast('openvidu-broken is deleted.', 60_000);
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    await wb.treeRow('openvidu-demo').waitFor();
  });
});
