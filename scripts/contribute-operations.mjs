#!/usr/bin/env node
// Adds the day-2 operations' commands (logs, live tail, CloudWatch logs, restarts, run command, SSM on masters),
// their menus and settings to package.json, idempotently. Others edit package.json too: edits are computed with
// jsonc-parser (every other byte stays as it is), the file is re-read right before writing (edits recomputed
// if it changed meanwhile), and the write is atomic (temp file + rename).
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { modify, applyEdits, parse } = require('jsonc-parser');
const file = join(new URL('..', import.meta.url).pathname, 'package.json');

const V = 'view == openviduHa.explorer && ';
const RUNNING_NODE = 'node\\.(master|media)\\.running';
const commands = [
  { command: 'openviduHa.showLogs', title: 'Show Logs…', category: 'OpenVidu', icon: '$(output)' },
  { command: 'openviduHa.followLogs', title: 'Follow Logs (Live Tail)…', category: 'OpenVidu', icon: '$(eye)' },
  { command: 'openviduHa.stopTail', title: 'Stop Live Tail', category: 'OpenVidu', icon: '$(debug-stop)' },
  { command: 'openviduHa.showCloudWatchLogs', title: 'Show CloudWatch Logs…', category: 'OpenVidu', icon: '$(cloud)' },
  { command: 'openviduHa.restartOpenVidu', title: 'Restart OpenVidu…', category: 'OpenVidu', icon: '$(debug-restart)' },
  { command: 'openviduHa.restartService', title: 'Restart Service…', category: 'OpenVidu', icon: '$(debug-restart)' },
  { command: 'openviduHa.runCommand', title: 'Run a Command on Nodes…', category: 'OpenVidu', icon: '$(terminal)' },
  { command: 'openviduHa.enableSsmOnMasters', title: 'Enable SSM on Master Nodes…', category: 'OpenVidu', icon: '$(plug)' },
];
const menus = {
  'view/item/context': [
    { command: 'openviduHa.showLogs', when: `${V}viewItem =~ /^service\\./`, group: 'inline@1' },
    { command: 'openviduHa.followLogs', when: `${V}viewItem =~ /^service\\./`, group: 'inline@2' },
    { command: 'openviduHa.showLogs', when: `${V}viewItem =~ /^(${RUNNING_NODE}|service\\.)/`, group: '0_operate@2' },
    { command: 'openviduHa.followLogs', when: `${V}viewItem =~ /^(${RUNNING_NODE}|service\\.|group\\.|stack\\.complete)/`, group: '0_operate@3' },
    { command: 'openviduHa.showCloudWatchLogs', when: `${V}viewItem =~ /^stack\\./`, group: '1_inspect@3' },
    { command: 'openviduHa.restartService', when: `${V}viewItem =~ /^(service\\.|${RUNNING_NODE}|group\\.)/`, group: '5_restart@1' },
    { command: 'openviduHa.restartOpenVidu', when: `${V}viewItem =~ /^(stack\\.complete|group\\.|${RUNNING_NODE})/`, group: '5_restart@2' },
    { command: 'openviduHa.runCommand', when: `${V}viewItem =~ /^(stack\\.complete|group\\.|${RUNNING_NODE})/`, group: '6_advanced@1' },
    { command: 'openviduHa.enableSsmOnMasters', when: `${V}viewItem =~ /^(stack\\.|group\\.masters|node\\.master\\.)/`, group: '6_advanced@2' },
  ],
  'editor/title': [{ command: 'openviduHa.stopTail', when: 'resourceScheme == openvidu-ha-tail', group: 'navigation' }],
};
const settings = {
  'openviduHa.logLines': {
    type: 'integer',
    default: 500,
    minimum: 1,
    maximum: 100000,
    markdownDescription: 'How many of the newest lines **Show Logs** reads from a node (output above SSM\'s 24,000-character limit is read in parts and joined).',
  },
  'openviduHa.tailIntervalSeconds': {
    type: 'number',
    default: 5,
    minimum: 1,
    maximum: 3600,
    markdownDescription: 'How often a live tail (**Follow Logs**) polls the nodes, in seconds. Each poll is one SSM command per 50 nodes.',
  },
  'openviduHa.tailMaxLines': {
    type: 'integer',
    default: 5000,
    minimum: 100,
    maximum: 100000,
    markdownDescription: 'Most lines a live tail document keeps; older lines are dropped.',
  },
};

function edits(text) {
  const fmt = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };
  let out = text;
  const json = () => parse(out);
  for (const c of commands) {
    if (!(json().contributes.commands ?? []).some((x) => x.command === c.command)) out = applyEdits(out, modify(out, ['contributes', 'commands', -1], c, fmt));
  }
  for (const [menu, entries] of Object.entries(menus)) {
    for (const m of entries) {
      const existing = json().contributes.menus?.[menu] ?? [];
      if (!existing.some((x) => x.command === m.command && x.group === m.group)) out = applyEdits(out, modify(out, ['contributes', 'menus', menu, -1], m, fmt));
    }
  }
  for (const [key, value] of Object.entries(settings)) {
    if (!json().contributes.configuration?.properties?.[key]) out = applyEdits(out, modify(out, ['contributes', 'configuration', 'properties', key], value, fmt));
  }
  return out;
}

for (let attempt = 1; ; attempt++) {
  const before = readFileSync(file, 'utf8');
  const after = edits(before);
  if (after === before) {
    console.log('package.json already has the operations contributions');
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
  console.log('package.json: operations commands, menus and settings added');
  break;
}
