/**
 * Systems Manager (JSON 1.1, target prefix AmazonSSM): managed-instance inventory and Run Command with
 * `AWS-RunShellScript`, executed by the node simulator (../node-shell.ts) over simulated time.
 *
 * Managed = `ssmRegistered`, or the account's Default Host Management Configuration, or the instance profile's role
 * has AmazonSSMManagedInstanceCore. An instance that becomes managed while running (policy attached, setting turned
 * on) registers `lateRegistrationMs` later (the agent retries for credentials); one managed at boot registers at once.
 */
import type { Handler, HttpRoute, ServiceModule } from '../server';
import { AwsError } from '../protocol';
import type { Instance, RegionState, SimNode, SsmCommand, SsmInvocation, World } from '../world';
import { addService, createBareNode, findService, observeInstanceState, rebaseSimNode, setServiceState } from '../node-sim';
import { runScript, ScriptResult } from '../node-shell';
import { attachNodeConfig, nodeConfigEnv } from '../node-config-stack';

/** MaxDocumentSizeExceeded: "The size limit of a document is 64 KB." */
export const MAX_DOCUMENT_BYTES = 64 * 1024;
export const SSM_CORE_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
export const SSM_AGENT_VERSION = '3.3.2299.0';
/** AWS: GetCommandInvocation StandardOutputContent holds the first 24,000 characters, stderr the first 8,000 */
export const STDOUT_LIMIT = 24_000;
export const STDERR_LIMIT = 8_000;
/**
 * ListCommandInvocations(Details=true) CommandPlugins[].Output is the plugin output as the SSM agent builds it:
 * amazon-ssm-agent agent/framework/processor/executer/iohandler/iohandler.go, `MaximumPluginOutputSize` (2500 bytes
 * in agent 3.x, 2400 in older agents) and `TruncateOutput` (see truncatePluginOutput below).
 */
export const PLUGIN_OUTPUT_LIMIT = 2_500;
/** iohandler.go: `truncateOut`, `truncateError` and the error title TruncateOutput puts between stdout and stderr */
export const TRUNCATE_OUT = '\n---Output truncated---';
export const TRUNCATE_ERROR = '\n---Error truncated----';
export const ERROR_TITLE = '\n----------ERROR-------\n';
/** AWS-RunShellScript's executionTimeout parameter: default 3600, allowed 1..172800 (the document's allowedPattern) */
export const DEFAULT_EXECUTION_TIMEOUT_S = 3600;
/** default delay between an instance becoming managed while running and its agent registering */
export const DEFAULT_LATE_REGISTRATION_MS = 120_000;
const PLUGIN = 'aws:runShellScript';
const TERMINAL = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);

interface AgentState {
  /** the instance was managed when first seen / at its last boot */
  registeredAt?: number;
  /** when the managed condition was first seen true while the agent was not registered */
  managedSince?: number;
  lastRunning?: boolean;
  lastPingAt?: number;
}
const agents = new WeakMap<Instance, AgentState>();
function agent(i: Instance): AgentState {
  let a = agents.get(i);
  if (!a) {
    a = {};
    agents.set(i, a);
  }
  return a;
}

/** Whether the instance's credentials / account settings let its SSM agent register. */
export function isSsmManaged(world: World, inst: Instance): boolean {
  if (inst.ssmRegistered || world.settings.defaultHostManagement) return true;
  if (!inst.iamInstanceProfileArn) return false;
  const profile = [...world.iam.instanceProfiles.values()].find((p) => p.arn === inst.iamInstanceProfileArn || inst.iamInstanceProfileArn?.endsWith(`/${p.name}`));
  if (!profile) return false;
  return profile.roleNames.some((r) => world.iam.roles.get(r)?.attachedPolicyArns.includes(SSM_CORE_POLICY_ARN));
}

function lateRegistrationMs(world: World): number {
  const v = world.settings.ssmLateRegistrationMs;
  return typeof v === 'number' ? v : DEFAULT_LATE_REGISTRATION_MS;
}

/** the previous tick's instant per world: a change seen now happened after it */
const lastTick = new WeakMap<World, number>();

/** Advance the agent's registration for one instance (called from the tick hook). */
function updateAgent(world: World, inst: Instance, now: number): void {
  const a = agent(inst);
  const running = inst.state === 'running';
  const managed = isSsmManaged(world, inst);
  const firstSeen = a.lastRunning === undefined;
  const booted = running && a.lastRunning === false;
  if (running) a.lastPingAt = now;
  a.lastRunning = running;
  if (a.registeredAt !== undefined) return;
  if (!managed) {
    a.managedSince = undefined;
    return;
  }
  if (running && (firstSeen || booted)) {
    // the agent starts with the OS and registers a little later: a new instance is not listed by
    // DescribeInstanceInformation at once (settings.ssmRegistrationDelayMs, default 0; tests opt in)
    a.registeredAt = now + (world.settings.ssmRegistrationDelayMs ?? 0);
    return;
  }
  if (!running) return;
  if (a.managedSince === undefined) a.managedSince = Math.min(now, lastTick.get(world) ?? now);
  if (now >= a.managedSince + lateRegistrationMs(world)) a.registeredAt = a.managedSince + lateRegistrationMs(world);
}

/** PingStatus as DescribeInstanceInformation reports it; undefined = not a managed node (not listed). */
export function ssmStatus(world: World, inst: Instance): 'Online' | 'ConnectionLost' | 'Inactive' | undefined {
  const a = agent(inst);
  if (a.registeredAt === undefined || a.registeredAt > world.now()) return undefined;
  if (!isSsmManaged(world, inst)) return 'ConnectionLost';
  if (inst.state === 'terminated') return 'Inactive';
  if (inst.state !== 'running') return 'ConnectionLost';
  return 'Online';
}

function allInstances(world: World): Instance[] {
  const out: Instance[] = [];
  for (const r of world.regions.values()) out.push(...r.instances.values());
  return out;
}

/**
 * The SSM agent's `TruncateOutput(stdout, stderr, capacity)` (amazon-ssm-agent, agent/framework/processor/executer/
 * iohandler/iohandler.go; cases pinned by iohandler_test.go): Go `len` and slicing count BYTES, the 24-byte error
 * title is reserved only when stderr is not empty, and room is kept for stderr. A cut may split a UTF-8 character;
 * the JSON the agent sends carries U+FFFD for the broken bytes (Go's encoding/json), as Buffer#toString does here.
 */
export function truncatePluginOutput(stdout: string, stderr: string, capacity = PLUGIN_OUTPUT_LIMIT): string {
  const out = Buffer.from(stdout, 'utf8');
  const err = Buffer.from(stderr, 'utf8');
  const title = err.length > 0 ? ERROR_TITLE : '';
  const available = capacity - Buffer.byteLength(title);
  const cut = (b: Buffer, n: number) => b.subarray(0, Math.max(0, n)).toString('utf8');
  if (out.length + err.length < available) return `${stdout}${title}${stderr}`;
  const half = Math.trunc(available / 2);
  if (out.length > half && err.length > half) {
    const size = available - TRUNCATE_ERROR.length - TRUNCATE_OUT.length;
    return `${cut(out, Math.trunc(size / 2))}${TRUNCATE_OUT}${title}${cut(err, Math.trunc(size / 2))}${TRUNCATE_ERROR}`;
  }
  if (out.length < half) return `${stdout}${title}${cut(err, available - TRUNCATE_ERROR.length - out.length)}${TRUNCATE_ERROR}`;
  return `${cut(out, available - TRUNCATE_OUT.length - err.length)}${TRUNCATE_OUT}${title}${stderr}`;
}

// ------------------------------------------------------------------------------------------------------------
// pagination tokens

function token(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64');
}
function fromToken(t: unknown): number {
  if (t === undefined || t === null || t === '') return 0;
  try {
    const v = JSON.parse(Buffer.from(String(t), 'base64').toString('utf8')) as { o?: number };
    if (typeof v.o === 'number') return v.o;
  } catch {
    // fall through
  }
  throw new AwsError('InvalidNextToken', 'The specified token isn\'t valid.');
}
function page<T>(items: T[], params: Record<string, unknown>, max: { min: number; max: number; def: number; member: string }): { items: T[]; next?: string } {
  const mr = params.MaxResults;
  if (mr !== undefined && (typeof mr !== 'number' || mr < max.min || mr > max.max)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${String(mr)}' at '${max.member}' failed to satisfy constraint: Member must have value ${typeof mr === 'number' && mr < max.min ? `greater than or equal to ${max.min}` : `less than or equal to ${max.max}`}`,
    );
  }
  const size = (mr as number | undefined) ?? max.def;
  const start = fromToken(params.NextToken);
  const slice = items.slice(start, start + size);
  return { items: slice, next: start + size < items.length ? token(start + size) : undefined };
}

// ------------------------------------------------------------------------------------------------------------
// inventory

export function hostname(inst: Instance): string {
  return `ip-${inst.privateIpAddress.replace(/\./g, '-')}`;
}

function roleNameOf(world: World, inst: Instance): string | undefined {
  const p = [...world.iam.instanceProfiles.values()].find((x) => x.arn === inst.iamInstanceProfileArn);
  return p?.roleNames[0];
}

const describeInstanceInformation: Handler = ({ world, region, params, now }) => {
  const filterValues = new Map<string, string[]>();
  const addFilter = (key: unknown, values: unknown) => {
    const k = String(key);
    const vs = Array.isArray(values) ? values.map(String) : [];
    if (!vs.length) throw new AwsError('InvalidInstanceInformationFilterValue', `The filter value for key ${k} is empty.`);
    filterValues.set(k, [...(filterValues.get(k) ?? []), ...vs]);
  };
  for (const f of (params.InstanceInformationFilterList as { key?: string; valueSet?: string[] }[] | undefined) ?? []) {
    if (!['InstanceIds', 'AgentVersion', 'PingStatus', 'PlatformTypes', 'ActivationIds', 'IamRole', 'ResourceType', 'AssociationStatus'].includes(String(f.key))) {
      throw new AwsError('InvalidInstanceInformationFilterValue', `The filter key ${f.key} is not valid.`);
    }
    addFilter(f.key, f.valueSet);
  }
  for (const f of (params.Filters as { Key?: string; Values?: string[] }[] | undefined) ?? []) {
    if (!f.Key) throw new AwsError('InvalidFilterKey', 'The filter key is missing.');
    addFilter(f.Key, f.Values);
  }
  if (params.InstanceInformationFilterList && params.Filters) {
    throw new AwsError('ValidationException', 'InstanceInformationFilterList and Filters cannot be used together.');
  }
  // API reference, DescribeInstanceInformation: "If you specify a node ID that isn't valid or a node that you don't
  // own, you receive an error" (InvalidInstanceId: "SSM Agent isn't registered with the SSM endpoint", "the managed
  // node isn't in valid state"). The legacy InstanceInformationFilterList `InstanceIds` key answers that error for
  // an id that is not a managed node; the `Filters` InstanceIds key filters the managed nodes and leaves the others out.
  const legacyIds = ((params.InstanceInformationFilterList as { key?: string; valueSet?: string[] }[] | undefined) ?? [])
    .filter((f) => f.key === 'InstanceIds')
    .flatMap((f) => f.valueSet ?? []);
  const unmanaged = legacyIds.filter((id) => {
    const inst = region.instances.get(id);
    return !inst || ssmStatus(world, inst) === undefined || inst.state === 'terminated' || inst.state === 'shutting-down';
  });
  if (unmanaged.length) throw new AwsError('InvalidInstanceId', `Instances [${unmanaged.map((b) => `[${b}]`).join(', ')}] not in a valid state for account ${world.accountId}`);
  const rows = [...region.instances.values()]
    .map((inst) => ({ inst, ping: ssmStatus(world, inst) }))
    .filter((x): x is { inst: Instance; ping: 'Online' | 'ConnectionLost' | 'Inactive' } => x.ping !== undefined)
    .map(({ inst, ping }) => {
      const a = agent(inst);
      const role = roleNameOf(world, inst);
      return {
        InstanceId: inst.instanceId,
        PingStatus: ping,
        LastPingDateTime: new Date(ping === 'Online' ? now - ((now - (a.registeredAt ?? now)) % 60_000) : (a.lastPingAt ?? a.registeredAt ?? now)),
        AgentVersion: SSM_AGENT_VERSION,
        IsLatestVersion: false,
        PlatformType: 'Linux',
        PlatformName: 'Ubuntu',
        PlatformVersion: '24.04',
        ...(role ? { IamRole: role } : {}),
        RegistrationDate: new Date(a.registeredAt ?? now),
        ResourceType: 'EC2Instance',
        IPAddress: inst.privateIpAddress,
        ComputerName: `${hostname(inst)}.${inst.region}.compute.internal`,
        AssociationStatus: 'Success',
        SourceId: inst.instanceId,
        SourceType: 'AWS::EC2::Instance',
      };
    })
    .filter((row) => {
      for (const [k, vs] of filterValues) {
        if (k === 'InstanceIds' && !vs.includes(row.InstanceId)) return false;
        if (k === 'PingStatus' && !vs.includes(row.PingStatus)) return false;
        if ((k === 'PlatformTypes' || k === 'PlatformType') && !vs.includes(row.PlatformType)) return false;
        if (k === 'ResourceType' && !vs.includes(row.ResourceType)) return false;
        if (k === 'AgentVersion' && !vs.includes(row.AgentVersion)) return false;
        if (k === 'IamRole' && !vs.includes(row.IamRole ?? '')) return false;
        if (k.startsWith('tag:')) {
          const inst = region.instances.get(row.InstanceId);
          if (!inst || !vs.includes(inst.tags[k.slice(4)])) return false;
        }
        if (k === 'tag-key') {
          const inst = region.instances.get(row.InstanceId);
          if (!inst || !vs.some((v) => v in inst.tags)) return false;
        }
      }
      return true;
    })
    .sort((a, b) => a.InstanceId.localeCompare(b.InstanceId));
  const p = page(rows, params, { min: 5, max: 50, def: 50, member: 'maxResults' });
  return { InstanceInformationList: p.items, ...(p.next ? { NextToken: p.next } : {}) };
};

// ------------------------------------------------------------------------------------------------------------
// Run Command

function isoMs(t: number | undefined): string {
  return t === undefined ? '' : new Date(t).toISOString();
}
function elapsed(inv: SsmInvocation, now: number): string {
  if (inv.startedAt === undefined) return '';
  const end = inv.endedAt ?? now;
  return `PT${((end - inv.startedAt) / 1000).toFixed(3)}S`;
}

function executionTimeoutMs(cmd: SsmCommand): number {
  return Number(cmd.parameters.executionTimeout?.[0] ?? DEFAULT_EXECUTION_TIMEOUT_S) * 1000;
}

function resolveTargets(region: RegionState, targets: { Key?: string; Values?: string[] }[]): string[] {
  let ids = [...region.instances.values()];
  for (const t of targets) {
    const key = t.Key ?? '';
    const values = t.Values ?? [];
    if (key === 'InstanceIds') ids = ids.filter((i) => values.includes(i.instanceId));
    else if (key.startsWith('tag:')) ids = ids.filter((i) => values.includes(i.tags[key.slice(4)]));
    else if (key === 'tag-key') ids = ids.filter((i) => values.some((v) => v in i.tags));
    else throw new AwsError('InvalidTarget', `Target key ${key} is not supported.`);
  }
  return ids.map((i) => i.instanceId);
}

const sendCommand: Handler = ({ world, region, params, now }) => {
  const documentName = String(params.DocumentName ?? '');
  if (!documentName) throw new AwsError('ValidationException', "1 validation error detected: Value null at 'documentName' failed to satisfy constraint: Member must not be null");
  if (documentName !== 'AWS-RunShellScript' && !documentName.endsWith(':document/AWS-RunShellScript')) {
    throw new AwsError('InvalidDocument', `Document with name ${documentName} does not exist.`);
  }
  const parameters = (params.Parameters ?? {}) as Record<string, string[]>;
  const commands = parameters.commands;
  if (!Array.isArray(commands) || commands.length === 0) {
    throw new AwsError('InvalidParameters', 'Parameters provided in the request do not match the document. The required parameter "commands" is missing.');
  }
  // "The size limit of a document is 64 KB" (MaxDocumentSizeExceeded, SSM API reference / SDK exception docs). AWS does
  // not say which bytes it measures; the emulator's assumption is the request's Parameters JSON (the commands sent
  // inline), stated in docs/emulator.md.
  if (Buffer.byteLength(JSON.stringify(parameters), 'utf8') > MAX_DOCUMENT_BYTES) {
    throw new AwsError('MaxDocumentSizeExceeded', 'The size limit of a document is 64 KB.');
  }
  for (const k of Object.keys(parameters)) {
    if (!['commands', 'workingDirectory', 'executionTimeout'].includes(k)) {
      throw new AwsError('InvalidParameters', `Parameter "${k}" is not defined in the document AWS-RunShellScript.`);
    }
  }
  // AWS-RunShellScript: executionTimeout is a String parameter, default "3600", allowedPattern
  // ([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800): 1 to 172800 seconds.
  // It bounds the run on the node; SendCommand's TimeoutSeconds only bounds delivery (API reference, SendCommand
  // TimeoutSeconds: "If this time is reached and the command hasn't already started running, it won't run").
  if (parameters.executionTimeout !== undefined) {
    const v = parameters.executionTimeout;
    if (!Array.isArray(v) || v.length !== 1 || !/^([1-9][0-9]{0,4}|1[0-6][0-9]{4}|17[0-1][0-9]{3}|172[0-7][0-9]{2}|172800)$/.test(String(v[0]))) {
      throw new AwsError('InvalidParameters', `Parameter "executionTimeout" has a value that does not match the document's allowed pattern.`);
    }
  }
  const explicit = (params.InstanceIds as string[] | undefined) ?? [];
  const targets = (params.Targets as { Key?: string; Values?: string[] }[] | undefined) ?? [];
  if (explicit.length > 50) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '[${explicit.join(', ')}]' at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50`,
    );
  }
  if (!explicit.length && !targets.length) throw new AwsError('ValidationException', 'Either InstanceIds or Targets must be specified.');
  if (explicit.length && targets.length) throw new AwsError('ValidationException', 'InstanceIds and Targets cannot be specified together.');
  const timeoutSeconds = params.TimeoutSeconds === undefined ? 3600 : Number(params.TimeoutSeconds);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 30 || timeoutSeconds > 2_592_000) {
    const bound = timeoutSeconds > 2_592_000 ? 'less than or equal to 2592000' : 'greater than or equal to 30';
    throw new AwsError('ValidationException', `1 validation error detected: Value '${String(params.TimeoutSeconds)}' at 'timeoutSeconds' failed to satisfy constraint: Member must have value ${bound}`);
  }
  const valid = (id: string) => {
    const inst = region.instances.get(id);
    const ping = inst ? ssmStatus(world, inst) : undefined;
    return !!inst && (ping === 'Online' || ping === 'ConnectionLost') && inst.state !== 'terminated' && inst.state !== 'shutting-down';
  };
  let instanceIds: string[];
  if (explicit.length) {
    const bad = [...new Set(explicit)].filter((id) => !valid(id));
    if (bad.length) {
      throw new AwsError('InvalidInstanceId', `Instances [${bad.map((b) => `[${b}]`).join(', ')}] not in a valid state for account ${world.accountId}`);
    }
    instanceIds = [...new Set(explicit)];
  } else {
    instanceIds = resolveTargets(region, targets).filter(valid);
  }
  const commandId = world.rng.uuid();
  const invocations: SsmInvocation[] = instanceIds.map((instanceId) => ({
    instanceId,
    status: 'Pending',
    statusDetails: 'Pending',
    responseCode: -1,
    stdout: '',
    stderr: '',
    startAt: now + 150 + world.rng.int(350),
  }));
  const cmd: SsmCommand = {
    commandId,
    region: region.name,
    documentName: 'AWS-RunShellScript',
    comment: params.Comment === undefined ? undefined : String(params.Comment),
    parameters,
    instanceIds: explicit.length ? instanceIds : [],
    requestedAt: now,
    timeoutSeconds,
    status: invocations.length ? 'Pending' : 'Success',
    statusDetails: invocations.length ? 'Pending' : 'Success',
    invocations,
  };
  (cmd as SsmCommand & { targets?: unknown }).targets = targets;
  region.ssmCommands.set(commandId, cmd);
  return { Command: commandShape(cmd, now) };
};

function commandCounts(cmd: SsmCommand) {
  const done = cmd.invocations.filter((i) => TERMINAL.has(i.status));
  return {
    TargetCount: cmd.invocations.length,
    CompletedCount: done.length,
    ErrorCount: done.filter((i) => i.status === 'Failed' || i.statusDetails === 'ExecutionTimedOut').length,
    DeliveryTimedOutCount: done.filter((i) => i.statusDetails === 'DeliveryTimedOut').length,
  };
}

function commandShape(cmd: SsmCommand, _now: number) {
  return {
    CommandId: cmd.commandId,
    DocumentName: cmd.documentName,
    DocumentVersion: '$DEFAULT',
    Comment: cmd.comment ?? '',
    ExpiresAfter: new Date(cmd.requestedAt + (cmd.timeoutSeconds * 1000 + executionTimeoutMs(cmd))),
    Parameters: cmd.parameters,
    InstanceIds: cmd.instanceIds,
    Targets: (cmd as SsmCommand & { targets?: unknown }).targets ?? [],
    RequestedDateTime: new Date(cmd.requestedAt),
    Status: cmd.status,
    StatusDetails: cmd.statusDetails ?? cmd.status,
    OutputS3Region: cmd.region,
    OutputS3BucketName: '',
    OutputS3KeyPrefix: '',
    MaxConcurrency: '50',
    MaxErrors: '0',
    ...commandCounts(cmd),
    ServiceRole: '',
    NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
    TimeoutSeconds: cmd.timeoutSeconds,
  };
}

function updateCommandStatus(cmd: SsmCommand): void {
  const st = cmd.invocations.map((i) => i.status);
  if (!st.length) return;
  if (st.every((s) => s === 'Pending')) {
    cmd.status = 'Pending';
    cmd.statusDetails = 'Pending';
  } else if (st.some((s) => !TERMINAL.has(s))) {
    cmd.status = st.some((s) => s === 'Cancelling') ? 'Cancelling' : 'InProgress';
    cmd.statusDetails = cmd.status;
  } else if (st.every((s) => s === 'Success')) {
    cmd.status = 'Success';
    cmd.statusDetails = 'Success';
  } else if (st.every((s) => s === 'Cancelled')) {
    cmd.status = 'Cancelled';
    cmd.statusDetails = 'Cancelled';
  } else if (st.some((s) => s === 'Failed')) {
    cmd.status = 'Failed';
    cmd.statusDetails = 'Failed';
  } else if (st.some((s) => s === 'TimedOut')) {
    cmd.status = 'TimedOut';
    cmd.statusDetails = cmd.invocations.every((i) => i.statusDetails === 'DeliveryTimedOut' || i.status === 'Success') ? 'DeliveryTimedOut' : 'ExecutionTimedOut';
  } else {
    cmd.status = 'Cancelled';
    cmd.statusDetails = 'Cancelled';
  }
}

function finish(inv: SsmInvocation, status: SsmInvocation['status'], details: string, at: number, code: number): void {
  inv.status = status;
  inv.statusDetails = details;
  inv.endedAt = at;
  inv.responseCode = code;
}

/** Advance every invocation of one region to `now`. Starts run in instant order so state changes chain correctly. */
function advanceRegion(world: World, region: RegionState, now: number): void {
  type Due = { cmd: SsmCommand; inv: SsmInvocation };
  const live: Due[] = [];
  for (const cmd of region.ssmCommands.values()) {
    if (TERMINAL.has(cmd.status)) continue;
    for (const inv of cmd.invocations) if (!TERMINAL.has(inv.status)) live.push({ cmd, inv });
  }
  if (!live.length) return;
  live.sort((a, b) => (a.inv.startAt ?? 0) - (b.inv.startAt ?? 0));
  for (const { cmd, inv } of live) {
    const inst = region.instances.get(inv.instanceId);
    const running = !!inst && inst.state === 'running';
    if (inv.status === 'Pending' || inv.status === 'Delayed') {
      if (!inst || inst.state === 'terminated' || inst.state === 'shutting-down') {
        finish(inv, 'Failed', 'Undeliverable', now, -1);
        continue;
      }
      const deliveryDeadline = cmd.requestedAt + cmd.timeoutSeconds * 1000;
      // Delivery needs a connected agent, not only a running instance: GetCommandInvocation StatusDetails (API
      // reference) "Delayed: The system attempted to send the command to the target, but the target wasn't
      // available. The managed node might not be available because of network issues, because the node was stopped,
      // or for similar reasons. The system will try to send the command again", and "Delivery Timed Out: The command
      // wasn't delivered to the managed node before the delivery timeout expired". So an invocation for a running
      // node whose agent is not Online (ConnectionLost) waits like one for a stopped node.
      if (!running || ssmStatus(world, inst) !== 'Online') {
        if (now >= deliveryDeadline) finish(inv, 'TimedOut', 'DeliveryTimedOut', deliveryDeadline, -1);
        else if (now >= (inv.startAt ?? now)) {
          inv.status = 'Delayed';
          inv.statusDetails = 'Delayed';
        }
        continue;
      }
      if (inv.status === 'Delayed') inv.startAt = Math.max(inv.startAt ?? now, now);
      if (now < (inv.startAt ?? now)) continue;
      if ((inv.startAt ?? now) >= deliveryDeadline) {
        finish(inv, 'TimedOut', 'DeliveryTimedOut', deliveryDeadline, -1);
        continue;
      }
      start(world, region, cmd, inv, inst);
    }
    if (inv.status === 'InProgress') {
      const offAt = inst?.node?.poweredOffAt;
      const stoppedMidRun = !running && (offAt === undefined || offAt < (inv.finishAt ?? now));
      if (stoppedMidRun) {
        finish(inv, 'Failed', 'Undeliverable', Math.min(now, inv.finishAt ?? now), -1);
        inv.stdout = '';
        inv.stderr = '';
        continue;
      }
      if (now >= (inv.finishAt ?? now)) {
        const code = inv.pendingExitCode ?? 0;
        inv.stdout = inv.pendingStdout ?? '';
        inv.stderr = inv.pendingStderr ?? '';
        if (code === -2) finish(inv, 'TimedOut', 'ExecutionTimedOut', inv.finishAt as number, -1);
        else finish(inv, code === 0 ? 'Success' : 'Failed', code === 0 ? 'Success' : 'Failed', inv.finishAt as number, code);
      }
    }
  }
  for (const cmd of new Set(live.map((d) => d.cmd))) updateCommandStatus(cmd);
}

function safeRun(f: () => ScriptResult): ScriptResult {
  try {
    return f();
  } catch (e) {
    return { stdout: '', stderr: `emulator: the node simulator failed on this script: ${(e as Error).stack ?? e}\n`, exitCode: 1, durationMs: 10 };
  }
}

const bareNodes = new WeakMap<Instance, SimNode>();

/** The simulated host behind an instance: its OpenVidu node, or (none) a plain Ubuntu host. Shared with Session Manager. */
export function simNodeOf(inst: Instance): SimNode {
  let node = inst.node ?? bareNodes.get(inst);
  if (!node) {
    node = createBareNode(inst.launchTime);
    bareNodes.set(inst, node);
  }
  return node;
}
const seenNodes = new WeakSet<SimNode>();

function start(world: World, region: RegionState, cmd: SsmCommand, inv: SsmInvocation, inst: Instance): void {
  const at = inv.startAt as number;
  inv.status = 'InProgress';
  inv.statusDetails = 'InProgress';
  inv.startedAt = at;
  const script = cmd.parameters.commands.join('\n');
  const workdir = cmd.parameters.workingDirectory?.[0];
  const limit = executionTimeoutMs(cmd);
  const baseline = 600 + world.rng.int(500);
  const node = simNodeOf(inst);
  // the node knows its stack (secret values, media nodes) for its configuration files (node-config.ts)
  if (inst.node) attachNodeConfig(inst.node, nodeConfigEnv(region, inst), at);
  // the script runs inside the tick hook: a simulator bug must fail this invocation, never every request
  const r = safeRun(() => runScript(node, script, {
    hostname: hostname(inst),
    instanceId: inst.instanceId,
    privateIp: inst.privateIpAddress,
    region: region.name,
    now: at,
    tags: inst.tags,
    cwd: workdir || `/var/lib/amazon/ssm/${inst.instanceId}/document/orchestration/${cmd.commandId}/awsrunShellScript/0.awsrunShellScript`,
  }));
  const duration = baseline + r.durationMs;
  if (duration > limit) {
    // the agent stops the script at executionTimeout: what it printed until then is its output
    inv.finishAt = at + limit;
    inv.pendingExitCode = -2;
    inv.pendingStdout = r.stdout;
    inv.pendingStderr = `${r.stderr}failed to run commands: exit status 124\n`;
    return;
  }
  inv.finishAt = at + duration;
  inv.pendingExitCode = r.exitCode;
  inv.pendingStdout = r.stdout;
  inv.pendingStderr = r.exitCode === 0 ? r.stderr : `${r.stderr}failed to run commands: exit status ${r.exitCode}`;
}

function findCommand(region: RegionState, id: unknown): SsmCommand | undefined {
  return region.ssmCommands.get(String(id ?? ''));
}

const getCommandInvocation: Handler = ({ world, region, params, now }) => {
  const cmd = findCommand(region, params.CommandId);
  const inv = cmd?.invocations.find((i) => i.instanceId === params.InstanceId);
  const visibleAfter = world.settings.ssmInvocationVisibleAfterMs ?? 0;
  if (!cmd || !inv || now < cmd.requestedAt + visibleAfter) throw new AwsError('InvocationDoesNotExist', '');
  if (params.PluginName !== undefined && params.PluginName !== PLUGIN && params.PluginName !== 'runShellScript') {
    throw new AwsError('InvalidPluginName', '');
  }
  const done = TERMINAL.has(inv.status);
  // API reference, GetCommandInvocation StandardOutputContent: "The first 24,000 characters written by the plugin to
  // stdout. If the command hasn't finished running, if ExecutionStatus is neither Succeeded nor Failed, then this
  // string is empty." StandardErrorContent: "The first 8,000 characters …; if the command hasn't finished, empty."
  const succeededOrFailed = inv.status === 'Success' || inv.status === 'Failed';
  return {
    CommandId: cmd.commandId,
    InstanceId: inv.instanceId,
    Comment: cmd.comment ?? '',
    DocumentName: cmd.documentName,
    DocumentVersion: '$DEFAULT',
    PluginName: PLUGIN,
    ResponseCode: inv.responseCode,
    ExecutionStartDateTime: isoMs(inv.startedAt),
    ExecutionElapsedTime: elapsed(inv, now),
    ExecutionEndDateTime: isoMs(inv.endedAt),
    Status: inv.status,
    StatusDetails: inv.statusDetails ?? inv.status,
    StandardOutputContent: succeededOrFailed ? inv.stdout.slice(0, STDOUT_LIMIT) : '',
    StandardOutputUrl: '',
    StandardErrorContent: done ? inv.stderr.slice(0, STDERR_LIMIT) : '',
    StandardErrorUrl: '',
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
  };
};

interface ListFilter {
  key?: string;
  value?: string;
}
function applyListFilters(filters: ListFilter[] | undefined, requestedAt: number, status: string, documentName: string): boolean {
  for (const f of filters ?? []) {
    const v = String(f.value ?? '');
    if (f.key === 'InvokedAfter' && requestedAt < Date.parse(v)) return false;
    if (f.key === 'InvokedBefore' && requestedAt > Date.parse(v)) return false;
    if (f.key === 'Status' && status !== v) return false;
    if (f.key === 'DocumentName' && documentName !== v) return false;
    if (f.key === 'ExecutionStage' && (v === 'Executing') !== !TERMINAL.has(status)) return false;
  }
  return true;
}
function validateFilters(filters: ListFilter[] | undefined): void {
  for (const f of filters ?? []) {
    if (!['InvokedAfter', 'InvokedBefore', 'Status', 'ExecutionStage', 'DocumentName'].includes(String(f.key))) {
      throw new AwsError('InvalidFilterKey', '');
    }
  }
}

function pluginOutput(world: World, inv: SsmInvocation): string {
  if (!TERMINAL.has(inv.status)) return '';
  const capacity = world.settings.ssmPluginOutputCapacity ?? PLUGIN_OUTPUT_LIMIT;
  return truncatePluginOutput(inv.stdout, inv.stderr, capacity);
}

const listCommandInvocations: Handler = ({ world, region, params, now }) => {
  validateFilters(params.Filters as ListFilter[] | undefined);
  let cmds = [...region.ssmCommands.values()];
  if (params.CommandId !== undefined) {
    const c = findCommand(region, params.CommandId);
    if (!c) throw new AwsError('InvalidCommandId', '');
    cmds = [c];
  }
  const rows: Record<string, unknown>[] = [];
  // eventual consistency (GetCommandInvocation API reference: "The Run Command API follows an eventual consistency
  // model"): a command just sent may have no invocations listed yet
  const visibleAfter = world.settings.ssmInvocationVisibleAfterMs ?? 0;
  for (const cmd of [...cmds].sort((a, b) => b.requestedAt - a.requestedAt)) {
    if (now < cmd.requestedAt + visibleAfter) continue;
    for (const inv of cmd.invocations) {
      if (params.InstanceId !== undefined && inv.instanceId !== params.InstanceId) continue;
      if (!applyListFilters(params.Filters as ListFilter[] | undefined, cmd.requestedAt, inv.status, cmd.documentName)) continue;
      const inst = region.instances.get(inv.instanceId);
      rows.push({
        CommandId: cmd.commandId,
        InstanceId: inv.instanceId,
        InstanceName: inst ? `${hostname(inst)}.${region.name}.compute.internal` : '',
        Comment: cmd.comment ?? '',
        DocumentName: cmd.documentName,
        DocumentVersion: '$DEFAULT',
        RequestedDateTime: new Date(cmd.requestedAt),
        Status: inv.status,
        StatusDetails: inv.statusDetails ?? inv.status,
        TraceOutput: '',
        StandardOutputUrl: '',
        StandardErrorUrl: '',
        CommandPlugins:
          params.Details === true
            ? [
                {
                  Name: PLUGIN,
                  Status: inv.status,
                  StatusDetails: inv.statusDetails ?? inv.status,
                  ResponseCode: inv.responseCode,
                  ...(inv.startedAt !== undefined ? { ResponseStartDateTime: new Date(inv.startedAt) } : {}),
                  ...(inv.endedAt !== undefined ? { ResponseFinishDateTime: new Date(inv.endedAt) } : {}),
                  Output: pluginOutput(world, inv),
                  StandardOutputUrl: '',
                  StandardErrorUrl: '',
                  OutputS3Region: region.name,
                  OutputS3BucketName: '',
                  OutputS3KeyPrefix: '',
                },
              ]
            : [],
        ServiceRole: '',
        NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
        CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
      });
    }
  }
  const p = page(rows, params, { min: 1, max: 50, def: 50, member: 'maxResults' });
  return { CommandInvocations: p.items, ...(p.next ? { NextToken: p.next } : {}) };
};

const listCommands: Handler = ({ region, params, now }) => {
  validateFilters(params.Filters as ListFilter[] | undefined);
  let cmds = [...region.ssmCommands.values()];
  if (params.CommandId !== undefined) {
    const c = findCommand(region, params.CommandId);
    if (!c) throw new AwsError('InvalidCommandId', '');
    cmds = [c];
  }
  if (params.InstanceId !== undefined) cmds = cmds.filter((c) => c.invocations.some((i) => i.instanceId === params.InstanceId));
  cmds = cmds.filter((c) => applyListFilters(params.Filters as ListFilter[] | undefined, c.requestedAt, c.status, c.documentName));
  cmds.sort((a, b) => b.requestedAt - a.requestedAt);
  const p = page(cmds, params, { min: 1, max: 50, def: 50, member: 'maxResults' });
  return { Commands: p.items.map((c) => commandShape(c, now)), ...(p.next ? { NextToken: p.next } : {}) };
};

const cancelCommand: Handler = ({ region, params, now }) => {
  const cmd = findCommand(region, params.CommandId);
  if (!cmd) throw new AwsError('InvalidCommandId', '');
  const ids = (params.InstanceIds as string[] | undefined) ?? [];
  for (const id of ids) {
    if (!cmd.invocations.some((i) => i.instanceId === id)) throw new AwsError('InvalidInstanceId', `Instances [[${id}]] not in a valid state for account`);
  }
  for (const inv of cmd.invocations) {
    if (ids.length && !ids.includes(inv.instanceId)) continue;
    if (TERMINAL.has(inv.status)) continue;
    const wasRunning = inv.status === 'InProgress';
    finish(inv, 'Cancelled', 'Cancelled', now, -1);
    // output written so far is kept when a running script is cancelled; none when it never started
    inv.stdout = wasRunning ? partialOutput(inv.pendingStdout ?? '', inv.startedAt ?? now, inv.finishAt ?? now, now) : '';
    inv.stderr = '';
  }
  updateCommandStatus(cmd);
  return {};
};

function partialOutput(full: string, startedAt: number, finishAt: number, now: number): string {
  if (finishAt <= startedAt) return full;
  const frac = Math.max(0, Math.min(1, (now - startedAt) / (finishAt - startedAt)));
  const cut = full.lastIndexOf('\n', Math.floor(full.length * frac));
  return cut < 0 ? '' : full.slice(0, cut + 1);
}

/**
 * Simulated-node control for the sandbox and UI tests (not an AWS API):
 *   GET  /_sim/nodes/<instanceId>                       → {kind, openviduActive, bootedAt, restarts, services:[…]}
 *   POST /_sim/nodes/<instanceId>/services/<name>       {state, health?, exitCode?}  → setServiceState (404 unknown service)
 *   POST /_sim/nodes/<instanceId>/services              {name, labels?}              → addService (e.g. an agent)
 *   POST /_sim/nodes/<instanceId>/node-errors           {text}                       → a line in nodes_errors.log (masters)
 */
const nodeRoute: HttpRoute = (req, res, url, body, emulator) => {
  const m = /^\/_sim\/nodes\/([^/]+)(?:\/(services|node-errors)(?:\/([^/]+))?)?$/.exec(url.pathname);
  if (!m) return false;
  const json = (status: number, v: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(v));
  };
  emulator.world.tick();
  const now = emulator.world.now();
  const inst = allInstances(emulator.world).find((i) => i.instanceId === m[1]);
  if (!inst?.node) {
    json(404, { error: `no simulated node on instance ${m[1]}` });
    return true;
  }
  const node = inst.node;
  let input: Record<string, unknown> = {};
  try {
    input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
  } catch {
    json(400, { error: 'body is not JSON' });
    return true;
  }
  if (req.method === 'POST' && m[2] === 'services' && m[3]) {
    const ok = setServiceState(node, decodeURIComponent(m[3]), String(input.state ?? 'running') as never, String(input.health ?? '') as never, {
      at: now,
      exitCode: typeof input.exitCode === 'number' ? input.exitCode : undefined,
    });
    if (!ok) json(404, { error: `no service ${m[3]}` });
    else json(200, findService(node, decodeURIComponent(m[3])));
    return true;
  }
  if (req.method === 'POST' && m[2] === 'services') {
    const name = String(input.name ?? '');
    if (!/^[a-z0-9][a-z0-9_.-]*$/.test(name) || findService(node, name)) {
      json(400, { error: `invalid or existing service name "${name}"` });
      return true;
    }
    json(200, addService(node, name, now, input.labels ? { labels: input.labels as Record<string, string> } : {}));
    return true;
  }
  if (req.method === 'POST' && m[2] === 'node-errors') {
    node.nodeErrors = [...(node.nodeErrors ?? []), { at: now, text: String(input.text ?? '') }];
    json(200, { ok: true });
    return true;
  }
  json(200, { kind: node.kind, openviduActive: node.openviduActive, bootedAt: node.bootedAt, restarts: node.restarts, services: node.services });
  return true;
};

export const ssm: ServiceModule = {
  service: 'ssm',
  handlers: {
    DescribeInstanceInformation: describeInstanceInformation,
    SendCommand: sendCommand,
    GetCommandInvocation: getCommandInvocation,
    ListCommandInvocations: listCommandInvocations,
    ListCommands: listCommands,
    CancelCommand: cancelCommand,
  },
  httpRoutes: [nodeRoute],
  install(world: World) {
    world.onTick((w, now) => {
      const since = lastTick.get(w);
      for (const inst of allInstances(w)) {
        if (inst.node && !seenNodes.has(inst.node)) {
          // a seeded instance back-dated after launch: its node booted at the instance's LaunchTime
          seenNodes.add(inst.node);
          if (inst.launchTime < inst.node.bootedAt && inst.node.restarts.length === 0) rebaseSimNode(inst.node, inst.launchTime);
        }
        if (inst.node) observeInstanceState(inst.node, inst.state, now, inst.launchTime, since);
        updateAgent(w, inst, now);
      }
      // media nodes of an ASG in Terminating:Wait run the lifecycle hook's drain script (stop_media_node.log)
      for (const r of w.regions.values()) {
        for (const asg of r.asgs.values()) {
          for (const ai of asg.instances) {
            const node = r.instances.get(ai.instanceId)?.node;
            if (node && node.kind === 'media' && node.drainingSince === undefined && ai.lifecycleState.startsWith('Terminating')) {
              node.drainingSince = Math.min(now, Math.max(since ?? now, node.bootedAt));
            }
          }
        }
      }
      for (const r of w.regions.values()) advanceRegion(w, r, now);
      lastTick.set(w, now);
    });
  },
};
