/**
 * Media-node load against the scaling target, in the user's terms. Pure: CloudWatch answers come in as series.
 * The media group scales on `ASGAverageCPUUtilization` toward the stack's `ScaleTargetCPU` (the template's
 * target-tracking policy), so the group's average CPU is the number to compare with it.
 */

export interface Series {
  /** ms since epoch, oldest first */
  timestamps: number[];
  values: number[];
}

export interface ClusterLoad {
  /** average CPU of each media node, by instance id */
  perNode: Map<string, Series>;
  /** the group's average CPU */
  groupCpu: Series;
  /** media nodes reporting in each period (in service) */
  nodeCount: Series;
  periodSeconds: number;
}

/** CloudWatch period for a window: 1 h → 300 s (EC2 basic monitoring publishes every 5 minutes). */
export const EC2_BASIC_PERIOD_SECONDS = 300;

/** The stack's scaling target (percent), from its ScaleTargetCPU parameter. */
export function scaleTarget(parameters: Record<string, string>): number | undefined {
  const v = Number(parameters.ScaleTargetCPU);
  return parameters.ScaleTargetCPU !== undefined && Number.isFinite(v) && v > 0 && v <= 100 ? v : undefined;
}

/** The newest value of a series, with its time. */
export function latest(s: Series | undefined): { at: number; value: number } | undefined {
  if (!s || !s.values.length) return undefined;
  let i = 0;
  for (let j = 1; j < s.timestamps.length; j++) if (s.timestamps[j] > s.timestamps[i]) i = j;
  return { at: s.timestamps[i], value: s.values[i] };
}

/** Oldest-first copy of CloudWatch's (newest-first by default) timestamps and values. */
export function ascending(timestamps: number[], values: number[]): Series {
  const idx = timestamps.map((_, i) => i).sort((a, b) => timestamps[a] - timestamps[b]);
  return { timestamps: idx.map((i) => timestamps[i]), values: idx.map((i) => values[i]) };
}

/** Nodes in service per period from the group's CPU SampleCount: each node publishes one sample per 5 minutes. */
export function nodeCountFromSamples(sampleCount: Series, periodSeconds: number): Series {
  const perNode = Math.max(1, periodSeconds / EC2_BASIC_PERIOD_SECONDS);
  return { timestamps: [...sampleCount.timestamps], values: sampleCount.values.map((n) => Math.round(n / perNode)) };
}

/** "CPU 42% · target 50%" / "CPU 71% · above target 50%" / "CPU —" */
export function cpuAgainstTarget(cpu: number | undefined, target: number | undefined): string {
  if (cpu === undefined) return target === undefined ? 'CPU: no data yet' : `CPU: no data yet · target ${target}%`;
  const now = `CPU ${Math.round(cpu)}%`;
  if (target === undefined) return now;
  if (cpu > target * 1.1) return `${now} · above target ${target}% (scale out expected)`;
  if (cpu < target * 0.5) return `${now} · well below target ${target}%`;
  return `${now} · target ${target}%`;
}
