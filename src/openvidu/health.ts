/**
 * What "healthy" means for an OpenVidu HA node and cluster. Pure: no vscode, no SDK.
 *
 * - A node that could not be checked (not registered with SSM, stopped, no answer) is "not checked": its own
 *   state, never counted as unhealthy nor as healthy.
 * - A container that exits by design in a deployment is expected, not a problem. In the HA deployment on AWS the
 *   cluster keeps its data in S3 buckets (the CloudFormation template creates them when none are given: OpenVidu's
 *   "OpenVidu High Availability installation: AWS", section "S3 bucket for application data, cluster data and
 *   recordings"), so the masters' `minio` service starts and exits at once with code 0 (`Exited (0)`); see
 *   /work/shared/docs/openvidu-ha-aws.md, "Services — masters: … minio (exits when external S3 is used)".
 *   The same container exiting with another code is a failure.
 */
import type { ServiceStatus } from './nodeCommands';

/** The deployments this extension manages (the AWS CloudFormation template of OpenVidu HA). */
export type Deployment = 'aws-ha';

export interface ExpectedExit {
  service: string;
  role: 'master' | 'media';
  exitCode: number;
  /** why, in words for the user */
  why: string;
}

export const EXPECTED_EXITS: Record<Deployment, ExpectedExit[]> = {
  'aws-ha': [{ service: 'minio', role: 'master', exitCode: 0, why: 'the AWS deployment stores data in S3 buckets, so MinIO is not used' }],
};

/** The exit code docker prints in a container's status ("Exited (0) 3 hours ago"), if it exited. */
export function exitCodeOf(s: ServiceStatus): number | undefined {
  const m = /^Exited \((-?\d+)\)/i.exec(s.status.trim());
  return m ? Number(m[1]) : undefined;
}

/** The rule that makes this service's exit expected on a node of this role, if any. */
export function expectedExit(s: ServiceStatus, role: 'master' | 'media', deployment: Deployment = 'aws-ha'): ExpectedExit | undefined {
  if (s.state !== 'exited') return undefined;
  const code = exitCodeOf(s);
  return EXPECTED_EXITS[deployment].find((e) => e.service === s.name && e.role === role && e.exitCode === code);
}

/** broken: unhealthy/restarting/dead; down: exited or not started unexpectedly; starting: healthcheck pending. */
export type ServiceHealth = 'ok' | 'expected' | 'starting' | 'down' | 'broken';

export function serviceHealth(s: ServiceStatus, role: 'master' | 'media', deployment: Deployment = 'aws-ha'): ServiceHealth {
  if (s.health === 'unhealthy' || s.state === 'restarting' || s.state === 'dead') return 'broken';
  if (expectedExit(s, role, deployment)) return 'expected';
  if (s.state !== 'running') return 'down';
  if (s.health === 'starting') return 'starting';
  return 'ok';
}

export interface HealthInput {
  role: 'master' | 'media';
  status?: { openvidu: string; services: ServiceStatus[] };
  /** why the node could not be checked */
  error?: string;
}

export type NodeHealth = 'healthy' | 'starting' | 'problems' | 'notChecked';

export function nodeHealth(row: HealthInput, deployment: Deployment = 'aws-ha'): NodeHealth {
  if (row.error || !row.status) return 'notChecked';
  if (row.status.openvidu !== 'active') return 'problems';
  const states = row.status.services.map((s) => serviceHealth(s, row.role, deployment));
  if (states.some((h) => h === 'broken' || h === 'down')) return 'problems';
  if (states.some((h) => h === 'starting')) return 'starting';
  return 'healthy';
}

export interface HealthSummary {
  total: number;
  checked: number;
  healthy: number;
  starting: number;
  problems: number;
  notChecked: number;
}

export function summarizeHealth(rows: HealthInput[], deployment: Deployment = 'aws-ha'): HealthSummary {
  const h = rows.map((r) => nodeHealth(r, deployment));
  const count = (k: NodeHealth) => h.filter((x) => x === k).length;
  const notChecked = count('notChecked');
  return { total: rows.length, checked: rows.length - notChecked, healthy: count('healthy'), starting: count('starting'), problems: count('problems'), notChecked };
}

/** "openvidu-demo: 2/2 checked nodes healthy · 4 not checked" — never counts unchecked nodes as unhealthy. */
export function healthSummaryText(label: string, s: HealthSummary): string {
  const parts = [s.checked ? `${s.healthy}/${s.checked} checked node${s.checked === 1 ? '' : 's'} healthy` : 'no node could be checked'];
  if (s.starting) parts.push(`${s.starting} starting`);
  if (s.problems) parts.push(`${s.problems} with problems`);
  if (s.notChecked) parts.push(`${s.notChecked} not checked`);
  return `${label}: ${parts.join(' · ')}.`;
}
