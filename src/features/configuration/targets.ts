/**
 * Which master a cluster's configuration is read from (the first reachable one, by index), and the `openvidu-config:`
 * URIs: openvidu-config:/<region>/<stack>/<instance id>/<path under /opt/openvidu/config>.
 */
import * as vscode from 'vscode';
import type { NodeInstance } from '../../openvidu/cluster';
import { checkConfigPath } from '../../openvidu/configLayout';
import type { ClusterTreeProvider, StackNode } from '../explorer';
import { checkReachability } from '../operations';
import type { AppContext } from '../shared/appContext';
import { RemoteConfig } from './remoteConfig';

export const CONFIG_SCHEME = 'openvidu-config';

export interface ConfigLocation {
  region: string;
  stackName: string;
  instanceId: string;
  /** '' for the root of the configuration tree */
  rel: string;
}

export function configUri(l: ConfigLocation): vscode.Uri {
  return vscode.Uri.from({ scheme: CONFIG_SCHEME, path: `/${l.region}/${l.stackName}/${l.instanceId}${l.rel ? `/${l.rel}` : ''}` });
}

export function parseConfigUri(uri: vscode.Uri): ConfigLocation {
  const [, region, stackName, instanceId, ...rest] = uri.path.split('/');
  if (!region || !stackName || !/^i-[0-9a-f]{8,17}$/.test(instanceId ?? '')) throw vscode.FileSystemError.FileNotFound(uri);
  const rel = rest.join('/');
  return { region, stackName, instanceId, rel: rel ? checkConfigPath(rel) : '' };
}

export function masterLabel(n: NodeInstance): string {
  return `Master ${n.index ?? '?'} (${n.instanceId})`;
}

export interface ConfigTarget {
  region: string;
  stack: StackNode;
  master: NodeInstance;
  remote: RemoteConfig;
}

export interface NoMaster {
  stack: StackNode;
  /** why each master cannot be read, with the fix */
  reasons: string[];
  mastersUnregistered: boolean;
}

/** Finds the first reachable master of a stack (checks SSM registration first: template 3.8.0 leaves masters out). */
export async function resolveTarget(app: AppContext, explorer: ClusterTreeProvider, stack: StackNode): Promise<ConfigTarget | NoMaster> {
  await explorer.getChildren(stack); // loads the cluster
  const masters = [...(stack.cluster?.masters ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  if (!masters.length) return { stack, reasons: ['The stack has no master nodes yet.'], mastersUnregistered: false };
  const { reachable, unreachable } = await checkReachability(app, stack.region, masters);
  const master = reachable[0];
  if (!master) {
    const reasons = masters.map((m) => `${masterLabel(m)}: ${unreachable.get(m.instanceId) ?? 'not reachable'}`);
    return { stack, reasons, mastersUnregistered: [...unreachable.values()].some((r) => /Not registered with SSM/.test(r)) };
  }
  return { region: stack.region, stack, master, remote: new RemoteConfig(app.session(stack.region), { instanceId: master.instanceId, label: masterLabel(master) }) };
}

export function isTarget(t: ConfigTarget | NoMaster): t is ConfigTarget {
  return 'remote' in t;
}
