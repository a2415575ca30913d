/**
 * The deploy wizard's host side, without a webview: takes (untrusted) messages from the form and returns the
 * replies; pushes progress through `effects.post`. It re-validates every submitted draft with
 * `validateDeployForm` and AWS facts read fresh at that moment, refuses before `CreateStack` on errors (and on
 * warnings unless the user chose "Deploy anyway"), then creates the stack and follows it.
 *
 * No `vscode` import: the panel (deployPanel.ts) supplies the effects (clipboard, explorer, file dialogs).
 * Never logs parameter values.
 */
import { createStack } from '../../aws/deployApi';
import type { AwsSession } from '../../aws/session';
import { defaultValues, templateUrl, toCloudFormationParameters, VERSION_CHOICES } from '../../openvidu/spec';
import type { TemplateSpec } from '../../openvidu/spec';
import { hasErrors, STACK_NAME_FIELD, validateDeployForm } from '../../openvidu/validation';
import { createStackTags, validateStackTags } from '../../openvidu/stackTags';
import type { FormValues, Issue } from '../../openvidu/validation';
import { loadAwsFacts } from '../../aws/deployFacts';
import { buildReview, exportParametersFile, importParametersFile, resourcesToCreate } from '../../protocol/deployFormModel';
import { describeRejected, factsToContext, parseWebviewMessage, REQUIRED_CAPABILITIES } from '../../protocol/deployForm';
import type { AwsFacts, DeployDraft, EventRow, HostMessage, ProgressModel, WebviewMessage } from '../../protocol/deployForm';
import { StackFollower } from './stackFollower';
import type { TemplateService } from './templateService';
import { unsupportedPartitionMessage } from '../../openvidu/partition';
import { DEFAULT_TEMPLATE_BASE_URL } from '../../openvidu/spec';

export interface DeployHost {
  session(region: string): AwsSession;
  describeError(error: unknown, region?: string): string;
  log: { info(message: string): void; warn(message: string): void };
  regions(): Promise<string[]>;
  templateBaseUrl(): string;
}

export interface DeployEffects {
  /** pushes to the webview (progress); replies are returned by `handle` instead */
  post?(message: HostMessage): void;
  copyText?(text: string): Promise<void>;
  showNodes?(region: string, stackName: string): Promise<void>;
  /** false when the command is not available */
  copyLiveKitCredentials?(region: string, stackName: string): Promise<boolean>;
  liveKitCommandAvailable?(): Promise<boolean>;
  /** shows a save dialog and writes the text; returns where, or undefined when cancelled */
  saveParametersFile?(text: string, suggestedName: string): Promise<string | undefined>;
  /** shows an open dialog; returns the file's text, or undefined when cancelled */
  openParametersFile?(): Promise<string | undefined>;
  stackCreated?(region: string, stackName: string): void;
  progressChanged?(progress: ProgressModel): void;
}

export interface DeployControllerOptions {
  /** DescribeStackEvents interval while the stack is in progress (default 5 s) */
  pollMs?: number;
  /** start the timer-driven polling after CreateStack (default true; tests drive `pollProgress` instead) */
  autoPoll?: boolean;
  /** first wait before re-reading a stack CloudFormation does not return yet (default 1000 ms) */
  retryDelayMs?: number;
}

const AWS_FIELD = '_aws';
/** the form's region control (webview/deploy/views/deployForm.ts) */
const REGION_FIELD = 'Region';

export class DeployController {
  private follower?: StackFollower;
  private disposed = false;

  constructor(
    private readonly host: DeployHost,
    private readonly templates: TemplateService,
    private readonly effects: DeployEffects = {},
    private readonly options: DeployControllerOptions = {},
  ) {}

  /** The stack being followed, if any. */
  get following(): StackFollower | undefined {
    return this.follower;
  }

  /** Handle one raw message from the webview; returns the reply (undefined for an ignored message). */
  async handle(raw: unknown): Promise<HostMessage | undefined> {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.host.log.warn(`[deploy] ${describeRejected(raw)}`);
      return undefined;
    }
    try {
      return await this.dispatch(msg);
    } catch (e) {
      const region = 'region' in msg ? msg.region : 'draft' in msg && 'region' in msg.draft ? msg.draft.region : undefined;
      return { type: 'error', requestId: msg.requestId, message: this.host.describeError(e, region) };
    }
  }

  private async dispatch(msg: WebviewMessage): Promise<HostMessage> {
    const { requestId } = msg;
    switch (msg.type) {
      case 'ready': {
        const regions = await this.host.regions();
        return {
          type: 'init',
          requestId,
          init: { regions, defaultRegion: regions[0] ?? 'us-east-1', versions: VERSION_CHOICES, templateBaseUrl: this.host.templateBaseUrl() },
          following: this.follower?.snapshot(),
          events: this.follower ? [...this.follower.events] : undefined,
        };
      }
      case 'loadTemplate': {
        const t = await this.templates.load(msg.version, msg.region);
        return { type: 'template', requestId, version: t.version, spec: t.spec, source: t.source, notice: t.notice };
      }
      case 'loadFacts': {
        const spec = this.templates.cached(msg.version)?.spec;
        const facts = await this.facts(msg.region, msg.vpcId, spec);
        return { type: 'facts', requestId, facts };
      }
      case 'review': {
        const { spec, issues } = await this.check(msg.draft);
        return { type: 'reviewResult', requestId, issues, review: hasErrors(issues) ? undefined : buildReview(spec, msg.draft, this.host.templateBaseUrl()) };
      }
      case 'create':
        return this.create(msg.requestId, msg.draft, msg.acceptWarnings);
      case 'exportParameters': {
        const { spec } = await this.templates.load(msg.draft.version, msg.draft.region);
        const text = exportParametersFile(spec, msg.draft.values);
        const name = `${msg.draft.stackName.trim() || 'openvidu-ha'}-parameters.json`;
        if (!this.effects.saveParametersFile) return { type: 'exportResult', requestId, ok: false, message: 'Saving files is not available here.' };
        const where = await this.effects.saveParametersFile(text, name);
        const secrets = spec.parameters.filter((p) => p.noEcho).map((p) => p.key);
        return where
          ? { type: 'exportResult', requestId, ok: true, message: `Saved ${where}.${secrets.length ? ` Secret parameters (${secrets.join(', ')}) are not in the file: add them when you use it.` : ''}` }
          : { type: 'exportResult', requestId, ok: false, message: 'Export cancelled.' };
      }
      case 'importParameters': {
        if (!this.effects.openParametersFile) return { type: 'importResult', requestId, ok: false, message: 'Opening files is not available here.' };
        const text = await this.effects.openParametersFile();
        if (text === undefined) return { type: 'importResult', requestId, ok: false, message: 'Import cancelled.' };
        const cached = this.templates.cached(msg.version);
        if (!cached) return { type: 'importResult', requestId, ok: false, message: 'Load the template version first.' };
        return this.importText(requestId, cached.spec, text);
      }
      case 'follow': {
        if (!this.follower || this.follower.stackName !== msg.stackName || this.follower.region !== msg.region) this.startFollowing(msg.region, msg.stackName);
        return { type: 'done', requestId, ok: true };
      }
      case 'copyLoadBalancerDns': {
        const dns = this.follower?.snapshot().completion?.loadBalancerDns;
        if (!dns) return { type: 'done', requestId, ok: false, message: 'The load balancer DNS name is not known yet.' };
        await this.effects.copyText?.(dns);
        return { type: 'done', requestId, ok: true, message: `Copied ${dns}.` };
      }
      case 'showNodes': {
        if (!this.follower) return { type: 'done', requestId, ok: false, message: 'No stack is being followed.' };
        await this.effects.showNodes?.(this.follower.region, this.follower.stackName);
        return { type: 'done', requestId, ok: true };
      }
      case 'copyLiveKitCredentials': {
        if (!this.follower) return { type: 'done', requestId, ok: false, message: 'No stack is being followed.' };
        const ok = (await this.effects.copyLiveKitCredentials?.(this.follower.region, this.follower.stackName)) ?? false;
        return ok ? { type: 'done', requestId, ok } : { type: 'done', requestId, ok, message: 'Copying LiveKit credentials is not available in this version of the extension.' };
      }
      case 'loadUpdateTemplate':
      case 'proposeUpdate':
      case 'executeUpdate':
      case 'discardUpdate':
        return { type: 'error', requestId, message: 'Updates run in the update form (OpenVidu: Update or Upgrade Deployment…).' };
    }
  }

  /** Import from text (also used by tests without a file dialog). */
  importText(requestId: string, spec: TemplateSpec, text: string): HostMessage {
    try {
      const r = importParametersFile(spec, text);
      const parts = [`Imported ${Object.keys(r.values).length} parameter${Object.keys(r.values).length === 1 ? '' : 's'}.`];
      if (r.unknownKeys.length) parts.push(`Ignored ${r.unknownKeys.join(', ')}: not parameters of this template version.`);
      if (r.skippedSecretKeys.length) parts.push(`Secret values (${r.skippedSecretKeys.join(', ')}) are never imported: type them.`);
      return { type: 'importResult', requestId, ok: true, values: r.values, message: parts.join(' ') };
    } catch (e) {
      return { type: 'importResult', requestId, ok: false, message: (e as Error).message };
    }
  }

  private async facts(region: string, vpcId: string | undefined, spec?: TemplateSpec): Promise<AwsFacts> {
    const instanceTypes = spec?.parameters.filter((p) => /InstanceType$/.test(p.key)).flatMap((p) => p.allowedValues ?? []);
    return loadAwsFacts(this.host.session(region), { region, vpcId, instanceTypes }, (e) => this.host.describeError(e, region));
  }

  /** The draft's spec and every issue, with AWS facts read now. */
  async check(draft: DeployDraft): Promise<{ spec: TemplateSpec; issues: Issue[]; facts: AwsFacts }> {
    const { spec } = await this.templates.load(draft.version, draft.region);
    const vpcKey = spec.parameters.find((p) => p.type === 'AWS::EC2::VPC::Id')?.key;
    const vpcRaw = vpcKey ? draft.values[vpcKey] : undefined;
    const vpcId = typeof vpcRaw === 'string' && /^vpc-[0-9a-f]{1,17}$/.test(vpcRaw.trim()) ? vpcRaw.trim() : undefined;
    const facts = await this.facts(draft.region, vpcId, spec);
    const values: FormValues = { ...draftValues(spec, draft), [STACK_NAME_FIELD]: draft.stackName };
    const issues = validateDeployForm(spec, values, factsToContext(facts));
    issues.push(...validateStackTags(draft.tags ?? []));
    // OpenVidu publishes its templates in the commercial partition only: a stack in China or GovCloud cannot read
    // them. Said on the Region field before anything is sent, unless a mirror of the templates is configured.
    const partition = this.host.templateBaseUrl() === DEFAULT_TEMPLATE_BASE_URL ? unsupportedPartitionMessage(draft.region) : undefined;
    if (partition) issues.unshift({ field: REGION_FIELD, severity: 'error', message: partition });
    for (const p of facts.problems) issues.push({ field: AWS_FIELD, severity: 'warning', message: `${p} The checks that need it were skipped.` });
    return { spec, issues, facts };
  }

  private async create(requestId: string, draft: DeployDraft, acceptWarnings: boolean): Promise<HostMessage> {
    if (this.follower && !this.follower.isSettled()) {
      return { type: 'createResult', requestId, ok: false, blocked: 'errors', issues: [], message: `Stack ${this.follower.stackName} is still being created: wait for it to finish.` };
    }
    const { spec, issues } = await this.check(draft);
    if (hasErrors(issues)) {
      this.host.log.info(`[deploy] refused to create ${draft.stackName || '(no name)'}: ${issues.filter((i) => i.severity === 'error').length} error(s)`);
      return { type: 'createResult', requestId, ok: false, blocked: 'errors', issues, message: 'Fix the errors shown on the fields: nothing was created.' };
    }
    if (issues.length && !acceptWarnings) {
      return { type: 'createResult', requestId, ok: false, blocked: 'warnings', issues, message: 'Review the warnings, then choose "Deploy anyway" to create the stack.' };
    }
    const stackName = draft.stackName.trim();
    const onFailure = draft.preserveOnFailure ? 'DO_NOTHING' : 'ROLLBACK';
    let stackId: string | undefined;
    try {
      stackId = await createStack(this.host.session(draft.region), {
        StackName: stackName,
        TemplateURL: templateUrl(draft.version, this.host.templateBaseUrl()),
        Parameters: toCloudFormationParameters(spec, draftValues(spec, draft)),
        Capabilities: [...REQUIRED_CAPABILITIES],
        OnFailure: onFailure,
        Tags: createStackTags(draft.tags ?? [], draft.version),
      });
    } catch (e) {
      const message = this.host.describeError(e, draft.region);
      const name = (e as Error)?.name;
      const fieldIssues: Issue[] = name === 'AlreadyExistsException' ? [{ field: STACK_NAME_FIELD, severity: 'error', message: `${STACK_NAME_FIELD} "${stackName}" is already used by a stack in ${draft.region}: choose another name.` }] : [];
      return { type: 'createResult', requestId, ok: false, blocked: 'aws', issues: fieldIssues, message: `CloudFormation refused to create the stack: ${message}` };
    }
    this.host.log.info(`[deploy] creating stack ${stackName} in ${draft.region} (template ${draft.version}, OnFailure ${onFailure})`);
    this.startFollowing(draft.region, stackName, stackId, resourcesToCreate(spec, draft.values).length);
    this.effects.stackCreated?.(draft.region, stackName);
    return { type: 'createResult', requestId, ok: true, issues, stackId };
  }

  private startFollowing(region: string, stackName: string, stackId?: string, expectedResources?: number): void {
    this.follower?.dispose();
    const follower = new StackFollower({
      session: this.host.session(region),
      region,
      stackName,
      stackId,
      expectedResources,
      pollMs: this.options.pollMs,
      retryDelayMs: this.options.retryDelayMs,
      liveKitCommandAvailable: this.effects.liveKitCommandAvailable,
      log: (m) => this.host.log.warn(m),
      describeError: (e) => this.host.describeError(e, region),
      onUpdate: (progress: ProgressModel, events: EventRow[]) => {
        if (this.disposed) return;
        this.effects.post?.({ type: 'progress', progress, events });
        this.effects.progressChanged?.(progress);
      },
    });
    this.follower = follower;
    if (this.options.autoPoll ?? true) follower.start();
  }

  /** One poll of the followed stack (tests drive progress with this). */
  pollProgress(): Promise<ProgressModel | undefined> {
    return this.follower ? this.follower.pollOnce() : Promise.resolve(undefined);
  }

  dispose(): void {
    this.disposed = true;
    this.follower?.dispose();
  }
}

/** Draft values restricted to the spec's parameters, with every parameter present ('' when not set). */
function draftValues(spec: TemplateSpec, draft: DeployDraft): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const defaults = defaultValues(spec);
  for (const key of Object.keys(defaults)) out[key] = draft.values[key] ?? '';
  return out;
}
