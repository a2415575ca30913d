/**
 * Display-only corrections of obvious typos in the text OpenVidu's templates carry (group labels, parameter
 * descriptions). The template is shown as it is everywhere it matters (keys, values, what CloudFormation
 * receives); only what a person reads on the form and the review goes through `displayText`. Each entry names
 * the template text it corrects, so a template that fixes its typo simply stops matching.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */

export interface DisplayCorrection {
  /** a whole word (or words) as the template spells it; matched case-sensitively at word boundaries */
  wrong: string;
  right: string;
  /** where it was seen */
  seenIn: string;
}

export const DISPLAY_CORRECTIONS: readonly DisplayCorrection[] = [
  { wrong: 'Load Blancer', right: 'Load Balancer', seenIn: 'cf-openvidu-ha 3.2.0–3.8.0, ParameterGroups label "Domain and Load Blancer configuration"' },
  { wrong: 'Blancer', right: 'Balancer', seenIn: 'the same typo on its own' },
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PATTERNS = DISPLAY_CORRECTIONS.map((c) => ({ re: new RegExp(`(?<![A-Za-z0-9])${escape(c.wrong)}(?![A-Za-z0-9])`, 'g'), right: c.right }));

/** The text with the known typos corrected, for display only. */
export function displayText(text: string): string;
export function displayText(text: string | undefined): string | undefined;
export function displayText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return PATTERNS.reduce((t, p) => t.replace(p.re, p.right), text);
}
