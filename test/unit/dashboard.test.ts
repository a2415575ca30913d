import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuAxisMax, countAxisMax, hhmm, polylinePoints, stepPoints, xOf, yOf } from '../../src/openvidu/dashboard';
import { renderDashboardHtml, dashboardCsp } from '../../src/features/dashboard/html';

const box = { x0: 0, x1: 100, y0: 0, y1: 50 };

test('chart geometry maps time to x and values to y (SVG y grows downwards), clamped to the box', () => {
  assert.equal(xOf(50, 0, 100, box), 50);
  assert.equal(xOf(-10, 0, 100, box), 0);
  assert.equal(yOf(0, 100, box), 50);
  assert.equal(yOf(100, 100, box), 0);
  assert.equal(yOf(150, 100, box), 0);
  assert.equal(polylinePoints({ timestamps: [0, 100], values: [0, 50] }, 0, 100, 100, box), '0,50 100,25');
  assert.equal(stepPoints({ timestamps: [0, 50], values: [1, 2] }, 0, 100, 2, box), '0,25 50,25 50,0 100,0');
});

test('axes round up and include the target', () => {
  assert.equal(cpuAxisMax([10, 20]), 25);
  assert.equal(cpuAxisMax([10], 50), 50);
  assert.equal(cpuAxisMax([70]), 100);
  assert.equal(countAxisMax([2]), 5);
  assert.equal(countAxisMax([12]), 15);
  assert.equal(hhmm(Date.UTC(2026, 0, 1, 14, 5)), '14:05');
});

test('the dashboard page has a strict CSP: no eval, no inline script or style', () => {
  const csp = dashboardCsp('https://x.vscode-cdn.net', 'abcdefghijklmnop1234');
  assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
  assert.match(csp, /default-src 'none'/);
  const html = renderDashboardHtml({ cspSource: 'https://x', nonce: 'abcdefghijklmnop1234', scriptUri: 'https://x/d.js', styleUri: 'https://x/d.css', title: 'Dashboard: <b>' });
  assert.match(html, /<title>Dashboard: &lt;b&gt;<\/title>/);
  assert.throws(() => renderDashboardHtml({ cspSource: 'x', nonce: 'short', scriptUri: '', styleUri: '', title: '' }));
});
