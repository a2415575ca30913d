/**
 * How an error message repeats what the user (or a file, or a webview) gave us: quoted, on one line, and at
 * most `QUOTE_MAX` characters of it, so a 100 kB value does not become a 100 kB notification or log line.
 * Every message that echoes input goes through `quoteInput` (or `clipInput` where the text is not quoted).
 *
 * Pure TypeScript: no `vscode`, no Node built-ins (the deploy webview uses it through validation.ts).
 */
export const QUOTE_MAX = 80;

/** At most `max` characters of `text`, control characters shown as escapes, `…` and the full length when cut. */
export function clipInput(text: string, max = QUOTE_MAX): string {
  const chars = Array.from(text);
  const head = chars.slice(0, max).join('');
  // eslint-disable-next-line no-control-regex
  const visible = head.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return chars.length > max ? `${visible}… (${chars.length} characters)` : visible;
}

/** `"text"`, clipped as `clipInput` does. */
export function quoteInput(text: string, max = QUOTE_MAX): string {
  const chars = Array.from(text);
  if (chars.length <= max) return `"${clipInput(text, max)}"`;
  return `"${clipInput(chars.slice(0, max).join(''), max)}…" (${chars.length} characters)`;
}
