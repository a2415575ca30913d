/**
 * Checks of an OpenVidu configuration file before it is written to a node: syntax (`.env` lines are `KEY=value`,
 * YAML parses), cross-file references (`${openvidu.KEY}`, `${master_node.KEY}`, `${media_node.KEY}` must name a
 * key of openvidu.env / master_node.env / media_node.env, as OpenVidu's changing-config.md describes), unknown
 * keys and values the configuration reference constrains. Positions are 0-based (line, column); messages say them
 * 1-based. Values are never copied into messages for keys that hold credentials. Pure: no vscode, no AWS.
 */
import type { LineCounter, Node as YamlNode, Pair, parseDocument } from 'yaml';
import { yamlLib } from './yamlLib';
import { fileKind } from './configLayout';
import { checkValue, isSecretKey, referenceFor, type ConfigKey } from './configReference';

export type Severity = 'error' | 'warning' | 'info';

export interface ConfigDiagnostic {
  line: number;
  column: number;
  endColumn: number;
  severity: Severity;
  message: string;
  /** syntax | reference | unknown-key | value */
  code: 'syntax' | 'reference' | 'unknown-key' | 'value';
}

export interface EnvLine {
  key: string;
  value: string;
  line: number;
  keyColumn: number;
  valueColumn: number;
}

/** The `KEY=value` lines of an env file and the syntax errors of the others. */
export function parseEnvFile(text: string): { entries: EnvLine[]; errors: ConfigDiagnostic[] } {
  const entries: EnvLine[] = [];
  const errors: ConfigDiagnostic[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, line) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const indent = raw.length - raw.trimStart().length;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed);
    if (!m) {
      const eq = trimmed.indexOf('=');
      const why =
        eq < 0
          ? 'is not a KEY=value line (no "=")'
          : eq === 0
            ? 'has no key before "="'
            : /\s/.test(trimmed.slice(0, eq))
              ? 'has a space in its key or around "=" (write KEY=value)'
              : 'has a key with characters other than letters, digits and "_"';
      const column = eq > 0 ? indent + Math.max(0, [...trimmed.slice(0, eq)].findIndex((c) => !/[A-Za-z0-9_]/.test(c))) : indent;
      errors.push({ line, column, endColumn: raw.length, severity: 'error', code: 'syntax', message: `Line ${line + 1}, column ${column + 1}: this line ${why}.` });
      return;
    }
    const value = m[2];
    const q = value[0];
    if ((q === '"' || q === "'") && (value.length < 2 || !value.trimEnd().endsWith(q))) {
      const column = indent + m[1].length + 1;
      errors.push({ line, column, endColumn: raw.length, severity: 'error', code: 'syntax', message: `Line ${line + 1}, column ${column + 1}: the value of ${m[1]} opens a ${q === '"' ? 'double' : 'single'} quote that is not closed on this line.` });
      return;
    }
    entries.push({ key: m[1], value: q === '"' || q === "'" ? value.trimEnd().slice(1, -1) : value, line, keyColumn: indent, valueColumn: indent + m[1].length + 1 });
  });
  return { entries, errors };
}

export interface YamlCheck {
  errors: ConfigDiagnostic[];
  /** the parsed document when there is no error */
  doc?: ReturnType<typeof parseDocument>;
  lines: LineCounter;
}

export function parseYamlFile(text: string): YamlCheck {
  const { LineCounter, parseDocument } = yamlLib();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const errors: ConfigDiagnostic[] = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    const line = pos.line - 1;
    const column = pos.col - 1;
    const firstLine = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { line, column, endColumn: column + 1, severity: 'error' as const, code: 'syntax' as const, message: `Line ${line + 1}, column ${column + 1}: ${firstLine}` };
  });
  return { errors, doc: errors.length ? undefined : doc, lines };
}

export interface Reference {
  scope: 'openvidu' | 'master_node' | 'media_node';
  key: string;
  line: number;
  column: number;
  endColumn: number;
}

const REF = /\$\{(openvidu|master_node|media_node)\.([A-Za-z0-9_]*)\}/g;

export function findReferences(text: string): Reference[] {
  const out: Reference[] = [];
  text.split(/\r?\n/).forEach((l, line) => {
    for (const m of l.matchAll(REF)) out.push({ scope: m[1] as Reference['scope'], key: m[2], line, column: m.index ?? 0, endColumn: (m.index ?? 0) + m[0].length });
  });
  return out;
}

/** The file that defines the keys of each reference scope. */
export const SCOPE_FILES: Record<Reference['scope'], string> = {
  openvidu: 'cluster/openvidu.env',
  master_node: 'node/master_node.env',
  media_node: 'node/media_node.env',
};

/** Keys each scope file defines, as read from a master (media_node.env is on media nodes: unknown there). */
export type KnownKeys = Partial<Record<Reference['scope'], ReadonlySet<string>>>;

export function keysOfEnv(text: string): Set<string> {
  return new Set(parseEnvFile(text).entries.map((e) => e.key));
}

/** Everything wrong with a configuration file, errors first. `known`: the keys of the scope files, when read. */
export function diagnoseConfig(path: string, text: string, known: KnownKeys = {}): ConfigDiagnostic[] {
  const kind = fileKind(path);
  const ref = referenceFor(path);
  const out: ConfigDiagnostic[] = [];
  if (kind === 'env') {
    const { entries, errors } = parseEnvFile(text);
    out.push(...errors);
    const seen = new Map<string, number>();
    for (const e of entries) {
      if (seen.has(e.key)) out.push({ line: e.line, column: e.keyColumn, endColumn: e.keyColumn + e.key.length, severity: 'warning', code: 'syntax', message: `${e.key} is set twice (first on line ${(seen.get(e.key) ?? 0) + 1}): only one of the values is used.` });
      else seen.set(e.key, e.line);
      if (!ref) continue;
      const k = ref.keys.find((x) => x.key === e.key);
      if (!k) {
        out.push({
          line: e.line,
          column: e.keyColumn,
          endColumn: e.keyColumn + e.key.length,
          severity: ref.complete ? 'warning' : 'info',
          code: 'unknown-key',
          message: `${e.key} is not a documented key of ${ref.file} (OpenVidu configuration reference)${ref.complete ? ': a typo?' : '.'}`,
        });
        continue;
      }
      const problem = checkValue(k, e.value);
      if (problem) out.push({ line: e.line, column: e.valueColumn, endColumn: e.valueColumn + e.value.length, severity: 'warning', code: 'value', message: redact(k, problem, e.value) });
    }
  } else if (kind === 'yaml') {
    const y = parseYamlFile(text);
    out.push(...y.errors);
    if (y.doc && ref?.file === 'livekit.yaml') out.push(...checkLivekitOpenVidu(y.doc.contents as YamlNode | null, y.lines, ref.keys));
  }
  for (const r of findReferences(text)) {
    const keys = known[r.scope];
    if (!keys || keys.has(r.key)) continue;
    out.push({
      line: r.line,
      column: r.column,
      endColumn: r.endColumn,
      severity: 'warning',
      code: 'reference',
      message: `\${${r.scope}.${r.key}} names a key that ${SCOPE_FILES[r.scope]} does not define: add ${r.key || '(a key)'} there, or fix the name.`,
    });
  }
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return out.sort((a, b) => rank[a.severity] - rank[b.severity] || a.line - b.line || a.column - b.column);
}

function redact(k: ConfigKey, message: string, value: string): string {
  return k.secret || isSecretKey(k.key) ? message.split(`"${value.trim().slice(0, 40)}"`).join('(hidden value)') : message;
}

function checkLivekitOpenVidu(root: YamlNode | null, lines: LineCounter, keys: readonly ConfigKey[]): ConfigDiagnostic[] {
  const { isMap, isScalar } = yamlLib();
  const out: ConfigDiagnostic[] = [];
  if (!isMap(root)) return out;
  const section = root.items.find((p) => isScalar(p.key) && p.key.value === 'openvidu');
  if (!section || !isMap(section.value)) return out;
  const walk = (pairs: Pair[], prefix: string) => {
    for (const p of pairs) {
      if (!isScalar(p.key)) continue;
      const name = `${prefix}${String(p.key.value)}`;
      const [start, end] = p.key.range ?? [0, 0];
      const pos = lines.linePos(start);
      const at = { line: pos.line - 1, column: pos.col - 1, endColumn: pos.col - 1 + (end - start) };
      const k = keys.find((x) => x.key === name);
      if (!k) {
        out.push({ ...at, severity: 'warning', code: 'unknown-key', message: `openvidu.${name} is not a documented key of the openvidu: section of livekit.yaml (OpenVidu configuration reference): a typo?` });
        continue;
      }
      if (isMap(p.value)) walk(p.value.items as Pair[], `${name}.`);
      else if (isScalar(p.value)) {
        const problem = checkValue({ ...k, key: `openvidu.${name}` }, String(p.value.value ?? ''));
        if (problem) {
          const [vs, ve] = p.value.range ?? [start, end];
          const vp = lines.linePos(vs);
          out.push({ line: vp.line - 1, column: vp.col - 1, endColumn: vp.col - 1 + (ve - vs), severity: 'warning', code: 'value', message: redact(k, problem, String(p.value.value ?? '')) });
        }
      }
    }
  };
  walk(section.value.items as Pair[], '');
  return out;
}

/** The blocking problems (syntax errors), for the refusal before anything is sent. */
export function blockingProblems(diags: readonly ConfigDiagnostic[]): ConfigDiagnostic[] {
  return diags.filter((d) => d.severity === 'error');
}

/** Completion/hover helper: the env key or livekit.yaml `openvidu.` path at a position, if any. */
export function keyAt(path: string, text: string, line: number, column: number): { key: string; start: number; end: number } | undefined {
  const l = text.split(/\r?\n/)[line] ?? '';
  if (fileKind(path) === 'env') {
    const m = /^(\s*)([A-Za-z_][A-Za-z0-9_]*)/.exec(l);
    if (!m) return undefined;
    const start = m[1].length;
    const end = start + m[2].length;
    return column >= start && column <= end ? { key: m[2], start, end } : undefined;
  }
  if (fileKind(path) !== 'yaml') return undefined;
  const m = /^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:/.exec(l);
  if (!m) return undefined;
  const start = m[1].length;
  const end = start + m[2].length;
  if (column < start || column > end) return undefined;
  const chain = yamlParents(text.split(/\r?\n/), line, m[1].length);
  if (chain[0] !== 'openvidu') return undefined;
  return { key: [...chain.slice(1), m[2]].join('.'), start, end };
}

/** The keys enclosing a line of a block-style YAML file, outermost first (indentation based). */
export function yamlParents(lines: string[], line: number, indent: number): string[] {
  const chain: string[] = [];
  let want = indent;
  for (let i = line - 1; i >= 0 && want > 0; i--) {
    const m = /^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(#.*)?$/.exec(lines[i]);
    if (m && m[1].length < want) {
      chain.unshift(m[2]);
      want = m[1].length;
    }
  }
  return chain;
}
