/**
 * What the deploy/update form says beside and under a field, as pure functions (the webview renders them; unit
 * tests read them): the help paragraph, the template's ConstraintDescription only where it is help (a format
 * rule the form does not already show), and issue messages with the field's label instead of its raw key.
 * No DOM, no `vscode`.
 */
import type { FieldModel } from '../../src/protocol/deployFormModel';

/**
 * ConstraintDescriptions that are not help: they restate what the form already shows (required marker,
 * pickers of existing resources, min/max) or are worded as a failure ("does not have a valid … format"), which
 * reads like an error before anything is typed. They still reach the user inside the error when the value fails.
 */
const NOT_HELP = /\b(is mandatory|must be defined|you must specify|must be a valid|must be the name of an existing|does not|is not|must be at least|must be at most)\b/i;

/** The template's constraint as help text, or undefined when it is not help (see NOT_HELP). */
export function constraintHelp(f: Pick<FieldModel, 'constraint' | 'widget'>): string | undefined {
  const c = f.constraint?.trim();
  if (!c || NOT_HELP.test(c)) return undefined;
  // The certificate's constraint in every known template is about the domain name (a copy of another field's):
  // the field gets its own help (certificateHelp) instead.
  if (f.widget === 'certificate') return undefined;
  if (!/^must\b/i.test(c)) return undefined;
  return /[.!]$/.test(c) ? c : `${c}.`;
}

/** Our own help for the load balancer certificate (the template's ConstraintDescription for it speaks of the domain name). */
export function certificateHelp(domainLabel?: string): string {
  return `The certificate the load balancer serves HTTPS with: an ACM certificate (ARN) in this region, ISSUED, covering ${domainLabel ? `the ${domainLabel} above` : 'the domain name'} (the name itself or a wildcard such as *.example.com).`;
}

export interface HelpContext {
  /** update mode: a NoEcho value the stack already has (kept unless retyped) */
  keptSecret?: boolean;
  /** update mode: the parameter is new in the chosen template version */
  newInVersion?: boolean;
  /** the AWS pickers are still being read */
  factsLoading?: boolean;
  /** the label of the domain name field the certificate must cover */
  domainLabel?: string;
}

/** The help paragraph under a field: the template's description, then what the form knows about the value. */
export function fieldHelpText(f: FieldModel, ctx: HelpContext = {}): string | undefined {
  const parts: Array<string | undefined> = [f.help];
  if (f.widget === 'certificate') parts.push(certificateHelp(ctx.domainLabel));
  if (f.noEcho && ctx.keptSecret) parts.push('Leave it empty to keep the current value (it is never shown); type a new one to change it.');
  else if (ctx.newInVersion && !f.noEcho) parts.push(`New in this template version${f.default !== undefined ? ` (default ${f.default || 'empty'})` : ''}.`);
  if (f.min !== undefined && f.max !== undefined) parts.push(`Between ${f.min} and ${f.max}.`);
  else if (f.min !== undefined) parts.push(`At least ${f.min}.`);
  else if (f.max !== undefined) parts.push(`At most ${f.max}.`);
  parts.push(constraintHelp(f));
  if ((f.widget === 'vpc' || f.widget === 'subnets' || f.widget === 'keyPair' || f.widget === 'certificate') && !f.options) {
    parts.push(ctx.factsLoading ? 'Reading the region…' : 'Could not list them: type the id.');
  }
  if (f.widget === 'subnets' && f.options && !f.options.length) parts.push('Choose a VPC first.');
  const text = parts
    .filter((p): p is string => !!p)
    // sentences end with a full stop, except after a URL (it would be copied with it)
    .map((p) => (/[.!?…:)]$/.test(p) || /https?:\/\/\S+$/.test(p) ? p : `${p}.`))
    .join(' ');
  return text || undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An issue message as the form shows it: every raw parameter key replaced by its label (not inside quoted
 * input), and under the field itself the leading "<label>: " dropped (the label is right above it).
 */
export function issueText(message: string, labels: ReadonlyMap<string, string>, ownKey?: string): string {
  const keys = [...labels.keys()].sort((a, b) => b.length - a.length);
  if (!keys.length) return message;
  const re = new RegExp(`(?<![A-Za-z0-9_])(${keys.map(escape).join('|')})(?![A-Za-z0-9_])`, 'g');
  // Split on quoted segments ("…" as quoteInput writes them) and leave those alone: they are the user's input.
  let text = message
    .split(/("(?:[^"\\]|\\.)*")/)
    .map((part, i) => (i % 2 ? part : part.replace(re, (k) => labels.get(k) ?? k)))
    .join('');
  const own = ownKey ? labels.get(ownKey) : undefined;
  if (own && text.startsWith(`${own}: `)) {
    const rest = text.slice(own.length + 2);
    text = rest.charAt(0).toUpperCase() + rest.slice(1);
  }
  return text;
}
