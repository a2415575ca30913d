/** Read-only "Stack details" documents (scheme `openvidu-ha-details`, Markdown). No secret reaches them. */
import * as vscode from 'vscode';
import type { AppContext } from '../shared/appContext';
import { loadStackDetails } from '../../aws/stackDetails';
import { renderStackDetails } from '../../openvidu/stackDetails';
import { bundledSpec } from '../../openvidu/bundled-specs';

export const STACK_DETAILS_SCHEME = 'openvidu-ha-details';

export function stackDetailsUri(region: string, stackName: string, version?: string): vscode.Uri {
  return vscode.Uri.from({ scheme: STACK_DETAILS_SCHEME, path: `/${region}/${stackName}.details.md`, query: version ? `version=${version}` : '' });
}

export class StackDetailsDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly app: AppContext) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, region, file] = uri.path.split('/');
    const stackName = file.replace(/\.details\.md$/, '');
    const version = /version=([0-9.]+|latest)/.exec(uri.query)?.[1];
    // NoEcho keys from the template version's spec; CloudFormation's own "****" is masked too.
    const spec = version ? bundledSpec(version) : undefined;
    const noEcho = new Set((spec?.parameters ?? []).filter((p) => p.noEcho).map((p) => p.key));
    try {
      let details = await loadStackDetails(this.app.session(region), stackName, noEcho);
      if (!spec && details.templateVersion) {
        const known = bundledSpec(details.templateVersion);
        for (const p of known?.parameters ?? []) if (p.noEcho) noEcho.add(p.key);
        details = { ...details, noEcho };
      }
      return renderStackDetails({ ...details, templateVersion: details.templateVersion ?? version });
    } catch (e) {
      return `Could not load the details of ${stackName} in ${region}: ${this.app.describeError(e, region)}\n`;
    }
  }
}
