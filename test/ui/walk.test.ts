/**
 * A new user's walk through the sandbox (issue 13: what the user sees is true and current), with no Refresh where
 * the explorer should follow by itself. The walk uses a stack of its own, `ov-walk` (3.8.0, created through
 * CloudFormation at the start): the suite's configuration walk enables SSM on openvidu-demo's masters earlier in the
 * same workbench, and the demo's media nodes all drain in the same 240 s, so neither shows what is checked here.
 *  - scale out ov-walk to 4 media nodes: the new nodes show Pending, then InService, without Refresh;
 *  - check the masters' services: they are "not checked" (not registered with SSM), never unhealthy; Enable SSM,
 *    Refresh: the "Not registered with SSM" rows go, and a new check reports every node healthy;
 *  - shut down: the progress and the tree count the media nodes down as each one finishes draining (each leaves when
 *    its last room ends, 8 to 24 simulated minutes, as the emulator's media nodes do: test/emulator/node-sim.ts);
 *  - the shut-down cluster's group rows offer Start Cluster and none of the operations that need running nodes.
 * Screenshots: artifacts/ui-walk-NN-*.png.
 */
import { describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { ACTIVITY, EMULATOR, VIEW, useWorkbench } from './helpers';
import { createOpenViduStack } from '../support/openviduStack';

const STACK = 'ov-walk';

describe('A walk through the sandbox: the tree follows what moves', { concurrency: false }, () => {
  const wb = useWorkbench('walk');
  const quickRow = (text: string | RegExp) => wb.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  const advanceClock = (ms: number) => fetch(`${EMULATOR}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: ms }) });
  /** the media node rows (label i-…) and their descriptions */
  const mediaDescriptions = async (): Promise<string[]> => {
    const rows = wb.page.locator(`${VIEW} .monaco-list-row`).filter({ has: wb.page.locator('.label-name', { hasText: /^i-[0-9a-f]+$/ }) });
    return (await rows.locator('.label-description').allInnerTexts()).map((s) => s.trim());
  };
  /**
   * Closes the status report the check opened (a markdown preview, a webview): the palette helper clicks the editor
   * area before F1, and a click on a webview takes the focus back a moment later, closing the palette it opened.
   */
  const closeReport = async () => {
    const tab = wb.page.locator('.tabs-container .tab', { hasText: `${STACK}-status` }).first();
    await tab.waitFor({ timeout: 30_000 });
    await tab.click({ button: 'middle' }); // VS Code closes a tab on a middle click
    await wb.page.locator('.tabs-container .tab', { hasText: `${STACK}-status` }).waitFor({ state: 'detached', timeout: 15_000 });
  };
  /** Moves simulated time by `stepMs` every second until `done()` holds (the tree is never refreshed by hand). */
  const whileTimePasses = async (what: string, done: () => Promise<boolean>, stepMs: number, rounds = 60) => {
    for (let i = 0; i < rounds; i++) {
      if (await done()) return;
      await advanceClock(stepMs);
      await wb.page.waitForTimeout(1000);
    }
    assert.fail(`never saw ${what}`);
  };

  wb.step('a cluster of its own, created through CloudFormation, ready, its media nodes expanded', 'tree', async () => {
    // the emulator is AWS here: CreateStack with the account's VPC, subnets, key pair and certificate
    await createOpenViduStack({ endpoint: EMULATOR } as never, { name: STACK, mediaNodes: 2, noWait: true });
    await wb.page.locator(ACTIVITY).waitFor({ timeout: 60_000 });
    await wb.openView();
    const header = wb.page.locator(`${VIEW} .pane-header`, { hasText: 'HA Clusters' }).first();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    // created outside the extension (not through its wizard): one Refresh lists it, as for a stack made in the console
    await wb.runCommand('OpenVidu: Refresh');
    // the other walks leave their stacks expanded: fold them, so "Master nodes" and "Media nodes" are ov-walk's
    // HA Clusters is the container's only view, so VS Code shows its actions in the side bar's title (the pane's own
    // header, with a hidden copy, is not shown): the visible one is clicked
    await wb.page.locator('.part.sidebar').hover();
    await wb.page.locator('.part.sidebar .action-label[aria-label^="Collapse All"]').filter({ visible: true }).first().click();
    await wb.expand('eu-west-1').catch(() => undefined);
    const stackDescription = () => wb.treeRow(STACK).locator('.label-description').innerText().catch(() => '');
    await whileTimePasses(`${STACK} CREATE_COMPLETE and ready, with no Refresh`, async () => {
      const d = await stackDescription();
      return /CREATE_COMPLETE$/.test(d) && !/not ready|creating/.test(d);
    }, 120_000, 90);
    await wb.expand(STACK);
    await wb.expand('Media nodes');
    await whileTimePasses('the 2 media nodes', async () => (await mediaDescriptions()).length === 2, 0, 30);
  });

  wb.step('Scale out to 4: the new nodes show Pending', 'scale-pending', async () => {
    await wb.runCommand('OpenVidu: Scale Media Nodes');
    await quickRow(STACK).waitFor({ timeout: 30_000 });
    await quickRow(STACK).click();
    const input = wb.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('4');
    await wb.page.keyboard.press('Enter');
    await wb.toast(/media nodes set to desired 4/);
    await whileTimePasses('4 media nodes', async () => (await mediaDescriptions()).length === 4, 0, 30);
    assert.ok((await mediaDescriptions()).some((d) => /^Pending/.test(d)), (await mediaDescriptions()).join(' / '));
  });

  wb.step('…and reach InService with no Refresh', 'scale-in-service', async () => {
    await whileTimePasses('4 media nodes InService', async () => {
      const d = await mediaDescriptions();
      return d.length === 4 && d.every((x) => /^InService/.test(x));
    }, 15_000);
    await wb.treeRow('Media nodes').locator('.label-description', { hasText: /^4 running · desired 4/ }).waitFor({ timeout: 15_000 });
  });

  wb.step('Check the masters: not registered with SSM means "not checked", never unhealthy', 'masters-not-checked', async () => {
    await wb.runCommand('OpenVidu: Check Service Status');
    await wb.pick('Check service status of', STACK);
    await wb.pick('Check service status of', /^\s*Master nodes/);
    const text = await wb.toast(/checked|could be checked/, 60_000);
    assert.match(text, /no node could be checked · 4 not checked|4 not checked/, text);
    assert.doesNotMatch(text, /unhealthy|0\/4/, text);
    await wb.page.keyboard.press('Escape');
    await wb.expand('Master nodes');
    await wb.page.locator(`${VIEW} .monaco-list-row .label-name`, { hasText: /^Not registered with SSM.*\(checked \d\d:\d\d:\d\d\)$/ }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('masters-not-checked-report');
    await closeReport();
  });

  wb.step('Enable SSM on the masters, Refresh: the "Not registered" rows go', 'ssm-enabled', async () => {
    await wb.runCommand('OpenVidu: Enable SSM on Master Nodes');
    await quickRow(STACK).waitFor({ timeout: 30_000 });
    await quickRow(STACK).click();
    await wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Attach Policy$/ }).click({ timeout: 30_000 });
    const stale = wb.page.locator(`${VIEW} .monaco-list-row .label-name`, { hasText: /^Not registered with SSM/ });
    await whileTimePasses('the "Not registered with SSM" rows gone', async () => {
      if (!(await stale.count())) return true;
      await wb.runCommand('OpenVidu: Refresh');
      return false;
    }, 120_000, 20);
    const masters = wb.page.locator(`${VIEW} .monaco-list-row`).filter({ has: wb.page.locator('.label-name', { hasText: /^Master \d$/ }) });
    for (const d of await masters.locator('.label-description').allInnerTexts()) assert.doesNotMatch(d, /SSM/, d);
  });

  wb.step('Check the whole cluster again: every node healthy (minio exits by design with S3)', 'all-healthy', async () => {
    await wb.runCommand('OpenVidu: Check Service Status');
    // typed and accepted with Enter, as a keyboard user does (the list may still be settling under the pointer)
    const input = wb.page.locator('.quick-input-widget input');
    await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Check service status of' }).waitFor({ timeout: 30_000 });
    await input.fill(STACK);
    await quickRow(STACK).waitFor();
    await wb.page.keyboard.press('Enter');
    await quickRow('All nodes').waitFor({ timeout: 30_000 });
    await input.fill('All nodes');
    await wb.page.keyboard.press('Enter');
    const text = await wb.toast(/checked nodes? healthy/, 60_000);
    const m = /(\d+)\/(\d+) checked nodes healthy\./.exec(text);
    assert.ok(m && m[1] === m[2] && !/not checked|problems/.test(text), text);
    await wb.page.keyboard.press('Escape');
    await wb.screenshot('all-healthy-report');
    await closeReport();
  });

  wb.step('Shut down: the progress says how many media nodes are left, each draining its sessions', 'shutdown-draining', async () => {
    // fold the masters (their services are listed since the checks), so every media node row is in view
    const masters = wb.treeRow('Master nodes');
    if ((await masters.getAttribute('aria-expanded')) === 'true') await masters.click();
    await whileTimePasses('the 4 media node rows in view', async () => (await mediaDescriptions()).length === 4, 0, 15);
    await wb.runCommand('OpenVidu: Shut Down Cluster');
    await quickRow(STACK).waitFor({ timeout: 30_000 });
    await quickRow(STACK).click();
    await wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Shut Down$/ }).click({ timeout: 30_000 });
    const text = await wb.toast(/media nodes? left/, 60_000);
    assert.match(text, /4 media nodes left: 4 draining their sessions/, text);
    await whileTimePasses('4 draining media nodes in the tree', async () => {
      const d = await mediaDescriptions();
      return d.length === 4 && d.every((x) => /^Terminating:Wait/.test(x));
    }, 0, 30);
  });

  wb.step('…and the count falls in the progress and in the tree, with no Refresh', 'shutdown-count-falls', async () => {
    let shown = '';
    await whileTimePasses('fewer than 4 media nodes left, the tree agreeing', async () => {
      const toast = wb.page.locator('.notification-toast', { hasText: /media nodes? left/ }).first();
      shown = (await toast.count()) ? (await toast.innerText()).replace(/\s+/g, ' ') : '';
      const left = Number(/(\d+) media nodes? left/.exec(shown)?.[1] ?? 4);
      return left < 4 && left > 0 && (await mediaDescriptions()).length === left;
    }, 10_000, 200); // 10 simulated s per real second: the nodes leave minutes apart (simulated), tens of seconds real
    assert.ok(shown, 'the progress notification');
  });

  wb.step('…until the cluster is shut down', 'shut-down', async () => {
    await whileTimePasses('the shut-down notification', async () => (await wb.page.locator('.notification-toast', { hasText: /is shut down/ }).count()) > 0, 600_000, 30);
    await wb.treeRow(STACK).locator('.label-description', { hasText: /shut down/ }).waitFor({ timeout: 30_000 });
    assert.equal((await mediaDescriptions()).length, 0);
  });

  wb.step('the shut-down cluster\'s rows offer Start Cluster, not the operations that need running nodes', 'shut-down-menu', async () => {
    for (const label of ['Master nodes', 'Media nodes']) {
      await wb.page.keyboard.press('Escape');
      await wb.treeRow(label).click({ button: 'right' });
      const menu = wb.page.locator('.context-view .monaco-menu').first();
      await menu.locator('.action-label', { hasText: /^Start Cluster$/ }).waitFor({ timeout: 15_000 });
      const items = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim());
      for (const op of ['Check Service Status', 'Follow Logs (Live Tail)…', 'Restart OpenVidu…', 'Restart Service…', 'Run a Command on Nodes…', 'Scale Media Nodes…']) {
        assert.ok(!items.includes(op), `${label} of a shut-down cluster offers ${op}: ${items.join(' / ')}`);
      }
      await wb.screenshot(`shut-down-menu-${label === 'Master nodes' ? 'masters' : 'media'}`);
    }
    // the stack row keeps its credential actions (its secret exists): the when clauses with a lookahead
    // (`^stack\.(?!.*\.nosecret$)`) parse and hold in the workbench, not only in test/support/menus.ts
    await wb.page.keyboard.press('Escape');
    await wb.treeRow(STACK).click({ button: 'right' });
    const menu = wb.page.locator('.context-view .monaco-menu').first();
    await menu.locator('.action-label', { hasText: /^Start Cluster$/ }).waitFor({ timeout: 15_000 });
    const items = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim());
    assert.ok(items.some((i) => /^Copy LiveKit Credentials/.test(i)), items.join(' / '));
    assert.ok(items.includes('Check Service Status') === false, items.join(' / '));
    await wb.screenshot('shut-down-menu-stack');
    await wb.page.keyboard.press('Escape');
  });
});
