/** The deploy form: stack name, region and version, the template's parameters by section, the stack's tags. */
import { STACK_NAME_FIELD } from '../../../src/openvidu/validation';
import { MAX_STACK_TAGS, TAGS_FIELD } from '../../../src/openvidu/stackTags';
import { formModel, stackNameHelp } from '../../../src/protocol/deployFormModel';
import type { SectionModel } from '../../../src/protocol/deployFormModel';
import { append, h, icon } from '../dom';
import { field, renderField } from '../controls';
import { focusFirstIssue, renderFormStatus, toTop, updateIssues } from '../issues';
import { loadFacts, loadTemplate } from '../load';
import { exportParameters, importParameters } from '../parametersFile';
import { request } from '../rpc';
import { app, formValues, fullDraft, persist, render, st } from '../state';

export function renderForm(): void {
  const header = h(
    'header',
    { class: 'toolbar' },
    h('h1', {}, 'Deploy OpenVidu High Availability'),
    h('div', { class: 'spacer' }),
    h('vscode-button', { attrs: { secondary: true, icon: 'cloud-upload' }, on: { click: () => void importParameters() } }, 'Import parameters…'),
    h('vscode-button', { attrs: { secondary: true, icon: 'cloud-download', disabled: !st.spec }, on: { click: () => void exportParameters() } }, 'Export parameters…'),
  );
  append(app, header);

  // Stack name, region and version first.
  const nameEl = h('vscode-textfield', { attrs: { placeholder: 'e.g. openvidu-ha', autocomplete: 'off', spellcheck: 'false' }, props: { value: st.draft.stackName } });
  nameEl.addEventListener('input', () => {
    st.draft.stackName = (nameEl as unknown as { value: string }).value;
    st.touched.add(STACK_NAME_FIELD);
    persist();
    updateIssues();
  });
  const regionEl = h('vscode-single-select', { attrs: { combobox: true, filter: 'contains' } });
  const regions = [...new Set([...(st.init?.regions ?? []), st.draft.region].filter(Boolean))];
  for (const r of regions) append(regionEl, h('vscode-option', { attrs: { value: r, selected: r === st.draft.region } }, r));
  regionEl.addEventListener('change', () => {
    const r = (regionEl as unknown as { value: string }).value;
    if (!r || r === st.draft.region) return;
    st.draft.region = r;
    // VPCs, subnets and certificates are regional.
    for (const p of st.spec?.parameters ?? []) {
      if (p.type === 'AWS::EC2::VPC::Id' || /CertificateARN$/i.test(p.key)) st.draft.values[p.key] = '';
      if (p.type === 'List<AWS::EC2::Subnet::Id>') st.draft.values[p.key] = [];
    }
    st.facts = undefined;
    persist();
    render();
    void loadFacts();
  });
  const versionEl = h('vscode-single-select', {});
  for (const v of st.init?.versions ?? ['latest']) append(versionEl, h('vscode-option', { attrs: { value: v, selected: v === st.draft.version } }, v === 'latest' ? 'latest' : v));
  versionEl.addEventListener('change', () => {
    const v = (versionEl as unknown as { value: string }).value;
    if (!v || v === st.draft.version) return;
    st.draft.version = v;
    persist();
    void loadTemplate();
  });
  const basics = h(
    'section',
    { class: 'section' },
    h('h2', {}, 'Stack'),
    field('Stack name', STACK_NAME_FIELD, nameEl, st.spec ? stackNameHelp(st.spec, st.draft.region) : undefined, true),
    h('div', { class: 'row' }, field('Region', 'Region', regionEl, 'Where the stack and all its resources are created.', true), field('Template version', 'Version', versionEl, st.init ? `From ${st.init.templateBaseUrl}` : undefined, true)),
    h('div', { id: 'facts-status', class: 'muted', attrs: { 'aria-live': 'polite' } }),
  );
  append(app, basics);

  if (!st.spec) {
    append(app, h('p', { class: 'muted' }, icon('loading', 'codicon-modifier-spin'), ` Loading template ${st.draft.version}…`));
    return;
  }
  if (st.specNotice) append(app, h('div', { class: `banner ${st.specSource === 'bundled' ? 'warning' : 'info'}`, attrs: { role: 'status' } }, st.specNotice));
  append(app, h('div', { id: 'general-issues' }));

  const sections: SectionModel[] = formModel(st.spec, st.facts, formValues());
  for (const s of sections) {
    append(app, h('section', { class: 'section' }, h('h2', { text: s.label }), ...s.fields.map(renderField)));
  }
  append(app, renderTagsSection());

  const footer = h(
    'footer',
    { class: 'toolbar sticky' },
    h('span', { id: 'issue-summary', class: 'summary' }),
    h('div', { class: 'spacer' }),
    h('vscode-button', { attrs: { icon: 'checklist', disabled: st.busy }, on: { click: () => void toReview() } }, 'Review…'),
  );
  append(app, footer);
  renderFormStatus();
  updateIssues();
}

export function renderTagsSection(): HTMLElement {
  const tags = (st.draft.tags ??= []);
  const rows = h('div', { id: 'tag-rows' });
  const changed = () => {
    st.touched.add(TAGS_FIELD);
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

export async function toReview(): Promise<void> {
  if (!st.spec || st.busy) return;
  st.touched.add(STACK_NAME_FIELD);
  const issues = updateIssues(true);
  if (issues.some((i) => i.severity === 'error')) {
    focusFirstIssue(issues);
    return;
  }
  st.busy = true;
  const r = await request({ type: 'review', draft: fullDraft() });
  st.busy = false;
  if (r.type === 'reviewResult') {
    st.serverIssues = r.issues;
    if (!r.review) {
      st.banner = { kind: 'error', text: 'Fix the errors shown on the fields.' };
      render();
      updateIssues(true);
      focusFirstIssue(r.issues);
      return;
    }
    st.review = r.review;
    st.pendingWarnings = undefined;
    st.banner = undefined;
    st.step = 'review';
    persist();
    render();
    toTop();
  } else if (r.type === 'error') {
    st.banner = { kind: 'error', text: r.message };
    render();
  }
}
