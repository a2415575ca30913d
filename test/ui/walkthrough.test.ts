/**
 * The Get Started walkthrough (contributes.walkthroughs): opened from the palette, its six steps shown with their
 * media, and steps completing as the user does them (Choose Regions through the step's own button; opening the
 * Clusters view). Screenshots: artifacts/ui-walkthrough-NN-*.png.
 */
import { describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { ACTIVITY, VIEW, useWorkbench } from './helpers';

const STEPS = ['Sign in to AWS', 'Choose your regions', 'Look at a cluster', 'Deploy a cluster', 'Connect your app', 'First day-2 actions'];

describe('Get Started walkthrough', { concurrency: false }, () => {
  const wb = useWorkbench('walkthrough');
  const page = () => wb.page.locator('.gettingStartedContainer');
  const step = (title: string) => page().locator('.getting-started-step', { hasText: title }).first();
  // a done step shows VS Code's "getting-started-step-checked" icon (pass-filled) instead of the empty circle
  const DONE = '[class*="step-checked"], .codicon-pass-filled';
  const isComplete = async (title: string) => (await step(title).locator(DONE).count()) > 0;
  const waitComplete = (title: string) => step(title).locator(DONE).first().waitFor({ timeout: 30_000 });

  wb.step('"OpenVidu: Get Started with OpenVidu HA" opens the walkthrough with its six steps', 'opened', async () => {
    // the extension's contributions are registered once its activity-bar entry shows
    await wb.page.locator(ACTIVITY).waitFor({ timeout: 60_000 });
    await wb.runCommand('OpenVidu: Get Started with OpenVidu HA');
    await page().locator('text=Get Started with OpenVidu HA').first().waitFor({ timeout: 30_000 });
    for (const title of STEPS) await step(title).waitFor({ timeout: 15_000 });
    // the first step's Markdown page renders beside the list
    await step('Sign in to AWS').click();
    await wb.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').locator('text=aws configure sso').first().waitFor({ timeout: 30_000 });
  });

  wb.step('"Choose your regions": its button opens the region picker, and the step completes', 'regions-done', async () => {
    await step('Choose your regions').click();
    assert.equal(await isComplete('Choose your regions'), false, 'the step was complete before the user did it');
    await page().getByRole('button', { name: 'Choose Regions' }).first().click();
    await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'regions to show' }).waitFor({ timeout: 30_000 });
    await wb.page.keyboard.press('Enter');
    await waitComplete('Choose your regions');
  });

  wb.step('"Look at a cluster": its button opens the Clusters view with the demo cluster, and the step completes', 'explore-done', async () => {
    await wb.runCommand('OpenVidu: Get Started with OpenVidu HA');
    await step('Look at a cluster').click();
    await page().getByRole('button', { name: 'Open the Clusters View' }).first().click();
    await wb.page.locator(`${VIEW} .monaco-list-row`, { hasText: 'openvidu-demo' }).first().waitFor({ timeout: 60_000 });
    await waitComplete('Look at a cluster');
    assert.equal(await isComplete('Look at a cluster'), true);
  });
});
