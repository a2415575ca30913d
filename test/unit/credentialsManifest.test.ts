import { test } from 'node:test';
import { offeredCommands } from '../support/menus';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands } from '../../src/constants';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
const CREDENTIAL_COMMANDS = [Commands.copyLiveKitCredentials, Commands.copyOpenViduV2Credentials, Commands.copyAdminCredentials, Commands.writeCredentialsToConfig, Commands.checkCredentials];

test('credentials commands are contributed and on every stack row whose secret can exist, in group 3_credentials', () => {
  const contributed = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
  const menu = manifest.contributes.menus['view/item/context'] as { command: string; when: string; group: string }[];
  for (const id of CREDENTIAL_COMMANDS) {
    assert.ok(contributed.has(id), id);
    const entry = menu.find((m) => m.command === id && m.group.startsWith('3_credentials@'));
    assert.ok(entry, `${id} in the stack context menu`);
    for (const row of ['stack.complete', 'stack.complete.stopped', 'stack.failed', 'stack.rolledBack', 'stack.inProgress']) assert.ok(offeredCommands(row).has(id.replace(/^openviduHa\./, '')), `${id} on ${row}`);
    // a stack that failed before its secret was generated (treeNodes.ts secretNeverGenerated): nothing to copy
    for (const row of ['stack.failed.nosecret', 'stack.rolledBack.nosecret']) assert.ok(!offeredCommands(row).has(id.replace(/^openviduHa\./, '')), `${id} on ${row}`);
  }
});

test('LiveKit copy has an inline key icon on ready stacks; palette use is allowed', () => {
  const cmd = manifest.contributes.commands.find((c: { command: string }) => c.command === Commands.copyLiveKitCredentials);
  assert.equal(cmd.icon, '$(key)');
  const inline = manifest.contributes.menus['view/item/context'].find((m: { command: string; group: string }) => m.command === Commands.copyLiveKitCredentials && m.group.startsWith('inline'));
  assert.ok(inline);
  const hidden = (manifest.contributes.menus.commandPalette ?? []).filter((m: { command: string; when: string }) => CREDENTIAL_COMMANDS.includes(m.command as never) && m.when === 'false');
  assert.deepEqual(hidden, []);
});

test('clearClipboardAfterSeconds defaults to 0 (never)', () => {
  const p = manifest.contributes.configuration.properties['openviduHa.clearClipboardAfterSeconds'];
  assert.equal(p.type, 'number');
  assert.equal(p.default, 0);
  assert.equal(p.minimum, 0);
});
