/**
 * Follows a stack being created: polls `DescribeStackEvents` only while the stack is in progress, reads only
 * the new events (newest first, stopping at the first event id already seen), keeps resources done / total,
 * and once the stack settles reads its outputs (DescribeStacks) once. No `vscode` import.
 */
import { loadStackEvents } from '../../aws/clusterApi';
import { describeStack } from '../../aws/deployApi';
import type { AwsSession } from '../../aws/session';
import { firstFailure } from '../../openvidu/stackEvents';
import type { EventRow, ProgressModel, StackOutcome } from '../../protocol/deployForm';
import { isThrottle } from '../../aws/errors';
import { PollBackoff } from '../../openvidu/pollBackoff';

const STACK_TYPE = 'AWS::CloudFormation::Stack';
/** longest wait between polls while AWS throttles them */
const MAX_THROTTLED_DELAY_MS = 120_000;
/** Bound on how many event pages one poll reads (the first poll of a long-running stack). */
const MAX_PAGES = 20;

export function outcomeOf(status: string, action: 'create' | 'update' = 'create'): StackOutcome {
  if (status === (action === 'update' ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE')) return 'complete';
  if (/_IN_PROGRESS$/.test(status) || status === '' || status === 'UNKNOWN') return 'inProgress';
  return 'failed';
}

export interface FollowerOptions {
  session: AwsSession;
  region: string;
  stackName: string;
  stackId?: string;
  /** a creation (default) or an update: what counts as done and as success */
  action?: 'create' | 'update';
  /** resources the template is expected to create (the denominator until the stack says otherwise) */
  expectedResources?: number;
  pollMs?: number;
  /** every poll's result: the progress and the events that are new since the previous call */
  onUpdate(progress: ProgressModel, newEvents: EventRow[]): void;
  liveKitCommandAvailable?(): Promise<boolean>;
  log?(message: string): void;
  describeError?(error: unknown): string;
  /** reads of a stack CloudFormation does not return yet (eventual consistency) are retried: first wait (default 1000 ms, doubled each time) */
  retryDelayMs?: number;
}

/** CloudFormation's answer for a stack it does not know (or does not return yet: its reads are eventually consistent). */
export function isStackMissing(e: unknown): boolean {
  return (e as Error)?.name === 'ValidationError' && /does not exist/.test((e as Error).message ?? '');
}

export class StackFollower {
  /** oldest first */
  readonly events: EventRow[] = [];
  private readonly seen = new Set<string>();
  private readonly latest = new Map<string, { status: string; type: string; reason?: string }>();
  private readonly everFailed = new Set<string>();
  private status: string;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly backoff = new PollBackoff(MAX_THROTTLED_DELAY_MS);
  private disposed = false;
  private polling?: Promise<ProgressModel>;
  private progress: ProgressModel;
  private settledResolve!: (p: ProgressModel) => void;
  /** resolves when the stack reaches a terminal state */
  readonly settled: Promise<ProgressModel>;

  constructor(private readonly o: FollowerOptions) {
    this.status = o.action === 'update' ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS';
    this.progress = { action: o.action ?? 'create', stackName: o.stackName, region: o.region, stackId: o.stackId, status: this.status, outcome: 'inProgress', done: 0, total: o.expectedResources ?? 0 };
    this.settled = new Promise((r) => (this.settledResolve = r));
  }

  get stackName(): string {
    return this.o.stackName;
  }
  get region(): string {
    return this.o.region;
  }
  snapshot(): ProgressModel {
    return structuredClone(this.progress);
  }
  isSettled(): boolean {
    return this.progress.outcome !== 'inProgress';
  }

  /** Marks the stack's existing events as seen (before an update: only the update's events are shown). */
  async prime(): Promise<void> {
    for (const e of await loadStackEvents(this.o.session, this.o.stackId ?? this.o.stackName, { maxPages: MAX_PAGES })) if (e.EventId) this.seen.add(e.EventId);
  }

  /** Poll until the stack settles (timer-driven, `pollMs` apart). */
  start(): void {
    if (this.disposed || this.timer) return;
    const loop = async () => {
      this.timer = undefined;
      if (this.disposed) return;
      const delay = await this.tick();
      if (!this.disposed && !this.isSettled()) this.timer = setTimeout(loop, delay);
    };
    this.timer = setTimeout(loop, 0);
  }

  /** One timed round: polls, and answers the ms to wait before the next (longer while AWS throttles: PollBackoff). */
  async tick(): Promise<number> {
    const interval = this.o.pollMs ?? 5000;
    try {
      await this.pollOnce();
      this.backoff.answered();
    } catch (e) {
      if (isThrottle(e)) this.backoff.throttled();
      this.o.log?.(`[deploy] polling ${this.o.stackName} failed: ${this.o.describeError?.(e) ?? (e as Error).message}${this.backoff.waiting ? `; AWS is throttling, next poll in ${this.backoff.delayMs(interval)} ms` : ''}`);
    }
    return this.backoff.delayMs(interval);
  }

  /** One poll (concurrent calls share it). Does nothing once the stack has settled. */
  pollOnce(): Promise<ProgressModel> {
    if (this.isSettled()) return Promise.resolve(this.snapshot());
    this.polling ??= this.poll().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async poll(): Promise<ProgressModel> {
    const ref = this.o.stackId ?? this.o.stackName;
    // Newest first: everything after the first event already seen was read before.
    const fresh = (await loadStackEvents(this.o.session, ref, { maxPages: MAX_PAGES, until: (e) => !!e.EventId && this.seen.has(e.EventId) })).filter((e) => e.EventId);

    const newRows: EventRow[] = [];
    for (const e of fresh.reverse()) {
      this.seen.add(e.EventId!);
      const row: EventRow = {
        id: e.EventId!,
        at: (e.Timestamp ?? new Date()).toISOString(),
        logicalId: e.LogicalResourceId ?? '',
        type: e.ResourceType ?? '',
        status: e.ResourceStatus ?? '',
        reason: e.ResourceStatusReason || undefined,
      };
      newRows.push(row);
      this.events.push(row);
      if (row.type === STACK_TYPE && (row.logicalId === this.o.stackName || !row.logicalId)) {
        this.status = row.status;
        if (!this.o.stackId && e.StackId) this.o.stackId = e.StackId;
      } else if (row.logicalId) {
        this.latest.set(row.logicalId, { status: row.status, type: row.type, reason: row.reason });
        if (/FAILED$/.test(row.status)) this.everFailed.add(row.logicalId);
      }
    }
    const doneStates = this.o.action === 'update' ? ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE'] : ['CREATE_COMPLETE'];
    const done = [...this.latest.values()].filter((r) => doneStates.includes(r.status)).length;
    const outcome = outcomeOf(this.status, this.o.action);
    this.progress = {
      action: this.o.action ?? 'create',
      stackName: this.o.stackName,
      region: this.o.region,
      stackId: this.o.stackId,
      status: this.status,
      outcome,
      done,
      total: Math.max(this.o.expectedResources ?? 0, this.latest.size, done),
    };
    if (outcome !== 'inProgress') await this.settle(outcome);
    this.o.onUpdate(this.snapshot(), newRows);
    if (outcome !== 'inProgress') this.settledResolve(this.snapshot());
    return this.snapshot();
  }

  private async settle(outcome: StackOutcome): Promise<void> {
    let stack: Awaited<ReturnType<typeof describeStack>>;
    try {
      // A stack just created may not be returned by DescribeStacks yet (eventual consistency): retry, backing off,
      // rather than report it missing.
      let delay = this.o.retryDelayMs ?? 1000;
      for (let attempt = 1; ; attempt++) {
        try {
          stack = await describeStack(this.o.session, this.o.stackId ?? this.o.stackName);
          break;
        } catch (e) {
          if (!isStackMissing(e) || attempt >= 6 || this.disposed) throw e;
          await new Promise((r) => setTimeout(r, delay));
          delay *= 2;
        }
      }
    } catch (e) {
      this.o.log?.(`[deploy] reading the outputs of ${this.o.stackName} failed: ${this.o.describeError?.(e) ?? (e as Error).message}`);
    }
    const outputs = Object.fromEntries((stack?.Outputs ?? []).map((x) => [x.OutputKey ?? '', x.OutputValue ?? '']));
    const params = Object.fromEntries((stack?.Parameters ?? []).map((x) => [x.ParameterKey ?? '', x.ParameterValue ?? '']));
    if (outcome === 'complete') {
      this.progress.total = this.progress.done;
      this.progress.completion = {
        loadBalancerDns: outputs.LoadBalancerDNS || undefined,
        domainName: params.DomainName || undefined,
        secretsConsoleUrl: outputs.ServicesAndCredentials || undefined,
        liveKitCommandAvailable: (await this.o.liveKitCommandAvailable?.().catch(() => false)) ?? false,
      };
      return;
    }
    this.progress.failure = failureModel(this.o.stackName, this.o.region, this.status, this.events, this.latest, this.everFailed, stack?.StackStatusReason);
    if (this.o.action === 'update') {
      this.progress.failure.nextSteps = /^UPDATE_ROLLBACK_(COMPLETE|IN_PROGRESS)/.test(this.status)
        ? [
            `CloudFormation rolled ${this.o.stackName} back to its previous configuration (${this.status}): the cluster keeps running as before the update.`,
            'Fix the cause named above (the failed resources and their reasons are listed), then run the update again.',
          ]
        : [`${this.o.stackName} is ${this.status}: read the failed resources above; if the rollback failed, continue it from the CloudFormation console (Continue update rollback), then update again.`];
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The headline (first failing event), the failed resources and next steps from OpenVidu's troubleshooting guide. */
export function failureModel(
  stackName: string,
  region: string,
  status: string,
  eventsOldestFirst: EventRow[],
  latest: Map<string, { status: string; type: string; reason?: string }>,
  everFailed: Set<string>,
  stackReason?: string,
): NonNullable<ProgressModel['failure']> {
  const newestFirst = [...eventsOldestFirst].reverse().map((e) => ({ LogicalResourceId: e.logicalId, ResourceType: e.type, ResourceStatus: e.status, ResourceStatusReason: e.reason }));
  const first = firstFailure(newestFirst.filter((e) => e.ResourceType !== STACK_TYPE)) ?? firstFailure(newestFirst);
  const headline = first ? `${first.LogicalResourceId}: ${first.ResourceStatusReason}` : stackReason || `The stack ended in ${status}.`;
  const failedResources = [...everFailed].map((id) => {
    const failedEvent = eventsOldestFirst.find((e) => e.logicalId === id && /FAILED$/.test(e.status));
    return { logicalId: id, type: latest.get(id)?.type ?? failedEvent?.type ?? '', reason: failedEvent?.reason };
  });
  const nextSteps: string[] = [];
  const instanceFailed = failedResources.some((r) => r.type === 'AWS::EC2::Instance' || r.type === 'AWS::CloudFormation::WaitCondition' || r.type === 'AWS::AutoScaling::AutoScalingGroup');
  if (instanceFailed) {
    // MasterNodesWaitCondition<n> waits for OpenViduMasterNode<n>'s installation to signal.
    const instances = failedResources.map((r) => /^MasterNodesWaitCondition(\d+)$/.exec(r.logicalId)?.[1]).filter(Boolean).map((n) => `OpenViduMasterNode${n}`);
    const which = instances.length ? ` (${[...new Set(instances)].join(', ')})` : '';
    nextSteps.push(
      `Read the boot log of the failing instance${which}: connect to it (SSM Session Manager, or SSH with the key pair) and look at /var/log/cloud-init-output.log (and /var/log/cloud-init.log). A WaitCondition timeout means the installation on that master did not finish.`,
    );
  }
  if (/parameter|pattern|constraint|does not exist|not authorized|limit|quota/i.test(headline)) {
    nextSteps.push('Fix the value or the account setting the reason names, then deploy again with a new stack name or after deleting this stack.');
  }
  if (status === 'CREATE_FAILED') {
    nextSteps.push(
      `The resources created so far were preserved for troubleshooting. When done, delete the stack (CloudFormation console, or: aws cloudformation delete-stack --stack-name ${stackName} --region ${region}) before deploying again; S3 buckets it created are retained and must be emptied and removed by hand.`,
    );
  } else {
    nextSteps.push(
      `The stack rolled back (${status}). Delete it (aws cloudformation delete-stack --stack-name ${stackName} --region ${region}) before reusing the name; to inspect failed resources next time, keep "Preserve successfully provisioned resources" on.`,
    );
  }
  return { headline, logicalId: first?.LogicalResourceId, failedResources, nextSteps, stackStatus: status };
}
