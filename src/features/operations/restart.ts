/**
 * Restarting OpenVidu (`systemctl restart openvidu`) or one service (`docker compose restart <svc>`) on nodes:
 * a modal confirmation naming the targets; masters one at a time, the next one only after the previous one
 * answers `active` again (the HA quorum: Redis Sentinel and the MongoDB replica set need a majority of masters);
 * media nodes together; progress with cancel (CancelCommand); then a status re-check so the tree updates.
 */
import * as vscode from 'vscode';
import { CommandCancelledError, runShellScript, type NodeCommandResult } from '../../aws/ssmCommands';
import type { NodeInstance } from '../../openvidu/cluster';
import { activeCheckScript, checkServiceName, restartScript, UnsafeValueError } from '../../openvidu/nodeCommands';
import type { StackNode } from '../explorer';
import type { AppContext } from '../shared/appContext';
import { refreshStatus, warnUnreachable } from './nodeHelpers';
import { checkReachability } from './reachability';
import { nodeLabel } from './targets';
import { liveTrafficNote } from '../rooms';

export const RESTART_BUTTON = 'Restart';

export interface RestartRequest {
  region: string;
  stack: StackNode;
  nodes: NodeInstance[];
  /** "ov-demo · master nodes" */
  label: string;
  /** one service; undefined = the whole of OpenVidu */
  service?: string;
}

export interface RestartOutcome {
  restarted: string[];
  failed: Map<string, string>;
  /** nodes never touched (cancelled before their turn, or unreachable) */
  skipped: string[];
  cancelled: boolean;
}

/** how long to wait for a restarted master to answer `active` */
const ACTIVE_CHECKS = 24;
const ACTIVE_CHECK_MS = 5000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CommandCancelledError());
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(new CommandCancelledError())), { once: true });
  });
}

function failure(r: NodeCommandResult | undefined): string | undefined {
  if (!r) return 'no answer from the node';
  if (r.status !== 'Success') return `the command ${r.status}${r.stderr ? `: ${r.stderr.trim().split('\n').slice(-1)[0]}` : ''}`;
  return undefined;
}

export async function restartNodes(app: AppContext, req: RestartRequest): Promise<RestartOutcome | undefined> {
  const what = req.service !== undefined ? `the ${req.service || '(empty)'} service` : 'OpenVidu';
  // validate before anything is sent
  // the scripts, per node: every value checked (and the service known on that node) before anything is sent
  const scripts = new Map<string, string[]>();
  try {
    if (req.service !== undefined) checkServiceName(req.service);
    for (const n of req.nodes) scripts.set(n.instanceId, restartScript(req.service, req.service === undefined ? undefined : app.nodeStatus.services(n.instanceId)));
  } catch (e) {
    void vscode.window.showErrorMessage(e instanceof UnsafeValueError ? e.message : String(e));
    return undefined;
  }
  const { reachable, unreachable } = await checkReachability(app, req.region, req.nodes);
  if (unreachable.size) void warnUnreachable(req.stack, req.nodes, unreachable, `restarting ${what}`);
  if (!reachable.length) return undefined;
  const masters = reachable.filter((n) => n.role === 'master').sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const media = reachable.filter((n) => n.role === 'media');
  const names = [...masters, ...media].map((n) => `${nodeLabel(n)} (${n.instanceId})`);
  const detail = [
    `Targets: ${names.join(', ')}.`,
    masters.length
      ? `Master nodes are restarted one at a time: the next master restarts only after the previous one answers "active" again, so the cluster keeps its HA quorum (Redis Sentinel and the MongoDB replica set need a majority of the masters). Expect a short interruption on each master.`
      : '',
    media.length ? `Sessions running on the restarted media nodes are interrupted.` : '',
    unreachable.size ? `${unreachable.size} node(s) cannot be reached and are left out.` : '',
    await liveTrafficNote(req.stack, 'they may be interrupted'),
  ]
    .filter(Boolean)
    .join('\n\n');
  const ok = await vscode.window.showWarningMessage(`Restart ${what} on ${reachable.length === 1 ? nodeLabel(reachable[0]) : `${reachable.length} nodes`} of ${req.stack.summary.stackName}?`, { modal: true, detail }, RESTART_BUTTON);
  if (ok !== RESTART_BUTTON) return undefined;

  const outcome: RestartOutcome = { restarted: [], failed: new Map(), skipped: [...unreachable.keys()], cancelled: false };
  const session = app.session(req.region);
  const touched: NodeInstance[] = [];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Restarting ${what} on ${req.label}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const queue: NodeInstance[][] = [...masters.map((m) => [m]), ...(media.length ? [media] : [])];
      try {
        for (const [step, batch] of queue.entries()) {
          if (abort.signal.aborted) throw new CommandCancelledError();
          progress.report({ message: `${batch.length === 1 ? nodeLabel(batch[0]) : `${batch.length} media nodes`} (${step + 1}/${queue.length})` });
          touched.push(...batch);
          const results = await runShellScript(session, batch.map((n) => n.instanceId), scripts.get(batch[0].instanceId) as string[], {
            comment: `OpenVidu HA: restart ${req.service ?? 'openvidu'}`,
            timeoutSeconds: 60,
            // systemctl restart openvidu stops and starts every container: minutes on a busy master
            executionTimeoutSeconds: 600,
            signal: abort.signal,
          });
          for (const n of batch) {
            const why = failure(results.get(n.instanceId));
            if (why) outcome.failed.set(n.instanceId, why);
            else outcome.restarted.push(n.instanceId);
          }
          app.output.info(`restart ${req.service ?? 'openvidu'}: ${batch.map((n) => `${n.instanceId}=${results.get(n.instanceId)?.status ?? 'none'}`).join(', ')}`);
          // a master must be back before the next one goes down
          if (batch.length === 1 && batch[0].role === 'master' && !outcome.failed.has(batch[0].instanceId)) {
            const first = results.get(batch[0].instanceId)?.stdout.trim().split('\n').pop();
            if (req.service !== undefined || first !== 'active') await waitActive(app, req.region, batch[0], abort.signal, (m) => progress.report({ message: m }));
          }
          if (batch.some((n) => outcome.failed.has(n.instanceId)) && batch[0].role === 'master') {
            // do not take another master down while one is not healthy
            break;
          }
        }
      } catch (e) {
        if (!(e instanceof CommandCancelledError)) throw e;
        outcome.cancelled = true;
      }
    },
  ).then(undefined, (e: unknown) => {
    void vscode.window.showErrorMessage(`Restarting ${what} on ${req.label} failed: ${app.describeError(e, req.region)}`);
  });
  for (const n of reachable) if (!outcome.restarted.includes(n.instanceId) && !outcome.failed.has(n.instanceId)) outcome.skipped.push(n.instanceId);
  // the tree shows the services as they are now
  if (touched.length) await refreshStatus(app, req.region, touched).catch((e: unknown) => app.output.warn(`status re-check failed: ${(e as Error).name}`));
  const label = (id: string) => nodeLabel(req.nodes.find((n) => n.instanceId === id) as NodeInstance);
  const parts = [
    outcome.restarted.length ? `restarted on ${outcome.restarted.map(label).join(', ')}` : '',
    outcome.failed.size ? `failed on ${[...outcome.failed].map(([id, why]) => `${label(id)} (${why})`).join(', ')}` : '',
    outcome.cancelled ? `cancelled (CancelCommand sent); not restarted: ${outcome.skipped.filter((id) => !unreachable.has(id)).map(label).join(', ') || 'none'}` : '',
  ].filter(Boolean);
  const message = `${req.stack.summary.stackName}: ${what} ${parts.join('; ')}.`;
  if (outcome.failed.size || outcome.cancelled) void vscode.window.showWarningMessage(message);
  else void vscode.window.showInformationMessage(message);
  return outcome;
}

async function waitActive(app: AppContext, region: string, node: NodeInstance, signal: AbortSignal, report: (m: string) => void): Promise<void> {
  for (let i = 0; i < ACTIVE_CHECKS; i++) {
    const r = (await runShellScript(app.session(region), [node.instanceId], activeCheckScript(), { timeoutSeconds: 60, executionTimeoutSeconds: 30, signal, comment: 'OpenVidu HA: is openvidu active' })).get(node.instanceId);
    const state = r?.stdout.trim().split('\n').pop() ?? '';
    if (state === 'active') return;
    report(`${nodeLabel(node)}: openvidu is ${state || 'not answering'}; waiting before the next master`);
    await sleep(ACTIVE_CHECK_MS, signal);
  }
  throw new Error(`${nodeLabel(node)} did not answer "active" within ${(ACTIVE_CHECKS * ACTIVE_CHECK_MS) / 1000} s: the next masters were not restarted.`);
}
