/** The deploy review: warnings first, the parameters and tags as they will be sent, the resources, OnFailure. */
import type { ReviewModel } from '../../../src/protocol/deployForm';
import { append, h } from '../dom';
import { focusFirstIssue, issueLine, toTop, updateIssues } from '../issues';
import { loadFacts } from '../load';
import { exportParameters } from '../parametersFile';
import { request } from '../rpc';
import { app, fullDraft, persist, render, st } from '../state';

export function renderReview(r: ReviewModel): void {
  append(app, h('header', { class: 'toolbar' }, h('h1', {}, `Review: ${r.stackName} in ${r.region}`)));
  // Warnings lead the review: "Deploy anyway" (in the sticky footer) refers to them.
  const warnings = st.pendingWarnings ?? st.serverIssues.filter((i) => i.severity === 'warning');
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

  const preserve = h('vscode-checkbox', { attrs: { label: 'Preserve successfully provisioned resources if creation fails (recommended: lets you troubleshoot)' }, props: { checked: st.draft.preserveOnFailure } });
  preserve.addEventListener('change', () => {
    st.draft.preserveOnFailure = (preserve as unknown as { checked: boolean }).checked;
    persist();
    const note = app.querySelector('#onfailure-note');
    if (note) note.textContent = st.draft.preserveOnFailure ? 'OnFailure: DO_NOTHING — a failed stack keeps its resources; delete it yourself when done.' : 'OnFailure: ROLLBACK — a failed stack deletes what it created.';
  });
  append(
    app,
    h(
      'section',
      { class: 'section' },
      h('h2', {}, 'On failure'),
      preserve,
      h('p', { id: 'onfailure-note', class: 'muted', text: st.draft.preserveOnFailure ? 'OnFailure: DO_NOTHING — a failed stack keeps its resources; delete it yourself when done.' : 'OnFailure: ROLLBACK — a failed stack deletes what it created.' }),
    ),
  );

  const create = h('vscode-button', { attrs: { icon: 'rocket', disabled: st.busy }, on: { click: () => void createStack(!!st.pendingWarnings) } }, st.pendingWarnings ? 'Deploy anyway' : 'Create stack');
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

export function backToForm(): void {
  st.step = 'form';
  st.review = undefined;
  st.pendingWarnings = undefined;
  st.banner = undefined;
  persist();
  render();
  if (!st.facts) void loadFacts();
}

export async function createStack(acceptWarnings: boolean): Promise<void> {
  if (st.busy) return;
  st.busy = true;
  render();
  const r = await request({ type: 'create', draft: fullDraft(), acceptWarnings });
  st.busy = false;
  if (r.type !== 'createResult') {
    st.banner = { kind: 'error', text: r.type === 'error' ? r.message : 'Unexpected reply.' };
    render();
    return;
  }
  st.serverIssues = r.issues;
  if (r.ok) {
    st.banner = undefined;
    st.step = 'progress';
    st.following = { region: st.draft.region, stackName: st.draft.stackName.trim() };
    st.progress = { stackName: st.following.stackName, region: st.following.region, stackId: r.stackId, status: 'CREATE_IN_PROGRESS', outcome: 'inProgress', done: 0, total: 0 };
    st.events = [];
    persist();
    render();
    return;
  }
  if (r.blocked === 'warnings') {
    st.pendingWarnings = r.issues.filter((i) => i.severity === 'warning');
    st.banner = { kind: 'warning', text: r.message ?? 'Review the warnings.' };
    render();
    // The banner and the warnings "Deploy anyway" refers to, in view.
    toTop();
    app.querySelector('#review-warnings')?.scrollIntoView({ block: 'nearest' });
    return;
  }
  // Errors (or CloudFormation refused): back to the form with the errors on the fields.
  st.banner = { kind: 'error', text: r.message ?? 'Nothing was created.' };
  st.step = 'form';
  persist();
  render();
  updateIssues(true);
  focusFirstIssue(r.issues);
}
