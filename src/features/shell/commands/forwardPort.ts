/**
 * Forward a Port from a Node…: picks the node and the remote port (the OpenVidu ones the load balancer does not
 * expose are suggested), an optional local port (empty = a free one; a busy one is refused before any call), then
 * forwards 127.0.0.1:<local> to it through Session Manager and lists the forward under the node.
 */
import * as vscode from 'vscode';
import { startPortForward, validatePort } from '../../../aws/sessionManager/portForward';
import type { ClusterTreeProvider, ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import type { ActiveForward, ForwardRegistry } from '../forwards';
import { reachableNode } from '../target';

/** Ports OpenVidu HA services listen on that are not behind the public load balancer (80/443/1935). */
export const SUGGESTED_PORTS: { port: number; name: string; detail: string; http: boolean; role?: 'master' | 'media' }[] = [
  { port: 7880, name: 'OpenVidu server (LiveKit API)', detail: 'the HTTP port the load balancer health-checks; reach it without TLS', http: true },
  { port: 3000, name: 'Grafana', detail: 'observability dashboards (master nodes)', http: true, role: 'master' },
  { port: 7000, name: 'Redis', detail: 'cluster state shared by the masters (TCP)', http: false, role: 'master' },
];

export interface ForwardPortInput {
  remotePort?: number | string;
  localPort?: number | string;
  /** open http://127.0.0.1:<local> when done (asked when not given and the port is HTTP) */
  openBrowser?: boolean;
}

export async function forwardPort(app: AppContext, explorer: ClusterTreeProvider, registry: ForwardRegistry, item?: ExplorerNode, input: ForwardPortInput = {}): Promise<ActiveForward | undefined> {
  // bad input is refused before any AWS call
  let remote: number | undefined = input.remotePort === undefined ? undefined : validatePort(input.remotePort, 'Remote port');
  const local = input.localPort === undefined || input.localPort === '' ? undefined : validatePort(input.localPort, 'Local port');
  const node = await reachableNode(app, explorer, item, 'Forward a Port from a Node', 'port forwarding');
  if (!node) return undefined;
  let name = SUGGESTED_PORTS.find((p) => p.port === remote)?.name;
  let http = SUGGESTED_PORTS.find((p) => p.port === remote)?.http ?? false;
  if (remote === undefined) {
    const picks = [
      ...SUGGESTED_PORTS.filter((p) => !p.role || p.role === node.node.role).map((p) => ({ label: String(p.port), description: p.name, detail: p.detail, port: p.port })),
      { label: 'Other port…', description: '', detail: 'any port from 1 to 65535', port: 0 },
    ];
    const pick = await vscode.window.showQuickPick(picks, { title: `Forward a Port from ${node.label}`, placeHolder: 'Remote port on the node' });
    if (!pick) return undefined;
    if (pick.port) remote = pick.port;
    else {
      const typed = await vscode.window.showInputBox({
        title: `Forward a Port from ${node.label}`,
        prompt: 'Remote port on the node (1-65535)',
        validateInput: (v) => {
          try {
            validatePort(v, 'Remote port');
            return undefined;
          } catch (e) {
            return (e as Error).message;
          }
        },
      });
      if (typed === undefined) return undefined;
      remote = validatePort(typed, 'Remote port');
    }
    const s = SUGGESTED_PORTS.find((p) => p.port === remote);
    name = s?.name;
    http = s?.http ?? false;
  }
  let forward;
  try {
    forward = await startPortForward(app.session(node.region), node.node.instanceId, remote, {
      localPort: local,
      log: (l) => app.output.info(l),
      onError: (m) => void vscode.window.showErrorMessage(m),
    });
  } catch (e) {
    void vscode.window.showErrorMessage((e as Error).message);
    return undefined;
  }
  const entry = registry.add(node.node.instanceId, forward, name);
  const url = `http://127.0.0.1:${forward.localPort}/`;
  const open = input.openBrowser ?? (http ? (await vscode.window.showInformationMessage(`Port ${remote} of ${node.label} is forwarded to 127.0.0.1:${forward.localPort}.`, 'Open in Browser')) === 'Open in Browser' : false);
  if (!http && input.openBrowser === undefined) void vscode.window.showInformationMessage(`Port ${remote} of ${node.label} is forwarded to 127.0.0.1:${forward.localPort}.`);
  if (open) await vscode.env.openExternal(vscode.Uri.parse(url));
  return entry;
}
