// Adds the deploy wizard's contributions to package.json (idempotent). Re-reads package.json right before
// writing, because other features edit it too: run `node scripts/contribute-deploy.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// An optional argument names another file (e.g. a copy of the committed package.json).
const FILE = process.argv[2] ? pathToFileURL(resolve(process.argv[2])) : new URL('../package.json', import.meta.url);
const COMMAND = 'openviduHa.deploy';
const VIEW = 'openviduHa.explorer';
const VIEW_TYPE = 'openviduHa.deployWizard';

function upsert(list, match, entry) {
  const i = list.findIndex(match);
  if (i >= 0) list[i] = { ...list[i], ...entry };
  else list.push(entry);
}

const pkg = JSON.parse(readFileSync(FILE, 'utf8'));
const c = (pkg.contributes ??= {});

upsert((c.commands ??= []), (x) => x.command === COMMAND, {
  command: COMMAND,
  title: 'Deploy High Availability Cluster…',
  category: 'OpenVidu',
  icon: '$(add)',
});

const menus = (c.menus ??= {});
upsert((menus['view/title'] ??= []), (x) => x.command === COMMAND, { command: COMMAND, when: `view == ${VIEW}`, group: 'navigation@1' });

upsert((c.viewsWelcome ??= []), (x) => x.view === VIEW && String(x.contents).includes(`command:${COMMAND}`), {
  view: VIEW,
  contents: `Deploy a new OpenVidu High Availability cluster on AWS with CloudFormation:\n[Deploy High Availability Cluster…](command:${COMMAND})`,
  when: 'openviduHa.credentialsState != missing',
});

const props = ((c.configuration ??= { title: 'OpenVidu HA', properties: {} }).properties ??= {});
props['openviduHa.templateBaseUrl'] = {
  type: 'string',
  default: 'https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha',
  pattern: '^https?://\\S+$',
  markdownDescription:
    'Where the OpenVidu HA CloudFormation templates are read from: `<base>/<latest|X.Y.Z>/aws/cf-openvidu-ha.yaml`. Change it only to use a mirror or the bundled emulator.',
};

// A restored deploy panel (after a window reload) needs the extension active.
const events = (pkg.activationEvents ??= []);
if (!events.includes(`onWebviewPanel:${VIEW_TYPE}`)) events.push(`onWebviewPanel:${VIEW_TYPE}`);

// Re-read right before writing: keep anything another feature wrote meanwhile, add only our entries.
const latest = JSON.parse(readFileSync(FILE, 'utf8'));
if (JSON.stringify(latest) !== JSON.stringify(JSON.parse(readFileSync(FILE, 'utf8')))) throw new Error('package.json changed while reading it: run again');
const lc = (latest.contributes ??= {});
lc.commands = mergeBy(lc.commands ?? [], c.commands, (x) => x.command === COMMAND);
lc.menus ??= {};
lc.menus['view/title'] = mergeBy(lc.menus['view/title'] ?? [], menus['view/title'], (x) => x.command === COMMAND);
lc.viewsWelcome = mergeBy(lc.viewsWelcome ?? [], c.viewsWelcome, (x) => x.view === VIEW && String(x.contents).includes(`command:${COMMAND}`));
lc.configuration ??= { title: 'OpenVidu HA', properties: {} };
lc.configuration.properties ??= {};
lc.configuration.properties['openviduHa.templateBaseUrl'] = props['openviduHa.templateBaseUrl'];
latest.activationEvents = [...new Set([...(latest.activationEvents ?? []), ...events])];
// Keep the file's style: non-ASCII characters as \u escapes.
writeFileSync(FILE, JSON.stringify(latest, null, 2).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n');
console.log('package.json: deploy wizard contributions in place');

function mergeBy(current, ours, isOurs) {
  const entry = ours.find(isOurs);
  const i = current.findIndex(isOurs);
  if (i >= 0) current[i] = entry;
  else current.push(entry);
  return current;
}
