/** Registers the cluster dashboard feature: the media group's CPU against the scaling target. */
import * as vscode from 'vscode';
import type { AppContext } from '../shared/appContext';
import type { Explorer } from '../explorer';
import { DashboardFeature, type DashboardOptions } from './feature';
import { annotateMediaGroup } from './mediaLoad';
import { Commands } from '../../constants';
import { openDashboard } from './commands/openDashboard';
import { openGrafana } from './commands/openGrafana';
import { showStackDetails } from './commands/showStackDetails';
import { STACK_DETAILS_SCHEME, StackDetailsDocumentProvider } from './stackDetailsDocument';

export { DashboardFeature } from './feature';

/** Adds the CPU-against-target note to each ready stack's media group (also used by tests without a view). */
export function attachMediaLoad(feature: DashboardFeature): vscode.Disposable {
  return feature.explorer.addStackChildren((stack, groups) => {
    annotateMediaGroup(feature, stack, groups);
    return [];
  });
}

export function registerDashboard(app: AppContext, context: vscode.ExtensionContext, explorer: Explorer, options: DashboardOptions = {}): DashboardFeature {
  const feature = new DashboardFeature(app, explorer.provider, options);
  context.subscriptions.push(
    feature,
    attachMediaLoad(feature),
    vscode.commands.registerCommand(Commands.openDashboard, (node) => openDashboard(feature, context.extensionUri, node)),
    vscode.commands.registerCommand(Commands.openGrafana, (node) => openGrafana(feature, node)),
    vscode.workspace.registerTextDocumentContentProvider(STACK_DETAILS_SCHEME, new StackDetailsDocumentProvider(app)),
    vscode.commands.registerCommand(Commands.showStackDetails, (node) => showStackDetails(feature, node)),
  );
  return feature;
}
