import * as vscode from 'vscode';
import { WALKTHROUGH_ID } from '../../../constants';

/** Opens the Get Started walkthrough of this extension (palette: OpenVidu: Get Started with OpenVidu HA). */
export async function openWalkthrough(context: vscode.ExtensionContext): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
}
