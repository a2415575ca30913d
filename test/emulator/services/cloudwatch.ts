/**
 * CloudWatch `GetMetricData` for the metrics the extension reads: `AWS/EC2 CPUUtilization` per instance
 * (dimension InstanceId) and per Auto Scaling group (dimension AutoScalingGroupName), answered from the
 * simulated load (livekit.ts `cpuAt`). Other metrics exist but have no data (an empty result, as AWS gives for
 * a metric nobody published).
 *
 * Sources (Amazon CloudWatch API Reference, GetMetricData, and the service model monitoring-2010-08-01):
 * - "A GetMetricData operation that does not include a query can retrieve as many as 500 different metrics in
 *   a single request, with a total of as many as 100,800 data points": MetricDataQueries 1..500 (model
 *   constraint, ValidationError), MaxDatapoints default 100,800, beyond it the answer pages with NextToken.
 * - MetricDataQuery.Id: "must start with a lowercase letter… can include only letters, numbers, and
 *   underscore", 1..255, unique in the request; exactly one of MetricStat / Expression.
 * - Period: "1, 5, 10, 20, 30, 60, or any multiple of 60" (high resolution only for custom metrics); with
 *   StartTime more than 3 hours ago the period must be a multiple of 60, more than 15 days a multiple of
 *   300, more than 63 days a multiple of 3600 (retention: <60 s for 3 h, 60 s for 15 days, 300 s for 63
 *   days, 3600 s for 455 days). StartTime must be before EndTime.
 * - Stat: SampleCount, Average, Sum, Minimum, Maximum and percentiles pNN(.NN) (CloudWatch User Guide,
 *   "Statistics definitions").
 * - Results: Timestamps and Values newest first unless ScanBy=TimestampAscending; each timestamp is the start
 *   of its period, periods counted from StartTime, which CloudWatch rounds down (less than 15 days ago: to the
 *   minute; 15–63 days: to 5 minutes; older: to the hour); StatusCode Complete (PartialData when paged).
 * - EC2 basic monitoring publishes CPUUtilization every 5 minutes (EC2 User Guide, "Monitor your instances
 *   using CloudWatch": basic monitoring, 5-minute periods); the AutoScalingGroupName dimension aggregates the
 *   group's instances ("List the available CloudWatch metrics for your instances", dimensions).
 * Metric math (Expression) and Metrics Insights queries are not modelled: the emulator answers
 * InvalidParameterValue naming the limitation.
 */
import type { ServiceModule } from '../server';
import { AwsError, asInt, asList, asString } from '../protocol';
import type { Instance, World } from '../world';
import { cpuAt, participantsPerNode } from '../livekit';

const SAMPLE_MS = 300_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Dimension {
  Name?: string;
  Value?: string;
}
interface Query {
  Id?: string;
  Label?: string;
  ReturnData?: boolean;
  Expression?: string;
  MetricStat?: { Metric?: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] }; Period?: number; Stat?: string; Unit?: string };
}

const invalid = (msg: string) => new AwsError('InvalidParameterValue', msg, 400);

function toMs(v: unknown, field: string): number {
  if (typeof v === 'number') return v * 1000;
  if (typeof v === 'string' && v) {
    const n = Number(v);
    const ms = Number.isFinite(n) ? n * 1000 : Date.parse(v);
    if (Number.isFinite(ms)) return ms;
  }
  throw new AwsError('ValidationError', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`, 400);
}

/** When a non-running instance stopped publishing: the time in its StateTransitionReason, else its launch. */
function stoppedAt(inst: Instance, now: number): number {
  if (inst.state === 'running' || inst.state === 'pending') return now;
  const m = /\((\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) GMT\)/.exec(inst.stateTransitionReason ?? '');
  return m ? Date.parse(`${m[1].replace(' ', 'T')}Z`) : inst.launchTime;
}

/** The 5-minute samples of one instance in [from, to). */
function samples(world: World, inst: Instance, from: number, to: number, people: number): { t: number; v: number }[] {
  const now = world.now();
  const until = Math.min(to, stoppedAt(inst, now), now);
  const out: { t: number; v: number }[] = [];
  for (let t = Math.ceil(Math.max(from, inst.launchTime) / SAMPLE_MS) * SAMPLE_MS; t < until; t += SAMPLE_MS) {
    const v = cpuAt(world, inst.instanceId, t, people);
    if (v !== undefined) out.push({ t, v });
  }
  return out;
}

function statOf(stat: string, values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  switch (stat) {
    case 'SampleCount':
      return values.length;
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return sorted[0];
    case 'Maximum':
      return sorted[sorted.length - 1];
    default: {
      const p = Number(stat.slice(1)) / 100;
      return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
    }
  }
}

function validate(queries: Query[], start: number, end: number, now: number): void {
  if (queries.length < 1 || queries.length > 500) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '[…${queries.length} items]' at 'metricDataQueries' failed to satisfy constraint: Member must have length less than or equal to 500`, 400);
  }
  if (!(start < end)) throw invalid('The parameter StartTime must be less than the parameter EndTime.');
  const ids = new Set<string>();
  for (const q of queries) {
    const id = q.Id ?? '';
    if (!/^[a-z][A-Za-z0-9_]{0,254}$/.test(id)) throw invalid(`The value ${id} for parameter MetricDataQueries.member.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (ids.has(id)) throw invalid(`The value ${id} for parameter MetricDataQueries.member.Id is duplicated.`);
    ids.add(id);
    if (q.Expression !== undefined) throw invalid(`Metric math and Metrics Insights expressions are not supported by this emulator (query ${id}).`);
    if (!q.MetricStat) throw invalid(`Exactly one of MetricStat or Expression must be specified for query ${id}.`);
    const period = q.MetricStat.Period;
    if (typeof period !== 'number' || !Number.isInteger(period) || period < 1) throw invalid(`The parameter MetricDataQueries.member.MetricStat.Period is required and must be a positive integer (query ${id}).`);
    if (![1, 5, 10, 20, 30].includes(period) && period % 60 !== 0) throw invalid(`The parameter MetricDataQueries.member.MetricStat.Period must be 1, 5, 10, 20, 30, 60 or a multiple of 60 (query ${id}).`);
    const age = now - start;
    if (age > 63 * DAY && period % 3600 !== 0) throw invalid(`With a StartTime more than 63 days ago the period must be a multiple of 3600 seconds (query ${id}).`);
    if (age > 15 * DAY && period % 300 !== 0) throw invalid(`With a StartTime more than 15 days ago the period must be a multiple of 300 seconds (query ${id}).`);
    if (age > 3 * HOUR && period % 60 !== 0) throw invalid(`With a StartTime more than 3 hours ago the period must be a multiple of 60 seconds (query ${id}).`);
    const stat = q.MetricStat.Stat ?? '';
    if (!['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'].includes(stat) && !/^p(\d{1,2}(\.\d{1,2})?|100)$/.test(stat)) throw invalid(`The parameter MetricDataQueries.member.MetricStat.Stat ${stat} is not a valid statistic (query ${id}).`);
  }
}

function instancesFor(world: World, region: string, dims: Dimension[]): Instance[] {
  const r = world.region(region);
  const d = new Map(dims.map((x) => [x.Name ?? '', x.Value ?? '']));
  if (d.size !== 1) return [];
  if (d.has('InstanceId')) {
    const i = r.instances.get(d.get('InstanceId')!);
    return i ? [i] : [];
  }
  if (d.has('AutoScalingGroupName')) {
    const name = d.get('AutoScalingGroupName')!;
    return [...r.instances.values()].filter((i) => i.tags['aws:autoscaling:groupName'] === name);
  }
  return [];
}

export const cloudwatch: ServiceModule = {
  service: 'cloudwatch',
  handlers: {
    GetMetricData: ({ world, region, params, now }) => {
      const queries = asList<Query>(params.MetricDataQueries);
      const start = toMs(params.StartTime, 'startTime');
      const end = toMs(params.EndTime, 'endTime');
      validate(queries, start, end, now);
      const ascending = asString(params.ScanBy) === 'TimestampAscending';
      const max = asInt(params.MaxDatapoints) ?? 100_800;
      let skip = 0;
      const token = asString(params.NextToken);
      if (token) {
        const m = /^gmd-(\d+)$/.exec(Buffer.from(token, 'base64').toString());
        if (!m) throw new AwsError('InvalidNextToken', 'The service returned an invalid NextToken.', 400);
        skip = Number(m[1]);
      }
      const people = participantsPerNode(world);
      const all: { Id: string; Label: string; points: { t: number; v: number }[] }[] = [];
      for (const q of queries) {
        if (q.ReturnData === false) continue;
        const ms = q.MetricStat!;
        const metric = ms.Metric ?? {};
        const period = ms.Period! * 1000;
        const age = now - start;
        const round = age > 63 * DAY ? HOUR : age > 15 * DAY ? SAMPLE_MS : 60_000;
        const origin = Math.floor(start / round) * round;
        const buckets = new Map<number, number[]>();
        if (metric.Namespace === 'AWS/EC2' && metric.MetricName === 'CPUUtilization') {
          for (const inst of instancesFor(world, region.name, metric.Dimensions ?? [])) {
            for (const s of samples(world, inst, origin, end, people.get(inst.instanceId) ?? 0)) {
              const b = origin + Math.floor((s.t - origin) / period) * period;
              let list = buckets.get(b);
              if (!list) buckets.set(b, (list = []));
              list.push(s.v);
            }
          }
        }
        const points = [...buckets.entries()]
          .map(([t, values]) => ({ t, v: Math.round(statOf(ms.Stat!, values) * 1e6) / 1e6 }))
          .sort((a, b) => (ascending ? a.t - b.t : b.t - a.t));
        all.push({ Id: q.Id!, Label: q.Label ?? metric.MetricName ?? q.Id!, points });
      }
      // Paging by data points across the queries, in order (MaxDatapoints, NextToken).
      let budget = max;
      let seen = 0;
      let truncated = false;
      const results = all.map((r) => {
        const from = Math.max(0, skip - seen);
        const take = r.points.slice(from, from + Math.max(0, budget));
        seen += r.points.length;
        budget -= take.length;
        const partial = from + take.length < r.points.length;
        if (partial) truncated = true;
        return { Id: r.Id, Label: r.Label, Timestamps: take.map((p) => new Date(p.t)), Values: take.map((p) => p.v), StatusCode: partial ? 'PartialData' : 'Complete' };
      });
      return {
        MetricDataResults: results,
        Messages: [],
        ...(truncated ? { NextToken: Buffer.from(`gmd-${skip + max}`).toString('base64') } : {}),
      };
    },
  },
};
