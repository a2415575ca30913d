/**
 * The deploy wizard in a real VS Code workbench, used as a person would: F1 "OpenVidu: Deploy High Availability
 * Cluster…" → fill the form from the pickers (certificate, key pair, VPC, subnets) → an error shown on its field
 * → Review → "Deploy anyway" for the zone warning → events as they happen → CREATE_COMPLETE with the load
 * balancer DNS → Show nodes reveals the stack → the draft survives a window reload without the license → an
 * injected resource failure is shown with its reason, the failed resources and the next steps.
 * Screenshots: artifacts/ui-deploy-NN-*.png.
 */
import { describe } from 'node:test';
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { ACTIVITY, EMULATOR, VIEW, useWorkbench } from './helpers';

const STACK = 'ov-ui-deploy';

describe('OpenVidu HA deploy wizard in the workbench', { concurrency: false }, () => {
  const wb = useWorkbench('deploy');
  let web: FrameLocator;
  const field = (key: string): Locator => web.locator(`[data-field="${key}"]`);
  /** Brings a field to the top of the form, so its dropdown opens in view (not under the sticky footer). */
  const toTop = (key: string) => field(key).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const choose = async (key: string, text: string) => {
    await toTop(key);
    const select = field(key).locator('vscode-single-select');
    await select.click();
    await select.locator('li[role=option]', { hasText: text }).first().click();
  };
  const chooseMany = async (key: string, texts: string[]) => {
    await toTop(key);
    const select = field(key).locator('vscode-multi-select');
    await select.click();
    for (const t of texts) {
      const option = select.locator('li[role=option]', { hasText: t }).first();
      if (!(await option.isVisible())) await select.click(); // the dropdown may close after a deselect
      await option.click();
    }
    // close the dropdown (its OK button when shown; the selection is already made)
    const ok = select.locator('.button-accept');
    if (await ok.isVisible()) await ok.click();
    else await field(key).locator('vscode-label').click();
  };
  const button = (text: string | RegExp): Locator => web.locator('vscode-button', { hasText: text });

  wb.step('opens the form from the command palette, template parameters grouped as the template groups them', 'form', async () => {
    // the extension's contributions are in the workbench once its activity bar entry is
    await wb.page.locator(ACTIVITY).waitFor({ timeout: 60_000 });
    // the extension reads the emulator (its settings are applied) before the form asks AWS for anything
    await wb.openView();
    await wb.expand('eu-west-1').catch(() => undefined);
    await wb.treeRow('openvidu-demo').waitFor({ timeout: 90_000 });
    await wb.runCommand('OpenVidu: Deploy High Availability Cluster');
    web = wb.webview();
    await web.locator('h1', { hasText: 'Deploy OpenVidu High Availability' }).waitFor({ timeout: 60_000 });
    await field('DomainName').waitFor({ timeout: 60_000 });
    await web.locator('#app[data-facts="ready"]').waitFor();
    await web.locator('h2', { hasText: 'VPC configuration' }).waitFor();
    await field('OpenViduVPC').locator('li[role=option]', { hasText: 'openvidu-vpc' }).first().waitFor({ state: 'attached' });
    // the first view, before anything is typed: no constraint lines that read like errors, the template's typo corrected
    const text = await web.locator('#app').innerText();
    assert.doesNotMatch(text, /Template constraint/);
    assert.doesNotMatch(text, /domain name must be defined|does not have a valid domain name format/);
    await web.locator('h2', { hasText: 'Domain and Load Balancer configuration' }).waitFor();
    assert.doesNotMatch(text, /Blancer/);
    assert.match(await field('OpenViduCertificateARN').innerText(), /ACM certificate \(ARN\) in this region, ISSUED, covering the Domain Name above/);
    assert.equal(await web.locator('.issue').count(), 0, 'no issue is shown before anything is typed');
  });

  wb.step('fills the form from the pickers; a private subnet is flagged on its field as you choose', 'filled', async () => {
    await web.locator('[data-control-for="StackName"] input').fill(STACK);
    await field('DomainName').locator('input').fill('openvidu.example.com');
    await choose('OpenViduCertificateARN', 'openvidu.example.com — ISSUED');
    await field('OpenViduLicense').locator('input').fill('ui-test-license');
    await choose('KeyName', 'openvidu-key');
    await choose('OpenViduVPC', 'openvidu-vpc');
    // the VPC's subnets are read when the VPC changes
    await web.locator('#app[data-facts="ready"]').waitFor();
    await chooseMany('OpenViduMasterNodeSubnets', ['openvidu-private-eu-west-1a']);
    await field('OpenViduMasterNodeSubnets').locator('.issue.error', { hasText: 'is not public' }).waitFor();
    await field('OpenViduMasterNodeSubnets').scrollIntoViewIfNeeded();
    await wb.screenshot('private-subnet-flagged');
    await chooseMany('OpenViduMasterNodeSubnets', ['openvidu-private-eu-west-1a', 'openvidu-public-eu-west-1a', 'openvidu-public-eu-west-1b', 'openvidu-public-eu-west-1c']);
    await chooseMany('OpenViduMediaNodeSubnets', ['openvidu-public-eu-west-1a', 'openvidu-public-eu-west-1b', 'openvidu-public-eu-west-1c']);
    await web.locator('#issue-summary', { hasText: '0 errors' }).waitFor();
  });

  wb.step('Review shows every value with the license masked, the resources, CAPABILITY_NAMED_IAM and the failure option', 'review', async () => {
    await button('Review').click();
    await web.locator('h1', { hasText: `Review: ${STACK} in eu-west-1` }).waitFor();
    // the review opens at its top, not scrolled to where the form was
    assert.equal(await web.locator('h1', { hasText: 'Review:' }).evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().top < 120), true);
    const text = await web.locator('#app').innerText();
    assert.match(text, /CAPABILITY_NAMED_IAM/);
    assert.match(text, /\*\*\*\*/);
    assert.doesNotMatch(text, /ui-test-license/);
    assert.match(text, /Resources that will be created \(\d+\)/);
    assert.match(text, /OnFailure: DO_NOTHING/);
  });

  wb.step('Create stack stops at the zone warning; "Deploy anyway" creates it', 'warning', async () => {
    await button('Create stack').click();
    await button('Deploy anyway').waitFor();
    assert.match(await web.locator('#app').innerText(), /availability zone/);
    // the warnings "Deploy anyway" refers to are in view, not below the fold
    const warnings = web.locator('#review-warnings');
    await warnings.waitFor();
    const inView = await warnings.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.top < window.innerHeight - 80;
    });
    assert.equal(inView, true, 'the warnings are in view');
    // with the field label, not the raw key
    assert.doesNotMatch(await warnings.innerText(), /OpenViduMasterNodeSubnets|OpenViduMediaNodeSubnets/);
  });

  wb.step('follows the stack events to CREATE_COMPLETE and says what remains (load balancer DNS)', 'complete', async () => {
    await button('Deploy anyway').click();
    await web.locator('#progress-head').waitFor();
    await wb.screenshot('progress');
    const done = web.locator('text=is CREATE_COMPLETE');
    for (let i = 0; i < 120 && !(await done.count()); i++) {
      // push the emulator's simulated clock so the stack finishes in seconds
      await fetch(`${EMULATOR}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 120_000 }) });
      await wb.page.waitForTimeout(1000);
    }
    await done.waitFor({ timeout: 30_000 });
    assert.match(await web.locator('#app').innerText(), /Point openvidu\.example\.com at the load balancer/);
    await button('Copy').first().waitFor();
    // one notification with the next actions, and no "<stack>: created" left in the status bar
    const ready = await wb.toast(new RegExp(`${STACK} is ready`), 30_000);
    assert.match(ready, /Show nodes/);
    assert.match(ready, /Copy credentials/);
    assert.equal(await wb.page.locator('.statusbar-item', { hasText: `${STACK}:` }).count(), 0, 'the deploy status-bar item is gone');
  });

  wb.step('Show nodes reveals the new stack in the OpenVidu HA view', 'show-nodes', async () => {
    await button('Show nodes').click();
    const row = wb.treeRow(STACK);
    await row.waitFor({ timeout: 30_000 });
    // revealed as VS Code's TreeView.reveal({ select, focus, expand }) does: expanded, selected, with the keyboard focus
    await wb.page.waitForFunction(
      ([view, label]) =>
        Array.from(document.querySelectorAll(`${view} .monaco-list-row`)).some(
          (e) => e.querySelector('.label-name')?.textContent === label && e.getAttribute('aria-expanded') === 'true' && e.getAttribute('aria-selected') === 'true',
        ) && !!document.activeElement?.closest(view),
      [VIEW, STACK] as const,
      { timeout: 30_000 },
    );
    await wb.treeRow('Master nodes').first().waitFor({ timeout: 30_000 });
  });

  wb.step('the draft survives a window reload, without the license', 'reloaded', async () => {
    await button('New deployment').click();
    await web.locator('[data-control-for="StackName"] input').fill('ov-ui-second');
    await field('OpenViduLicense').locator('input').fill('not-kept');
    await wb.page.waitForTimeout(500);
    await wb.runCommand('Developer: Reload Window');
    await wb.page.waitForTimeout(2000);
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    web = wb.webview();
    await field('DomainName').waitFor({ timeout: 60_000 });
    assert.equal(await web.locator('[data-control-for="StackName"] input').inputValue(), 'ov-ui-second');
    assert.equal(await field('DomainName').locator('input').inputValue(), 'openvidu.example.com');
    assert.equal(await field('OpenViduLicense').locator('input').inputValue(), '');
  });

  wb.step('a failing stack: the first failure reason as the headline, the failed resources and the next steps', 'failed', async () => {
    const reason = 'WaitCondition timed out. Received 0 conditions when expecting 1';
    const injected = await fetch(`${EMULATOR}/_cloudformation/stack-failures`, {
      method: 'POST',
      body: JSON.stringify({ stackName: 'ov-ui-second', logicalId: 'MasterNodesWaitCondition1', reason }),
    });
    assert.equal(injected.status, 200);
    await field('OpenViduLicense').locator('input').fill('ui-test-license');
    await button('Review').click();
    await button('Create stack').click();
    await button('Deploy anyway').click();
    await web.locator('#progress-head').waitFor();
    const headline = web.locator('.banner.error', { hasText: reason });
    for (let i = 0; i < 120 && !(await headline.count()); i++) {
      await fetch(`${EMULATOR}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 120_000 }) });
      await wb.page.waitForTimeout(1000);
    }
    await headline.waitFor({ timeout: 30_000 });
    const text = await web.locator('#app').innerText();
    assert.match(text, /MasterNodesWaitCondition1: WaitCondition timed out/);
    assert.match(text, /\/var\/log\/cloud-init-output\.log/);
    assert.match(text, /delete-stack --stack-name ov-ui-second/);
  });

  wb.step('closing the panel leaves the workbench as other UI tests expect it', 'closed', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.page.locator('.tab', { hasText: 'Deploy OpenVidu HA' }).waitFor({ state: 'detached' });
  });
});
