/**
 * What every feature needs, built once in activate(): settings, one AwsSession per region (sharing
 * credentials), and the output channel. Tests can build their own with other settings.
 */
import * as vscode from 'vscode';
import { AwsSession, resolveRegions } from '../../aws/session';
import { describeAwsError, formatAwsProblem } from '../../aws/errors';
import { SETTINGS_SECTION } from '../../constants';
import { restrictedSetting } from './trustedSettings';
import { NodeStatusStore } from './nodeStatusStore';
import { promptMfaCode } from './mfaPrompt';

export interface ExtensionSettings {
  profile: string;
  regions: string[];
  endpoint: string;
}

export function readSettings(): ExtensionSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    profile: restrictedSetting('profile', '').trim(),
    regions: c.get<string[]>('regions', []),
    endpoint: restrictedSetting('endpoint', '').trim(),
  };
}

export class AppContext implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('OpenVidu HA', { log: true });
  /** last service status read from each node over SSM */
  readonly nodeStatus = new NodeStatusStore();
  private sessions = new Map<string, AwsSession>();
  private baseSession?: AwsSession;
  private readonly changed = new vscode.EventEmitter<void>();
  /** fires when profile, regions or endpoint change */
  readonly onDidChangeSettings = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** the credentials came from an MFA code (an expired token then means "enter a new code") */
  private usedMfa = false;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS_SECTION)) {
          this.resetSessions();
          this.changed.fire();
        }
      }),
      // trusting the folder lets its values of the restricted settings apply (trustedSettings.ts)
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.resetSessions();
        this.changed.fire();
      }),
    );
  }

  settings(): ExtensionSettings {
    return readSettings();
  }

  async regions(): Promise<string[]> {
    const s = this.settings();
    return resolveRegions(s.regions, s.profile || undefined);
  }

  /** The session for a region; all regions share one credential provider. */
  session(region: string): AwsSession {
    let s = this.sessions.get(region);
    if (!s) {
      const settings = this.settings();
      this.baseSession ??= new AwsSession({
        profile: settings.profile || undefined,
        region,
        endpoint: settings.endpoint || undefined,
        mfaCodeProvider: (serial) => {
          this.usedMfa = true;
          return promptMfaCode(serial, settings.profile || undefined);
        },
      });
      s = this.baseSession.forRegion(region);
      this.sessions.set(region, s);
    }
    return s;
  }

  resetSessions(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    this.baseSession = undefined;
  }

  /** A user-facing sentence (with the fix) for an AWS error; logs the detail without secrets. */
  describeError(error: unknown, region?: string): string {
    const s = this.settings();
    const problem = describeAwsError(error, { profile: s.profile || undefined, region, endpoint: s.endpoint || undefined, mfa: this.usedMfa });
    this.output.warn(`${region ? `[${region}] ` : ''}${problem.code ?? 'error'}: ${problem.message}`);
    return formatAwsProblem(problem);
  }

  dispose(): void {
    this.resetSessions();
    this.changed.dispose();
    this.nodeStatus.dispose();
    this.output.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
