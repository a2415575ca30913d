/**
 * The deploy webview's rooms (issue 14; docs/architecture.md, "Webview"): no webview file over 400 lines, the
 * webview imports no feature and no SDK (only the vscode-free src/protocol and src/openvidu), src/protocol is
 * vscode-free, and the deploy feature reaches AWS only through src/aws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');

function tsFiles(dir: string): string[] {
  return (readdirSync(join(root, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`);
}

function imports(file: string): string[] {
  const src = readFileSync(join(root, file), 'utf8');
  return [...src.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
}

test('no file in webview/ is over 400 lines', () => {
  const files = tsFiles('webview');
  assert.ok(files.includes('webview/deploy/main.ts'), files.join(', '));
  const long = files.map((f) => ({ f, lines: readFileSync(join(root, f), 'utf8').split('\n').length })).filter((x) => x.lines > 400);
  assert.deepEqual(long, []);
});

test('webview/ imports no feature, no SDK and no vscode; src/protocol imports neither vscode nor features nor src/aws', () => {
  const bad: string[] = [];
  for (const f of tsFiles('webview')) {
    for (const i of imports(f)) if (/src\/features\/|^@aws-sdk\/|^vscode$|src\/aws\//.test(i)) bad.push(`${f} → ${i}`);
  }
  for (const f of tsFiles('src/protocol')) {
    for (const i of imports(f)) if (/\/features\/|^@aws-sdk\/|^vscode$|\/aws\//.test(i)) bad.push(`${f} → ${i}`);
  }
  assert.ok(tsFiles('src/protocol').length >= 2);
  assert.deepEqual(bad, []);
});

test('the deploy feature reaches AWS only through src/aws', () => {
  const bad = tsFiles('src/features/deploy').flatMap((f) => imports(f).filter((i) => /^@aws-sdk\//.test(i)).map((i) => `${f} → ${i}`));
  assert.deepEqual(bad, []);
});
