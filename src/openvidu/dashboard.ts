/**
 * The cluster dashboard's data, and the geometry of its charts. Pure (no vscode, no DOM): the extension
 * builds the model, the webview draws it (SVG drawn by hand, see webview/dashboard/main.ts) and lists the same
 * numbers in tables for screen readers.
 */
import type { Series } from './load';
import type { LiveRoom } from './rooms';

export interface DashboardNodeSeries {
  instanceId: string;
  series: Series;
}

export interface DashboardModel {
  stackName: string;
  region: string;
  /** ms since epoch */
  generatedAt: number;
  windowStart: number;
  windowEnd: number;
  periodSeconds: number;
  /** ScaleTargetCPU */
  target?: number;
  nodes: DashboardNodeSeries[];
  groupCpu: Series;
  nodeCount: Series;
  /** why CPU is missing, when it is */
  cpuError?: string;
  activities: { at: number; description: string; status: string }[];
  rooms: { ok: true; rooms: LiveRoom[] } | { ok: false; reason: string };
  masters: { label: string; instanceId: string; state: string; services?: string }[];
}

export interface Box {
  x0: number;
  x1: number;
  y0: number;
  /** bottom (SVG y grows downwards) */
  y1: number;
}

/** x for a time in the window. */
export function xOf(t: number, start: number, end: number, box: Box): number {
  if (end <= start) return box.x0;
  return box.x0 + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * (box.x1 - box.x0);
}

/** y for a value on a 0..max axis. */
export function yOf(v: number, max: number, box: Box): number {
  if (max <= 0) return box.y1;
  return box.y1 - (Math.min(Math.max(v, 0), max) / max) * (box.y1 - box.y0);
}

/** SVG polyline points ("x,y x,y…") of a series, rounded to 0.1 px. */
export function polylinePoints(s: Series, start: number, end: number, max: number, box: Box): string {
  return s.timestamps.map((t, i) => `${round1(xOf(t, start, end, box))},${round1(yOf(s.values[i], max, box))}`).join(' ');
}

/** Step chart points (a count holds until the next period). */
export function stepPoints(s: Series, start: number, end: number, max: number, box: Box): string {
  const pts: string[] = [];
  s.timestamps.forEach((t, i) => {
    const x = round1(xOf(t, start, end, box));
    const y = round1(yOf(s.values[i], max, box));
    if (i > 0) pts.push(`${x},${round1(yOf(s.values[i - 1], max, box))}`);
    pts.push(`${x},${y}`);
  });
  if (s.timestamps.length) pts.push(`${round1(box.x1)},${round1(yOf(s.values[s.values.length - 1], max, box))}`);
  return pts.join(' ');
}

/** A round axis maximum above every value and the target: 100 for CPU unless all is small. */
export function cpuAxisMax(values: number[], target?: number): number {
  const top = Math.max(0, ...values, target ?? 0);
  return top <= 25 ? 25 : top <= 50 ? 50 : 100;
}

export function countAxisMax(values: number[]): number {
  const top = Math.max(1, ...values);
  return top <= 5 ? 5 : Math.ceil(top / 5) * 5;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** "14:05" in UTC (the webview has no locale guarantee; UTC matches CloudWatch's timestamps). */
export function hhmm(t: number): string {
  return new Date(t).toISOString().slice(11, 16);
}

/** The summary a screen reader hears for the CPU chart. */
export function cpuChartLabel(m: DashboardModel): string {
  const last = m.groupCpu.values.at(-1);
  return `CPU of ${m.nodes.length} media node${m.nodes.length === 1 ? '' : 's'} over the last hour${last !== undefined ? `; group average now ${Math.round(last)}%` : ''}${m.target !== undefined ? `; scaling target ${m.target}%` : ''}.`;
}
