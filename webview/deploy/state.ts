/**
 * The one owner of the deploy/update webview's state: every module reads and writes `st`, and `persist()` keeps
 * the draft in the webview state WITHOUT NoEcho values (those live only in `st.secrets`, in memory, and in the
 * messages that need them). Views are re-drawn through `render()`, which the router (main.ts) provides, so the
 * modules below the views need not import them.
 */
import { STACK_NAME_FIELD } from '../../src/openvidu/validation';
import type { Issue } from '../../src/openvidu/validation';
import type { TemplateSpec } from '../../src/openvidu/spec';
import { KEPT_SECRET, withoutSecrets } from '../../src/protocol/deployForm';
import type {
  AwsFacts,
  DeployDraft,
  DraftValue,
  EventRow,
  InitState,
  ProgressModel,
  ReviewModel,
  TemplateSource,
  UpdateInit,
  UpdateReview,
} from '../../src/protocol/deployForm';
import { vscode } from './vscodeApi';

export type Step = 'form' | 'review' | 'progress';
interface PersistedState {
  v: 1;
  step: Step;
  draft: DeployDraft;
  touched: string[];
  following?: { region: string; stackName: string };
  /** update mode: the stack and the chosen version ('' = keep the current template) */
  update?: { stackName: string; version: string };
}

export const app = document.getElementById('app')!;

/** What the page held before a reload (or undefined on a first open). */
export const saved = vscode.getState() as PersistedState | undefined;

export interface State {
  step: Step;
  draft: DeployDraft;
  following?: { region: string; stackName: string };
  /** NoEcho values: memory only. */
  secrets: Map<string, string>;
  touched: Set<string>;
  init?: InitState;
  spec?: TemplateSpec;
  specSource?: TemplateSource;
  specNotice?: string;
  facts?: AwsFacts;
  factsLoading: boolean;
  review?: ReviewModel;
  serverIssues: Issue[];
  pendingWarnings?: Issue[];
  banner?: { kind: 'error' | 'info' | 'warning'; text: string };
  progress?: ProgressModel;
  events: EventRow[];
  busy: boolean;
  /** Update mode: the stack being updated (name and region fixed), the target version, the change set review. */
  update?: UpdateInit;
  updateVersion: string;
  updateReview?: UpdateReview;
  /** Update mode: the user ticked "I mean to downgrade" for the chosen (older) version. */
  downgradeConfirmed: boolean;
}

export const st: State = {
  step: saved?.v === 1 ? saved.step : 'form',
  draft: saved?.v === 1 ? saved.draft : { stackName: '', region: '', version: 'latest', values: {}, preserveOnFailure: true },
  following: saved?.v === 1 ? saved.following : undefined,
  secrets: new Map<string, string>(),
  touched: new Set<string>(saved?.v === 1 ? saved.touched : []),
  factsLoading: false,
  serverIssues: [],
  events: [],
  busy: false,
  updateVersion: saved?.v === 1 ? saved.update?.version ?? '' : '',
  downgradeConfirmed: false,
};

/** The update form's version option that keeps the stack's current template. */
export const KEEP = 'keep';
/** The update form's version field (for issues). */
export const VERSION_FIELD = 'Version';

/** Provided by the router (main.ts): draws the current step; re-draws the AWS pickers only. */
export const view = { render: (): void => undefined, refreshFactFields: (): void => undefined };

export function render(): void {
  view.render();
}

function noEchoKeys(): string[] {
  return st.spec ? st.spec.parameters.filter((p) => p.noEcho).map((p) => p.key) : [];
}

export function persist(): void {
  const state: PersistedState = {
    v: 1,
    step: st.step,
    draft: withoutSecrets(st.draft, [...noEchoKeys(), ...(st.update?.noEcho ?? [])]),
    touched: [...st.touched],
    following: st.following,
    update: st.update ? { stackName: st.update.stackName, version: st.updateVersion } : undefined,
  };
  vscode.setState(state);
}

/** The draft with the secrets, for the messages that need them. */
export function fullDraft(): DeployDraft {
  const values = { ...st.draft.values };
  for (const [k, v] of st.secrets) values[k] = v;
  return { ...st.draft, values };
}

export function formValues(): Record<string, DraftValue> {
  const values: Record<string, DraftValue> = { ...fullDraft().values, [STACK_NAME_FIELD]: st.draft.stackName };
  // Update mode: an empty NoEcho field keeps the stack's current value.
  for (const k of st.update?.noEcho ?? []) if (!st.secrets.get(k)) values[k] = KEPT_SECRET;
  return values;
}
