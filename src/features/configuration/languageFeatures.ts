/**
 * The editor understands OpenVidu configuration: hover and completion for the documented keys (configReference.ts),
 * and diagnostics (syntax with line and column, unknown keys, values the reference constrains, `${scope.KEY}`
 * references to keys that do not exist) on `openvidu-config:` documents and local files with the same names.
 */
import * as vscode from 'vscode';
import { diagnoseConfig, keyAt, yamlParents, type ConfigDiagnostic } from '../../openvidu/configCheck';
import { fileKind, languageOf } from '../../openvidu/configLayout';
import { keyMarkdown, lookupKey, referenceFor } from '../../openvidu/configReference';
import type { ConfigFileSystem } from './configFileSystem';
import { CONFIG_SCHEME, parseConfigUri } from './targets';

export const CONFIG_SELECTOR: vscode.DocumentSelector = [
  { scheme: CONFIG_SCHEME },
  { pattern: '**/{openvidu,meet,v2compatibility,master_node,media_node}.env' },
  { pattern: '**/livekit.yaml' },
];

function relOf(doc: { uri: vscode.Uri }): string {
  if (doc.uri.scheme === CONFIG_SCHEME) {
    try {
      return parseConfigUri(doc.uri).rel;
    } catch {
      return '';
    }
  }
  return doc.uri.path.split('/').pop() ?? '';
}

/** Hover text for the key under the cursor (undefined: not a documented key). */
export function hoverMarkdown(rel: string, text: string, line: number, column: number): string | undefined {
  const k = keyAt(rel, text, line, column);
  if (!k) return undefined;
  const ref = referenceFor(rel);
  const entry = lookupKey(rel, k.key);
  return ref && entry ? keyMarkdown(ref.title, entry) : undefined;
}

export interface CompletionEntry {
  label: string;
  detail: string;
  documentation: string;
  insertText: string;
}

/** Documented keys not yet in the file (env), or the next level under `openvidu:` (livekit.yaml). */
export function completionEntries(rel: string, text: string, line: number): CompletionEntry[] {
  const ref = referenceFor(rel);
  if (!ref) return [];
  const lines = text.split(/\r?\n/);
  const current = lines[line] ?? '';
  if (fileKind(rel) === 'env') {
    if (current.includes('=')) return [];
    const present = new Set(lines.map((l) => /^\s*([A-Za-z_][A-Za-z0-9_]*)=/.exec(l)?.[1]).filter(Boolean));
    return ref.keys
      .filter((k) => !present.has(k.key))
      .map((k) => ({ label: k.key, detail: k.default !== undefined ? `default ${k.default}` : ref.file, documentation: keyMarkdown(ref.title, k), insertText: `${k.key}=${k.default ?? ''}` }));
  }
  const indent = /^(\s*)/.exec(current)?.[1].length ?? 0;
  const chain = yamlParents(lines, line, indent);
  if (chain[0] !== 'openvidu' || indent === 0) return [];
  const prefix = chain.slice(1).join('.');
  return ref.keys
    .filter((k) => (prefix ? k.key.startsWith(`${prefix}.`) && !k.key.slice(prefix.length + 1).includes('.') : !k.key.includes('.')))
    .map((k) => {
      const name = prefix ? k.key.slice(prefix.length + 1) : k.key;
      return { label: name, detail: k.default !== undefined ? `default ${k.default}` : 'livekit.yaml openvidu:', documentation: keyMarkdown(ref.title, k), insertText: `${name}: ${k.default ?? ''}` };
    });
}

function toDiagnostic(d: ConfigDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(new vscode.Position(d.line, d.column), new vscode.Position(d.line, Math.max(d.endColumn, d.column + 1)));
  const sev = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const diag = new vscode.Diagnostic(range, d.message, sev);
  diag.source = 'OpenVidu';
  diag.code = d.code;
  return diag;
}

export function registerLanguageFeatures(fs: ConfigFileSystem): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('openvidu-config');
  const refresh = (doc: vscode.TextDocument) => {
    const rel = relOf(doc);
    // .env has no language of its own in VS Code: show it as properties (KEY=value), YAML as YAML
    if (doc.uri.scheme === CONFIG_SCHEME && doc.languageId === 'plaintext' && languageOf(rel) !== 'plaintext') void vscode.languages.setTextDocumentLanguage(doc, languageOf(rel));
    if (!referenceFor(rel) && !(doc.uri.scheme === CONFIG_SCHEME && fileKind(rel) !== 'other')) return;
    let known = {};
    if (doc.uri.scheme === CONFIG_SCHEME) {
      try {
        const loc = parseConfigUri(doc.uri);
        known = fs.knownKeys(loc);
        if (!Object.keys(known).length)
          void fs.loadKnownKeys(loc).then(
            () => refresh(doc),
            () => undefined,
          );
      } catch {
        // not a configuration file URI
      }
    }
    collection.set(doc.uri, diagnoseConfig(rel, doc.getText(), known).map(toDiagnostic));
  };
  return [
    collection,
    vscode.languages.registerHoverProvider(CONFIG_SELECTOR, {
      provideHover(doc, pos) {
        const md = hoverMarkdown(relOf(doc), doc.getText(), pos.line, pos.character);
        return md ? new vscode.Hover(new vscode.MarkdownString(md)) : undefined;
      },
    }),
    vscode.languages.registerCompletionItemProvider(CONFIG_SELECTOR, {
      provideCompletionItems(doc, pos) {
        return completionEntries(relOf(doc), doc.getText(), pos.line).map((e) => {
          const item = new vscode.CompletionItem(e.label, vscode.CompletionItemKind.Property);
          item.detail = e.detail;
          item.documentation = new vscode.MarkdownString(e.documentation);
          item.insertText = e.insertText;
          return item;
        });
      },
    }),
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => refresh(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
    ...(vscode.workspace.textDocuments.forEach(refresh), []),
  ];
}
