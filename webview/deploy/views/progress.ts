/** The progress view of a create or an update: the head and bar, the events table, then the outcome. */
import type { EventRow, ProgressModel } from '../../../src/protocol/deployForm';
import { formatIso, formatTime } from '../../../src/openvidu/timeFormat';
import { append, h, icon } from '../dom';
import { loadFacts } from '../load';
import { request } from '../rpc';
import { app, persist, render, st } from '../state';

export function onProgress(p: ProgressModel, newEvents: EventRow[]): void {
  st.progress = p;
  const seen = new Set(st.events.map((e) => e.id));
  const fresh = newEvents.filter((e) => !seen.has(e.id));
  st.events.push(...fresh);
  if (st.step !== 'progress') return;
  const table = app.querySelector<HTMLTableSectionElement>('#events tbody');
  if (table && app.querySelector('#progress-head') && p.outcome === 'inProgress') {
    for (const e of fresh) table.prepend(eventRow(e));
    const head = app.querySelector('#events-head');
    if (head) head.textContent = `Events (${st.events.length})`;
    updateProgressHead();
  } else render();
}

export function eventRow(e: EventRow): HTMLElement {
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

export function updateProgressHead(): void {
  const head = app.querySelector<HTMLElement>('#progress-head');
  if (!head || !st.progress) return;
  const bar = app.querySelector<HTMLElement>('#progress-bar') as (HTMLElement & { value?: number; max: number }) | null;
  if (bar) {
    bar.max = Math.max(st.progress.total, 1);
    bar.value = st.progress.done;
  }
  head.textContent = `${st.progress.status} — ${st.progress.done} of ${st.progress.total || '?'} resources ${st.progress.action === 'update' ? 'updated' : 'created'}`;
}

export function renderProgress(): void {
  const p = st.progress;
  const name = p?.stackName ?? st.following?.stackName ?? '';
  append(app, h('header', { class: 'toolbar' }, h('h1', {}, `${name} in ${p?.region ?? st.following?.region ?? ''}`)));
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
  for (const e of [...st.events].reverse()) append(tbody, eventRow(e));
  append(
    app,
    h(
      'section',
      { class: 'section' },
      h('h2', { id: 'events-head', text: `Events (${st.events.length})` }),
      h('table', { id: 'events', class: 'events' }, h('thead', {}, h('tr', {}, ...['Time', 'Resource', 'Type', 'Status', 'Reason'].map((t) => h('th', { text: t })))), tbody),
    ),
  );
  if (p.outcome !== 'inProgress' && !(p.action === 'update' && p.outcome === 'complete')) {
    append(app, h('footer', { class: 'toolbar' }, h('vscode-button', { attrs: { secondary: true, icon: 'add' }, on: { click: () => newDeployment() } }, p.outcome === 'failed' ? 'Back to the form' : 'New deployment')));
  }
  updateProgressHead();
}

export function renderComplete(p: ProgressModel): void {
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

export async function copyLiveKit(): Promise<void> {
  const r = await request({ type: 'copyLiveKitCredentials' });
  if (r.type === 'done' && !r.ok && r.message) {
    st.banner = { kind: 'info', text: r.message };
    render();
  }
}

export function renderFailure(p: ProgressModel): void {
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

export function newDeployment(): void {
  const failed = st.progress?.outcome === 'failed';
  st.step = 'form';
  st.following = undefined;
  st.progress = undefined;
  st.events = [];
  st.banner = undefined;
  if (!failed) {
    // A new deployment keeps the settings but needs a new name.
    st.draft.stackName = '';
    st.touched.clear();
  }
  persist();
  render();
  void loadFacts();
}

export function renderUpdateComplete(p: ProgressModel): void {
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
