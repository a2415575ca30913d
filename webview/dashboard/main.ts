/**
 * The cluster dashboard webview: charts drawn as SVG with DOM APIs (no chart library: the strict CSP allows no
 * eval and no inline styles, and a hand-drawn SVG costs a few kB against 60–200 kB for a charting library), theme
 * colours through CSS variables, keyboard access (buttons, focusable charts with a text summary), and a table
 * view of the same numbers for screen readers. Data only from the extension's messages; text via textContent.
 */
import './style.css';
import { cpuAxisMax, cpuChartLabel, countAxisMax, hhmm, polylinePoints, stepPoints, xOf, yOf, type Box, type DashboardModel } from '../../src/openvidu/dashboard';
import { formatAge, roomDescription } from '../../src/openvidu/rooms';

interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const app = document.getElementById('app')!;
let view: 'charts' | 'table' = ((vscode.getState() as { view?: 'charts' | 'table' } | undefined)?.view) ?? 'charts';
let model: DashboardModel | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { text?: string; cls?: string; attrs?: Record<string, string> } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.text !== undefined) e.textContent = props.text;
  if (props.cls) e.className = props.cls;
  for (const [k, v] of Object.entries(props.attrs ?? {})) e.setAttribute(k, v);
  for (const c of children) e.appendChild(c);
  return e;
}

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const W = 520;
const H = 220;
const BOX: Box = { x0: 40, x1: W - 12, y0: 12, y1: H - 26 };

function axes(root: SVGElement, m: DashboardModel, max: number, unit: string): void {
  for (const f of [0, 0.5, 1]) {
    const y = yOf(max * f, max, BOX);
    root.appendChild(svg('line', { x1: BOX.x0, x2: BOX.x1, y1: y, y2: y, class: f === 0 ? 'axis' : 'grid-line' }));
    const v = max * f;
    root.appendChild(svg('text', { x: BOX.x0 - 6, y: y + 3, 'text-anchor': 'end' }, `${Number.isInteger(v) ? v : v.toFixed(1)}${unit}`));
  }
  for (let i = 0; i <= 4; i++) {
    const t = m.windowStart + ((m.windowEnd - m.windowStart) * i) / 4;
    root.appendChild(svg('text', { x: xOf(t, m.windowStart, m.windowEnd, BOX), y: H - 8, 'text-anchor': 'middle' }, hhmm(t)));
  }
}

function cpuChart(m: DashboardModel): Element {
  const all = m.nodes.flatMap((n) => n.series.values).concat(m.groupCpu.values);
  const max = cpuAxisMax(all, m.target);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', tabindex: 0, 'aria-label': cpuChartLabel(m) });
  root.appendChild(svg('title', {}, cpuChartLabel(m)));
  axes(root, m, max, '%');
  m.nodes.forEach((n, i) => {
    const line = svg('polyline', { points: polylinePoints(n.series, m.windowStart, m.windowEnd, max, BOX), class: `line s${i % 6}` });
    line.appendChild(svg('title', {}, `${n.instanceId}: ${n.series.values.length ? `${Math.round(n.series.values.at(-1)!)}% now` : 'no data'}`));
    root.appendChild(line);
  });
  if (m.groupCpu.values.length) root.appendChild(svg('polyline', { points: polylinePoints(m.groupCpu, m.windowStart, m.windowEnd, max, BOX), class: 'group-line' }));
  if (m.target !== undefined) {
    const y = yOf(m.target, max, BOX);
    root.appendChild(svg('line', { x1: BOX.x0, x2: BOX.x1, y1: y, y2: y, class: 'target' }));
    root.appendChild(svg('text', { x: BOX.x1, y: y - 4, 'text-anchor': 'end', class: 'target-label' }, `target ${m.target}%`));
  }
  return root;
}

function countChart(m: DashboardModel): Element {
  const max = countAxisMax(m.nodeCount.values);
  const now = m.nodeCount.values.at(-1);
  const label = `Media nodes in service over the last hour${now !== undefined ? `; ${now} now` : ''}; ${m.activities.length} scaling activit${m.activities.length === 1 ? 'y' : 'ies'}.`;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', tabindex: 0, 'aria-label': label });
  root.appendChild(svg('title', {}, label));
  axes(root, m, max, '');
  for (const a of m.activities) {
    const x = xOf(a.at, m.windowStart, m.windowEnd, BOX);
    root.appendChild(svg('line', { x1: x, x2: x, y1: BOX.y0, y2: BOX.y1, class: 'activity' }));
    const dot = svg('circle', { cx: x, cy: BOX.y0 + 4, r: 4, class: 'activity-dot' });
    dot.appendChild(svg('title', {}, `${hhmm(a.at)} ${a.status}: ${a.description}`));
    root.appendChild(dot);
  }
  if (m.nodeCount.values.length) root.appendChild(svg('polyline', { points: stepPoints(m.nodeCount, m.windowStart, m.windowEnd, max, BOX), class: 'count' }));
  return root;
}

function legend(m: DashboardModel): HTMLElement {
  const l = el('div', { cls: 'legend', attrs: { 'aria-hidden': 'true' } });
  l.appendChild(el('span', {}, el('span', { cls: 'swatch group' }), document.createTextNode('group average')));
  if (m.target !== undefined) l.appendChild(el('span', {}, el('span', { cls: 'swatch target' }), document.createTextNode(`target ${m.target}%`)));
  m.nodes.slice(0, 12).forEach((n, i) => l.appendChild(el('span', {}, el('span', { cls: `swatch s${i % 6}` }), document.createTextNode(n.instanceId))));
  if (m.nodes.length > 12) l.appendChild(el('span', { text: `and ${m.nodes.length - 12} more` }));
  return l;
}

function table(caption: string, head: string[], rows: (string | number)[][]): HTMLTableElement {
  const t = el('table', { attrs: { tabindex: '0' } });
  t.appendChild(el('caption', { text: caption, cls: 'muted' }));
  const thead = el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { text: h, attrs: { scope: 'col' } }))));
  const tbody = el('tbody');
  for (const r of rows) tbody.appendChild(el('tr', {}, ...r.map((c) => el('td', { text: String(c), cls: typeof c === 'number' ? 'num' : '' }))));
  t.append(thead, tbody);
  return t;
}

function roomsCard(m: DashboardModel): HTMLElement {
  const card = el('section', { cls: 'card', attrs: { 'aria-labelledby': 'rooms-h' } }, el('h2', { text: 'Rooms now', attrs: { id: 'rooms-h' } }));
  if (!m.rooms.ok) {
    card.appendChild(el('p', { cls: 'error', text: `Could not read the rooms: ${m.rooms.reason}` }));
    return card;
  }
  const people = m.rooms.rooms.reduce((n, r) => n + r.participants, 0);
  card.appendChild(el('div', { cls: 'stats' }, el('div', {}, el('div', { cls: 'big', text: String(m.rooms.rooms.length) }), el('div', { cls: 'muted', text: 'rooms' })), el('div', {}, el('div', { cls: 'big', text: String(people) }), el('div', { cls: 'muted', text: 'participants' }))));
  const now = m.generatedAt;
  card.appendChild(table('Live rooms', ['Room', 'Participants', 'Details'], m.rooms.rooms.map((r) => [r.name, r.participants, roomDescription(r, now)])));
  return card;
}

function mastersCard(m: DashboardModel): HTMLElement {
  const card = el('section', { cls: 'card', attrs: { 'aria-labelledby': 'masters-h' } }, el('h2', { text: 'Master nodes (last status check)', attrs: { id: 'masters-h' } }));
  const t = table('Master nodes', ['Node', 'Instance', 'State', 'Services'], m.masters.map((x) => [x.label, x.instanceId, x.state, x.services ?? '']));
  t.querySelectorAll('tbody tr').forEach((tr, i) => tr.children[2]?.classList.add(m.masters[i].state === 'running' ? 'state-running' : 'state-other'));
  card.appendChild(t);
  return card;
}

function numbersTables(m: DashboardModel): HTMLElement {
  const wrap = el('section', { attrs: { 'aria-label': 'The dashboard as tables' } });
  const times = [...new Set(m.groupCpu.timestamps.concat(m.nodes.flatMap((n) => n.series.timestamps)))].sort((a, b) => a - b);
  const cell = (s: { timestamps: number[]; values: number[] }, t: number) => {
    const i = s.timestamps.indexOf(t);
    return i < 0 ? '—' : `${Math.round(s.values[i])}%`;
  };
  wrap.appendChild(
    table(`CPU per ${m.periodSeconds / 60}-minute period (UTC)${m.target !== undefined ? `, scaling target ${m.target}%` : ''}`, ['Time', 'Group average', ...m.nodes.map((n) => n.instanceId)], times.map((t) => [hhmm(t), cell(m.groupCpu, t), ...m.nodes.map((n) => cell(n.series, t))])),
  );
  wrap.appendChild(table('Media nodes in service', ['Time', 'Nodes'], m.nodeCount.timestamps.map((t, i) => [hhmm(t), m.nodeCount.values[i]])));
  wrap.appendChild(table('Scaling activities', ['Time', 'Status', 'Activity'], m.activities.map((a) => [hhmm(a.at), a.status, a.description])));
  return wrap;
}

function render(): void {
  app.replaceChildren();
  if (!model) {
    app.appendChild(el('p', { text: 'Loading the dashboard…' }));
    return;
  }
  const m = model;
  const refresh = el('button', { text: 'Refresh', attrs: { type: 'button' } });
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  const toggle = el('button', { text: view === 'charts' ? 'Show as Tables' : 'Show as Charts', cls: 'secondary', attrs: { type: 'button', 'aria-pressed': String(view === 'table') } });
  toggle.addEventListener('click', () => {
    view = view === 'charts' ? 'table' : 'charts';
    vscode.setState({ view });
    render();
  });
  app.append(
    el('h1', { text: `${m.stackName} (${m.region})` }),
    el('div', { cls: 'toolbar' }, refresh, toggle, el('span', { cls: 'muted', text: `Last hour, read at ${hhmm(m.generatedAt)} UTC (${formatAge(Date.now() - m.generatedAt) || 'just now'} ago)` })),
  );
  if (m.cpuError) app.appendChild(el('p', { cls: 'error', text: `CPU from CloudWatch unavailable: ${m.cpuError}` }));
  if (view === 'charts') {
    const cpu = el('section', { cls: 'card', attrs: { 'aria-labelledby': 'cpu-h' } }, el('h2', { text: 'CPU per media node', attrs: { id: 'cpu-h' } }), cpuChart(m) as unknown as Node, legend(m));
    const count = el('section', { cls: 'card', attrs: { 'aria-labelledby': 'count-h' } }, el('h2', { text: 'Media nodes and scaling activities', attrs: { id: 'count-h' } }), countChart(m) as unknown as Node);
    app.appendChild(el('div', { cls: 'grid' }, cpu, count, roomsCard(m), mastersCard(m)));
  } else {
    app.append(numbersTables(m), roomsCard(m), mastersCard(m));
  }
}

window.addEventListener('message', (e: MessageEvent<{ type: string; model?: DashboardModel; message?: string }>) => {
  const msg = e.data;
  if (msg.type === 'model' && msg.model) {
    model = msg.model;
    render();
  } else if (msg.type === 'error') {
    app.replaceChildren(el('p', { cls: 'error', text: `The dashboard could not be read: ${msg.message ?? ''}` }));
  }
});
render();
vscode.postMessage({ type: 'ready' });
