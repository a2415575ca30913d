/**
 * The deploy wizard's form, review and progress views (runs in the webview). It talks to the extension host
 * only through the messages of src/protocol/deployForm.ts, validates as the user types with the same
 * validation module the host runs before CreateStack, and keeps its draft in the webview state WITHOUT
 * NoEcho values (those live only in memory and in the messages that need them).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-form-group/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode/codicons/dist/codicon.css';
import './style.css';
import { STACK_NAME_FIELD, isValidStackName, validateDeployForm } from '../../src/openvidu/validation';
import type { Issue } from '../../src/openvidu/validation';
import { MAX_STACK_TAGS, TAGS_FIELD, validateStackTags } from '../../src/openvidu/stackTags';
import type { TemplateSpec } from '../../src/openvidu/spec';
import { formModel, stackNameHelp } from '../../src/protocol/deployFormModel';
import type { FieldModel, SectionModel } from '../../src/protocol/deployFormModel';
import { factsToContext, KEPT_SECRET, withoutSecrets } from '../../src/protocol/deployForm';
import type {
  AwsFacts,
  DeployDraft,
  DraftValue,
  EventRow,
  HostMessage,
  InitState,
  ProgressModel,
  ResourceChangeRow,
  ReviewModel,
  TemplateSource,
  UpdateInit,
  UpdateReview,
  WebviewMessage,
} from '../../src/protocol/deployForm';
import { append, clear, h, icon, type Child } from './dom';
import { formatIso, formatTime } from '../../src/openvidu/timeFormat';
import { fieldHelpText, issueText } from './fieldText';
import { displayText } from '../../src/openvidu/displayText';
import { parameterLabel } from '../../src/openvidu/spec';
import { downgradeWarning, needsDowngradeConfirmation, updateVersionOptions } from '../../src/openvidu/versionChoice';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type Step = 'form' | 'review' | 'progress';
interface PersistedState {
  v: 1;
  step: Step;
  draft: DeployDraft;
  touched: string[];
  following?: { region: string; stackName: string };
  /** update mode: the stack and the chosen version ('' = keep the current template) */
  update?: { stackName: string; version: string };
}

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

// ---------------------------------------------------------------------------------------------------------
// State

const saved = vscode.getState() as PersistedState | undefined;
let step: Step = saved?.v === 1 ? saved.step : 'form';
const draft: DeployDraft = saved?.v === 1 ? saved.draft : { stackName: '', region: '', version: 'latest', values: {}, preserveOnFailure: true };
let following = saved?.v === 1 ? saved.following : undefined;
/** NoEcho values: memory only. */
const secrets = new Map<string, string>();
const touched = new Set<string>(saved?.v === 1 ? saved.touched : []);
let init: InitState | undefined;
let spec: TemplateSpec | undefined;
let specSource: TemplateSource | undefined;
let specNotice: string | undefined;
let facts: AwsFacts | undefined;
let factsLoading = false;
let review: ReviewModel | undefined;
let serverIssues: Issue[] = [];
let pendingWarnings: Issue[] | undefined;
let banner: { kind: 'error' | 'info' | 'warning'; text: string } | undefined;
let progress: ProgressModel | undefined;
let events: EventRow[] = [];
let busy = false;
/** Update mode: the stack being updated (name and region fixed), the target version, the change set review. */
let update: UpdateInit | undefined;
let updateVersion = saved?.v === 1 ? saved.update?.version ?? '' : '';
let updateReview: UpdateReview | undefined;
/** Update mode: the user ticked "I mean to downgrade" for the chosen (older) version. */
let downgradeConfirmed = false;
const KEEP = 'keep';
const VERSION_FIELD = 'Version';

function noEchoKeys(): string[] {
  return spec ? spec.parameters.filter((p) => p.noEcho).map((p) => p.key) : [];
}

function persist(): void {
  const state: PersistedState = {
    v: 1,
    step,
    draft: withoutSecrets(draft, [...noEchoKeys(), ...(update?.noEcho ?? [])]),
    touched: [...touched],
    following,
    update: update ? { stackName: update.stackName, version: updateVersion } : undefined,
  };
  vscode.setState(state);
}

/** The draft with the secrets, for the messages that need them. */
function fullDraft(): DeployDraft {
  const values = { ...draft.values };
  for (const [k, v] of secrets) values[k] = v;
  return { ...draft, values };
}

// ---------------------------------------------------------------------------------------------------------
// Requests

let nextId = 0;
const pending = new Map<string, (m: HostMessage) => void>();
type Request = WebviewMessage extends infer M ? (M extends { requestId: string } ? Omit<M, 'requestId'> : never) : never;

function request(message: Request): Promise<HostMessage> {
  const requestId = `w${++nextId}`;
  return new Promise((resolve) => {
    pending.set(requestId, resolve);
    vscode.postMessage({ ...message, requestId });
  });
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as HostMessage;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  if (m.type === 'progress') {
    onProgress(m.progress, m.events);
    return;
  }
  const resolve = pending.get(m.requestId);
  if (resolve) {
    pending.delete(m.requestId);
    resolve(m);
  }
});

// ---------------------------------------------------------------------------------------------------------
// Loading

async function start(): Promise<void> {
  const r = await request({ type: 'ready' });
  if (r.type !== 'init') return showFatal(r);
  init = r.init;
  if (init.update) {
    update = init.update;
    if (saved?.v !== 1 || saved.update?.stackName !== update.stackName) {
      // A new update form starts from the stack's current values (NoEcho ones stay empty: kept unless retyped).
      draft.values = { ...update.values };
      updateVersion = '';
      touched.clear();
      step = 'form';
    }
    draft.stackName = update.stackName;
    draft.region = update.region;
    draft.version = updateVersion || update.currentVersion || 'latest';
  }
  if (!draft.region || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(draft.region)) draft.region = init.defaultRegion;
  // The host still knows the last stack it followed; show it unless the user already moved on to a new form.
  if (r.following && (step === 'progress' || !saved || r.following.outcome === 'inProgress')) {
    step = 'progress';
    following = { region: r.following.region, stackName: r.following.stackName };
    progress = r.following;
    events = r.events ?? [];
  } else if (step === 'progress' && following && !update) {
    // The window was reloaded while following a stack: follow it again.
    await request({ type: 'follow', region: following.region, stackName: following.stackName });
  } else if (step === 'progress') step = 'form';
  if (step === 'review') step = 'form';
  persist();
  render();
  await loadTemplate();
}

async function loadTemplate(): Promise<void> {
  spec = undefined;
  render();
  const r = update ? await request({ type: 'loadUpdateTemplate', version: updateVersion }) : await request({ type: 'loadTemplate', version: draft.version, region: draft.region });
  if (r.type !== 'template') {
    banner = { kind: 'error', text: r.type === 'error' ? r.message : 'The template could not be loaded.' };
    render();
    return;
  }
  spec = r.spec;
  specSource = r.source;
  specNotice = r.notice;
  // Defaults for parameters not set yet; values of parameters this version lacks are dropped.
  const keys = new Set(spec.parameters.map((p) => p.key));
  for (const k of Object.keys(draft.values)) if (!keys.has(k)) delete draft.values[k];
  for (const p of spec.parameters) {
    if (p.noEcho) continue;
    if (draft.values[p.key] === undefined) draft.values[p.key] = p.type === 'List<AWS::EC2::Subnet::Id>' ? [] : p.default ?? '';
  }
  persist();
  render();
  await loadFacts();
}

function vpcKey(): string | undefined {
  return spec?.parameters.find((p) => p.type === 'AWS::EC2::VPC::Id')?.key;
}
function currentVpc(): string | undefined {
  const k = vpcKey();
  const v = k ? draft.values[k] : undefined;
  return typeof v === 'string' && v ? v : undefined;
}

let factsSeq = 0;
async function loadFacts(): Promise<void> {
  const seq = ++factsSeq;
  factsLoading = true;
  app.dataset.facts = 'loading';
  renderFormStatus();
  const r = await request({ type: 'loadFacts', region: draft.region, vpcId: currentVpc(), version: draft.version });
  if (seq !== factsSeq) return;
  factsLoading = false;
  if (r.type === 'facts') {
    facts = r.facts;
    // Only the pickers change: replace those fields rather than the whole form (keeps focus and scroll).
    if (step === 'form' && spec && app.querySelector('[data-field]')) refreshFactFields();
    else render();
  } else {
    banner = { kind: 'error', text: r.type === 'error' ? r.message : 'AWS could not be read.' };
    render();
  }
  app.dataset.facts = 'ready';
}

const FACT_WIDGETS = new Set(['vpc', 'subnets', 'keyPair', 'certificate', 'instanceType']);

function refreshFactFields(): void {
  if (!spec) return;
  for (const f of formModel(spec, facts, formValues()).flatMap((s) => s.fields)) {
    if (!FACT_WIDGETS.has(f.widget)) continue;
    app.querySelector<HTMLElement>(`[data-field="${CSS.escape(f.key)}"]`)?.replaceWith(renderField(f));
  }
  renderFormStatus();
  updateIssues();
}

function showFatal(m: HostMessage): void {
  clear(app);
  append(app, h('p', { class: 'banner error', text: m.type === 'error' ? m.message : 'The deploy wizard could not start.' }));
}

// ---------------------------------------------------------------------------------------------------------
// Validation

function formValues(): Record<string, DraftValue> {
  const values: Record<string, DraftValue> = { ...fullDraft().values, [STACK_NAME_FIELD]: draft.stackName };
  // Update mode: an empty NoEcho field keeps the stack's current value.
  for (const k of update?.noEcho ?? []) if (!secrets.get(k)) values[k] = KEPT_SECRET;
  return values;
}

function currentIssues(): Issue[] {
  if (!spec) return [];
  const local = validateDeployForm(spec, formValues(), facts ? factsToContext(facts) : { region: draft.region }).filter((i) => !update || i.field !== STACK_NAME_FIELD);
  if (!update) local.push(...validateStackTags(draft.tags ?? []));
  if (update && needsDowngradeConfirmation(updateVersion, update.currentVersion) && !downgradeConfirmed) {
    local.push({ field: VERSION_FIELD, severity: 'error', message: `Tick the confirmation to downgrade to ${updateVersion}, or choose the current or a newer version.` });
  }
  // Issues from the host's last check that the local check cannot see (AWS problems) stay until the next check.
  const localKeys = new Set(local.map((i) => `${i.field}|${i.message}`));
  return [...local, ...serverIssues.filter((i) => !localKeys.has(`${i.field}|${i.message}`) && !spec!.parameters.some((p) => p.key === i.field) && i.field !== STACK_NAME_FIELD && i.field !== TAGS_FIELD)];
}

/** Field labels by parameter key (as the form shows them), for issue messages. */
function fieldLabels(): Map<string, string> {
  const labels = new Map<string, string>([[STACK_NAME_FIELD, 'Stack name']]);
  for (const p of spec?.parameters ?? []) labels.set(p.key, displayText(parameterLabel(p)));
  return labels;
}

function issueLine(i: Issue, ownKey?: string): HTMLElement {
  return h('div', { class: `issue ${i.severity}` }, icon(i.severity === 'error' ? 'error' : 'warning'), ' ', issueText(i.message, fieldLabels(), ownKey));
}

function updateIssues(showAll = false): Issue[] {
  const issues = currentIssues();
  if (showAll) for (const i of issues) touched.add(i.field);
  const byField = new Map<string, Issue[]>();
  for (const i of issues) byField.set(i.field, [...(byField.get(i.field) ?? []), i]);
  for (const slot of Array.from(app.querySelectorAll<HTMLElement>('[data-issues-for]'))) {
    const key = slot.dataset.issuesFor!;
    const list = touched.has(key) ? byField.get(key) ?? [] : [];
    clear(slot);
    for (const i of list) append(slot, issueLine(i, key));
    const control = app.querySelector<HTMLElement>(`[data-control-for="${CSS.escape(key)}"]`);
    if (control) (control as unknown as { invalid: boolean }).invalid = list.some((i) => i.severity === 'error');
  }
  const general = app.querySelector<HTMLElement>('#general-issues');
  if (general) {
    clear(general);
    const known = new Set([STACK_NAME_FIELD, TAGS_FIELD, ...(spec?.parameters.map((p) => p.key) ?? [])]);
    for (const i of issues.filter((x) => !known.has(x.field) && !(update && x.field === VERSION_FIELD))) append(general, issueLine(i));
  }
  const summary = app.querySelector<HTMLElement>('#issue-summary');
  if (summary) {
    const errors = issues.filter((i) => i.severity === 'error').length;
    const warnings = issues.length - errors;
    summary.textContent = errors || warnings ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}` : 'No problems found';
    summary.className = errors ? 'summary error' : warnings ? 'summary warning' : 'summary ok';
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------------------
// Rendering

function render(): void {
  clear(app);
  if (banner) append(app, h('div', { class: `banner ${banner.kind}`, attrs: { role: banner.kind === 'error' ? 'alert' : 'status' } }, banner.text));
  if (step === 'progress') return renderProgress();
  if (step === 'review' && updateReview) return renderUpdateReview(updateReview);
  if (step === 'review' && review) return renderReview(review);
  renderForm();
}

function field(label: string, key: string, control: HTMLElement, help?: string, required = false, ...extra: Child[]): HTMLElement {
  control.dataset.controlFor = key;
  control.id = `f-${key}`;
  return h(
    'vscode-form-group',
    { class: 'field', attrs: { variant: 'vertical' } },
    h('vscode-label', { attrs: { for: `f-${key}`, required } }, label),
    control,
    help ? h('vscode-form-helper', {}, h('p', { text: help })) : null,
    ...extra,
    h('div', { class: 'issues', attrs: { 'data-issues-for': key, 'aria-live': 'polite' } }),
  );
}

function onValue(key: string, value: DraftValue, options: { rerenderDependents?: boolean } = {}): void {
  const p = spec?.parameters.find((x) => x.key === key);
  if (p?.noEcho) secrets.set(key, String(value));
  else draft.values[key] = value;
  touched.add(key);
  persist();
  if (options.rerenderDependents) refreshDependents(key);
  updateIssues();
}

function textControl(f: FieldModel): HTMLElement {
  const value = f.noEcho ? secrets.get(f.key) ?? '' : String(draft.values[f.key] ?? '');
  const el = h('vscode-textfield', {
    attrs: {
      type: f.noEcho ? 'password' : f.widget === 'number' ? 'number' : 'text',
      placeholder:
        f.noEcho && update?.noEcho.includes(f.key)
          ? 'keep the current value'
          : f.default !== undefined && f.default !== ''
            ? `default: ${f.noEcho ? '(hidden)' : f.default}`
            : f.required
              ? 'required'
              : 'optional',
      min: f.min !== undefined ? String(f.min) : undefined,
      max: f.max !== undefined ? String(f.max) : undefined,
      autocomplete: 'off',
      spellcheck: 'false',
    },
    props: { value },
  });
  el.addEventListener('input', () => onValue(f.key, (el as unknown as { value: string }).value, { rerenderDependents: /DomainName$/.test(f.key) }));
  return el;
}

function selectControl(f: FieldModel): HTMLElement {
  const current = String(draft.values[f.key] ?? '');
  const combobox = f.widget === 'instanceType' || (f.options?.length ?? 0) > 12;
  const el = h('vscode-single-select', { attrs: { combobox, filter: combobox ? 'contains' : undefined, position: 'below' } });
  const opts = f.options ?? [];
  if (!opts.some((o) => o.value === current)) append(el, h('vscode-option', { attrs: { value: current, selected: true } }, current ? `${current} (not found)` : f.required ? 'Choose…' : '(none)'));
  for (const o of opts) {
    append(el, h('vscode-option', { attrs: { value: o.value, description: o.description, selected: o.value === current } }, o.warning ? `⚠ ${o.label}` : o.label));
  }
  el.addEventListener('change', () => {
    const v = (el as unknown as { value: string }).value;
    onValue(f.key, v, { rerenderDependents: true });
    if (f.widget === 'vpc') {
      // Subnets belong to a VPC: clear them and read the new VPC's subnets.
      for (const p of spec?.parameters ?? []) if (p.type === 'List<AWS::EC2::Subnet::Id>') draft.values[p.key] = [];
      persist();
      void loadFacts();
    }
  });
  return el;
}

function multiControl(f: FieldModel): HTMLElement {
  const current = new Set(Array.isArray(draft.values[f.key]) ? (draft.values[f.key] as string[]) : String(draft.values[f.key] ?? '').split(',').filter(Boolean));
  const el = h('vscode-multi-select', { attrs: { position: 'below' } });
  const opts = f.options ?? [];
  for (const id of current) if (!opts.some((o) => o.value === id)) append(el, h('vscode-option', { attrs: { value: id, selected: true } }, `${id} (not in this VPC)`));
  for (const o of opts) append(el, h('vscode-option', { attrs: { value: o.value, description: o.description, selected: current.has(o.value) } }, o.warning ? `⚠ ${o.label}` : o.label));
  el.addEventListener('change', () => {
    onValue(f.key, [...(el as unknown as { value: string[] }).value], { rerenderDependents: true });
    app.querySelector(`[data-selected-for="${CSS.escape(f.key)}"]`)?.replaceWith(selectedSubnets(f));
  });
  return el;
}

function controlFor(f: FieldModel): HTMLElement {
  if (f.multiple) return f.options ? multiControl(f) : textControl(f);
  if (f.options && (f.widget !== 'certificate' || f.options.length)) return selectControl(f);
  return textControl(f);
}

function fieldHelp(f: FieldModel): string | undefined {
  const domain = spec?.parameters.find((p) => p.key === 'DomainName');
  return fieldHelpText(f, {
    keptSecret: !!(f.noEcho && update?.noEcho.includes(f.key)),
    newInVersion: !!(update && !(f.key in update.values)),
    factsLoading,
    domainLabel: domain ? displayText(parameterLabel(domain)) : undefined,
  });
}

/** Under a subnet multi-select: which subnets are chosen (its face only shows a count). */
function selectedSubnets(f: FieldModel): HTMLElement {
  const el = h('div', { class: 'selected muted', attrs: { 'data-selected-for': f.key } });
  const ids = Array.isArray(draft.values[f.key]) ? (draft.values[f.key] as string[]) : [];
  const labels = new Map((f.options ?? []).map((o) => [o.value, o.label]));
  if (ids.length) append(el, `Selected: ${ids.map((id) => labels.get(id) ?? id).join('; ')}`);
  return el;
}

function renderField(f: FieldModel): HTMLElement {
  const wrapper = field(
    f.label,
    f.key,
    controlFor(f),
    fieldHelp(f),
    f.required,
    f.multiple && f.options ? selectedSubnets(f) : null,
  );
  wrapper.dataset.field = f.key;
  return wrapper;
}

/** Re-render the fields whose options depend on `key` (instance types on subnets, certificates on the domain). */
function refreshDependents(key: string): void {
  if (!spec) return;
  const sections = formModel(spec, facts, formValues());
  const fields = sections.flatMap((s) => s.fields);
  const dependents = fields.filter((f) => (f.widget === 'instanceType' && /Subnets$/.test(key)) || (f.widget === 'certificate' && /DomainName$/.test(key)));
  for (const f of dependents) {
    const old = app.querySelector<HTMLElement>(`[data-field="${CSS.escape(f.key)}"]`);
    if (old && !old.contains(document.activeElement)) old.replaceWith(renderField(f));
  }
}

function renderFormStatus(): void {
  const el = app.querySelector<HTMLElement>('#facts-status');
  if (el) el.textContent = factsLoading ? `Reading ${draft.region}…` : facts?.problems.length ? facts.problems.join(' ') : '';
}

function renderForm(): void {
  if (update) return renderUpdateForm(update);
  const header = h(
    'header',
    { class: 'toolbar' },
    h('h1', {}, 'Deploy OpenVidu High Availability'),
    h('div', { class: 'spacer' }),
    h('vscode-button', { attrs: { secondary: true, icon: 'cloud-upload' }, on: { click: () => void importParameters() } }, 'Import parameters…'),
    h('vscode-button', { attrs: { secondary: true, icon: 'cloud-download', disabled: !spec }, on: { click: () => void exportParameters() } }, 'Export parameters…'),
  );
  append(app, header);

  // Stack name, region and version first.
  const nameEl = h('vscode-textfield', { attrs: { placeholder: 'e.g. openvidu-ha', autocomplete: 'off', spellcheck: 'false' }, props: { value: draft.stackName } });
  nameEl.addEventListener('input', () => {
    draft.stackName = (nameEl as unknown as { value: string }).value;
    touched.add(STACK_NAME_FIELD);
    persist();
    updateIssues();
  });
  const regionEl = h('vscode-single-select', { attrs: { combobox: true, filter: 'contains' } });
  const regions = [...new Set([...(init?.regions ?? []), draft.region].filter(Boolean))];
  for (const r of regions) append(regionEl, h('vscode-option', { attrs: { value: r, selected: r === draft.region } }, r));
  regionEl.addEventListener('change', () => {
    const r = (regionEl as unknown as { value: string }).value;
    if (!r || r === draft.region) return;
    draft.region = r;
    // VPCs, subnets and certificates are regional.
    for (const p of spec?.parameters ?? []) {
      if (p.type === 'AWS::EC2::VPC::Id' || /CertificateARN$/i.test(p.key)) draft.values[p.key] = '';
      if (p.type === 'List<AWS::EC2::Subnet::Id>') draft.values[p.key] = [];
    }
    facts = undefined;
    persist();
    render();
    void loadFacts();
  });
  const versionEl = h('vscode-single-select', {});
  for (const v of init?.versions ?? ['latest']) append(versionEl, h('vscode-option', { attrs: { value: v, selected: v === draft.version } }, v === 'latest' ? 'latest' : v));
  versionEl.addEventListener('change', () => {
    const v = (versionEl as unknown as { value: string }).value;
    if (!v || v === draft.version) return;
    draft.version = v;
    persist();
    void loadTemplate();
  });
  const basics = h(
    'section',
    { class: 'section' },
    h('h2', {}, 'Stack'),
    field('Stack name', STACK_NAME_FIELD, nameEl, spec ? stackNameHelp(spec, draft.region) : undefined, true),
    h('div', { class: 'row' }, field('Region', 'Region', regionEl, 'Where the stack and all its resources are created.', true), field('Template version', 'Version', versionEl, init ? `From ${init.templateBaseUrl}` : undefined, true)),
    h('div', { id: 'facts-status', class: 'muted', attrs: { 'aria-live': 'polite' } }),
  );
  append(app, basics);

  if (!spec) {
    append(app, h('p', { class: 'muted' }, icon('loading', 'codicon-modifier-spin'), ` Loading template ${draft.version}…`));
    return;
  }
  if (specNotice) append(app, h('div', { class: `banner ${specSource === 'bundled' ? 'warning' : 'info'}`, attrs: { role: 'status' } }, specNotice));
  append(app, h('div', { id: 'general-issues' }));

  const sections: SectionModel[] = formModel(spec, facts, formValues());
  for (const s of sections) {
    append(app, h('section', { class: 'section' }, h('h2', { text: s.label }), ...s.fields.map(renderField)));
  }
  append(app, renderTagsSection());

  const footer = h(
    'footer',
    { class: 'toolbar sticky' },
    h('span', { id: 'issue-summary', class: 'summary' }),
    h('div', { class: 'spacer' }),
    h('vscode-button', { attrs: { icon: 'checklist', disabled: busy }, on: { click: () => void toReview() } }, 'Review…'),
  );
  append(app, footer);
  renderFormStatus();
  updateIssues();
}

/** The user's own stack tags (cost allocation): key/value rows, checked by validateStackTags as CloudFormation would. */
function renderTagsSection(): HTMLElement {
  const tags = (draft.tags ??= []);
  const rows = h('div', { id: 'tag-rows' });
  const changed = () => {
    touched.add(TAGS_FIELD);
    persist();
    updateIssues();
  };
  tags.forEach((t, i) => {
    const keyEl = h('vscode-textfield', { attrs: { placeholder: 'key, e.g. CostCenter', 'aria-label': `Tag ${i + 1} key`, spellcheck: 'false' }, props: { value: t.key } });
    keyEl.addEventListener('input', () => {
      t.key = (keyEl as unknown as { value: string }).value;
      changed();
    });
    const valueEl = h('vscode-textfield', { attrs: { placeholder: 'value', 'aria-label': `Tag ${i + 1} value`, spellcheck: 'false' }, props: { value: t.value } });
    valueEl.addEventListener('input', () => {
      t.value = (valueEl as unknown as { value: string }).value;
      changed();
    });
    const remove = h('vscode-button', { attrs: { secondary: true, icon: 'trash', 'aria-label': `Remove tag ${i + 1}` }, on: { click: () => {
      tags.splice(i, 1);
      changed();
      render();
    } } });
    append(rows, h('div', { class: 'row tag-row' }, keyEl, valueEl, remove));
  });
  const add = h('vscode-button', { attrs: { secondary: true, icon: 'add', disabled: tags.length >= MAX_STACK_TAGS - 1 }, on: { click: () => {
    tags.push({ key: '', value: '' });
    persist();
    render();
  } } }, 'Add tag');
  const control = h('div', {}, rows, add);
  return h(
    'section',
    { class: 'section' },
    h('h2', {}, 'Tags'),
    field('Stack tags', TAGS_FIELD, control, `Optional, e.g. for cost allocation: CloudFormation copies stack tags to the resources it creates. Key 1–128 characters (not starting with "aws:"), value 1–256 characters, at most ${MAX_STACK_TAGS - 1} tags. The template version is added as a tag.`),
  );
}

async function toReview(): Promise<void> {
  if (!spec || busy) return;
  touched.add(STACK_NAME_FIELD);
  const issues = updateIssues(true);
  if (issues.some((i) => i.severity === 'error')) {
    focusFirstIssue(issues);
    return;
  }
  busy = true;
  const r = await request({ type: 'review', draft: fullDraft() });
  busy = false;
  if (r.type === 'reviewResult') {
    serverIssues = r.issues;
    if (!r.review) {
      banner = { kind: 'error', text: 'Fix the errors shown on the fields.' };
      render();
      updateIssues(true);
      focusFirstIssue(r.issues);
      return;
    }
    review = r.review;
    pendingWarnings = undefined;
    banner = undefined;
    step = 'review';
    persist();
    render();
    toTop();
  } else if (r.type === 'error') {
    banner = { kind: 'error', text: r.message };
    render();
  }
}

/** A new page (review, progress) starts at its top, not where the previous one was scrolled to. */
function toTop(): void {
  window.scrollTo(0, 0);
}

function focusFirstIssue(issues: Issue[]): void {
  const first = issues.find((i) => i.severity === 'error');
  if (!first) return;
  const el = app.querySelector<HTMLElement>(`[data-control-for="${CSS.escape(first.field)}"]`);
  el?.scrollIntoView({ block: 'center' });
  el?.focus();
}

function renderReview(r: ReviewModel): void {
  append(app, h('header', { class: 'toolbar' }, h('h1', {}, `Review: ${r.stackName} in ${r.region}`)));
  // Warnings lead the review: "Deploy anyway" (in the sticky footer) refers to them.
  const warnings = pendingWarnings ?? serverIssues.filter((i) => i.severity === 'warning');
  if (warnings.length) {
    append(app, h('section', { class: 'section', attrs: { id: 'review-warnings' } }, h('h2', {}, 'Warnings'), ...warnings.map((i) => issueLine(i))));
  }
  const summary = h(
    'dl',
    { class: 'facts' },
    h('dt', {}, 'Template'),
    h('dd', {}, `${r.version} — ${r.templateUrl}`),
    h('dt', {}, 'Capabilities'),
    h('dd', {}, `${r.capabilities.join(', ')} (the template creates named IAM roles)`),
  );
  append(app, h('section', { class: 'section' }, summary));

  const groups = [...new Set(r.rows.map((x) => x.group))];
  const table = h('table', { class: 'review' });
  for (const g of groups) {
    append(table, h('tr', {}, h('th', { attrs: { colspan: '2' }, text: g || 'Other parameters' })));
    for (const row of r.rows.filter((x) => x.group === g)) {
      append(
        table,
        h(
          'tr',
          {},
          h('td', { class: 'key' }, row.label, h('div', { class: 'muted', text: row.key })),
          h('td', { class: row.masked ? 'masked' : '' }, row.value === '' ? h('span', { class: 'muted', text: '(empty)' }) : row.value, row.usesDefault ? h('span', { class: 'muted', text: ' (default)' }) : null),
        ),
      );
    }
  }
  append(app, h('section', { class: 'section' }, h('h2', {}, 'Parameters'), table));

  const tagTable = h('table', { class: 'review', attrs: { id: 'review-tags' } });
  for (const t of r.tags) append(tagTable, h('tr', {}, h('td', { class: 'key', text: t.key }), h('td', { text: t.value })));
  append(app, h('section', { class: 'section' }, h('h2', {}, `Tags (${r.tags.length})`), tagTable));

  const byType = new Map<string, string[]>();
  for (const res of r.resources) byType.set(res.type, [...(byType.get(res.type) ?? []), res.logicalId]);
  const resList = h('ul', { class: 'resources' });
  for (const [type, ids] of [...byType].sort()) append(resList, h('li', {}, h('code', { text: type }), ` × ${ids.length}: ${ids.join(', ')}`));
  append(app, h('section', { class: 'section' }, h('h2', {}, `Resources that will be created (${r.resources.length})`), resList));

  const preserve = h('vscode-checkbox', { attrs: { label: 'Preserve successfully provisioned resources if creation fails (recommended: lets you troubleshoot)' }, props: { checked: draft.preserveOnFailure } });
  preserve.addEventListener('change', () => {
    draft.preserveOnFailure = (preserve as unknown as { checked: boolean }).checked;
    persist();
    const note = app.querySelector('#onfailure-note');
    if (note) note.textContent = draft.preserveOnFailure ? 'OnFailure: DO_NOTHING — a failed stack keeps its resources; delete it yourself when done.' : 'OnFailure: ROLLBACK — a failed stack deletes what it created.';
  });
  append(
    app,
    h(
      'section',
      { class: 'section' },
      h('h2', {}, 'On failure'),
      preserve,
      h('p', { id: 'onfailure-note', class: 'muted', text: draft.preserveOnFailure ? 'OnFailure: DO_NOTHING — a failed stack keeps its resources; delete it yourself when done.' : 'OnFailure: ROLLBACK — a failed stack deletes what it created.' }),
    ),
  );

  const create = h('vscode-button', { attrs: { icon: 'rocket', disabled: busy }, on: { click: () => void createStack(!!pendingWarnings) } }, pendingWarnings ? 'Deploy anyway' : 'Create stack');
  append(
    app,
    h(
      'footer',
      { class: 'toolbar sticky' },
      h('vscode-button', { attrs: { secondary: true, icon: 'arrow-left' }, on: { click: () => backToForm() } }, 'Back'),
      h('vscode-button', { attrs: { secondary: true, icon: 'cloud-download' }, on: { click: () => void exportParameters() } }, 'Export parameters…'),
      h('div', { class: 'spacer' }),
      create,
    ),
  );
}

function backToForm(): void {
  step = 'form';
  review = undefined;
  pendingWarnings = undefined;
  banner = undefined;
  persist();
  render();
  if (!facts) void loadFacts();
}

async function createStack(acceptWarnings: boolean): Promise<void> {
  if (busy) return;
  busy = true;
  render();
  const r = await request({ type: 'create', draft: fullDraft(), acceptWarnings });
  busy = false;
  if (r.type !== 'createResult') {
    banner = { kind: 'error', text: r.type === 'error' ? r.message : 'Unexpected reply.' };
    render();
    return;
  }
  serverIssues = r.issues;
  if (r.ok) {
    banner = undefined;
    step = 'progress';
    following = { region: draft.region, stackName: draft.stackName.trim() };
    progress = { stackName: following.stackName, region: following.region, stackId: r.stackId, status: 'CREATE_IN_PROGRESS', outcome: 'inProgress', done: 0, total: 0 };
    events = [];
    persist();
    render();
    return;
  }
  if (r.blocked === 'warnings') {
    pendingWarnings = r.issues.filter((i) => i.severity === 'warning');
    banner = { kind: 'warning', text: r.message ?? 'Review the warnings.' };
    render();
    // The banner and the warnings "Deploy anyway" refers to, in view.
    toTop();
    app.querySelector('#review-warnings')?.scrollIntoView({ block: 'nearest' });
    return;
  }
  // Errors (or CloudFormation refused): back to the form with the errors on the fields.
  banner = { kind: 'error', text: r.message ?? 'Nothing was created.' };
  step = 'form';
  persist();
  render();
  updateIssues(true);
  focusFirstIssue(r.issues);
}

// ---------------------------------------------------------------------------------------------------------
// Progress

function onProgress(p: ProgressModel, newEvents: EventRow[]): void {
  progress = p;
  const seen = new Set(events.map((e) => e.id));
  const fresh = newEvents.filter((e) => !seen.has(e.id));
  events.push(...fresh);
  if (step !== 'progress') return;
  const table = app.querySelector<HTMLTableSectionElement>('#events tbody');
  if (table && app.querySelector('#progress-head') && p.outcome === 'inProgress') {
    for (const e of fresh) table.prepend(eventRow(e));
    const head = app.querySelector('#events-head');
    if (head) head.textContent = `Events (${events.length})`;
    updateProgressHead();
  } else render();
}

function eventRow(e: EventRow): HTMLElement {
  const cls = /FAILED$/.test(e.status) ? 'failed' : /COMPLETE$/.test(e.status) ? (/ROLLBACK|DELETE/.test(e.status) ? 'rollback' : 'complete') : 'progress';
  return h(
    'tr',
    { class: cls },
    h('td', { class: 'time', text: formatTime(e.at).slice(11), attrs: { title: formatIso(e.at) } }),
    h('td', { text: e.logicalId }),
    h('td', { class: 'muted', text: e.type }),
    h('td', { class: 'status', text: e.status, attrs: { title: e.status } }),
    h('td', { text: e.reason ?? '' }),
  );
}

function updateProgressHead(): void {
  const head = app.querySelector<HTMLElement>('#progress-head');
  if (!head || !progress) return;
  const bar = app.querySelector<HTMLElement>('#progress-bar') as (HTMLElement & { value?: number; max: number }) | null;
  if (bar) {
    bar.max = Math.max(progress.total, 1);
    bar.value = progress.done;
  }
  head.textContent = `${progress.status} — ${progress.done} of ${progress.total || '?'} resources ${progress.action === 'update' ? 'updated' : 'created'}`;
}

function renderProgress(): void {
  const p = progress;
  const name = p?.stackName ?? following?.stackName ?? '';
  append(app, h('header', { class: 'toolbar' }, h('h1', {}, `${name} in ${p?.region ?? following?.region ?? ''}`)));
  if (!p) {
    append(app, h('p', { class: 'muted' }, icon('loading', 'codicon-modifier-spin'), ' Reading the stack…'));
    return;
  }
  if (p.outcome === 'inProgress') {
    append(
      app,
      h('section', { class: 'section' }, h('p', { id: 'progress-head', class: 'progress-head' }), h('vscode-progress-bar', { id: 'progress-bar', attrs: { 'aria-label': 'Resources created' }, props: { max: Math.max(p.total, 1), value: p.done } })),
    );
  } else if (p.outcome === 'complete') {
    if (p.action === 'update') renderUpdateComplete(p);
    else renderComplete(p);
  } else renderFailure(p);

  const tbody = h('tbody');
  for (const e of [...events].reverse()) append(tbody, eventRow(e));
  append(
    app,
    h(
      'section',
      { class: 'section' },
      h('h2', { id: 'events-head', text: `Events (${events.length})` }),
      h('table', { id: 'events', class: 'events' }, h('thead', {}, h('tr', {}, ...['Time', 'Resource', 'Type', 'Status', 'Reason'].map((t) => h('th', { text: t })))), tbody),
    ),
  );
  if (p.outcome !== 'inProgress' && !(p.action === 'update' && p.outcome === 'complete')) {
    append(app, h('footer', { class: 'toolbar' }, h('vscode-button', { attrs: { secondary: true, icon: 'add' }, on: { click: () => newDeployment() } }, p.outcome === 'failed' ? 'Back to the form' : 'New deployment')));
  }
  updateProgressHead();
}

function renderComplete(p: ProgressModel): void {
  const c = p.completion;
  const dns = c?.loadBalancerDns;
  const steps = h('ol', { class: 'steps' });
  append(
    steps,
    h(
      'li',
      {},
      `Point ${c?.domainName ?? 'your domain'} at the load balancer (a CNAME, or an alias record in Route 53): `,
      dns ? h('code', { text: dns }) : h('span', { class: 'muted', text: 'the stack has no LoadBalancerDNS output; find the load balancer in the EC2 console' }),
      ' ',
      dns ? h('vscode-button', { attrs: { secondary: true, icon: 'copy' }, on: { click: () => void request({ type: 'copyLoadBalancerDns' }) } }, 'Copy') : null,
    ),
    h('li', {}, 'Wait until the masters have generated the secrets (ALL_SECRETS_GENERATED = true in the stack secret): the explorer shows the cluster as ready then.'),
    h('li', {}, 'Wait until the load balancer targets are healthy (HTTP :7880/health/caddy on the masters): CREATE_COMPLETE is signalled before OpenVidu finishes installing.'),
  );
  append(
    app,
    h(
      'section',
      { class: 'section' },
      h('div', { class: 'banner ok', attrs: { role: 'status' } }, icon('pass'), ` ${p.stackName} is CREATE_COMPLETE (${p.done} resources). What remains before it is usable:`),
      steps,
      h(
        'div',
        { class: 'toolbar' },
        h('vscode-button', { attrs: { icon: 'server' }, on: { click: () => void request({ type: 'showNodes' }) } }, 'Show nodes'),
        h(
          'vscode-button',
          {
            attrs: { secondary: true, icon: 'key', disabled: !c?.liveKitCommandAvailable, title: c?.liveKitCommandAvailable ? undefined : 'Not available in this version of the extension' },
            on: { click: () => void copyLiveKit() },
          },
          'Copy LiveKit credentials',
        ),
      ),
    ),
  );
}

async function copyLiveKit(): Promise<void> {
  const r = await request({ type: 'copyLiveKitCredentials' });
  if (r.type === 'done' && !r.ok && r.message) {
    banner = { kind: 'info', text: r.message };
    render();
  }
}

function renderFailure(p: ProgressModel): void {
  const f = p.failure;
  append(
    app,
    h(
      'section',
      { class: 'section' },
      h('div', { class: 'banner error', attrs: { role: 'alert' } }, icon('error'), ` ${f?.headline ?? p.status}`),
      h('p', { class: 'muted', text: `Stack status: ${p.status}` }),
      f?.failedResources.length ? h('h2', {}, 'Failed resources') : null,
      f?.failedResources.length ? h('ul', {}, ...f.failedResources.map((r) => h('li', {}, h('code', { text: r.logicalId }), ` (${r.type})${r.reason ? `: ${r.reason}` : ''}`))) : null,
      h('h2', {}, 'Next steps'),
      h('ol', { class: 'steps' }, ...(f?.nextSteps ?? []).map((s) => h('li', { text: s }))),
    ),
  );
}

function newDeployment(): void {
  const failed = progress?.outcome === 'failed';
  step = 'form';
  following = undefined;
  progress = undefined;
  events = [];
  banner = undefined;
  if (!failed) {
    // A new deployment keeps the settings but needs a new name.
    draft.stackName = '';
    touched.clear();
  }
  persist();
  render();
  void loadFacts();
}

// ---------------------------------------------------------------------------------------------------------
// Update mode: the same form for an existing stack, then the change set review

function renderUpdateForm(u: UpdateInit): void {
  append(app, h('header', { class: 'toolbar' }, h('h1', {}, `Update ${u.stackName}`)));
  // What is fixed is shown as text, not as inputs that look editable.
  const fixed = h(
    'dl',
    { class: 'facts fixed', attrs: { id: 'update-fixed' } },
    h('dt', {}, 'Stack name'),
    h('dd', { attrs: { 'data-fixed': STACK_NAME_FIELD } }, u.stackName),
    h('dt', {}, 'Region'),
    h('dd', { attrs: { 'data-fixed': 'Region' } }, u.region),
    h('dt', {}, 'Current version'),
    h('dd', { attrs: { 'data-fixed': 'CurrentVersion' } }, u.currentVersion ?? h('span', { class: 'muted', text: 'unknown (not tagged, and the cluster has not reported it)' })),
  );
  const versionEl = h('vscode-single-select', {});
  for (const o of updateVersionOptions(init?.versions ?? [], u.currentVersion)) {
    append(versionEl, h('vscode-option', { attrs: { value: o.value || KEEP, selected: o.value === updateVersion, 'data-relation': o.relation } }, o.relation === 'downgrade' ? `⚠ ${o.label}` : o.label));
  }
  versionEl.addEventListener('change', () => {
    const raw = (versionEl as unknown as { value: string }).value;
    const v = raw === KEEP ? '' : raw;
    if (v === updateVersion) return;
    updateVersion = v;
    downgradeConfirmed = false;
    draft.version = v || u.currentVersion || 'latest';
    persist();
    void loadTemplate();
  });
  const downgrade = needsDowngradeConfirmation(updateVersion, u.currentVersion);
  const confirm = downgrade
    ? h('vscode-checkbox', { attrs: { id: 'confirm-downgrade', label: `I mean to downgrade ${u.stackName} from ${u.currentVersion} to ${updateVersion}` }, props: { checked: downgradeConfirmed } })
    : null;
  confirm?.addEventListener('change', () => {
    downgradeConfirmed = (confirm as unknown as { checked: boolean }).checked;
    serverIssues = serverIssues.filter((i) => i.field !== VERSION_FIELD);
    updateIssues();
  });
  append(
    app,
    h(
      'section',
      { class: 'section' },
      h('h2', {}, 'Stack'),
      fixed,
      field(
        'Template version',
        VERSION_FIELD,
        versionEl,
        'Keep the current template to change parameters only; a newer version upgrades OpenVidu (new parameters start from their defaults).',
        true,
        downgrade ? h('div', { class: 'banner warning', attrs: { role: 'alert', id: 'downgrade-warning' } }, icon('warning'), ' ', downgradeWarning(updateVersion, u.currentVersion)) : null,
        confirm,
      ),
      h('div', { id: 'facts-status', class: 'muted', attrs: { 'aria-live': 'polite' } }),
    ),
  );
  if (!spec) {
    append(app, h('p', { class: 'muted' }, icon('loading', 'codicon-modifier-spin'), ` Loading the template…`));
    return;
  }
  if (specNotice) append(app, h('div', { class: `banner ${specSource === 'bundled' ? 'warning' : 'info'}`, attrs: { role: 'status' } }, specNotice));
  append(app, h('div', { id: 'general-issues' }));
  for (const s of formModel(spec, facts, formValues())) append(app, h('section', { class: 'section' }, h('h2', { text: s.label }), ...s.fields.map(renderField)));
  append(
    app,
    h(
      'footer',
      { class: 'toolbar sticky' },
      h('span', { id: 'issue-summary', class: 'summary' }),
      h('div', { class: 'spacer' }),
      h('vscode-button', { attrs: { icon: 'diff', disabled: busy }, on: { click: () => void proposeFromForm() } }, busy ? 'Creating the change set…' : 'Review changes…'),
    ),
  );
  renderFormStatus();
  updateIssues();
}

async function proposeFromForm(): Promise<void> {
  if (!spec || busy) return;
  const issues = updateIssues(true);
  if (issues.some((i) => i.severity === 'error')) {
    focusFirstIssue(issues);
    return;
  }
  busy = true;
  banner = { kind: 'info', text: 'Creating the change set: CloudFormation is working out what will change. Nothing changes before you execute it.' };
  render();
  const r = await request({ type: 'proposeUpdate', draft: { version: updateVersion, values: fullDraft().values, ...(downgradeConfirmed ? { confirmDowngrade: true } : {}) } });
  busy = false;
  if (r.type !== 'updateProposal') {
    banner = { kind: 'error', text: r.type === 'error' ? r.message : 'Unexpected reply.' };
    render();
    return;
  }
  serverIssues = r.issues;
  if (!r.ok || !r.review) {
    banner = { kind: 'error', text: r.message ?? 'No change set was created.' };
    render();
    updateIssues(true);
    focusFirstIssue(r.issues);
    return;
  }
  if (r.review.empty) {
    banner = { kind: 'info', text: `Nothing to change: the change set for ${r.review.stackName} has no changes.` };
    render();
    return;
  }
  updateReview = r.review;
  banner = undefined;
  step = 'review';
  persist();
  render();
  toTop();
}

function changeTable(rows: ResourceChangeRow[]): HTMLElement {
  const tbody = h('tbody');
  for (const c of rows) {
    append(
      tbody,
      h(
        'tr',
        { class: c.replacement === 'True' ? 'failed' : c.replacement === 'Conditional' ? 'rollback' : '' },
        h('td', { class: 'status', text: c.action }),
        h('td', {}, c.logicalId, c.physicalId ? h('div', { class: 'muted', text: c.physicalId }) : null),
        h('td', { class: 'muted', text: c.type }),
        h('td', { text: c.replacement ?? '' }),
        h('td', { text: c.causes.join(', ') }),
      ),
    );
  }
  return h('table', { class: 'events changes' }, h('thead', {}, h('tr', {}, ...['Action', 'Resource', 'Type', 'Replacement', 'Because of'].map((t) => h('th', { text: t })))), tbody);
}

function renderUpdateReview(r: UpdateReview): void {
  const upgrade = r.toVersion && r.toVersion !== r.fromVersion ? ` — upgrade ${r.fromVersion ?? '?'} → ${r.toVersion}` : '';
  append(app, h('header', { class: 'toolbar' }, h('h1', {}, `Change set for ${r.stackName}${upgrade}`)));
  if (r.mastersReplaced) {
    append(
      app,
      h(
        'div',
        { class: 'banner error masters-replaced', attrs: { role: 'alert' } },
        icon('warning'),
        ' MASTER NODES WILL BE REPLACED. Replacing a master node destroys its disk (MongoDB, Redis, MinIO cache, observability data) — data loss — and causes downtime while the new node installs OpenVidu. Consider redeploying a new stack instead, or discard this change set.',
      ),
    );
  }
  append(
    app,
    h('p', { id: 'change-counts', text: `${r.replacements.length} replacement(s), ${r.conditional.length} conditional replacement(s), ${r.others.length} other change(s) in ${r.region}.` }),
  );
  if (r.warnings.length) append(app, h('section', { class: 'section', attrs: { id: 'review-warnings' } }, h('h2', {}, 'Warnings'), ...r.warnings.map((i) => issueLine(i))));
  if (r.parameterDiffs.length) {
    const table = h('table', { class: 'review' }, h('tr', {}, h('th', { text: 'Parameter' }), h('th', { text: 'Now' }), h('th', { text: 'After' })));
    for (const d of r.parameterDiffs) append(table, h('tr', {}, h('td', { class: 'key', text: d.key }), h('td', { class: d.noEcho ? 'masked' : '', text: d.from || '(empty)' }), h('td', { class: d.noEcho ? 'masked' : '', text: d.to || '(empty)' })));
    append(app, h('section', { class: 'section' }, h('h2', {}, 'Parameters'), table));
  }
  if (r.replacements.length) append(app, h('section', { class: 'section' }, h('h2', {}, icon('warning'), ' Replaced or removed'), changeTable(r.replacements)));
  if (r.conditional.length) append(app, h('section', { class: 'section' }, h('h2', {}, 'May be replaced (conditional)'), changeTable(r.conditional)));
  if (r.others.length) append(app, h('section', { class: 'section' }, h('h2', {}, 'Other changes'), changeTable(r.others)));
  append(
    app,
    h(
      'footer',
      { class: 'toolbar sticky' },
      h('vscode-button', { attrs: { secondary: true, icon: 'trash', disabled: busy }, on: { click: () => void discardChangeSet() } }, 'Discard'),
      h('div', { class: 'spacer' }),
      h('vscode-button', { attrs: { icon: 'play', disabled: busy }, on: { click: () => void executeChangeSet() } }, r.mastersReplaced ? 'Execute (replaces the masters)' : 'Execute'),
    ),
  );
}

async function discardChangeSet(): Promise<void> {
  if (busy) return;
  busy = true;
  const r = await request({ type: 'discardUpdate' });
  busy = false;
  updateReview = undefined;
  step = 'form';
  banner = { kind: r.type === 'done' && r.ok ? 'info' : 'error', text: r.type === 'done' ? r.message ?? 'Discarded.' : r.type === 'error' ? r.message : 'Unexpected reply.' };
  persist();
  render();
}

async function executeChangeSet(): Promise<void> {
  if (busy || !update) return;
  busy = true;
  render();
  const r = await request({ type: 'executeUpdate' });
  busy = false;
  if (r.type !== 'done' || !r.ok) {
    banner = { kind: 'error', text: r.type === 'done' || r.type === 'error' ? r.message ?? 'Not executed.' : 'Unexpected reply.' };
    render();
    return;
  }
  updateReview = undefined;
  banner = undefined;
  step = 'progress';
  following = { region: update.region, stackName: update.stackName };
  progress = { action: 'update', stackName: update.stackName, region: update.region, status: 'UPDATE_IN_PROGRESS', outcome: 'inProgress', done: 0, total: 0 };
  events = [];
  persist();
  render();
}

function renderUpdateComplete(p: ProgressModel): void {
  append(
    app,
    h(
      'section',
      { class: 'section' },
      h('div', { class: 'banner ok', attrs: { role: 'status' } }, icon('pass'), ` ${p.stackName} is UPDATE_COMPLETE (${p.done} resources updated).`),
      h('div', { class: 'toolbar' }, h('vscode-button', { attrs: { icon: 'server' }, on: { click: () => void request({ type: 'showNodes' }) } }, 'Show nodes')),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Parameters files

async function exportParameters(): Promise<void> {
  if (!spec) return;
  // The host refuses a draft whose stack name is not a CloudFormation stack name (it names the file).
  const name = draft.stackName.trim();
  if (name && !isValidStackName(name)) {
    banner = { kind: 'error', text: `Fix ${STACK_NAME_FIELD} before exporting: it must start with a letter and contain only letters, digits and hyphens (at most 128).` };
    render();
    return;
  }
  const r = await request({ type: 'exportParameters', draft: fullDraft() });
  if (r.type === 'exportResult' || r.type === 'error') {
    banner = { kind: r.type === 'error' ? 'error' : r.ok ? 'info' : 'warning', text: r.message };
    render();
  }
}

async function importParameters(): Promise<void> {
  if (!spec) return;
  const r = await request({ type: 'importParameters', version: draft.version });
  if (r.type === 'importResult') {
    if (r.ok && r.values) {
      const vpcBefore = currentVpc();
      Object.assign(draft.values, r.values);
      for (const k of Object.keys(r.values)) touched.add(k);
      persist();
      if (currentVpc() !== vpcBefore) void loadFacts();
    }
    banner = { kind: r.ok ? 'info' : 'warning', text: r.message };
    render();
  } else if (r.type === 'error') {
    banner = { kind: 'error', text: r.message };
    render();
  }
}

render();
void start();
