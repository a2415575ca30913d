/**
 * Lifecycle commands in a real VS Code workbench, used as a person would:
 *  - update: F1 "OpenVidu: Update or Upgrade Deployment…" → pick `openvidu-demo` → keep the template → change
 *    MasterNodeInstanceType (replaces the masters) → the change set review (rendered report + the modal naming
 *    the master replacement) → Discard leaves the stack unchanged;
 *  - delete: F1 "OpenVidu: Delete Deployment…" → pick `openvidu-broken` → a wrong name is refused as typed →
 *    the right name deletes it (DELETE_IN_PROGRESS, then gone from the tree).
 * Screenshots: artifacts/ui-lifecycle-NN-*.png.
 */
import { describe } from 'node:test';
import * as assert from 'node:assert/strict';
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
    await wb.screenshot('update-stacks');
    await pick('openvidu-demo');
    await quickRow('Keep the current template').waitFor({ timeout: 30_000 });
  });

  wb.step('Update: keep the template; the parameters show the current values', 'update-parameters', async () => {
    await pick('Keep the current template');
    await quickRow('Create the change set').waitFor({ timeout: 30_000 });
    const text = await quickInput().innerText();
    assert.match(text, /openvidu\.example\.com/, 'the current DomainName is shown');
  });

  wb.step('Update: change the master instance type (a change that replaces the masters)', 'update-master-type', async () => {
    await pick('Master Node Instance Type', /Master Node.*Instance Type/i);
    await quickInput().locator('.quick-input-title', { hasText: 'Master Node Instance Type' }).waitFor();
    await pick('c6a.2xlarge');
    await quickRow('Create the change set').waitFor();
    await quickInput().locator('input').fill('Master Node Instance');
    await quickRow('changed').waitFor();
    assert.match(await quickInput().innerText(), /c6a\.2xlarge/);
  });

  wb.step('Update: the change set review says loudly that the masters are replaced', 'update-review', async () => {
    await quickInput().locator('input').fill('');
    await pick('Create the change set');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /REPLACES MASTER NODES of openvidu-demo/);
    assert.match(text, /destroys its disk/);
    // the rendered change set document is open behind the dialog
    await wb.page.locator('.tab', { hasText: 'openvidu-demo-change-set' }).first().waitFor();
    await wb.page.waitForTimeout(800);
  });

  wb.step('Update: Discard deletes the change set and leaves the stack unchanged', 'update-discarded', async () => {
    await wb.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Discard' }).click();
    await wb.toast('Discarded the change set: openvidu-demo is unchanged.');
    await wb.runCommand('View: Close All Editors');
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
