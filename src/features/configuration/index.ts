/** The cluster's configuration in the editor: a view, the `openvidu-config:` file system, language features, commands. */
import * as vscode from 'vscode';
import { CONFIGURATION_VIEW, Commands } from '../../constants';
import type { Explorer } from '../explorer';
import type { AppContext } from '../shared/appContext';
import { ConfigDocuments, VIEW_SCHEME } from './configDocuments';
import { ConfigFileSystem } from './configFileSystem';
import { ConfigTreeProvider } from './configTree';
import { registerLanguageFeatures } from './languageFeatures';
import { CONFIG_SCHEME } from './targets';
import { compareMasterConfiguration } from './commands/compareMasterConfiguration';
import { openConfiguration } from './commands/openConfiguration';
import { refreshConfiguration } from './commands/refreshConfiguration';
import { restoreConfigurationBackup } from './commands/restoreConfigurationBackup';

export interface Configuration {
  fs: ConfigFileSystem;
  tree: ConfigTreeProvider;
  docs: ConfigDocuments;
}

export function registerConfiguration(app: AppContext, context: vscode.ExtensionContext, explorer: Explorer): Configuration {
  const docs = new ConfigDocuments();
  const fs = new ConfigFileSystem(app, docs);
  const tree = new ConfigTreeProvider(app, explorer.provider, fs);
  const p = explorer.provider;
  context.subscriptions.push(
    docs,
    fs,
    tree,
    vscode.workspace.registerFileSystemProvider(CONFIG_SCHEME, fs, { isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, docs),
    vscode.window.createTreeView(CONFIGURATION_VIEW, { treeDataProvider: tree, showCollapseAll: true }),
    ...registerLanguageFeatures(fs),
    vscode.commands.registerCommand(Commands.openConfiguration, (item) => openConfiguration(app, p, tree, fs, item)),
    vscode.commands.registerCommand(Commands.compareMasterConfiguration, (item) => compareMasterConfiguration(app, p, docs, item)),
    vscode.commands.registerCommand(Commands.restoreConfigurationBackup, (arg, backup?: string) => restoreConfigurationBackup(fs, arg, backup)),
    vscode.commands.registerCommand(Commands.refreshConfiguration, () => refreshConfiguration(tree)),
  );
  return { fs, tree, docs };
}
