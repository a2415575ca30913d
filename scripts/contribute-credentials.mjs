#!/usr/bin/env node
// Adds the credentials feature's commands, menus and setting to package.json, idempotently. Other people edit
// package.json too, so: edits are computed with jsonc-parser (every other byte stays as it is), the file is
// re-read right before writing and the edits recomputed if it changed meanwhile, and the write is atomic
// (temp file + rename).
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { modify, applyEdits, parse } = require('jsonc-parser');
const file = join(new URL('..', import.meta.url).pathname, 'package.json');

const STACK = 'view == openviduHa.explorer && viewItem =~ /^stack\\./';
const READY_STACK = 'view == openviduHa.explorer && viewItem =~ /^stack\\.complete/';

const commands = [
  { command: 'openviduHa.copyLiveKitCredentials', title: 'Copy LiveKit Credentials…', category: 'OpenVidu', icon: '$(key)' },
  { command: 'openviduHa.copyOpenViduV2Credentials', title: 'Copy OpenVidu v2 Credentials…', category: 'OpenVidu' },
  { command: 'openviduHa.copyAdminCredentials', title: 'Copy Admin Credentials (Dashboard, Grafana, Meet)…', category: 'OpenVidu' },
  { command: 'openviduHa.writeCredentialsToConfig', title: 'Write Credentials to a Config File…', category: 'OpenVidu', icon: '$(file-symlink-file)' },
  { command: 'openviduHa.checkCredentials', title: 'Check Credentials', category: 'OpenVidu', icon: '$(pass)' },
];
const contextMenu = [
  { command: 'openviduHa.copyLiveKitCredentials', when: READY_STACK, group: 'inline@5' },
  { command: 'openviduHa.copyLiveKitCredentials', when: STACK, group: '3_credentials@1' },
  { command: 'openviduHa.copyOpenViduV2Credentials', when: STACK, group: '3_credentials@2' },
  { command: 'openviduHa.copyAdminCredentials', when: STACK, group: '3_credentials@3' },
  { command: 'openviduHa.writeCredentialsToConfig', when: STACK, group: '3_credentials@4' },
  { command: 'openviduHa.checkCredentials', when: STACK, group: '3_credentials@5' },
];
const setting = {
  type: 'number',
  default: 0,
  minimum: 0,
  maximum: 86400,
  markdownDescription:
    'After copying a password, API key or secret of a cluster, clear the clipboard after this many seconds if it still holds that value. `0`: never clear.',
};

function edits(text) {
  const fmt = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };
  let out = text;
  const json = () => parse(out);
  for (const c of commands) {
    if (!(json().contributes.commands ?? []).some((x) => x.command === c.command)) out = applyEdits(out, modify(out, ['contributes', 'commands', -1], c, fmt));
  }
  for (const m of contextMenu) {
    const menu = json().contributes.menus?.['view/item/context'] ?? [];
    if (!menu.some((x) => x.command === m.command && x.group === m.group)) out = applyEdits(out, modify(out, ['contributes', 'menus', 'view/item/context', -1], m, fmt));
  }
  if (!json().contributes.configuration?.properties?.['openviduHa.clearClipboardAfterSeconds']) {
    out = applyEdits(out, modify(out, ['contributes', 'configuration', 'properties', 'openviduHa.clearClipboardAfterSeconds'], setting, fmt));
  }
  return out;
}

for (let attempt = 1; ; attempt++) {
  const before = readFileSync(file, 'utf8');
  const after = edits(before);
  if (after === before) {
    console.log('package.json already has the credentials contributions');
    break;
  }
  // Re-read right before writing: someone may have saved package.json while we computed.
  if (readFileSync(file, 'utf8') !== before) {
    if (attempt >= 5) throw new Error('package.json keeps changing; try again');
    continue;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, after);
  renameSync(tmp, file);
  console.log('package.json: credentials commands, menus and setting added');
  break;
}
