/**
 * The cluster's configuration in a real VS Code workbench, used as a person would: OpenVidu HA view → openvidu-demo →
 * its Configuration row. The demo's masters are not registered with SSM (template 3.8.0), so the row offers "Enable
 * SSM on Master Nodes…": attach the policy, wait for the agents, refresh the row. Then cluster → media_node →
 * livekit.yaml opens as an editor tab; change a value, save: the diff and the confirmation naming the master and
 * the restart; "Save and Restart OpenVidu"; the report says it was applied.
 * Screenshots: artifacts/ui-configuration-NN-*.png.
 */
import { describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { useWorkbench } from './helpers';

const STACK = 'openvidu-demo';

describe('OpenVidu HA cluster configuration in the workbench', { concurrency: false }, () => {
  const wb = useWorkbench('configuration');
  const row = (label: string | RegExp) => (typeof label === 'string' ? wb.treeRow(label) : wb.page.locator('[id="workbench.view.extension.openviduHa"] .monaco-list-row').filter({ has: wb.page.locator('.label-name', { hasText: label }) }));
  const refreshRow = async () => {
    const r = row('Configuration').first();
    await r.hover();
    await r.locator('.actions .action-label[aria-label^="Refresh Configuration"]').click();
  };

  wb.step('opens the OpenVidu HA view: the demo cluster has a Configuration row next to its nodes', 'view', async () => {
    await wb.openView();
    await wb.treeRow(STACK).first().waitFor({ timeout: 60_000 });
    await wb.expand(STACK);
    // the node groups are folded so the configuration tree has the room
    for (const g of ['Master nodes', 'Media nodes']) {
      const r = row(g).first();
      if ((await r.count()) && (await r.getAttribute('aria-expanded')) === 'true') await r.click();
    }
    await row('Configuration').first().waitFor({ timeout: 60_000 });
    assert.match(await row('Configuration').first().locator('.label-description').innerText(), /\/opt\/openvidu\/config/);
  });

  wb.step('the demo masters are not registered with SSM: the row offers "Enable SSM on Master Nodes…", which attaches the policy', 'enable-ssm', async () => {
    await wb.expand('Configuration');
    // the explanation row names the command too; the action row ("Click here to run …") is the last match
    const offer = row(/Enable SSM on Master Nodes/).last();
    await offer.waitFor({ timeout: 60_000 });
    await wb.screenshot('configuration-no-master');
    await offer.click();
    await wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Attach Policy' }).click({ timeout: 30_000 });
    await wb.toast(/AmazonSSMManagedInstanceCore/, 30_000);
  });

  wb.step('after the agents register, the configuration is read from Master 1: the HA layout with sizes', 'layout', async () => {
    const deadline = Date.now() + 180_000;
    for (;;) {
      await refreshRow();
      await wb.expand('Configuration');
      const ok = await row(/^Read from Master 1/)
        .waitFor({ timeout: 15_000 })
        .then(() => true, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error('the masters never became reachable');
      await wb.page.waitForTimeout(5_000);
    }
    await wb.expand('cluster');
    await wb.expand('media_node');
    await row('livekit.yaml').waitFor();
    const desc = await row('livekit.yaml').locator('.label-description').innerText();
    assert.match(desc, /^\d+ B$/);
  });

  wb.step('livekit.yaml opens as an editor tab (YAML) read over SSM', 'open', async () => {
    await row('livekit.yaml').click();
    await wb.page.locator('.tab', { hasText: 'livekit.yaml' }).waitFor({ timeout: 60_000 });
    await wb.page.locator('.editor-group-container.active .view-line', { hasText: 'log_level: error' }).waitFor({ timeout: 30_000 });
  });

  wb.step('change a value and save: the diff (master ↔ yours) and a confirmation naming the master and the restart', 'review', async () => {
    // edit as a person does: click the line, go to its end, replace the value by typing
    await wb.page.locator('.editor-group-container.active .view-line', { hasText: 'log_level: error' }).first().click();
    await wb.page.keyboard.press('End');
    for (let i = 0; i < 'error'.length; i++) await wb.page.keyboard.press('Backspace');
    await wb.page.keyboard.type('warn');
    await wb.page.locator('.editor-group-container.active .view-line', { hasText: 'log_level: warn' }).waitFor({ timeout: 10_000 });
    await wb.page.keyboard.press('Control+s');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Write cluster\/media_node\/livekit\.yaml on Master 1 \(i-[0-9a-f]+\) of openvidu-demo\?/);
    assert.match(text, /systemctl restart openvidu on Master 1/);
    await wb.page.locator('.tab', { hasText: /livekit\.yaml.*↔/ }).first().waitFor({ timeout: 15_000 });
  });

  wb.step('"Save and Restart OpenVidu": written, restarted, checked; the report says it was applied', 'applied', async () => {
    await wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Save and Restart OpenVidu' }).click();
    const text = await wb.toast(/livekit\.yaml applied/, 180_000);
    assert.match(text, /OpenVidu restarted on Master 1/);
    await wb.page.locator('.notification-toast', { hasText: /applied/ }).locator('.monaco-button', { hasText: 'Show Report' }).click();
    await wb.page.locator('.tab', { hasText: /openvidu-demo-cluster_media_node_livekit\.yaml/ }).waitFor({ timeout: 30_000 });
    await wb.page.locator('.editor-group-container.active .view-line', { hasText: 'Applied.' }).waitFor({ timeout: 15_000 });
  });
});
