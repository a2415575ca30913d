/**
 * Single-parameter rules of the deploy form (type, allowed values and pattern, bounds, lengths), as
 * CloudFormation checks parameters, with messages that name the field and the fix.
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import { formValueList, formValueText, isListType, isNumberType, isRequired } from './spec';
import type { FormValue, ParameterSpec } from './spec';
import { clipInput, quoteInput } from './inputText';
import type { Issue, Severity } from './validationTypes';

export const SUBNET_LIST = 'List<AWS::EC2::Subnet::Id>';
export const VPC_TYPE = 'AWS::EC2::VPC::Id';

/** Up to `max` items, each clipped (they may be input). */
export function listPreview(values: readonly string[], max = 8): string {
  const shown = values.slice(0, max).map((v) => clipInput(v));
  return values.length <= max ? shown.join(', ') : `${shown.join(', ')}, … (${values.length} values)`;
}

function hint(p: ParameterSpec): string {
  const c = p.constraintDescription?.trim();
  return c ? ` (${c.replace(/\.$/, '')})` : '';
}

function patternMatches(pattern: string, value: string): boolean | undefined {
  // CloudFormation matches AllowedPattern (a Java regex) against the whole value. Try Unicode mode first, which
  // rejects escapes JavaScript does not know; a Java-only construct (\p{javaLowerCase}, \p{Alpha}) is left to
  // CloudFormation rather than misread.
  for (const flags of ['u', '']) {
    if (flags === '' && /\\[pP]\{/.test(pattern)) return undefined;
    try {
      return new RegExp(`^(?:${pattern})$`, flags).test(value);
    } catch {
      continue;
    }
  }
  return undefined;
}

export const WHOLE_NUMBER = /^[+-]?\d+$/;
/** CloudFormation's `Number` type: "an integer or float" (Parameters section of the template reference). */
const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;

/**
 * Number parameters that count or size something (media nodes, disk GB) feed integer properties (the group's
 * MinSize / MaxSize / DesiredCapacity, EBS VolumeSize): a decimal would pass CloudFormation's parameter check
 * and fail late on the resource. Others, such as ScaleTargetCPU (a target-tracking TargetValue, a Double),
 * take decimals as CloudFormation does.
 */
function isWholeNumberParam(p: ParameterSpec): boolean {
  return /NumberOf|Count|Size|^(Min|Max|Initial|Desired)[A-Z]/.test(p.key);
}

/** The value quoted for a message (at most ~80 characters); NoEcho values are never repeated back. */
function shown(p: ParameterSpec, text: string): string {
  return p.noEcho ? 'the value entered' : quoteInput(text);
}

export function checkParameter(p: ParameterSpec, raw: FormValue, issues: Issue[]): void {
  const add = (message: string, severity: Severity = 'error') => issues.push({ field: p.key, severity, message });
  const list = isListType(p.type);
  const text = formValueText(raw);
  if (text === '') {
    if (isRequired(p)) {
      const what = p.description ? ` (${p.description.trim().replace(/\.$/, '')})` : '';
      add(`${p.key} is required${what}: enter a value.`);
    }
    // An empty value with a default leaves CloudFormation to apply the default.
    if (p.default !== undefined || isRequired(p)) return;
  }

  if (list) {
    const items = formValueList(raw);
    const dups = [...new Set(items.filter((s, i) => items.indexOf(s) !== i))];
    if (dups.length) add(`${p.key} lists ${listPreview(dups)} more than once: remove the duplicates.`);
    if (p.type === SUBNET_LIST) {
      const bad = items.filter((s) => !/^subnet-[0-9a-f]{8,17}$/.test(s));
      if (bad.length) add(`${p.key}: ${listPreview(bad)} ${bad.length > 1 ? 'are not subnet ids' : 'is not a subnet id'}; use ids like subnet-0123456789abcdef0.`);
    }
    if (p.allowedValues) {
      const bad = items.filter((s) => !p.allowedValues!.includes(s));
      if (bad.length) add(`${p.key}: ${listPreview(bad)} not allowed; choose from ${listPreview(p.allowedValues)}.`);
    }
    // CloudFormation template reference, Parameters, AllowedPattern: "When applied to a parameter of type
    // CommaDelimitedList, the pattern must match each value in the list" (not the joined text).
    if (p.allowedPattern) {
      const bad = items.filter((s) => patternMatches(p.allowedPattern!, s) === false);
      if (bad.length) {
        const what = p.noEcho ? `${bad.length} value${bad.length > 1 ? 's' : ''}` : listPreview(bad);
        add(`${p.key}: ${what} ${bad.length > 1 ? 'do' : 'does'} not match the pattern ${p.allowedPattern}${hint(p)}; correct ${bad.length > 1 ? 'them' : 'it'}.`);
      }
    }
    return;
  }

  if (p.type === VPC_TYPE && text !== '' && !/^vpc-[0-9a-f]{8,17}$/.test(text)) {
    add(`${p.key}: ${quoteInput(text)} is not a VPC id; choose a VPC (ids look like vpc-0123456789abcdef0).`);
  }

  if (p.allowedValues && !p.allowedValues.includes(text)) {
    add(`${p.key} must be one of ${listPreview(p.allowedValues)}; ${shown(p, text)} is not allowed.`);
    return;
  }

  if (isNumberType(p.type)) {
    if (isWholeNumberParam(p) ? !WHOLE_NUMBER.test(text) : !NUMBER.test(text)) {
      add(`${p.key} must be ${isWholeNumberParam(p) ? 'a whole number' : 'a number (decimals allowed, e.g. 50 or 62.5)'}${hint(p)}; ${shown(p, text)} is not.`);
      return;
    }
    const n = Number(text);
    if (p.minValue !== undefined && n < p.minValue) add(`${p.key} must be at least ${p.minValue}${hint(p)}; raise it${p.noEcho ? '' : ` from ${n}`}.`);
    if (p.maxValue !== undefined && n > p.maxValue) add(`${p.key} must be at most ${p.maxValue}${hint(p)}; lower it${p.noEcho ? '' : ` from ${n}`}.`);
    return;
  }

  if (p.minLength !== undefined && text.length < p.minLength) add(`${p.key} must be at least ${p.minLength} characters long${hint(p)}.`);
  if (p.maxLength !== undefined && text.length > p.maxLength) add(`${p.key} must be at most ${p.maxLength} characters long${hint(p)}.`);
  if (p.allowedPattern && patternMatches(p.allowedPattern, text) === false) {
    const why = p.constraintDescription?.trim() ? p.constraintDescription.trim().replace(/\.$/, '') : `it must match ${p.allowedPattern}`;
    add(`${p.key}: ${why}. Correct the value.`);
  }
}
