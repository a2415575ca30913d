/**
 * Media-node CPU from CloudWatch `GetMetricData`: `AWS/EC2 CPUUtilization` Average per media node, the group's
 * Average and SampleCount (dimension AutoScalingGroupName), over a window, in as few calls as the API allows:
 * up to 500 queries per call (Amazon CloudWatch API Reference, GetMetricData), so one call for up to 498 media
 * nodes; NextToken pages are followed (MaxDatapoints, 100,800 by default).
 */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { AwsSession } from './session';
import { ascending, nodeCountFromSamples, type ClusterLoad, type Series } from '../openvidu/load';
import { sdk } from './sdk';

/** GetMetricData's limit of queries per call. */
export const MAX_QUERIES_PER_CALL = 500;

export interface LoadRequest {
  asgName: string;
  instanceIds: string[];
  startMs: number;
  endMs: number;
  periodSeconds: number;
}

function cpu(dimension: { Name: string; Value: string }, id: string, stat: string, period: number): MetricDataQuery {
  return { Id: id, MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [dimension] }, Period: period, Stat: stat }, ReturnData: true };
}

/** The queries for a load request (ids: g_cpu, g_count, n0…). */
export function loadQueries(req: LoadRequest): MetricDataQuery[] {
  const group = { Name: 'AutoScalingGroupName', Value: req.asgName };
  return [
    cpu(group, 'g_cpu', 'Average', req.periodSeconds),
    cpu(group, 'g_count', 'SampleCount', req.periodSeconds),
    ...req.instanceIds.map((id, i) => cpu({ Name: 'InstanceId', Value: id }, `n${i}`, 'Average', req.periodSeconds)),
  ];
}

export async function loadClusterLoad(session: AwsSession, req: LoadRequest, signal?: AbortSignal): Promise<ClusterLoad & { calls: number }> {
  const cw = await session.cloudWatch();
  const queries = loadQueries(req);
  const raw = new Map<string, { t: number[]; v: number[] }>();
  let calls = 0;
  for (let i = 0; i < queries.length; i += MAX_QUERIES_PER_CALL) {
    const batch = queries.slice(i, i + MAX_QUERIES_PER_CALL);
    let token: string | undefined;
    do {
      const out = await cw.send(new (await sdk.cloudWatch()).GetMetricDataCommand({ MetricDataQueries: batch, StartTime: new Date(req.startMs), EndTime: new Date(req.endMs), NextToken: token }), { abortSignal: signal });
      calls++;
      for (const r of out.MetricDataResults ?? []) {
        if (!r.Id) continue;
        let acc = raw.get(r.Id);
        if (!acc) raw.set(r.Id, (acc = { t: [], v: [] }));
        acc.t.push(...(r.Timestamps ?? []).map((d) => d.getTime()));
        acc.v.push(...(r.Values ?? []));
      }
      token = out.NextToken;
    } while (token);
  }
  const series = (id: string): Series => {
    const r = raw.get(id);
    return r ? ascending(r.t, r.v) : { timestamps: [], values: [] };
  };
  const perNode = new Map<string, Series>();
  req.instanceIds.forEach((id, i) => perNode.set(id, series(`n${i}`)));
  return { perNode, groupCpu: series('g_cpu'), nodeCount: nodeCountFromSamples(series('g_count'), req.periodSeconds), periodSeconds: req.periodSeconds, calls };
}

/** Scaling activities of the media group since `sinceMs`, newest first (DescribeScalingActivities, one page of up to 100). */
export async function loadScalingHistory(session: AwsSession, asgName: string, sinceMs: number): Promise<{ at: number; description: string; status: string }[]> {
  const { DescribeScalingActivitiesCommand } = await sdk.autoScaling();
  const client = await session.autoScaling();
  const r = await client.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: asgName, MaxRecords: 100 }));
  return (r.Activities ?? [])
    .filter((a) => a.StartTime && a.StartTime.getTime() >= sinceMs)
    .map((a) => ({ at: a.StartTime!.getTime(), description: a.Description ?? '', status: a.StatusCode ?? '' }));
}
