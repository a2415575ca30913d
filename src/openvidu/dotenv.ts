/**
 * Format-preserving edits of `.env` files and JSON config files. Pure: no vscode import, no file system.
 *
 * `.env` files are read the way the `dotenv` package (v16–v18, also what `@next/env` and most Node tooling use)
 * reads them, with its own line regex, so "which bytes belong to KEY" is exactly what dotenv thinks. Only the
 * value of an owned entry is replaced; the line's leading whitespace, `export ` prefix, key, separator
 * (`=`, ` = `, `: `) and any trailing inline comment stay as they were. Every other byte of the file is
 * untouched: comments, blank lines, order, other entries and their quoting, multi-line values of other keys,
 * CRLF line endings, a UTF-8 BOM, a missing final newline (one is added only when we append lines).
 *
 * Duplicate keys: dotenv keeps the last occurrence, other parsers (and people reading the file) may see the
 * first. We update EVERY occurrence of an owned key, so every parser reads the new value and no stale
 * credential is left behind in the file. Other keys' duplicates are left alone.
 *
 * Quoting: dotenv un-escapes only `\n` and `\r` inside double quotes; it does NOT un-escape `\"` or `\\`
 * (they reach the app with the backslash). So a value is written
 *   - bare when it only has characters that are safe everywhere (letters, digits, `_ - . / : @ + , % ~`);
 *   - in double quotes when it has no `"` and no `\` (newlines and carriage returns become `\n` / `\r`);
 *   - else in single quotes (literal; newlines stay real newlines, which dotenv reads back) when it has no `'`,
 *     no carriage return and does not end with `\`;
 *   - else in backticks under the same conditions;
 *   - else bare when dotenv reads the bare text back exactly: no `#`, no line break, no leading or trailing
 *     whitespace, not starting with a quote character (e.g. `C:\path\to\`, which no quoting can carry since
 *     dotenv does not un-escape `\\`); `mergeDotenv` also writes bare a value starting with a quote when dotenv
 *     reads the resulting file back exactly (it re-reads every result and refuses rather than corrupt);
 *   - else it cannot be written so that dotenv reads it back, and `quoteDotenvValue` throws (naming the key
 *     when called through `mergeDotenv`).
 * In a CRLF file, the line breaks inside a single-quoted or backtick value are written as CRLF too (dotenv
 * turns every CRLF into LF before parsing, so the value read back is the same).
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { quoteInput } from './inputText';

/**
 * dotenv's own line regex (lib/main.js, BSD-2-Clause, Scott Motte), with capture groups added around the
 * part before the value so that the value's offset is known: group 1 = everything before the value
 * (leading whitespace, `export `, key, separator), group 2 = key, group 3 = raw value (may be undefined).
 */
const LINE = /(?:^|^)(\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?))(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

const BOM = '\uFEFF';
const SAFE_BARE = /^[A-Za-z0-9_\-./:@+,%~]+$/;
const KEY = /^[\w.-]+$/;

export interface DotenvEntry {
  key: string;
  /** the value as dotenv reads it */
  value: string;
  /** offsets in the text without BOM and with the file's own line endings */
  start: number;
  valueStart: number;
  valueEnd: number;
  /** the entry's prefix had `export ` */
  exported: boolean;
}

export interface MergeResult {
  text: string;
  /** keys that existed and now have another value (every occurrence updated) */
  changed: string[];
  /** keys appended at the end */
  added: string[];
}

/** The file's line ending: the first one found, else `\n`. */
export function detectEol(text: string): '\r\n' | '\n' {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** How dotenv turns a raw value (what the regex captured) into the value an app sees. */
function readRaw(raw: string | undefined): string {
  let v = (raw ?? '').trim();
  const quote = v[0];
  v = v.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
  if (quote === '"') v = v.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
  return v;
}

/**
 * The entries of a dotenv text, in order, as dotenv sees them. dotenv normalises CRLF before matching; we
 * match on the original text instead (the regex excludes `\r` from bare values and `\s` covers it elsewhere),
 * so offsets stay valid for editing.
 */
export function parseDotenvEntries(text: string): DotenvEntry[] {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const out: DotenvEntry[] = [];
  LINE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = LINE.exec(body)) !== null) {
    if (m[0].length === 0) {
      LINE.lastIndex++;
      continue;
    }
    const valueStart = m.index + m[1].length;
    const raw = m[3];
    out.push({
      key: m[2],
      value: readRaw(raw === undefined ? undefined : raw.replace(/\r\n?/g, '\n')),
      start: m.index,
      valueStart,
      valueEnd: valueStart + (raw?.length ?? 0),
      exported: /^\s*export\s/.test(m[1]),
    });
  }
  return out;
}

/** The key → value map dotenv would produce (last occurrence wins). */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of parseDotenvEntries(text)) out[e.key] = e.value;
  return out;
}

/** Whether dotenv reads `value` back exactly when it is written bare (`KEY=value`), whatever follows on the line. */
function bareReadsBack(value: string): boolean {
  return (
    value.trim() === value &&
    !/[#\r\n\u2028\u2029]/.test(value) &&
    !/^['"`]/.test(value) &&
    readRaw(value) === value
  );
}

/** The value as written in a dotenv file so that dotenv reads back exactly `value` (see the module comment). */
export function quoteDotenvValue(value: string, eol: '\n' | '\r\n' = '\n'): string {
  if (value === '') return '""';
  if (SAFE_BARE.test(value)) return value;
  if (!value.includes('"') && !value.includes('\\')) return `"${value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
  const literalOk = (q: string) => !value.includes(q) && !value.includes('\r') && !value.endsWith('\\');
  const literal = eol === '\r\n' ? value.replace(/\n/g, '\r\n') : value;
  if (literalOk("'")) return `'${literal}'`;
  if (literalOk('`')) return `\`${literal}\``;
  if (bareReadsBack(value)) return value;
  throw new Error(
    'the value mixes quotes (\' " `), backslashes and a line break, "#" or edge spaces in a way no dotenv quoting reads back exactly. ' +
      'Write this variable by hand, or write the credentials to a JSON config instead.',
  );
}

export function isValidDotenvKey(key: string): boolean {
  return KEY.test(key);
}

/**
 * Sets `updates` in a dotenv text. Existing keys are updated in place (every occurrence, see the module
 * comment) when their value differs; missing keys are appended in the order given, with the file's line
 * ending, and with `export ` when every existing entry uses it.
 */
export function mergeDotenv(originalText: string, updates: Record<string, string>): MergeResult {
  for (const k of Object.keys(updates)) {
    if (!isValidDotenvKey(k)) throw new Error(`${quoteInput(k)} is not a valid dotenv variable name: use letters, digits, "_", "." and "-" only.`);
  }
  const hasBom = originalText.startsWith(BOM);
  const body = hasBom ? originalText.slice(1) : originalText;
  const eol = detectEol(body);
  const entries = parseDotenvEntries(body);
  const present = new Set(entries.map((e) => e.key));
  const changed = new Set<string>();
  const quoted = new Map<string, string>();
  for (const [k, v] of Object.entries(updates)) {
    try {
      quoted.set(k, quoteDotenvValue(v, eol));
    } catch (e) {
      // Last resort: bare text that dotenv reads back on its own (e.g. `'a"b` starting with a quote). Whether it
      // still does depends on the lines after it, so the whole result is checked below.
      if (/[\r\n]/.test(v) || parseDotenv(`K=${v}`).K !== v) throw new Error(`${k}: ${(e as Error).message}`);
      quoted.set(k, v);
    }
  }

  // Replace values from the end so earlier offsets stay valid.
  let text = body;
  for (const e of [...entries].reverse()) {
    if (!Object.prototype.hasOwnProperty.call(updates, e.key)) continue;
    if (e.value === updates[e.key]) continue;
    const raw = text.slice(e.valueStart, e.valueEnd);
    // Keep the whitespace around the value (before an inline comment, after ` = `) unless it spans lines.
    const lead = /^[ \t]*/.exec(raw)?.[0] ?? '';
    const trail = /[ \t]*$/.exec(raw.slice(lead.length))?.[0] ?? '';
    let replacement = `${lead}${quoted.get(e.key)}${trail}`;
    // A bare value followed directly by `#` (e.g. `K=a#b` — dotenv reads `a`) keeps its comment after a space.
    if (text[e.valueEnd] === '#' && !trail) replacement += ' ';
    text = text.slice(0, e.valueStart) + replacement + text.slice(e.valueEnd);
    changed.add(e.key);
  }

  const added = Object.keys(updates).filter((k) => !present.has(k));
  if (added.length) {
    const useExport = entries.length > 0 && entries.every((e) => e.exported);
    if (text.length && !text.endsWith('\n') && !text.endsWith('\r')) text += eol;
    for (const k of added) text += `${useExport ? 'export ' : ''}${k}=${quoted.get(k)}${eol}`;
  }
  // dotenv must read back every new value and every other key as before; else refuse rather than corrupt.
  const before = parseDotenv(body);
  const after = parseDotenv(text);
  for (const [k, v] of Object.entries(updates)) {
    if (after[k] !== v) throw new Error(`${k}: dotenv would not read this value back exactly from this file (it starts with a quote that a later line closes). Write this variable by hand, or write the credentials to a JSON config instead.`);
  }
  for (const [k, v] of Object.entries(before)) {
    if (!Object.prototype.hasOwnProperty.call(updates, k) && after[k] !== v) throw new Error(`Writing ${Object.keys(updates).join(', ')} would change how dotenv reads ${k}: nothing was written. Edit the file by hand.`);
  }
  return { text: (hasBom ? BOM : '') + text, changed: Object.keys(updates).filter((k) => changed.has(k)), added };
}

export interface JsonMergeResult {
  text: string;
  changed: string[];
  added: string[];
}

/** Indentation of the first indented line (tabs or N spaces), else 2 spaces. */
function detectIndent(text: string): { insertSpaces: boolean; tabSize: number } {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return { insertSpaces: true, tabSize: 2 };
  if (m[1].startsWith('\t')) return { insertSpaces: false, tabSize: 1 };
  return { insertSpaces: true, tabSize: m[1].length };
}

/** JavaScript treats this key as the object's prototype: `obj[k] = v`, `Object.assign` and spreads drop it. */
const PROTO_KEY = '__proto__';

/** The property nodes of an object node whose key is `key` (own properties only, every duplicate). */
function propertiesNamed(obj: JsonNode | undefined, key: string): JsonNode[] {
  if (!obj || obj.type !== 'object') return [];
  return (obj.children ?? []).filter((p) => p.type === 'property' && p.children?.[0]?.value === key);
}

function parseJsonTree(body: string): JsonNode | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(body, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) throw new Error(`The file is not valid JSON (${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset}).`);
  return root;
}

/**
 * Sets `values` under `keyPath` (e.g. `['livekit']`, or `[]` for the top level) in a JSON or JSONC text,
 * keeping comments, key order, indentation and line endings (jsonc-parser's `parseTree`, `modify` and
 * `applyEdits`). An empty text becomes a new object. Keys are looked up as own properties of the file's
 * objects (`constructor` or `toString` are ordinary keys). A key that occurs more than once in the target
 * object has EVERY occurrence updated, as in `.env` files: `JSON.parse` reads the last one, other readers the
 * first. Throws (naming the key and the fix) when the text is not JSON, the path runs through a non-object or
 * through a key the file has twice, or a key is `__proto__`.
 */
export function mergeJsonConfig(text: string, keyPath: readonly string[], values: Record<string, string>): JsonMergeResult {
  for (const k of [...keyPath, ...Object.keys(values)]) {
    if (k === PROTO_KEY) {
      throw new Error(`"${PROTO_KEY}" cannot be used as a key: JavaScript reads it as the object's prototype, so most config loaders drop or misread it. Choose another ${keyPath.includes(k) ? 'key path' : 'variable name'}.`);
    }
  }
  const hasBom = text.startsWith(BOM);
  let body = hasBom ? text.slice(1) : text;
  if (!body.trim()) body = '{}\n';
  let root = parseJsonTree(body);
  let node: JsonNode | undefined = root;
  for (let i = 0; i < keyPath.length && node; i++) {
    const here = quoteInput(keyPath.slice(0, i + 1).join('.'));
    if (node.type !== 'object') throw new Error(`${here} does not lead to an object in this file: choose another key path.`);
    const found = propertiesNamed(node, keyPath[i]);
    if (found.length > 1) throw new Error(`${here} occurs ${found.length} times in this file, and JSON readers disagree on which one counts: remove the duplicates, then write again.`);
    node = found[0]?.children?.[1];
  }
  if (node !== undefined && node.type !== 'object') {
    throw new Error(keyPath.length ? `${quoteInput(keyPath.join('.'))} is not an object in this file: choose another key path.` : 'The top level of this file is not an object: give a key path to an object, or choose another file.');
  }
  const formattingOptions = { ...detectIndent(body), eol: detectEol(body) };
  const changed: string[] = [];
  const added: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    const target = keyPath.length ? findNodeAtLocation(root!, [...keyPath]) : root;
    const occurrences = propertiesNamed(target, k);
    if (!occurrences.length) {
      added.push(k);
      body = applyEdits(body, modify(body, [...keyPath, k], v, { formattingOptions }));
    } else {
      const stale = occurrences.map((p) => p.children![1]).filter((n) => !(n.type === 'string' && n.value === v));
      if (!stale.length) continue;
      changed.push(k);
      const edits = stale.map((n) => ({ offset: n.offset, length: n.length, content: JSON.stringify(v) }));
      body = applyEdits(body, edits);
    }
    root = parseJsonTree(body);
  }
  return { text: (hasBom ? BOM : '') + body, changed, added };
}
