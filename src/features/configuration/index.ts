/** The cluster's configuration in the editor: a Configuration row under each stack, the `openvidu-config:` file system, language features, commands. */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { Explorer } from '../explorer';
import type { AppContext } from '../shared/appContext';
import { ConfigDocuments, VIEW_SCHEME } from './configDocuments';
import { ConfigFileSystem } from './configFileSystem';
import { ConfigTree, showsConfiguration } from './configTree';
import { registerLanguageFeatures } from './languageFeatures';
import { CONFIG_SCHEME } from './targets';
import { compareMasterConfiguration } from './commands/compareMasterConfiguration';
import { openConfiguration } from './commands/openConfiguration';
import { refreshConfiguration } from './commands/refreshConfiguration';
import { restoreConfigurationBackup } from './commands/restoreConfigurationBackup';

export interface Configuration {
  fs: ConfigFileSystem;
  tree: ConfigTree;
  docs: ConfigDocuments;
}

/** Adds the Configuration row to the explorer's complete stacks (also used by tests without a view). */
export function attachConfiguration(tree: ConfigTree): vscode.Disposable {
  return tree.explorer.addStackChildren((stack) => (showsConfiguration(stack) ? [tree.row(stack)] : []));
}

export function registerConfiguration(app: AppContext, context: vscode.ExtensionContext, explorer: Explorer): Configuration {
  const docs = new ConfigDocuments();
  const fs = new ConfigFileSystem(app, docs);
  const p = explorer.provider;
  const tree = new ConfigTree(app, p, fs);
  context.subscriptions.push(
    docs,
    fs,
    attachConfiguration(tree),
    vscode.workspace.registerFileSystemProvider(CONFIG_SCHEME, fs, { isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, docs),
    ...registerLanguageFeatures(fs),
    vscode.commands.registerCommand(Commands.openConfiguration, (item) => openConfiguration(app, p, tree, fs, item)),
    vscode.commands.registerCommand(Commands.compareMasterConfiguration, (item) => compareMasterConfiguration(app, p, docs, item)),
    vscode.commands.registerCommand(Commands.restoreConfigurationBackup, (arg, backup?: string) => restoreConfigurationBackup(fs, arg, backup)),
    vscode.commands.registerCommand(Commands.refreshConfiguration, (item) => refreshConfiguration(tree, item)),
  );
  return { fs, tree, docs };
}
