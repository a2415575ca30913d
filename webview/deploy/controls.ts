/**
 * Form controls: one field (label, control, help, issue slot) per parameter of the form model, built with
 * @vscode-elements/elements; a change updates the draft, re-draws the fields that depend on it and re-checks.
 */
import { formModel } from '../../src/protocol/deployFormModel';
import type { FieldModel } from '../../src/protocol/deployFormModel';
import type { DraftValue } from '../../src/protocol/deployForm';
import { displayText } from '../../src/openvidu/displayText';
import { parameterLabel } from '../../src/openvidu/spec';
import { append, h, type Child } from './dom';
import { fieldHelpText } from './fieldText';
import { renderFormStatus, updateIssues } from './issues';
import { loadFacts } from './load';
import { app, formValues, persist, st } from './state';

export function field(label: string, key: string, control: HTMLElement, help?: string, required = false, ...extra: Child[]): HTMLElement {
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

export function onValue(key: string, value: DraftValue, options: { rerenderDependents?: boolean } = {}): void {
  const p = st.spec?.parameters.find((x) => x.key === key);
  if (p?.noEcho) st.secrets.set(key, String(value));
  else st.draft.values[key] = value;
  st.touched.add(key);
  persist();
  if (options.rerenderDependents) refreshDependents(key);
  updateIssues();
}

export function textControl(f: FieldModel): HTMLElement {
  const value = f.noEcho ? st.secrets.get(f.key) ?? '' : String(st.draft.values[f.key] ?? '');
  const el = h('vscode-textfield', {
    attrs: {
      type: f.noEcho ? 'password' : f.widget === 'number' ? 'number' : 'text',
      placeholder:
        f.noEcho && st.update?.noEcho.includes(f.key)
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

export function selectControl(f: FieldModel): HTMLElement {
  const current = String(st.draft.values[f.key] ?? '');
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
      for (const p of st.spec?.parameters ?? []) if (p.type === 'List<AWS::EC2::Subnet::Id>') st.draft.values[p.key] = [];
      persist();
      void loadFacts();
    }
  });
  return el;
}

export function multiControl(f: FieldModel): HTMLElement {
  const current = new Set(Array.isArray(st.draft.values[f.key]) ? (st.draft.values[f.key] as string[]) : String(st.draft.values[f.key] ?? '').split(',').filter(Boolean));
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

export function controlFor(f: FieldModel): HTMLElement {
  if (f.multiple) return f.options ? multiControl(f) : textControl(f);
  if (f.options && (f.widget !== 'certificate' || f.options.length)) return selectControl(f);
  return textControl(f);
}

export function fieldHelp(f: FieldModel): string | undefined {
  const domain = st.spec?.parameters.find((p) => p.key === 'DomainName');
  return fieldHelpText(f, {
    keptSecret: !!(f.noEcho && st.update?.noEcho.includes(f.key)),
    newInVersion: !!(st.update && !(f.key in st.update.values)),
    factsLoading: st.factsLoading,
    domainLabel: domain ? displayText(parameterLabel(domain)) : undefined,
  });
}

/** Under a subnet multi-select: which subnets are chosen (its face only shows a count). */
export function selectedSubnets(f: FieldModel): HTMLElement {
  const el = h('div', { class: 'selected muted', attrs: { 'data-selected-for': f.key } });
  const ids = Array.isArray(st.draft.values[f.key]) ? (st.draft.values[f.key] as string[]) : [];
  const labels = new Map((f.options ?? []).map((o) => [o.value, o.label]));
  if (ids.length) append(el, `Selected: ${ids.map((id) => labels.get(id) ?? id).join('; ')}`);
  return el;
}

export function renderField(f: FieldModel): HTMLElement {
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
export function refreshDependents(key: string): void {
  if (!st.spec) return;
  const sections = formModel(st.spec, st.facts, formValues());
  const fields = sections.flatMap((s) => s.fields);
  const dependents = fields.filter((f) => (f.widget === 'instanceType' && /Subnets$/.test(key)) || (f.widget === 'certificate' && /DomainName$/.test(key)));
  for (const f of dependents) {
    const old = app.querySelector<HTMLElement>(`[data-field="${CSS.escape(f.key)}"]`);
    if (old && !old.contains(document.activeElement)) old.replaceWith(renderField(f));
  }
}

const FACT_WIDGETS = new Set(['vpc', 'subnets', 'keyPair', 'certificate', 'instanceType']);

export function refreshFactFields(): void {
  if (!st.spec) return;
  for (const f of formModel(st.spec, st.facts, formValues()).flatMap((s) => s.fields)) {
    if (!FACT_WIDGETS.has(f.widget)) continue;
    app.querySelector<HTMLElement>(`[data-field="${CSS.escape(f.key)}"]`)?.replaceWith(renderField(f));
  }
  renderFormStatus();
  updateIssues();
}
