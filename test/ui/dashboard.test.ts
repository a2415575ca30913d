/**
 * The cluster dashboard and the Rooms row in a real workbench against the emulator's demo cluster (which has
 * live rooms): the Rooms row expands to rooms and participants; "OpenVidu: Open Cluster Dashboard" renders the
 * CPU and node-count charts and, on request, the same numbers as tables, in a light and a dark theme.
 * Screenshots: artifacts/ui-dashboard-NN-*.png.
 */
import { describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { useWorkbench } from './helpers';

describe('Cluster dashboard and live rooms in the workbench', { concurrency: false }, () => {
  const wb = useWorkbench('dashboard');

  /** Switches between the preferred light and dark themes (Light Modern / Dark Modern), and checks the result. */
  async function toggleTheme(dark: boolean): Promise<void> {
    await wb.runCommand('Preferences: Toggle between Light/Dark Themes');
    await wb.page.waitForFunction((d) => !!document.querySelector(d ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs'), dark, { timeout: 15_000 });
    await wb.page.waitForTimeout(800);
  }

  wb.step('the Rooms row of the demo cluster expands to its rooms and a room to its participants', 'rooms-expanded', async () => {
    await wb.openView();
    await wb.expand('openvidu-demo');
    await wb.expand('Rooms');
    await wb.treeRow('daily-standup').waitFor({ timeout: 30_000 });
    await wb.treeRow('support-call-1842').waitFor();
    await wb.expand('daily-standup');
    for (const p of ['alice', 'bob', 'carol', 'dave']) await wb.treeRow(p).waitFor({ timeout: 15_000 });
    assert.doesNotMatch(await wb.treeRow('alice').innerText(), /joined\s+ago/, 'no empty age');
  });

  wb.step('opens the dashboard from the palette: CPU per node against the target, node count, rooms (dark theme)', 'dashboard-dark', async () => {
    await toggleTheme(true);
    await wb.runCommand('OpenVidu: Open Cluster Dashboard');
    await wb.pick(/dashboard of/i, 'openvidu-demo');
    const view = wb.webview();
    await view.locator('h2', { hasText: 'CPU per media node' }).waitFor({ timeout: 60_000 });
    await view.locator('svg.chart polyline.line').first().waitFor({ timeout: 30_000 });
    assert.ok((await view.locator('svg.chart polyline.line').count()) >= 2, 'a line per media node');
    // a horizontal line has no height, so Playwright calls it hidden: check it is drawn inside the chart instead
    const target = view.locator('svg.chart line.target');
    await target.waitFor({ state: 'attached' });
    const y = Number(await target.getAttribute('y1'));
    assert.ok(y >= 12 && y <= 194, `target line at y=${y}`);
    assert.match(await view.locator('svg.chart').first().getAttribute('aria-label') ?? '', /scaling target 50%/);
    await view.locator('td', { hasText: 'daily-standup' }).waitFor();
  });

  wb.step('the same numbers as tables, reachable by keyboard', 'dashboard-tables-dark', async () => {
    const view = wb.webview();
    const toggle = view.locator('button', { hasText: 'Show as Tables' });
    await toggle.focus();
    await wb.page.keyboard.press('Enter');
    await view.locator('caption', { hasText: /CPU per 5-minute period/ }).waitFor();
    assert.ok((await view.locator('table').first().locator('tbody tr').count()) >= 6, 'rows of CPU per period');
    await view.locator('button', { hasText: 'Show as Charts' }).click();
    await view.locator('svg.chart').first().waitFor();
  });

  wb.step('in a light theme the charts use the light theme colours', 'dashboard-light', async () => {
    await toggleTheme(false);
    const view = wb.webview();
    await view.locator('svg.chart polyline.line').first().waitFor();
    const bg = await view.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.match(bg, /rgb\((2[0-9]{2}), (2[0-9]{2}), (2[0-9]{2})\)/, `light background, got ${bg}`);
  });
});
