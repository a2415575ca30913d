/**
 * Runs shell scripts on nodes through SSM `AWS-RunShellScript`: one SendCommand per 50 instances (the API's
 * limit), results collected with ListCommandInvocations (Details, 50 per page) so the number of calls grows
 * with ceil(nodes / 50), not with nodes. Only outputs that hit the inline 2,500-character limit are fetched
 * again with GetCommandInvocation (24,000 characters). Cancellation sends CancelCommand.
 */
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  type CommandInvocation,
} from '@aws-sdk/client-ssm';
import type { AwsSession } from './session';

export const SEND_COMMAND_MAX_TARGETS = 50;
/** ListCommandInvocations inlines at most this much of each plugin's output. */
export const INLINE_OUTPUT_LIMIT = 2500;
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
  /** stdout hit SSM's 24,000-character limit: read in smaller windows */
  truncated: boolean;
}

export interface RunOptions {
  comment?: string;
  timeoutSeconds?: number;
  signal?: AbortSignal;
  /** first poll delay; grows ×1.5 up to maxPollMs */
  pollMs?: number;
  maxPollMs?: number;
  onProgress?: (done: number, total: number) => void;
}

export class CommandCancelledError extends Error {
  constructor() {
    super('Cancelled: the command was cancelled on the nodes (CancelCommand).');
    this.name = 'CommandCancelledError';
  }
}

export async function runShellScript(session: AwsSession, instanceIds: string[], commands: string[], opts: RunOptions = {}): Promise<Map<string, NodeCommandResult>> {
  const ssm = await session.ssm();
  const results = new Map<string, NodeCommandResult>();
  if (!instanceIds.length) return results;
  const batches: string[][] = [];
  for (let i = 0; i < instanceIds.length; i += SEND_COMMAND_MAX_TARGETS) batches.push(instanceIds.slice(i, i + SEND_COMMAND_MAX_TARGETS));
  const commandIds: string[] = [];
  for (const ids of batches) {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: ids,
        Parameters: { commands },
        TimeoutSeconds: opts.timeoutSeconds ?? 120,
        Comment: (opts.comment ?? 'OpenVidu HA for VS Code').slice(0, 100),
      }),
    );
    if (sent.Command?.CommandId) commandIds.push(sent.Command.CommandId);
  }
  const cancel = async () => {
    await Promise.all(commandIds.map((CommandId) => ssm.send(new CancelCommandCommand({ CommandId })).catch(() => undefined)));
  };
  const pending = new Set(commandIds);
  let delay = opts.pollMs ?? 300;
  try {
    while (pending.size) {
      await sleep(delay, opts.signal);
      delay = Math.min(delay * 1.5, opts.maxPollMs ?? 2000);
      for (const commandId of [...pending]) {
        const invocations = await listInvocations(ssm, commandId);
        let allDone = invocations.length > 0;
        for (const inv of invocations) {
          if (!inv.InstanceId) continue;
          const status = inv.Status ?? 'Pending';
          if (!TERMINAL.has(status)) {
            allDone = false;
            continue;
          }
          if (!results.has(inv.InstanceId)) results.set(inv.InstanceId, fromInvocation(inv));
        }
        if (allDone) pending.delete(commandId);
      }
      opts.onProgress?.(results.size, instanceIds.length);
    }
  } catch (e) {
    if (opts.signal?.aborted) {
      await cancel();
      throw new CommandCancelledError();
    }
    throw e;
  }
  // Outputs that filled the inline window may be longer: read them whole (up to SSM's 24,000 characters).
  const commandOf = new Map<string, string>();
  for (const [i, ids] of batches.entries()) for (const id of ids) commandOf.set(id, commandIds[i]);
  await Promise.all(
    [...results.values()]
      .filter((r) => r.stdout.length >= INLINE_OUTPUT_LIMIT - 100)
      .map(async (r) => {
        const full = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandOf.get(r.instanceId), InstanceId: r.instanceId }));
        r.stdout = full.StandardOutputContent ?? r.stdout;
        r.stderr = full.StandardErrorContent ?? r.stderr;
        r.truncated = r.stdout.length >= FULL_OUTPUT_LIMIT;
      }),
  );
  return results;
}

async function listInvocations(ssm: Awaited<ReturnType<AwsSession['ssm']>>, commandId: string): Promise<CommandInvocation[]> {
  const out: CommandInvocation[] = [];
  let token: string | undefined;
  do {
    const page = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true, MaxResults: 50, NextToken: token }));
    out.push(...(page.CommandInvocations ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

function fromInvocation(inv: CommandInvocation): NodeCommandResult {
  const plugin = inv.CommandPlugins?.[0];
  const output = plugin?.Output ?? '';
  // The inline output mixes stdout and stderr under a "----------ERROR-------" separator.
  const sep = output.indexOf('\n----------ERROR-------\n');
  return {
    instanceId: inv.InstanceId ?? '',
    status: inv.Status ?? 'Unknown',
    statusDetails: inv.StatusDetails,
    responseCode: plugin?.ResponseCode,
    stdout: sep >= 0 ? output.slice(0, sep) : output,
    stderr: sep >= 0 ? output.slice(sep + 23) : '',
    truncated: false,
  };
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
