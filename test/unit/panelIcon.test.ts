import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { panelIcon } from '../../src/features/shared/panelIcon';

const ROOT = join(__dirname, '../..');
/** relative luminance of #rrggbb (WCAG) */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

test('the panels\' tab icon is a light/dark pair, each readable on its theme\'s tab background', () => {
  const icon = panelIcon(vscode.Uri.file(ROOT));
  const stroke = (uri: vscode.Uri) => {
    assert.ok(existsSync(uri.fsPath), uri.fsPath);
    const svg = readFileSync(uri.fsPath, 'utf8');
    assert.doesNotMatch(svg, /currentColor/, 'an <img> draws currentColor black');
    return luminance(/stroke="(#[0-9a-fA-F]{6})"/.exec(svg)![1]);
  };
  // Dark Modern's tab background #181818, Light Modern's #f8f8f8: at least 4.5:1 each
  assert.ok(contrast(stroke(icon.dark), luminance('#181818')) >= 4.5, 'dark theme');
  assert.ok(contrast(stroke(icon.light), luminance('#f8f8f8')) >= 4.5, 'light theme');
});

test('the deploy and update panels use it (both through the one panel host, which sets it)', () => {
  assert.match(readFileSync(join(ROOT, 'src/features/shared/webviewPanelHost.ts'), 'utf8'), /panel\.iconPath = panelIcon\(/);
  for (const f of ['src/features/deploy/deployPanel.ts', 'src/features/lifecycle/updatePanel.ts']) {
    assert.match(readFileSync(join(ROOT, f), 'utf8'), /new WebviewPanelHost</, f);
  }
});
