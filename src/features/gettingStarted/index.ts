/**
 * The Get Started walkthrough (contributes.walkthroughs in package.json): a command that opens it, and its first
 * showing. VS Code opens an extension's walkthrough by itself only when the extension is installed from the
 * Extensions view; installed from a .vsix (or by the sandbox), nothing would show it, so the first activation
 * opens it once (setting `openviduHa.showWalkthroughOnFirstStart`).
 */
import * as vscode from 'vscode';
import { Commands, SETTINGS_SECTION } from '../../constants';
import { openWalkthrough } from './commands/openWalkthrough';

const SHOWN_KEY = 'openviduHa.walkthroughShown';

export function registerGettingStarted(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(Commands.openWalkthrough, () => openWalkthrough(context)));
  const wanted = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>('showWalkthroughOnFirstStart', true);
  if (wanted && !context.globalState.get<boolean>(SHOWN_KEY)) {
    void context.globalState.update(SHOWN_KEY, true).then(() => openWalkthrough(context));
  }
}
