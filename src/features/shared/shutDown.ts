/**
 * Operations that need running nodes (service status, logs, restart, run a command, scale) wait while the cluster
 * is shut down: from the palette (where the menus' `when` clauses do not apply) they say why and offer Start.
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { isShutDown, type Cluster } from '../../openvidu/cluster';

/** What is needed of a stack row: its name and, once loaded, its cluster. */
interface StackLike {
  summary: { stackName: string };
  cluster?: Cluster;
}

export const START_CLUSTER_BUTTON = 'Start Cluster';

/** True (and the user was told, with a Start Cluster button) when `stack` is shut down; false otherwise. */
export function refuseWhileShutDown(stack: StackLike, what: string): boolean {
  if (!isShutDown(stack.cluster)) return false;
  void vscode.window
    .showWarningMessage(`Cannot ${what} on ${stack.summary.stackName}: the cluster is shut down (its master nodes are stopped); start it first.`, START_CLUSTER_BUTTON)
    .then((choice) => {
      if (choice === START_CLUSTER_BUTTON) void vscode.commands.executeCommand(Commands.startCluster, stack);
    });
  return true;
}
