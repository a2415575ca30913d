import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, EXPLORER_VIEW, VIEW_CONTAINER } from '../../src/constants';
import { CONFIG_SCHEME } from '../../src/features/configuration/targets';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));

function sources(dir: string): string {
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .map((p) => (statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? readFileSync(p, 'utf8') : ''))
    .join('\n');
}

test('activation is lazy: only our views and commands (implicit activation events), no "*"', () => {
  // The explicit events: restoring the deploy wizard panel after a window reload (webview panels are not
  // contributions), and reopening an openvidu-config: tab after a reload (file system providers are not either).
  assert.deepEqual(manifest.activationEvents, ['onWebviewPanel:openviduHa.deployWizard', `onFileSystem:${CONFIG_SCHEME}`]);
  assert.equal(manifest.main, './dist/extension.js');
});

test('every contributed command is an openviduHa.* command in category OpenVidu, known to the code and registered', () => {
  const known = new Set<string>(Object.values(Commands));
  const src = sources(join(__dirname, '../../src'));
  for (const c of manifest.contributes.commands) {
    assert.match(c.command, /^openviduHa\./);
    assert.equal(c.category, 'OpenVidu', c.command);
    assert.ok(known.has(c.command), `${c.command} is not in src/constants.ts`);
    const key = Object.entries(Commands).find(([, v]) => v === c.command)?.[0];
    assert.ok(src.includes(`registerCommand(Commands.${key},`), `${c.command} is never registered`);
  }
});

test('every menu entry names a contributed command', () => {
  const ids = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
  for (const [menu, entries] of Object.entries(manifest.contributes.menus as Record<string, { command: string }[]>)) {
    for (const e of entries) assert.ok(ids.has(e.command), `${menu}: ${e.command}`);
  }
});

test('the view container, view, welcome content and settings are declared', () => {
  assert.equal(manifest.contributes.viewsContainers.activitybar[0].id, VIEW_CONTAINER);
  assert.equal(manifest.contributes.views[VIEW_CONTAINER][0].id, EXPLORER_VIEW);
  assert.ok(manifest.contributes.viewsWelcome.some((w: { view: string }) => w.view === EXPLORER_VIEW));
  const props = Object.keys(manifest.contributes.configuration.properties);
  for (const p of ['openviduHa.profile', 'openviduHa.regions', 'openviduHa.endpoint']) assert.ok(props.includes(p), p);
});

test('the deprecated webview UI toolkit is not a dependency', () => {
  const deps = { ...manifest.dependencies, ...manifest.devDependencies };
  assert.ok(!('@vscode/webview-ui-toolkit' in deps));
});

test('one prefix in the palette: the view container is titled like the command category', () => {
  // VS Code names the view's own commands after its container ("<container>: Focus on <view> View"), our
  // commands after their category ("OpenVidu: Check Service Status"): both must read the same.
  const container = manifest.contributes.viewsContainers.activitybar[0];
  assert.equal(container.title, 'OpenVidu');
  for (const c of manifest.contributes.commands) assert.equal(c.category, container.title, c.command);
  assert.match(manifest.contributes.views[VIEW_CONTAINER][0].name, /^HA /, 'the view says what it lists: HA clusters');
});

test('settings: under the extension title, in a reading order (VS Code sorts by `order`, else alphabetically)', () => {
  const conf = manifest.contributes.configuration;
  assert.equal(conf.title, 'OpenVidu HA');
  const props = Object.entries(conf.properties as Record<string, { order?: number }>);
  for (const [k, v] of props) assert.equal(typeof v.order, 'number', `${k} has no order`);
  const byOrder = props.sort((a, b) => a[1].order! - b[1].order!).map(([k]) => k);
  assert.deepEqual(byOrder.slice(0, 3), ['openviduHa.profile', 'openviduHa.regions', 'openviduHa.endpoint']);
});

test('the editor-title Stop button shows only on a tail that is still running', () => {
  const stop = manifest.contributes.menus['editor/title'].find((m: { command: string }) => m.command === 'openviduHa.stopTail');
  assert.match(stop.when, /resource in openviduHa\.runningTails/);
});
