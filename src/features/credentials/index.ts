/** Registers the credentials commands: copy LiveKit / OpenVidu v2 / admin credentials, write them to a config file, check them. */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { AppContext } from '../shared/appContext';
import type { Explorer } from '../explorer';
import { CredentialsFeature, type CredentialsOptions } from './feature';
import { PROPOSED_SCHEME } from './proposedDocument';
import { copyLiveKitCredentials } from './commands/copyLiveKitCredentials';
import { copyOpenViduV2Credentials } from './commands/copyOpenViduV2Credentials';
import { copyAdminCredentials } from './commands/copyAdminCredentials';
import { writeCredentialsToConfig } from './commands/writeCredentialsToConfig';
import { checkCredentials } from './commands/checkCredentials';

export { readStackCredentials } from './loadCredentials';
export type { StackRef } from './feature';

export function registerCredentials(app: AppContext, context: vscode.ExtensionContext, explorer?: Explorer, options: CredentialsOptions = {}): CredentialsFeature {
  const feature = new CredentialsFeature(app, explorer?.provider, options);
  context.subscriptions.push(
    feature,
    vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, feature.proposals),
    vscode.commands.registerCommand(Commands.copyLiveKitCredentials, (node) => copyLiveKitCredentials(feature, node)),
    vscode.commands.registerCommand(Commands.copyOpenViduV2Credentials, (node) => copyOpenViduV2Credentials(feature, node)),
    vscode.commands.registerCommand(Commands.copyAdminCredentials, (node) => copyAdminCredentials(feature, node)),
    vscode.commands.registerCommand(Commands.writeCredentialsToConfig, (node) => writeCredentialsToConfig(feature, node)),
    vscode.commands.registerCommand(Commands.checkCredentials, (node) => checkCredentials(feature, node)),
  );
  return feature;
}
