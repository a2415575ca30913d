/** Update mode: the same form for an existing stack (name and region fixed), with the version to move to. */
import type { UpdateInit } from '../../../src/protocol/deployForm';
import { STACK_NAME_FIELD } from '../../../src/openvidu/validation';
import { formModel } from '../../../src/protocol/deployFormModel';
import { downgradeWarning, needsDowngradeConfirmation, updateVersionOptions } from '../../../src/openvidu/versionChoice';
import { append, h, icon } from '../dom';
import { field, renderField } from '../controls';
import { focusFirstIssue, renderFormStatus, toTop, updateIssues } from '../issues';
import { loadTemplate } from '../load';
import { request } from '../rpc';
import { app, formValues, fullDraft, KEEP, persist, render, st, VERSION_FIELD } from '../state';

export function renderUpdateForm(u: UpdateInit): void {
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
  for (const o of updateVersionOptions(st.init?.versions ?? [], u.currentVersion)) {
    append(versionEl, h('vscode-option', { attrs: { value: o.value || KEEP, selected: o.value === st.updateVersion, 'data-relation': o.relation } }, o.relation === 'downgrade' ? `⚠ ${o.label}` : o.label));
  }
  versionEl.addEventListener('change', () => {
    const raw = (versionEl as unknown as { value: string }).value;
    const v = raw === KEEP ? '' : raw;
    if (v === st.updateVersion) return;
    st.updateVersion = v;
    st.downgradeConfirmed = false;
    st.draft.version = v || u.currentVersion || 'latest';
    persist();
    void loadTemplate();
  });
  const downgrade = needsDowngradeConfirmation(st.updateVersion, u.currentVersion);
  const confirm = downgrade
    ? h('vscode-checkbox', { attrs: { id: 'confirm-downgrade', label: `I mean to downgrade ${u.stackName} from ${u.currentVersion} to ${st.updateVersion}` }, props: { checked: st.downgradeConfirmed } })
    : null;
  confirm?.addEventListener('change', () => {
    st.downgradeConfirmed = (confirm as unknown as { checked: boolean }).checked;
    st.serverIssues = st.serverIssues.filter((i) => i.field !== VERSION_FIELD);
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
        downgrade ? h('div', { class: 'banner warning', attrs: { role: 'alert', id: 'downgrade-warning' } }, icon('warning'), ' ', downgradeWarning(st.updateVersion, u.currentVersion)) : null,
        confirm,
      ),
      h('div', { id: 'facts-status', class: 'muted', attrs: { 'aria-live': 'polite' } }),
    ),
  );
  if (!st.spec) {
    append(app, h('p', { class: 'muted' }, icon('loading', 'codicon-modifier-spin'), ` Loading the template…`));
    return;
  }
  if (st.specNotice) append(app, h('div', { class: `banner ${st.specSource === 'bundled' ? 'warning' : 'info'}`, attrs: { role: 'status' } }, st.specNotice));
  append(app, h('div', { id: 'general-issues' }));
  for (const s of formModel(st.spec, st.facts, formValues())) append(app, h('section', { class: 'section' }, h('h2', { text: s.label }), ...s.fields.map(renderField)));
  append(
    app,
    h(
      'footer',
      { class: 'toolbar sticky' },
      h('span', { id: 'issue-summary', class: 'summary' }),
      h('div', { class: 'spacer' }),
      h('vscode-button', { attrs: { icon: 'diff', disabled: st.busy }, on: { click: () => void proposeFromForm() } }, st.busy ? 'Creating the change set…' : 'Review changes…'),
    ),
  );
  renderFormStatus();
  updateIssues();
}

export async function proposeFromForm(): Promise<void> {
  if (!st.spec || st.busy) return;
  const issues = updateIssues(true);
  if (issues.some((i) => i.severity === 'error')) {
    focusFirstIssue(issues);
    return;
  }
  st.busy = true;
  st.banner = { kind: 'info', text: 'Creating the change set: CloudFormation is working out what will change. Nothing changes before you execute it.' };
  render();
  const r = await request({ type: 'proposeUpdate', draft: { version: st.updateVersion, values: fullDraft().values, ...(st.downgradeConfirmed ? { confirmDowngrade: true } : {}) } });
  st.busy = false;
  if (r.type !== 'updateProposal') {
    st.banner = { kind: 'error', text: r.type === 'error' ? r.message : 'Unexpected reply.' };
    render();
    return;
  }
  st.serverIssues = r.issues;
  if (!r.ok || !r.review) {
    st.banner = { kind: 'error', text: r.message ?? 'No change set was created.' };
    render();
    updateIssues(true);
    focusFirstIssue(r.issues);
    return;
  }
  if (r.review.empty) {
    st.banner = { kind: 'info', text: `Nothing to change: the change set for ${r.review.stackName} has no changes.` };
    render();
    return;
  }
  st.updateReview = r.review;
  st.banner = undefined;
  st.step = 'review';
  persist();
  render();
  toTop();
}
