/** Update mode: the change set review (master replacement first), then execute or discard. */
import type { ResourceChangeRow, UpdateReview } from '../../../src/protocol/deployForm';
import { append, h, icon } from '../dom';
import { issueLine } from '../issues';
import { request } from '../rpc';
import { app, persist, render, st } from '../state';

export function changeTable(rows: ResourceChangeRow[]): HTMLElement {
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

export function renderUpdateReview(r: UpdateReview): void {
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
      h('vscode-button', { attrs: { secondary: true, icon: 'trash', disabled: st.busy }, on: { click: () => void discardChangeSet() } }, 'Discard'),
      h('div', { class: 'spacer' }),
      h('vscode-button', { attrs: { icon: 'play', disabled: st.busy }, on: { click: () => void executeChangeSet() } }, r.mastersReplaced ? 'Execute (replaces the masters)' : 'Execute'),
    ),
  );
}

export async function discardChangeSet(): Promise<void> {
  if (st.busy) return;
  st.busy = true;
  const r = await request({ type: 'discardUpdate' });
  st.busy = false;
  st.updateReview = undefined;
  st.step = 'form';
  st.banner = { kind: r.type === 'done' && r.ok ? 'info' : 'error', text: r.type === 'done' ? r.message ?? 'Discarded.' : r.type === 'error' ? r.message : 'Unexpected reply.' };
  persist();
  render();
}

export async function executeChangeSet(): Promise<void> {
  if (st.busy || !st.update) return;
  st.busy = true;
  render();
  const r = await request({ type: 'executeUpdate' });
  st.busy = false;
  if (r.type !== 'done' || !r.ok) {
    st.banner = { kind: 'error', text: r.type === 'done' || r.type === 'error' ? r.message ?? 'Not executed.' : 'Unexpected reply.' };
    render();
    return;
  }
  st.updateReview = undefined;
  st.banner = undefined;
  st.step = 'progress';
  st.following = { region: st.update.region, stackName: st.update.stackName };
  st.progress = { action: 'update', stackName: st.update.stackName, region: st.update.region, status: 'UPDATE_IN_PROGRESS', outcome: 'inProgress', done: 0, total: 0 };
  st.events = [];
  persist();
  render();
}
