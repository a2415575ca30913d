/**
 * The packaged extension (.vsix) in a real VS Code workbench, used the way a person would:
 * activity bar → OpenVidu HA view → expand the demo stack → F1 "OpenVidu: Show AWS Account" → notification.
 * Screenshots: artifacts/ui-explorer-NN-*.png.
 */
import { describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { ACTIVITY, VIEW, emulatorQuery, useWorkbench } from './helpers';

describe('OpenVidu HA explorer in the workbench', { concurrency: false }, () => {
  const wb = useWorkbench('explorer');

  wb.step('shows the OpenVidu HA entry in the activity bar', 'workbench', async () => {
    await wb.page.locator(ACTIVITY).waitFor({ timeout: 60_000 });
  });

  wb.step('opening the OpenVidu HA view activates the extension and lists the demo stack under eu-west-1', 'clusters-view', async () => {
    await wb.openView();
    await wb.treeRow('eu-west-1').waitFor({ timeout: 30_000 });
    await wb.treeRow('openvidu-demo').waitFor({ timeout: 30_000 });
  });

  wb.step('expands the demo stack into its 4 master and 2 media nodes', 'stack-expanded', async () => {
    await wb.expand('openvidu-demo');
    await wb.expand('Master nodes');
    await wb.expand('Media nodes');
    for (const m of ['Master 1', 'Master 2', 'Master 3', 'Master 4']) await wb.treeRow(m).waitFor();
    // media nodes are labelled with their instance ids, one level below "Media nodes"
    const level = Number(await wb.treeRow('Media nodes').getAttribute('aria-level')) + 1;
    const media = wb.page.locator(`${VIEW} .monaco-list-row[aria-level="${level}"]`).filter({ hasText: /^\s*i-[0-9a-f]+/ });
    await assert.doesNotReject(() => media.nth(1).waitFor({ timeout: 15_000 }), 'fewer than 2 media nodes under "Media nodes"');
  });

  wb.step('runs "OpenVidu: Show AWS Account" from the command palette and shows the account', 'account-notification', async () => {
    const account = /<Account>(\d+)<\/Account>/.exec(await emulatorQuery('GetCallerIdentity', '2011-06-15'))?.[1];
    assert.ok(account, 'the emulator did not answer GetCallerIdentity');
    await wb.runCommand('OpenVidu: Show AWS Account', { shot: 'palette' });
    const text = await wb.toast('AWS account');
    assert.match(text, new RegExp(`AWS account ${account}`), `notification: ${text}`);
  });
});
