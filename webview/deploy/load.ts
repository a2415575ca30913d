/**
 * Loading: the host's init (deploy or update mode, the stack last followed), the chosen version's template,
 * and the AWS facts the pickers show (read again when the region or VPC changes; a stale answer is dropped).
 */
import type { HostMessage } from '../../src/protocol/deployForm';
import { request } from './rpc';
import { app, persist, render, saved, st, view } from './state';
import { renderFormStatus } from './issues';
import { append, clear, h } from './dom';

export async function start(): Promise<void> {
  const r = await request({ type: 'ready' });
  if (r.type !== 'init') return showFatal(r);
  st.init = r.init;
  if (st.init.update) {
    st.update = st.init.update;
    if (saved?.v !== 1 || saved.update?.stackName !== st.update.stackName) {
      // A new update form starts from the stack's current values (NoEcho ones stay empty: kept unless retyped).
      st.draft.values = { ...st.update.values };
      st.updateVersion = '';
      st.touched.clear();
      st.step = 'form';
    }
    st.draft.stackName = st.update.stackName;
    st.draft.region = st.update.region;
    st.draft.version = st.updateVersion || st.update.currentVersion || 'latest';
  }
  if (!st.draft.region || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(st.draft.region)) st.draft.region = st.init.defaultRegion;
  // The host still knows the last stack it followed; show it unless the user already moved on to a new form.
  if (r.following && (st.step === 'progress' || !saved || r.following.outcome === 'inProgress')) {
    st.step = 'progress';
    st.following = { region: r.following.region, stackName: r.following.stackName };
    st.progress = r.following;
    st.events = r.events ?? [];
  } else if (st.step === 'progress' && st.following && !st.update) {
    // The window was reloaded while following a stack: follow it again.
    await request({ type: 'follow', region: st.following.region, stackName: st.following.stackName });
  } else if (st.step === 'progress') st.step = 'form';
  if (st.step === 'review') st.step = 'form';
  persist();
  render();
  await loadTemplate();
}

export async function loadTemplate(): Promise<void> {
  st.spec = undefined;
  render();
  const r = st.update ? await request({ type: 'loadUpdateTemplate', version: st.updateVersion }) : await request({ type: 'loadTemplate', version: st.draft.version, region: st.draft.region });
  if (r.type !== 'template') {
    st.banner = { kind: 'error', text: r.type === 'error' ? r.message : 'The template could not be loaded.' };
    render();
    return;
  }
  st.spec = r.spec;
  st.specSource = r.source;
  st.specNotice = r.notice;
  // Defaults for parameters not set yet; values of parameters this version lacks are dropped.
  const keys = new Set(st.spec.parameters.map((p) => p.key));
  for (const k of Object.keys(st.draft.values)) if (!keys.has(k)) delete st.draft.values[k];
  for (const p of st.spec.parameters) {
    if (p.noEcho) continue;
    if (st.draft.values[p.key] === undefined) st.draft.values[p.key] = p.type === 'List<AWS::EC2::Subnet::Id>' ? [] : p.default ?? '';
  }
  persist();
  render();
  await loadFacts();
}

export function vpcKey(): string | undefined {
  return st.spec?.parameters.find((p) => p.type === 'AWS::EC2::VPC::Id')?.key;
}
export function currentVpc(): string | undefined {
  const k = vpcKey();
  const v = k ? st.draft.values[k] : undefined;
  return typeof v === 'string' && v ? v : undefined;
}

let factsSeq = 0;
export async function loadFacts(): Promise<void> {
  const seq = ++factsSeq;
  st.factsLoading = true;
  app.dataset.facts = 'loading';
  renderFormStatus();
  const r = await request({ type: 'loadFacts', region: st.draft.region, vpcId: currentVpc(), version: st.draft.version });
  if (seq !== factsSeq) return;
  st.factsLoading = false;
  if (r.type === 'facts') {
    st.facts = r.facts;
    // Only the pickers change: replace those fields rather than the whole form (keeps focus and scroll).
    if (st.step === 'form' && st.spec && app.querySelector('[data-field]')) view.refreshFactFields();
    else render();
  } else {
    st.banner = { kind: 'error', text: r.type === 'error' ? r.message : 'AWS could not be read.' };
    render();
  }
  app.dataset.facts = 'ready';
}

export function showFatal(m: HostMessage): void {
  clear(app);
  append(app, h('p', { class: 'banner error', text: m.type === 'error' ? m.message : 'The deploy wizard could not start.' }));
}
