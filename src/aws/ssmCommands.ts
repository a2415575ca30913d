/**
 * Runs shell scripts on nodes through SSM `AWS-RunShellScript`: one SendCommand per 50 instances (the API's
 * limit), results collected with ListCommandInvocations (Details, 50 per page) so the number of calls grows
 * with ceil(nodes / 50), not with nodes. The inline output there is built by the SSM agent (iohandler.go
 * `TruncateOutput`): at most 2,500 BYTES (2,400 on older agents) of stdout + stderr, cut with a marker. An output
 * that may have been cut is read again with GetCommandInvocation (24,000 characters of stdout). Every command
 * carries an execution timeout (the document's `executionTimeout`): SendCommand's TimeoutSeconds only bounds
 * delivery. Cancellation sends CancelCommand.
 */
import type { CommandInvocation, GetCommandInvocationCommandOutput } from '@aws-sdk/client-ssm';
import type { AwsSession } from './session';
import { sdk } from './sdk';
import { DurationHistory, PollSchedule } from './ssmPollSchedule';

export const SEND_COMMAND_MAX_TARGETS = 50;
/** ListCommandInvocations inlines at most this many BYTES of each plugin's output (SSM agent 3.x; older: 2,400). */
export const INLINE_OUTPUT_LIMIT = 2500;
/** the smallest inline capacity of any agent version: an output this long (bytes) or longer may have been cut */
export const INLINE_OUTPUT_MIN_CAPACITY = 2400;
/** what the SSM agent appends where it cut stdout / stderr, and the title between them (iohandler.go) */
export const OUTPUT_TRUNCATED_MARK = '\n---Output truncated---';
export const ERROR_TRUNCATED_MARK = '\n---Error truncated----';
export const ERROR_TITLE = '\n----------ERROR-------\n';
/** AWS-RunShellScript runs a script for at most this long unless told otherwise (its executionTimeout default) */
export const DEFAULT_EXECUTION_TIMEOUT = 120;
/** GetCommandInvocation returns at most this much stdout. */
export const FULL_OUTPUT_LIMIT = 24000;

const TERMINAL = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled', 'Undeliverable', 'Terminated', 'DeliveryTimedOut', 'ExecutionTimedOut', 'InvalidPlatform', 'AccessDenied']);

export interface NodeCommandResult {
  instanceId: string;
  /** SSM invocation status: Success, Failed, TimedOut, Cancelled, Undeliverable… */
  status: string;
  statusDetails?: string;
  responseCode?: number;
  stdout: string;
  stderr: string;
  /** stdout is not whole: it hit SSM's 24,000-character limit (read in smaller windows), or only the cut inline
   *  output could be had (a timed-out or cancelled command has no full output) */
  truncated: boolean;
}

export interface RunOptions {
  comment?: string;
  /** delivery timeout (SendCommand TimeoutSeconds, 30 s at least): how long a node may take to pick the command up */
  timeoutSeconds?: number;
  /** how long the script may run on the node before the agent stops it (the document's executionTimeout) */
  executionTimeoutSeconds?: number;
  signal?: AbortSignal;
  /** the kind of script, for the poll schedule's memory of how long it runs (default: the comment) */
  kind?: string;
  /** with no history of this kind yet: the first poll (ms after SendCommand; default 300) */
  pollMs?: number;
  /** the longest gap between two polls (default 2,000 ms) */
  maxPollMs?: number;
  /**
   * 'full': the output is expected to exceed the 2,500 bytes ListCommandInvocations inlines, so a single node is
   * polled with GetCommandInvocation, whose answer carries the status and up to 24,000 characters of stdout at once
   * (one round trip less than ListCommandInvocations then GetCommandInvocation).
   */
  output?: 'inline' | 'full';
  onProgress?: (done: number, total: number) => void;
  /**
   * Nodes to stop waiting for, known after the send (a reachability check run beside it: ssmInventory.ts): their
   * invocations are cancelled (CancelCommand with their InstanceIds) and they get no result. A rejected promise
   * skips none (whoever made it reports its error).
   */
  skip?: Promise<ReadonlySet<string>>;
}

export class CommandCancelledError extends Error {
  constructor() {
    super('Cancelled: the command was cancelled on the nodes (CancelCommand).');
    this.name = 'CommandCancelledError';
  }
}

type Ssm = Awaited<ReturnType<AwsSession['ssm']>>;

/** how long each kind of script ran (ssmPollSchedule.ts), shared by every session of this extension host */
export const durationHistory = new DurationHistory();
/** the last call durations per client: the round trip is their minimum (a slow answer is the service's work, not the network) */
const callTimes = new WeakMap<object, number[]>();
function noteRoundTrip(ssm: Ssm, ms: number): void {
  const t = callTimes.get(ssm) ?? [];
  t.push(ms);
  if (t.length > 16) t.shift();
  callTimes.set(ssm, t);
}
function roundTrip(ssm: Ssm): number {
  const t = callTimes.get(ssm);
  return t?.length ? Math.min(...t) : 0;
}
async function timed<T>(ssm: Ssm, call: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await call();
  noteRoundTrip(ssm, performance.now() - t0);
  return out;
}

interface SentCommand {
  commandId: string;
  ids: string[];
  /** ids no longer waited for (RunOptions.skip) */
  skipped?: ReadonlySet<string>;
  /** SSM's RequestedDateTime (server clock) */
  requestedAt?: number;
  done: boolean;
  /** SSM's time for the slowest node: RequestedDateTime to ResponseFinishDateTime (server clock), when all ran */
  durationMs?: number;
  /** when (ms after the SendCommands were issued) the poll that saw the end started */
  seenAt?: number;
}

export async function runShellScript(session: AwsSession, instanceIds: string[], commands: string[], opts: RunOptions = {}): Promise<Map<string, NodeCommandResult>> {
  const ssm = await session.ssm();
  const ssmModule = await sdk.ssm();
  const results = new Map<string, NodeCommandResult>();
  if (!instanceIds.length) return results;
  const batches: string[][] = [];
  for (let i = 0; i < instanceIds.length; i += SEND_COMMAND_MAX_TARGETS) batches.push(instanceIds.slice(i, i + SEND_COMMAND_MAX_TARGETS));
  const kind = opts.kind ?? opts.comment ?? 'OpenVidu HA for VS Code';
  // the batches go out together: one round trip for any number of nodes
  const t0 = performance.now();
  const settled = await Promise.allSettled(
    batches.map((ids) =>
      timed(ssm, () =>
        ssm.send(
          new ssmModule.SendCommandCommand({
            DocumentName: 'AWS-RunShellScript',
            InstanceIds: ids,
            Parameters: { commands, executionTimeout: [String(Math.max(1, Math.round(opts.executionTimeoutSeconds ?? DEFAULT_EXECUTION_TIMEOUT)))] },
            TimeoutSeconds: Math.max(30, opts.timeoutSeconds ?? 120),
            Comment: (opts.comment ?? 'OpenVidu HA for VS Code').slice(0, 100),
          }),
        ),
      ),
    ),
  );
  const sent: SentCommand[] = [];
  for (const [i, s] of settled.entries()) {
    if (s.status === 'fulfilled' && s.value.Command?.CommandId) {
      sent.push({ commandId: s.value.Command.CommandId, ids: batches[i], requestedAt: s.value.Command.RequestedDateTime?.getTime(), done: false });
    }
  }
  const cancel = async () => {
    await Promise.all(sent.map((c) => ssm.send(new ssmModule.CancelCommandCommand({ CommandId: c.commandId })).catch(() => undefined)));
  };
  const refused = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (refused) {
    // the batches that did go out would run unwatched: the caller sees an error and may send again
    await cancel();
    throw refused.reason;
  }
  // nodes dropped while the command runs: cancelled on SSM, and a poll loop asleep wakes at once (the rest may be done)
  let skipCount = 0;
  let woke = false;
  const skipping = (opts.skip ?? Promise.resolve(new Set<string>())).then(
    async (skip) => {
      await Promise.all(
        sent.map(async (c) => {
          const ids = c.ids.filter((id) => skip.has(id));
          if (!ids.length) return;
          c.skipped = new Set(ids);
          skipCount += ids.length;
          if (ids.length === c.ids.length) c.done = true;
          await ssm.send(new ssmModule.CancelCommandCommand({ CommandId: c.commandId, InstanceIds: ids })).catch(() => undefined);
        }),
      );
    },
    () => undefined,
  );
  // only a skip that dropped nodes wakes the loop (a poll before the schedule's time is a call spent for nothing)
  const wakeOnSkip = skipping.then(() => (skipCount ? undefined : new Promise<void>(() => undefined)));
  const keys = sent.map((c) => DurationHistory.key(kind, c.ids.length));
  // a kind not seen yet is expected between the fastest recent script for as many nodes (delivery comes first for
  // all) and twice that; past it the schedule backs off as for any script running late
  const windows = keys.map((k, i) => durationHistory.window(k) ?? ((f) => (f === undefined ? undefined : { lo: f, hi: 2 * f }))(durationHistory.fastest(sent[i].ids.length)));
  const window = windows.every((w) => w) ? { lo: Math.min(...windows.map((w) => w!.lo)), hi: Math.max(...windows.map((w) => w!.hi)) } : undefined;
  const schedule = new PollSchedule({ window, rttMs: roundTrip(ssm), firstMs: opts.pollMs ?? 300, maxMs: opts.maxPollMs ?? 2000 });
  const viaGet = opts.output === 'full' && instanceIds.length === 1;
  let at: number | undefined;
  try {
    while (sent.some((c) => !c.done)) {
      at = schedule.nextAt(at);
      const nap = sleep(at - (performance.now() - t0), opts.signal);
      // a nap that loses the race may still reject (abort) later: that rejection is handled here
      nap.catch(() => undefined);
      await (woke ? nap : Promise.race([nap, wakeOnSkip.then(() => void (woke = true))]));
      // every pending command is asked at once: a round of polls costs one round trip
      const round = sent.filter((c) => !c.done);
      if (!round.length) break;
      await Promise.all(round.map((c) => (viaGet ? pollGet(ssm, c, results, opts.signal) : pollList(ssm, c, results))));
      for (const c of round) if (c.done) c.seenAt = at;
      opts.onProgress?.(results.size, instanceIds.length - skipCount);
    }
  } catch (e) {
    if (opts.signal?.aborted) {
      await cancel();
      throw new CommandCancelledError();
    }
    throw e;
  }
  await skipping;
  for (const c of sent) for (const id of c.skipped ?? []) results.delete(id);
  // SSM's own duration, but never more than when the poll that saw the end started: an endpoint whose clock runs
  // faster than ours (the emulator's simulated time) must not push the next first poll late
  for (const [i, c] of sent.entries()) if (c.durationMs !== undefined && c.seenAt !== undefined) durationHistory.record(keys[i], Math.min(c.durationMs, c.seenAt));
  // Outputs the agent may have cut inline are read whole (up to SSM's 24,000 characters of stdout).
  const commandOf = new Map<string, string>();
  for (const c of sent) for (const id of c.ids) commandOf.set(id, c.commandId);
  await Promise.all(
    [...results.values()]
      .filter((r) => inlineMayBeCut.has(r))
      .map(async (r) => {
        const full = await getInvocation(ssm, commandOf.get(r.instanceId) as string, r.instanceId, opts.signal);
        // GetCommandInvocation has stdout only for Success / Failed (API reference): otherwise keep the inline part
        if (full && (full.Status === 'Success' || full.Status === 'Failed')) {
          r.stdout = full.StandardOutputContent ?? '';
          r.stderr = full.StandardErrorContent ?? r.stderr;
          r.truncated = r.stdout.length >= FULL_OUTPUT_LIMIT;
        }
      }),
  );
  return results;
}

/** One ListCommandInvocations round for a command (Details: status and inline output of all its nodes, 50 a page). */
async function pollList(ssm: Ssm, c: SentCommand, results: Map<string, NodeCommandResult>): Promise<void> {
  const invocations = await timed(ssm, () => listInvocations(ssm, c.commandId));
  let allDone = invocations.length > 0;
  let slowest = 0;
  let allTimed = true;
  for (const inv of invocations) {
    if (!inv.InstanceId || c.skipped?.has(inv.InstanceId)) continue;
    const status = inv.Status ?? 'Pending';
    if (!TERMINAL.has(status)) {
      allDone = false;
      continue;
    }
    if (!results.has(inv.InstanceId)) results.set(inv.InstanceId, fromInvocation(inv));
    const end = inv.CommandPlugins?.[0]?.ResponseFinishDateTime?.getTime();
    const start = inv.RequestedDateTime?.getTime() ?? c.requestedAt;
    if ((status === 'Success' || status === 'Failed') && end !== undefined && start !== undefined) slowest = Math.max(slowest, end - start);
    else allTimed = false;
  }
  if (allDone) {
    c.done = true;
    if (allTimed) c.durationMs = slowest;
  }
}

/**
 * One GetCommandInvocation poll of a single-node command: status and whole output in one answer. The invocation may
 * not exist yet ("The Run Command API follows an eventual consistency model", GetCommandInvocation API reference):
 * that is "not finished". stdout is there only for Success / Failed; any other end (TimedOut, Cancelled…) is read
 * from ListCommandInvocations, whose inline output keeps what the script printed.
 */
async function pollGet(ssm: Ssm, c: SentCommand, results: Map<string, NodeCommandResult>, signal?: AbortSignal): Promise<void> {
  const instanceId = c.ids[0];
  let out: GetCommandInvocationCommandOutput;
  try {
    out = await timed(ssm, async () => ssm.send(new (await sdk.ssm()).GetCommandInvocationCommand({ CommandId: c.commandId, InstanceId: instanceId }), { abortSignal: signal }));
  } catch (e) {
    if ((e as Error).name === 'InvocationDoesNotExist') return;
    throw e;
  }
  const status = out.Status ?? 'Pending';
  if (!TERMINAL.has(status)) return;
  if (status !== 'Success' && status !== 'Failed') {
    await pollList(ssm, c, results);
    c.done = true;
    return;
  }
  const stdout = out.StandardOutputContent ?? '';
  results.set(instanceId, { instanceId, status, statusDetails: out.StatusDetails, responseCode: out.ResponseCode, stdout, stderr: out.StandardErrorContent ?? '', truncated: stdout.length >= FULL_OUTPUT_LIMIT });
  c.done = true;
  const end = Date.parse(out.ExecutionEndDateTime ?? '');
  if (c.requestedAt !== undefined && Number.isFinite(end)) c.durationMs = end - c.requestedAt;
}

/**
 * GetCommandInvocation, retried while it answers InvocationDoesNotExist: "The Run Command API follows an eventual
 * consistency model" (GetCommandInvocation API reference), so an invocation just listed or sent may not be there yet.
 */
async function getInvocation(ssm: Ssm, CommandId: string, InstanceId: string, signal?: AbortSignal): Promise<GetCommandInvocationCommandOutput | undefined> {
  let delay = 500;
  for (let attempt = 0; ; attempt++) {
    try {
      return await ssm.send(new (await sdk.ssm()).GetCommandInvocationCommand({ CommandId, InstanceId }), { abortSignal: signal });
    } catch (e) {
      if ((e as Error).name !== 'InvocationDoesNotExist' || attempt >= 5) throw e;
      await sleep(delay, signal);
      delay *= 2;
    }
  }
}

/** inline outputs the SSM agent may have cut (a marker, or as long as the smallest agent capacity) */
const inlineMayBeCut = new WeakSet<NodeCommandResult>();

/** Whether the agent cut this inline output: its marker, or a size only a cut output reaches (counted in bytes). */
export function inlineOutputCut(output: string): boolean {
  return hasTruncationMark(output) || Buffer.byteLength(output, 'utf8') >= INLINE_OUTPUT_MIN_CAPACITY - 1;
}

/** every cut the agent makes leaves one of its markers (TruncateOutput's three cases) */
function hasTruncationMark(output: string): boolean {
  return output.endsWith(ERROR_TRUNCATED_MARK) || output.endsWith(OUTPUT_TRUNCATED_MARK) || output.includes(`${OUTPUT_TRUNCATED_MARK}${ERROR_TITLE}`);
}

/** Splits the agent's inline output into stdout and stderr, without its truncation markers. */
export function splitInlineOutput(output: string): { stdout: string; stderr: string; cut: boolean; marked: boolean } {
  const cut = inlineOutputCut(output);
  const marked = hasTruncationMark(output);
  const sep = output.indexOf(ERROR_TITLE);
  let stdout = sep >= 0 ? output.slice(0, sep) : output;
  let stderr = sep >= 0 ? output.slice(sep + ERROR_TITLE.length) : '';
  if (stdout.endsWith(OUTPUT_TRUNCATED_MARK)) stdout = stdout.slice(0, -OUTPUT_TRUNCATED_MARK.length);
  if (stderr.endsWith(ERROR_TRUNCATED_MARK)) stderr = stderr.slice(0, -ERROR_TRUNCATED_MARK.length);
  return { stdout, stderr, cut, marked };
}

async function listInvocations(ssm: Ssm, commandId: string): Promise<CommandInvocation[]> {
  const out: CommandInvocation[] = [];
  let token: string | undefined;
  do {
    const page = await ssm.send(new (await sdk.ssm()).ListCommandInvocationsCommand({ CommandId: commandId, Details: true, MaxResults: 50, NextToken: token }));
    out.push(...(page.CommandInvocations ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

function fromInvocation(inv: CommandInvocation): NodeCommandResult {
  const plugin = inv.CommandPlugins?.[0];
  const { stdout, stderr, cut, marked } = splitInlineOutput(plugin?.Output ?? '');
  const r: NodeCommandResult = {
    instanceId: inv.InstanceId ?? '',
    status: inv.Status ?? 'Unknown',
    statusDetails: inv.StatusDetails,
    responseCode: plugin?.ResponseCode,
    stdout,
    stderr,
    // until the full output is read, an output the agent marked as cut is known to be incomplete
    truncated: marked,
  };
  if (cut) inlineMayBeCut.add(r);
  return r;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
