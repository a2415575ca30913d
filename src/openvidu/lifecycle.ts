/**
 * Rules of the cluster lifecycle actions: which stack states allow what, media group sizes, and the sizes a
 * shut-down cluster remembers. Pure.
 */
import { quoteInput } from './inputText';

export type LifecycleAction = 'scale' | 'update' | 'shutdown' | 'start' | 'delete';

const STABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

/** Whether an action can run on a stack in this status; when not, the reason says why and what to do. */
export function canRun(action: LifecycleAction, status: string): { ok: true } | { ok: false; reason: string } {
  if (status === 'DELETE_COMPLETE') return { ok: false, reason: 'the stack has been deleted.' };
  if (status.endsWith('_IN_PROGRESS')) {
    return { ok: false, reason: `the stack is ${status}: wait until the operation in progress finishes.` };
  }
  if (action === 'delete') return { ok: true };
  if (status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED') {
    return { ok: false, reason: `the stack is ${status} after a failed creation: it can only be deleted (then deploy again).` };
  }
  if (status === 'CREATE_FAILED') {
    return { ok: false, reason: 'the stack failed to create (resources were preserved for troubleshooting): read its events and boot logs, then delete it.' };
  }
  if (status === 'DELETE_FAILED') return { ok: false, reason: 'the stack failed to delete: delete it again (the reason is in its events).' };
  if (action === 'update' && status === 'UPDATE_ROLLBACK_FAILED') {
    return { ok: false, reason: 'the stack is UPDATE_ROLLBACK_FAILED: continue the rollback in the AWS console first.' };
  }
  if (!STABLE.has(status)) return { ok: false, reason: `the stack is ${status}.` };
  return { ok: true };
}

export interface GroupSize {
  min: number;
  desired: number;
  max: number;
}

export interface SizeIssue {
  field: 'min' | 'desired' | 'max';
  message: string;
}

/** AWS's own upper bound is the account quota; a sanity cap catches typos (e.g. 1000 instead of 10). */
export const MAX_MEDIA_NODES = 500;

/** Parses and checks typed sizes: whole numbers, 0 <= min <= desired <= max <= MAX_MEDIA_NODES. */
export function checkGroupSize(input: { min: string | number; desired: string | number; max: string | number }): { size?: GroupSize; issues: SizeIssue[] } {
  const issues: SizeIssue[] = [];
  const parse = (field: SizeIssue['field'], v: string | number): number | undefined => {
    const text = String(v).trim();
    if (!/^\d+$/.test(text)) {
      issues.push({ field, message: `${label(field)} must be a whole number of 0 or more (got ${quoteInput(text)}).` });
      return undefined;
    }
    const n = Number(text);
    if (n > MAX_MEDIA_NODES) issues.push({ field, message: `${label(field)} ${n} is more than ${MAX_MEDIA_NODES} media nodes: check for a typo.` });
    return n;
  };
  const min = parse('min', input.min);
  const desired = parse('desired', input.desired);
  const max = parse('max', input.max);
  if (min === undefined || desired === undefined || max === undefined) return { issues };
  if (min > max) issues.push({ field: 'min', message: `Minimum (${min}) must not be above maximum (${max}).` });
  if (desired < min) issues.push({ field: 'desired', message: `Desired (${desired}) must be at least the minimum (${min}): lower the minimum or raise desired.` });
  if (desired > max) issues.push({ field: 'desired', message: `Desired (${desired}) must not be above the maximum (${max}): raise the maximum or lower desired.` });
  return issues.length ? { issues } : { size: { min, desired, max }, issues };
}

function label(field: SizeIssue['field']): string {
  return field === 'min' ? 'Minimum' : field === 'max' ? 'Maximum' : 'Desired';
}

/** The ASG tag a shut-down cluster keeps its sizes in, so any machine can start it again. */
export const SAVED_SIZE_TAG = 'openvidu-ha-vscode:saved-size';

export function encodeSavedSize(size: GroupSize): string {
  return `min=${size.min},desired=${size.desired},max=${size.max}`;
}

export function decodeSavedSize(value: string | undefined): GroupSize | undefined {
  const m = /^min=(\d+),desired=(\d+),max=(\d+)$/.exec(value ?? '');
  if (!m) return undefined;
  const size = { min: Number(m[1]), desired: Number(m[2]), max: Number(m[3]) };
  return size.min <= size.desired && size.desired <= size.max ? size : undefined;
}

/** What a stack deletion keeps and loses, for the confirmation. */
export function deletionImpact(resources: { logicalId: string; type: string; physicalId?: string; status?: string }[]): { retained: string[]; lost: string[] } {
  const exists = (r: { physicalId?: string; status?: string }) => !!r.physicalId && r.status !== 'DELETE_COMPLETE' && r.status !== 'CREATE_FAILED';
  const buckets = resources.filter((r) => r.type === 'AWS::S3::Bucket' && r.physicalId).map((r) => r.physicalId!);
  // Count the masters that exist: a failed creation may have stopped before the fourth (the template's
  // OpenViduMasterNode1..4 are EC2 instances).
  const masters = resources.filter((r) => r.type === 'AWS::EC2::Instance' && /^OpenViduMasterNode\d+$/.test(r.logicalId) && exists(r)).length;
  return {
    retained: buckets.map((b) => `S3 bucket ${b} (retained by the template: empty and delete it by hand if you no longer need it)`),
    lost: [
      'the Secrets Manager secret with every URL and credential (apps using them stop working)',
      masters ? `${masters === 1 ? 'the 1 master node and its disk' : `the ${masters} master nodes and their disks`} (MongoDB, Redis, MinIO/S3 cache, Grafana/Loki/Mimir data)` : undefined,
      'the media nodes, the load balancer and its DNS name',
    ].filter((x): x is string => !!x),
  };
}
