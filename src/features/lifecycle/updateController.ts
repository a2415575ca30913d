/**
 * The update form's host side, without a webview (a sibling of DeployController): the stack name and region are
 * fixed by the host, the form gets the stack's current values (NoEcho ones left out), and on submit the host
 * re-validates the draft, turns it into a plan (only the values that differ; NoEcho values only when retyped,
 * else UsePreviousValue), builds the change set and answers with its review. Execute runs the change set and
 * pushes progress like a creation; Discard deletes it. No `vscode` import. Never logs parameter values.
 */
import { deleteChangeSet, executeChangeSet, type StackParameters } from '../../aws/changeSetApi';
import type { ResourceChangeLike } from '../../openvidu/changeSet';
import { formValueText, VERSION_CHOICES, type TemplateSpec } from '../../openvidu/spec';
import { hasErrors, STACK_NAME_FIELD, validateDeployForm, type Issue } from '../../openvidu/validation';
import { downgradeRefusal, needsDowngradeConfirmation } from '../../openvidu/versionChoice';
import { buildChangeSet, currentVersion, resolveCurrentVersion, targetSpec, type Proposal, type UpdatePlan, type UpdateTarget } from './updateCore';
import { loadAwsFacts } from '../../aws/deployFacts';
import { StackFollower, type DeployHost, type TemplateService } from '../deploy';
import { describeRejected, factsToContext, KEPT_SECRET, parseWebviewMessage } from '../../protocol/deployForm';
import type { AwsFacts, EventRow, HostMessage, ProgressModel, ResourceChangeRow, UpdateDraft, UpdateInit, UpdateReview, WebviewMessage } from '../../protocol/deployForm';

export interface UpdateEffects {
  post?(message: HostMessage): void;
  showNodes?(region: string, stackName: string): Promise<void>;
  /** the change set was executed (refresh the explorer) */
  updateStarted?(region: string, stackName: string): void;
  progressChanged?(progress: ProgressModel): void;
}

export interface UpdateControllerOptions {
  /** DescribeStackEvents interval while the update runs (default 5 s) */
  pollMs?: number;
  /** DescribeChangeSet interval while CloudFormation computes the change set (default 2 s) */
  changeSetPollMs?: number;
  /** start the timer-driven polling after ExecuteChangeSet (default true; tests drive `pollProgress`) */
  autoPoll?: boolean;
}

const AWS_FIELD = '_aws';
/** the update form's version picker (its issues show there) */
export const VERSION_FIELD = 'Version';

export class UpdateController {
  private follower?: StackFollower;
  private pending?: Proposal;
  private currentSpec?: TemplateSpec;
  private disposed = false;
  readonly target: UpdateTarget;

  constructor(
    private readonly host: DeployHost,
    private readonly templates: TemplateService,
    stack: { stackName: string; region: string; clusterVersion?: string },
    private readonly current: StackParameters,
    private readonly effects: UpdateEffects = {},
    private readonly options: UpdateControllerOptions = {},
  ) {
    this.target = { session: host.session(stack.region), stackName: stack.stackName, region: stack.region, clusterVersion: stack.clusterVersion };
  }

  get stackName(): string {
    return this.target.stackName;
  }
  get region(): string {
    return this.target.region;
  }
  get following(): StackFollower | undefined {
    return this.follower;
  }
  /** the change set waiting for Execute or Discard */
  get pendingChangeSet(): string | undefined {
    return this.pending?.changeSetId;
  }

  /** What the form starts from: current values without the NoEcho ones. */
  updateInit(): UpdateInit {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.current.values)) if (!this.current.noEcho.has(k)) values[k] = v;
    return { stackName: this.stackName, region: this.region, currentVersion: currentVersion(this.current, this.target.clusterVersion), values, noEcho: [...this.current.noEcho] };
  }

  async handle(raw: unknown): Promise<HostMessage | undefined> {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.host.log.warn(`[update] ${describeRejected(raw)}`);
      return undefined;
    }
    try {
      return await this.dispatch(msg);
    } catch (e) {
      return { type: 'error', requestId: msg.requestId, message: this.describe(e) };
    }
  }

  private describe(e: unknown): string {
    return e instanceof Error && !('$metadata' in e) ? e.message : this.host.describeError(e, this.region);
  }

  private async dispatch(msg: WebviewMessage): Promise<HostMessage> {
    const { requestId } = msg;
    switch (msg.type) {
      case 'ready': {
        const update = this.updateInit();
        update.currentVersion = await this.resolveVersion();
        return {
          type: 'init',
          requestId,
          init: { regions: [this.region], defaultRegion: this.region, versions: VERSION_CHOICES, templateBaseUrl: this.host.templateBaseUrl(), update },
          following: this.follower?.snapshot(),
          events: this.follower ? [...this.follower.events] : undefined,
        };
      }
      case 'loadTemplate':
      case 'loadUpdateTemplate': {
        const version = msg.type === 'loadTemplate' ? msg.version : msg.version;
        if (version) {
          const t = await this.templates.load(version, this.region);
          return { type: 'template', requestId, version: t.version, spec: t.spec, source: t.source, notice: t.notice };
        }
        const spec = await this.keepSpec();
        if (!spec) return { type: 'error', requestId, message: `The template of ${this.stackName} could not be read: choose a version.` };
        return { type: 'template', requestId, version: '', spec, source: 'template' };
      }
      case 'loadFacts': {
        const spec = this.templates.cached(msg.version)?.spec ?? this.currentSpec;
        return { type: 'facts', requestId, facts: await this.facts(spec) };
      }
      case 'proposeUpdate':
        return this.propose(requestId, msg.draft);
      case 'executeUpdate': {
        const pending = this.pending;
        if (!pending) return { type: 'done', requestId, ok: false, message: 'There is no change set to execute: create one first.' };
        if (this.follower && !this.follower.isSettled()) return { type: 'done', requestId, ok: false, message: `${this.stackName} is still updating.` };
        const follower = this.newFollower();
        await follower.prime().catch((e) => this.host.log.warn(`[update] reading the events of ${this.stackName}: ${this.describe(e)}`));
        await executeChangeSet(this.target.session, this.stackName, pending.changeSetId);
        this.pending = undefined;
        this.host.log.info(`[update] executing the change set on ${this.stackName} (${this.region})`);
        this.follower = follower;
        if (this.options.autoPoll ?? true) follower.start();
        this.effects.updateStarted?.(this.region, this.stackName);
        return { type: 'done', requestId, ok: true };
      }
      case 'discardUpdate': {
        await this.discard();
        return { type: 'done', requestId, ok: true, message: `Discarded the change set: ${this.stackName} is unchanged.` };
      }
      case 'showNodes':
        await this.effects.showNodes?.(this.region, this.stackName);
        return { type: 'done', requestId, ok: true };
      default:
        return { type: 'error', requestId, message: `${msg.type} is not available in the update form.` };
    }
  }

  /** The version the stack runs (tag, explorer, cluster secret, template description), remembered once found. */
  private async resolveVersion(): Promise<string | undefined> {
    this.target.clusterVersion ??= await resolveCurrentVersion(this.target, this.current);
    return currentVersion(this.current, this.target.clusterVersion);
  }

  private async keepSpec(): Promise<TemplateSpec | undefined> {
    this.currentSpec ??= await targetSpec(this.target, this.current);
    return this.currentSpec;
  }

  private facts(spec?: TemplateSpec): Promise<AwsFacts> {
    const instanceTypes = spec?.parameters.filter((p) => /InstanceType$/.test(p.key)).flatMap((p) => p.allowedValues ?? []);
    const vpcKey = spec?.parameters.find((p) => p.type === 'AWS::EC2::VPC::Id')?.key;
    const vpcId = vpcKey ? this.current.values[vpcKey] : undefined;
    return loadAwsFacts(this.target.session, { region: this.region, vpcId: vpcId || undefined, instanceTypes }, (e) => this.host.describeError(e, this.region));
  }

  /** The plan for a draft: only the values that differ from the stack's; NoEcho ones only when retyped. */
  static plan(spec: TemplateSpec, current: StackParameters, draft: UpdateDraft): UpdatePlan {
    const changes: Record<string, string> = {};
    for (const p of spec.parameters) {
      const raw = draft.values[p.key];
      const v = raw === undefined ? undefined : formValueText(raw);
      if (p.noEcho) {
        if (v && v !== KEPT_SECRET) changes[p.key] = v;
        continue;
      }
      if (v === undefined) continue;
      if (p.key in current.values) {
        if (v !== current.values[p.key]) changes[p.key] = v;
      } else if (v !== (p.default ?? '')) changes[p.key] = v;
    }
    return { version: draft.version || undefined, changes };
  }

  /** Every issue of the draft as the form sees it (NoEcho kept values count as set; the name is fixed). */
  private async check(spec: TemplateSpec, draft: UpdateDraft): Promise<Issue[]> {
    const facts = await this.facts(spec);
    const values: Record<string, string | string[]> = { ...this.current.values, [STACK_NAME_FIELD]: this.stackName };
    for (const p of spec.parameters) {
      if (draft.values[p.key] !== undefined) values[p.key] = draft.values[p.key];
      if (p.noEcho && (!values[p.key] || values[p.key] === '****') && this.current.noEcho.has(p.key)) values[p.key] = KEPT_SECRET;
    }
    const issues = validateDeployForm(spec, values, factsToContext(facts)).filter((i) => i.field !== STACK_NAME_FIELD);
    for (const p of facts.problems) issues.push({ field: AWS_FIELD, severity: 'warning', message: `${p} The checks that need it were skipped.` });
    return issues;
  }

  private async propose(requestId: string, draft: UpdateDraft): Promise<HostMessage> {
    if (this.follower && !this.follower.isSettled()) return { type: 'updateProposal', requestId, ok: false, issues: [], message: `${this.stackName} is still updating: wait for it to finish.` };
    const from = await this.resolveVersion();
    if (needsDowngradeConfirmation(draft.version, from) && !draft.confirmDowngrade) {
      this.host.log.info(`[update] refused a downgrade of ${this.stackName} (${from} → ${draft.version}) without confirmation`);
      const message = downgradeRefusal(draft.version, from);
      return { type: 'updateProposal', requestId, ok: false, issues: [{ field: VERSION_FIELD, severity: 'error', message }], message: `No change set was created: ${message}` };
    }
    const spec = draft.version ? (await this.templates.load(draft.version, this.region)).spec : await this.keepSpec();
    if (!spec) return { type: 'updateProposal', requestId, ok: false, issues: [], message: `The template of ${this.stackName} could not be read: choose a version.` };
    const issues = await this.check(spec, draft);
    if (hasErrors(issues)) {
      this.host.log.info(`[update] refused a change set for ${this.stackName}: ${issues.filter((i) => i.severity === 'error').length} error(s)`);
      return { type: 'updateProposal', requestId, ok: false, issues, message: 'Fix the errors shown on the fields: no change set was created.' };
    }
    await this.discard();
    const plan: UpdatePlan = { ...UpdateController.plan(spec, this.current, draft), ...(draft.confirmDowngrade ? { allowDowngrade: true } : {}) };
    let proposal: Proposal;
    try {
      proposal = await buildChangeSet(this.target, this.current, plan, { templateBaseUrl: this.host.templateBaseUrl(), pollMs: this.options.changeSetPollMs, spec });
    } catch (e) {
      return { type: 'updateProposal', requestId, ok: false, issues, message: `No change set: ${this.describe(e)}` };
    }
    if (proposal.empty) await deleteChangeSet(this.target.session, this.stackName, proposal.changeSetId).catch(() => undefined);
    else this.pending = proposal;
    this.host.log.info(`[update] change set for ${this.stackName}: ${proposal.summary.replacements.length} replacement(s)${proposal.summary.mastersReplaced ? ', MASTERS REPLACED' : ''}`);
    return { type: 'updateProposal', requestId, ok: true, issues, review: this.review(proposal, issues) };
  }

  private review(p: Proposal, issues: Issue[]): UpdateReview {
    const row = (c: ResourceChangeLike): ResourceChangeRow => ({
      action: c.Action ?? '',
      logicalId: c.LogicalResourceId ?? '',
      type: c.ResourceType ?? '',
      physicalId: c.PhysicalResourceId || undefined,
      replacement: c.Replacement,
      causes: [...new Set((c.Details ?? []).map((d) => d.Target?.Name ?? d.CausingEntity ?? '').filter(Boolean))],
    });
    const s = p.summary;
    return {
      stackName: this.stackName,
      region: this.region,
      fromVersion: p.fromVersion,
      toVersion: p.toVersion,
      mastersReplaced: s.mastersReplaced,
      replacements: s.replacements.map(row),
      conditional: s.conditional.map(row),
      others: s.others.map(row),
      parameterDiffs: s.parameterDiffs.map((d) => (d.noEcho ? { ...d, from: '****', to: '**** (new value)' } : d)),
      warnings: issues.filter((i) => i.severity === 'warning'),
      empty: p.empty,
    };
  }

  private async discard(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) await deleteChangeSet(this.target.session, this.stackName, pending.changeSetId).catch((e) => this.host.log.warn(`[update] deleting a change set of ${this.stackName}: ${this.describe(e)}`));
  }

  private newFollower(): StackFollower {
    this.follower?.dispose();
    return new StackFollower({
      session: this.target.session,
      region: this.region,
      stackName: this.stackName,
      action: 'update',
      pollMs: this.options.pollMs,
      log: (m) => this.host.log.warn(m),
      describeError: (e) => this.host.describeError(e, this.region),
      onUpdate: (progress: ProgressModel, events: EventRow[]) => {
        if (this.disposed) return;
        this.effects.post?.({ type: 'progress', progress, events });
        this.effects.progressChanged?.(progress);
      },
    });
  }

  /** One poll of the update being followed (tests drive progress with this). */
  pollProgress(): Promise<ProgressModel | undefined> {
    return this.follower ? this.follower.pollOnce() : Promise.resolve(undefined);
  }

  /** Closing the form deletes a change set nobody executed. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.follower?.dispose();
    await this.discard();
  }
}
