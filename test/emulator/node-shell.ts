/**
 * The command simulator behind SSM `AWS-RunShellScript`: a small bash subset interpreted against a SimNode, answering
 * like an Ubuntu 24.04 host with Docker and OpenVidu would.
 *
 * Script syntax: lines, `&&`, `||`, `;`, pipes `|`, single/double quotes, `#` comments, `set -e` / `set -o pipefail`,
 * redirections `2>&1`, `>/dev/null`, `2>/dev/null`, `&>/dev/null`, `exit N`, a `sudo` prefix.
 * Commands: echo, printf, true, false, sleep, cd, pwd, date, hostname, uptime, whoami, cat, tail, head, grep, wc,
 * systemctl (is-active, is-enabled, status, start, stop, restart), journalctl -u openvidu, docker compose
 * (ps, logs, restart, stop, start, version, config --services), docker (ps, logs, restart, version).
 * Anything else fails as bash does: `bash: line N: foo: command not found`, exit 127.
 */
import type { SimNode, SimService } from './world';
import {
  isInstalled,
  containerExists,
  containerLogs,
  containerName,
  FileContext,
  findService,
  HEALTH_START_SECONDS,
  humanDuration,
  isoNano,
  journalEntries,
  LogLine,
  nodeDirs,
  noteSimNow,
  readNodeFile,
  restartContainer,
  restartOpenVidu,
  startContainer,
  startOpenVidu,
  stopContainer,
  stopOpenVidu,
  syslogTs,
} from './node-sim';
import { configTool, CONFIG_TOOLS, pipeBytes } from './node-config-shell';
import { afterOpenViduStart, configErrorLog, fileBytes, storeBytes } from './node-config';

export interface ScriptContext extends FileContext {
  /** working directory SSM starts the script in */
  cwd?: string;
}

export interface ScriptResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** simulated time the script takes to run */
  durationMs: number;
}

/** base cost of running one simple command (simulated ms) */
const COMMAND_MS = 15;

// ---------------------------------------------------------------------------------------------------------------
// parsing

type Tok = { kind: 'word'; value: string; line: number } | { kind: 'op'; value: string; line: number };

interface SimpleCommand {
  argv: string[];
  redirs: string[];
  line: number;
}
type Pipeline = SimpleCommand[];
interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

class ParseError extends Error {}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      toks.push({ kind: 'op', value: '\n', line });
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      toks.push({ kind: 'op', value: two, line });
      i += 2;
      continue;
    }
    if (c === ';' || c === '|') {
      toks.push({ kind: 'op', value: c, line });
      i++;
      continue;
    }
    // redirections
    const redir = /^(2>&1|1>&2|>&2|&>>?|[12]?>>?|<)/.exec(src.slice(i));
    if (redir) {
      let r = redir[1];
      i += r.length;
      if (r !== '2>&1' && r !== '1>&2' && r !== '>&2') {
        while (src[i] === ' ') i++;
        const w = readWord(src, i);
        i = w.next;
        r += w.value;
      }
      toks.push({ kind: 'op', value: `redir:${r}`, line });
      continue;
    }
    if (c === '&') throw new ParseError(`bash: line ${line}: background jobs (&) are not supported by the simulator`);
    if (c === '(' || c === ')' || c === '`') throw new ParseError(`bash: line ${line}: syntax error near unexpected token \`${c}'`);
    const w = readWord(src, i);
    line += w.newlines;
    i = w.next;
    toks.push({ kind: 'word', value: w.value, line });
  }
  return toks;
}

function readWord(src: string, start: number): { value: string; next: number; newlines: number } {
  let i = start;
  let v = '';
  let newlines = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ParseError("bash: unexpected EOF while looking for matching `''");
      v += src.slice(i + 1, end);
      newlines += (src.slice(i + 1, end).match(/\n/g) ?? []).length;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < src.length) {
        const d = src[i];
        if (d === '\\' && i + 1 < src.length && '"\\$`'.includes(src[i + 1])) {
          v += src[i + 1];
          i += 2;
          continue;
        }
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '$') {
          const x = readDollar(src, i);
          if (x) {
            v += x.text;
            i = x.next;
            continue;
          }
        }
        if (d === '\n') newlines++;
        v += d;
        i++;
      }
      if (!closed) throw new ParseError('bash: unexpected EOF while looking for matching `"\'');
      continue;
    }
    if (c === '\\' && i + 1 < src.length) {
      v += src[i + 1];
      i += 2;
      continue;
    }
    if (' \t\r\n;|&<>'.includes(c)) break;
    if ((c === '(' || c === ')' || c === '`') && v === '') break;
    if (c === '$') {
      const x = readDollar(src, i);
      if (x) {
        v += x.text;
        i = x.next;
        continue;
      }
    }
    v += c;
    i++;
  }
  return { value: v, next: i, newlines };
}

/** markers around an expansion kept inside a word until the command runs: OPEN kind body CLOSE */
const OPEN = '\u0001';
const CLOSE = '\u0002';

/** `$(cmd)`, `${NAME}`, `$NAME`, `$?` → a marked segment; undefined for a literal `$` */
function readDollar(src: string, i: number): { text: string; next: number } | undefined {
  const n = src[i + 1];
  if (n === '(' && src[i + 2] !== '(') {
    let depth = 1;
    let j = i + 2;
    let quote: string | undefined;
    for (; j < src.length && depth > 0; j++) {
      const c = src[j];
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
    }
    if (depth > 0) throw new ParseError("bash: unexpected EOF while looking for matching `)'");
    return { text: `${OPEN}S${src.slice(i + 2, j - 1)}${CLOSE}`, next: j };
  }
  if (n === '{') {
    const end = src.indexOf('}', i + 2);
    if (end < 0) throw new ParseError("bash: unexpected EOF while looking for matching `}'");
    return { text: `${OPEN}V${src.slice(i + 2, end)}${CLOSE}`, next: end + 1 };
  }
  if (n === '?') return { text: `${OPEN}V?${CLOSE}`, next: i + 2 };
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i + 1, i + 65));
  if (m) return { text: `${OPEN}V${m[0]}${CLOSE}`, next: i + 1 + m[0].length };
  return undefined;
}

function parse(src: string): AndOr[] {
  const toks = tokenize(src);
  const lists: AndOr[] = [];
  let i = 0;
  const parseCommand = (): SimpleCommand | undefined => {
    const cmd: SimpleCommand = { argv: [], redirs: [], line: toks[i]?.line ?? 1 };
    while (i < toks.length) {
      const t = toks[i];
      if (t.kind === 'word') cmd.argv.push(t.value);
      else if (t.value.startsWith('redir:')) cmd.redirs.push(t.value.slice(6));
      else break;
      i++;
    }
    return cmd.argv.length || cmd.redirs.length ? cmd : undefined;
  };
  const parsePipeline = (): Pipeline | undefined => {
    const first = parseCommand();
    if (!first) return undefined;
    const p: Pipeline = [first];
    while (toks[i]?.kind === 'op' && toks[i].value === '|') {
      const line = toks[i].line;
      i++;
      while (toks[i]?.value === '\n') i++;
      const c = parseCommand();
      if (!c) throw new ParseError(`bash: line ${line}: syntax error near unexpected token \`|'`);
      p.push(c);
    }
    return p;
  };
  while (i < toks.length) {
    const t = toks[i];
    if (t.kind === 'op' && (t.value === '\n' || t.value === ';')) {
      i++;
      continue;
    }
    const first = parsePipeline();
    if (!first) throw new ParseError(`bash: line ${t.line}: syntax error near unexpected token \`${t.value}'`);
    const list: AndOr = { first, rest: [] };
    while (toks[i]?.kind === 'op' && (toks[i].value === '&&' || toks[i].value === '||')) {
      const op = toks[i].value as '&&' | '||';
      const line = toks[i].line;
      i++;
      while (toks[i]?.value === '\n') i++;
      const p = parsePipeline();
      if (!p) throw new ParseError(`bash: line ${line}: syntax error near unexpected token \`${op}'`);
      list.rest.push({ op, pipeline: p });
    }
    lists.push(list);
  }
  return lists;
}

// ---------------------------------------------------------------------------------------------------------------
// execution

interface Out {
  out: string;
  err: string;
  code: number;
}

class ExitSignal {
  constructor(
    readonly code: number,
    readonly err = '',
  ) {}
}

interface Shell {
  node: SimNode;
  ctx: ScriptContext;
  cwd: string;
  t: number;
  errexit: boolean;
  pipefail: boolean;
  vars: Record<string, string>;
  lastStatus: number;
  /** stderr of command substitutions, reported with the command that used them */
  substErr: string;
  /** exit status of the last command substitution of the current command */
  substCode?: number;
}

/** Run an SSM `commands` script on a node at simulated instant `now`. Node state changes happen at their own instants. */
export function runScript(node: SimNode, script: string, ctx: ScriptContext): ScriptResult {
  noteSimNow(ctx.now);
  const sh: Shell = {
    node,
    ctx,
    cwd: ctx.cwd ?? `/var/lib/amazon/ssm/${ctx.instanceId}/document/orchestration/run/awsrunShellScript/0.awsrunShellScript`,
    t: ctx.now,
    errexit: false,
    pipefail: false,
    vars: {},
    lastStatus: 0,
    substErr: '',
  };
  let lists: AndOr[];
  try {
    lists = parse(script);
  } catch (e) {
    if (e instanceof ParseError) return { stdout: '', stderr: `${e.message}\n`, exitCode: 2, durationMs: 50 };
    throw e;
  }
  const r = runLists(sh, lists);
  return { stdout: r.out, stderr: r.err, exitCode: r.code, durationMs: Math.max(1, sh.t - ctx.now) };
}

/** Run and-or lists in order; `exit` and `set -e` end them (ExitSignal caught here). */
function runLists(sh: Shell, lists: AndOr[]): Out {
  let stdout = '';
  let stderr = '';
  let status = 0;
  try {
    for (const list of lists) {
      let r = runPipeline(sh, list.first);
      stdout += r.out;
      stderr += r.err;
      let lastGuarded = list.rest.length > 0;
      for (let k = 0; k < list.rest.length; k++) {
        const { op, pipeline } = list.rest[k];
        if ((op === '&&' && r.code !== 0) || (op === '||' && r.code === 0)) continue;
        r = runPipeline(sh, pipeline);
        stdout += r.out;
        stderr += r.err;
        lastGuarded = k < list.rest.length - 1;
      }
      status = r.code;
      if (sh.errexit && status !== 0 && !lastGuarded) throw new ExitSignal(status);
    }
  } catch (e) {
    if (!(e instanceof ExitSignal)) throw e;
    status = e.code;
    stderr += e.err;
  }
  return { out: stdout, err: stderr, code: status };
}

/** Expand `$(…)` and variables marked by the tokenizer (no word splitting: one word stays one argument). */
function expandWord(sh: Shell, w: string): string {
  if (!w.includes(OPEN)) return w;
  let out = '';
  let i = 0;
  while (i < w.length) {
    const a = w.indexOf(OPEN, i);
    if (a < 0) {
      out += w.slice(i);
      break;
    }
    out += w.slice(i, a);
    const b = w.indexOf(CLOSE, a);
    const kind = w[a + 1];
    const body = w.slice(a + 2, b);
    i = b + 1;
    if (kind === 'V') out += variable(sh, body);
    else {
      // a subshell: cd / set inside do not leak out, exit ends only the substitution
      const saved = { cwd: sh.cwd, errexit: sh.errexit, pipefail: sh.pipefail, vars: { ...sh.vars } };
      let r: Out;
      try {
        r = runLists(sh, parse(body));
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        r = { out: '', err: `${e.message}\n`, code: 2 };
      }
      Object.assign(sh, saved);
      sh.substErr += r.err;
      sh.substCode = r.code;
      out += r.out.replace(/\n+$/, '');
    }
  }
  return out;
}

function variable(sh: Shell, name: string): string {
  const def = /^([A-Za-z_][A-Za-z0-9_]*):?-(.*)$/.exec(name);
  if (def) return variable(sh, def[1]) || def[2];
  if (name === '?') return String(sh.lastStatus);
  if (name in sh.vars) return sh.vars[name];
  const env: Record<string, string> = {
    HOME: '/root',
    USER: 'root',
    LOGNAME: 'root',
    SHELL: '/bin/bash',
    HOSTNAME: sh.ctx.hostname,
    PWD: sh.cwd,
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin',
    AWS_REGION: sh.ctx.region,
    AWS_DEFAULT_REGION: sh.ctx.region,
  };
  return env[name] ?? '';
}

function runPipeline(sh: Shell, p: Pipeline): Out {
  let input: string | undefined;
  let err = '';
  let code = 0;
  let failed = 0;
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const r = runSimple(sh, p[i], input);
    err += r.err;
    code = r.code;
    if (r.code !== 0) failed = r.code;
    input = r.out;
    out = r.out;
  }
  return { out, err, code: sh.pipefail && failed ? failed : code };
}

function runSimple(sh: Shell, cmd: SimpleCommand, stdin: string | undefined): Out {
  sh.t += COMMAND_MS;
  sh.substErr = '';
  sh.substCode = undefined;
  const argv = cmd.argv.map((w) => expandWord(sh, w));
  // assignments: alone they set shell variables, before a command they only set its environment
  const assigns: [string, string][] = [];
  while (argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0])) {
    const a = argv.shift() as string;
    assigns.push([a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]);
  }
  if (!argv.length) for (const [k, v] of assigns) sh.vars[k] = v;
  while (argv[0] === 'sudo') {
    argv.shift();
    while (argv[0]?.startsWith('-')) argv.shift();
  }
  // `< file` feeds the command's stdin
  for (const red of cmd.redirs) {
    if (red.startsWith('<')) {
      const f = red.slice(1);
      const text = readFile(sh, f);
      if (text === undefined) return { out: '', err: `bash: line ${cmd.line}: ${f}: No such file or directory\n`, code: 1 };
      stdin = text;
    }
  }
  const substErr = sh.substErr;
  const r0: Out = argv.length ? exec(sh, argv, stdin, cmd.line) : { out: '', err: '', code: sh.substCode ?? 0 };
  const r: Out = { ...r0, err: substErr + r0.err };
  sh.lastStatus = r.code;
  // redirections: /dev/null discards, other paths are written into the node's files (node.files)
  let { out, err } = r;
  let extraErr = '';
  const write = (target: string, append: boolean, text: string): boolean => {
    const path = expandWord(sh, target);
    if (path === '/dev/null') return true;
    const abs = resolvePath(sh, path);
    const dir = abs.replace(/\/[^/]*$/, '') || '/';
    if (!nodeDirs(sh.node, sh.t).includes(dir)) {
      extraErr += `bash: line ${cmd.line}: ${path}: No such file or directory\n`;
      return false;
    }
    const files = (sh.node.files ??= {});
    const before = append ? (readFile(sh, abs) ?? '') : '';
    // `base64 -d` / `head -c` / `tail -c` write bytes (latin1 in the pipe): stored as the bytes they are
    if (byteOutput) storeBytes(sh.node, abs, Buffer.concat([fileBytes(sh.node, abs, before), pipeBytes(text)]));
    else files[abs] = before + text;
    return true;
  };
  const byteOutput = (argv[0] === 'base64' && (argv.includes('-d') || argv.includes('--decode'))) || ((argv[0] === 'head' || argv[0] === 'tail') && argv.includes('-c')) || argv[0] === 'gzip';
  let code = r.code;
  for (const red of cmd.redirs) {
    if (red === '2>&1') {
      out += err;
      err = '';
    } else if (red === '1>&2' || red === '>&2') {
      err += out;
      out = '';
    } else if (/^&>>?/.test(red)) {
      const m = /^&(>>?)(.*)$/.exec(red) as RegExpExecArray;
      if (!write(m[2], m[1] === '>>', out + err)) code = 1;
      out = '';
      err = '';
    } else if (/^2>>?/.test(red)) {
      const m = /^2(>>?)(.*)$/.exec(red) as RegExpExecArray;
      if (!write(m[2], m[1] === '>>', err)) code = 1;
      err = '';
    } else if (/^1?>>?/.test(red)) {
      const m = /^1?(>>?)(.*)$/.exec(red) as RegExpExecArray;
      if (!write(m[2], m[1] === '>>', out)) code = 1;
      out = '';
    }
  }
  return { out, err: err + extraErr, code };
}

const ok = (out = ''): Out => ({ out, err: '', code: 0 });
const fail = (err: string, code = 1, out = ''): Out => ({ out, err: err.endsWith('\n') || !err ? err : `${err}\n`, code });

function exec(sh: Shell, argv: string[], stdin: string | undefined, line: number): Out {
  const [name, ...args] = argv;
  switch (name) {
    case 'true':
    case ':':
      return ok();
    case 'false':
      return { out: '', err: '', code: 1 };
    case 'exit': {
      if (args[0] !== undefined && !/^-?\d+$/.test(args[0])) {
        throw new ExitSignal(2, `bash: line ${line}: exit: ${args[0]}: numeric argument required\n`);
      }
      throw new ExitSignal(args[0] === undefined ? sh.lastStatus : Number(args[0]) & 255);
    }
    case 'set': {
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === '-o' || a === '+o') {
          if (args[i + 1] === 'pipefail') sh.pipefail = a === '-o';
          if (args[i + 1] === 'errexit') sh.errexit = a === '-o';
          i++;
        } else if (/^-[a-z]+$/.test(a)) {
          if (a.includes('e')) sh.errexit = true;
          if (a.includes('o')) {
            if (args[i + 1] === 'pipefail') sh.pipefail = true;
            if (args[i + 1] === 'errexit') sh.errexit = true;
            i++;
          }
        } else if (/^\+[a-z]+$/.test(a)) {
          if (a.includes('e')) sh.errexit = false;
        }
      }
      return ok();
    }
    case 'export':
      for (const a of args) {
        const eq = a.indexOf('=');
        if (eq > 0) sh.vars[a.slice(0, eq)] = a.slice(eq + 1);
      }
      return ok();
    case 'unset':
      for (const a of args) delete sh.vars[a];
      return ok();
    case 'shopt':
    case 'trap':
      return ok();
    case 'echo': {
      let newline = true;
      let escapes = false;
      const words = [...args];
      while (words.length && /^-[neE]+$/.test(words[0])) {
        const f = words.shift() as string;
        if (f.includes('n')) newline = false;
        if (f.includes('e')) escapes = true;
      }
      let s = words.join(' ');
      if (escapes) s = s.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      return ok(s + (newline ? '\n' : ''));
    }
    case 'printf': {
      if (!args.length) return fail('printf: usage: printf [-v var] format [arguments]', 2);
      const [fmt, ...rest] = args;
      let k = 0;
      const s = fmt
        .replace(/%[sd]/g, () => rest[k++] ?? '')
        .replace(/\\n/g, '\n')
        .replace(/\\t/g, '\t')
        .replace(/%%/g, '%');
      return ok(s);
    }
    case 'sleep': {
      const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(args[0] ?? '');
      if (!m) return fail(`sleep: invalid time interval '${args[0] ?? ''}'`);
      const mult = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
      sh.t += Number(m[1]) * mult;
      return ok();
    }
    case 'cd': {
      const target = resolvePath(sh, args[0] ?? '/root');
      if (!nodeDirs(sh.node, sh.t).includes(target) && !target.startsWith('/var/lib/amazon/ssm')) {
        return fail(`bash: line ${line}: cd: ${args[0]}: No such file or directory`);
      }
      sh.cwd = target;
      return ok();
    }
    case 'pwd':
      return ok(`${sh.cwd}\n`);
    case 'whoami':
      return ok('root\n');
    case 'id':
      return ok('uid=0(root) gid=0(root) groups=0(root)\n');
    case 'hostname':
      return ok(args.includes('-I') ? `${sh.ctx.privateIp} 172.17.0.1 \n` : `${sh.ctx.hostname}\n`);
    case 'date':
      return date(sh, args);
    case 'uptime':
      return uptime(sh, args);
    case 'cat':
    case 'tail':
    case 'head':
      return fileTool(sh, name, args, stdin);
    case 'grep':
      return grep(sh, args, stdin);
    case 'wc': {
      const text = stdin ?? (args.find((a) => !a.startsWith('-')) ? readFile(sh, args.find((a) => !a.startsWith('-')) as string) : '') ?? '';
      const n = (text.match(/\n/g) ?? []).length;
      return ok(args.includes('-l') ? `${n}\n` : `${n} ${text.split(/\s+/).filter(Boolean).length} ${text.length}\n`);
    }
    case 'ls':
      return ls(sh, args);
    case 'test':
    case '[':
      return testCmd(sh, name === '[' ? args.slice(0, args[args.length - 1] === ']' ? -1 : args.length) : args, name === '[' && args[args.length - 1] !== ']');
    case 'command':
    case 'which': {
      const target = name === 'command' ? args.filter((a) => a !== '-v')[0] : args[0];
      const known: Record<string, string> = { docker: '/usr/bin/docker', systemctl: '/usr/bin/systemctl', journalctl: '/usr/bin/journalctl', jq: '/usr/bin/jq', aws: '/usr/local/bin/aws', bash: '/usr/bin/bash', curl: '/usr/bin/curl' };
      return target && known[target] ? ok(`${known[target]}\n`) : { out: '', err: '', code: 1 };
    }
    case 'df':
      return ok(
        'Filesystem      Size  Used Avail Use% Mounted on\n/dev/root        97G   21G   77G  22% /\ntmpfs           7.7G     0  7.7G   0% /dev/shm\n/dev/nvme0n1p15  105M  6.1M   99M   6% /boot/efi\n',
      );
    case 'free':
      return ok(
        '               total        used        free      shared  buff/cache   available\nMem:           15834        5210        6012           4        4944       10624\nSwap:              0           0           0\n',
      );
    case 'sort':
    case 'uniq':
    case 'cut':
    case 'awk':
      return textTool(sh, name, args, stdin);
    case 'systemctl':
      return systemctl(sh, args);
    case 'journalctl':
      return journalctl(sh, args);
    case 'docker':
      if (!isInstalled(sh.node, sh.t)) return fail(`bash: line ${line}: docker: command not found`, 127);
      return docker(sh, args);
    case 'docker-compose':
      return fail(`bash: line ${line}: docker-compose: command not found`, 127);
    default:
      // find, stat, sha256sum, base64, cp, mv, rm, mkdir, chmod, chown: node-config-shell.ts
      if (CONFIG_TOOLS.has(name)) return configTool({ node: sh.node, cwd: sh.cwd, t: sh.t, read: (p) => readFile(sh, p), exists: (p) => fileExists(sh, p), resolve: (p) => resolvePath(sh, p), dirs: () => nodeDirs(sh.node, sh.t) }, name, args, stdin);
      return fail(`bash: line ${line}: ${name}: command not found`, 127);
  }
}

/** files the simulator knows, per directory (for ls / test) */
const KNOWN_FILES = [
  '/opt/openvidu/deployment-info.yaml',
  '/opt/openvidu/docker-compose.yaml',
  '/var/log/cloud-init-output.log',
  '/var/log/cloud-init.log',
  '/var/log/openvidu-restart.log',
  '/var/log/stop_media_node.log',
  '/var/log/openvidu/nodes_errors.log',
  '/opt/openvidu/config/node/master_node.env',
  '/opt/openvidu/config/node/media_node.env',
  '/opt/openvidu/config/cluster/openvidu.env',
];

function fileExists(sh: Shell, path: string): boolean {
  if (path === '/opt/openvidu/docker-compose.yaml') return isInstalled(sh.node, sh.t);
  return readNodeFile(sh.node, path, { ...sh.ctx, now: sh.t }) !== undefined;
}

function ls(sh: Shell, args: string[]): Out {
  const long = args.some((a) => /^-[a-zA-Z]*l/.test(a));
  const targets = args.filter((a) => !a.startsWith('-'));
  const dirs = nodeDirs(sh.node, sh.t);
  let out = '';
  let err = '';
  for (const t of targets.length ? targets : ['.']) {
    const p = resolvePath(sh, t);
    if (dirs.includes(p)) {
      const children = new Set<string>();
      for (const d of dirs) if (d !== p && d.startsWith(p === '/' ? '/' : `${p}/`) && !d.slice(p.length + 1).includes('/')) children.add(d.slice(p === '/' ? 1 : p.length + 1));
      for (const f of [...KNOWN_FILES, ...Object.keys(sh.node.files ?? {})]) {
        if (f.startsWith(`${p}/`) && !f.slice(p.length + 1).includes('/') && fileExists(sh, f)) children.add(f.slice(p.length + 1));
      }
      const names = [...children].sort();
      if (targets.length > 1) out += `${p}:\n`;
      out += long ? `total ${names.length * 4}\n${names.map((n) => `${dirs.includes(`${p}/${n}`) ? 'drwxr-xr-x 2' : '-rw-r--r-- 1'} root root 4096 ${new Date(sh.node.bootedAt).toUTCString().slice(8, 11)} ${new Date(sh.node.bootedAt).toUTCString().slice(5, 7)} ${new Date(sh.node.bootedAt).toISOString().slice(11, 16)} ${n}\n`).join('')}` : names.map((n) => `${n}\n`).join('');
    } else if (fileExists(sh, p)) out += `${t}\n`;
    else err += `ls: cannot access '${t}': No such file or directory\n`;
  }
  return { out, err, code: err ? 2 : 0 };
}

function testCmd(sh: Shell, args: string[], missingBracket: boolean): Out {
  if (missingBracket) return fail("[: missing `]'", 2);
  const neg = args[0] === '!';
  const a = neg ? args.slice(1) : args;
  let r: boolean;
  if (a.length === 0) r = false;
  else if (a.length === 1) r = a[0] !== '';
  else if (a.length === 2) {
    const p = resolvePath(sh, a[1]);
    if (a[0] === '-f') r = fileExists(sh, p);
    else if (a[0] === '-d') r = nodeDirs(sh.node, sh.t).includes(p);
    else if (a[0] === '-e' || a[0] === '-r') r = fileExists(sh, p) || nodeDirs(sh.node, sh.t).includes(p);
    else if (a[0] === '-s') r = (readNodeFile(sh.node, p, { ...sh.ctx, now: sh.t }) ?? '').length > 0;
    else if (a[0] === '-n') r = a[1] !== '';
    else if (a[0] === '-z') r = a[1] === '';
    else return fail(`test: ${a[0]}: unary operator expected`, 2);
  } else if (a.length === 3) {
    const [x, op, y] = a;
    if (op === '=' || op === '==') r = x === y;
    else if (op === '!=') r = x !== y;
    else if (['-eq', '-ne', '-lt', '-le', '-gt', '-ge'].includes(op)) {
      const [n, m] = [Number(x), Number(y)];
      r = { '-eq': n === m, '-ne': n !== m, '-lt': n < m, '-le': n <= m, '-gt': n > m, '-ge': n >= m }[op] as boolean;
    } else return fail(`test: ${op}: binary operator expected`, 2);
  } else return fail('test: too many arguments', 2);
  return { out: '', err: '', code: r !== neg ? 0 : 1 };
}

function resolvePath(sh: Shell, p: string): string {
  const abs = p.startsWith('/') ? p : `${sh.cwd}/${p}`;
  const parts: string[] = [];
  for (const seg of abs.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

function readFile(sh: Shell, p: string): string | undefined {
  return readNodeFile(sh.node, resolvePath(sh, p), { ...sh.ctx, now: sh.t });
}

function fileTool(sh: Shell, tool: 'cat' | 'tail' | 'head', args: string[], stdin: string | undefined): Out {
  let n = 10;
  let fromLine = false;
  let bytes: { n: number; from: boolean } | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-c' && tool !== 'cat') {
      // GNU coreutils: `head -c N` first N bytes, `tail -c +K` from byte K, `tail -c N` last N bytes
      const v = args[++i] ?? '';
      bytes = { n: parseCount(v), from: v.startsWith('+') };
    } else if ((a === '-n' || a === '--lines') && tool !== 'cat') {
      fromLine = tool === 'tail' && (args[i + 1] ?? '').startsWith('+');
      n = parseCount(args[++i]);
    }
    else if (/^-n\d+$/.test(a)) n = parseCount(a.slice(2));
    else if (/^--lines=/.test(a)) n = parseCount(a.slice(8));
    else if (/^-\d+$/.test(a)) n = Number(a.slice(1));
    else if (a === '-f' || a === '-F' || a === '--follow') {
      // following a file never ends: the command runs until SSM's execution timeout
      sh.t += 365 * 86_400_000;
    } else if (a.startsWith('-') && a !== '-') continue;
    else files.push(a);
  }
  if (Number.isNaN(n)) return fail(`${tool}: invalid number of lines`);
  if (bytes && Number.isNaN(bytes.n)) return fail(`${tool}: invalid number of bytes`);
  const take = (text: string, file?: string): string => {
    if (tool === 'cat') return text;
    if (bytes) {
      // a pipe carries bytes: after head -c / tail -c they travel as latin1 (one character per byte)
      const b = file !== undefined ? fileBytes(sh.node, file, text) : pipeBytes(text);
      const cut = tool === 'head' ? b.subarray(0, bytes.n) : bytes.from ? b.subarray(Math.max(0, bytes.n - 1)) : b.subarray(Math.max(0, b.length - bytes.n));
      return cut.toString('latin1');
    }
    if (fromLine) {
      const all = text.split('\n');
      const trailing = text.endsWith('\n');
      if (trailing) all.pop();
      const sel = all.slice(Math.max(0, n - 1));
      return sel.length ? `${sel.join('\n')}\n` : '';
    }
    const lines = text.split('\n');
    const trailing = text.endsWith('\n');
    if (trailing) lines.pop();
    const sel = tool === 'tail' ? (n === 0 ? [] : lines.slice(-n)) : lines.slice(0, n);
    return sel.length ? sel.join('\n') + (trailing || sel.length < lines.length ? '\n' : '') : '';
  };
  if (!files.length) return ok(take(stdin ?? ''));
  let out = '';
  let err = '';
  let code = 0;
  for (const f of files) {
    const p = resolvePath(sh, f);
    const text = readFile(sh, f);
    if (text === undefined) {
      code = 1;
      if (nodeDirs(sh.node, sh.t).includes(p)) err += tool === 'cat' ? `cat: ${f}: Is a directory\n` : `${tool}: error reading '${f}': Is a directory\n`;
      else err += tool === 'cat' ? `cat: ${f}: No such file or directory\n` : `${tool}: cannot open '${f}' for reading: No such file or directory\n`;
      continue;
    }
    if (files.length > 1 && tool !== 'cat') out += `${out ? '\n' : ''}==> ${f} <==\n`;
    out += take(text, p);
  }
  return { out, err, code };
}

function parseCount(v: string | undefined): number {
  if (v === undefined) return Number.NaN;
  const m = /^[+-]?(\d+)$/.exec(v);
  return m ? Number(m[1]) : Number.NaN;
}

/** sort [-r] [-n] [-u], uniq [-c], cut -d X -f N[,M], awk '{print $N…}' (with -F X): enough for pipelines over command output */
function textTool(sh: Shell, tool: string, args: string[], stdin: string | undefined): Out {
  const files = tool === 'awk' ? args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-F' && i > args.findIndex((x) => x.includes('{'))) : args.filter((a, i) => !a.startsWith('-') && !['-d', '-f', '-k', '-t'].includes(args[i - 1]));
  let text = stdin ?? '';
  if (files.length) {
    const t = readFile(sh, files[0]);
    if (t === undefined) return fail(`${tool}: ${files[0]}: No such file or directory`, tool === 'awk' ? 2 : 1);
    text = t;
  }
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  const flags = args.filter((a) => /^-[a-zA-Z]+$/.test(a)).join('');
  let out: string[];
  if (tool === 'sort') {
    out = [...lines].sort(flags.includes('n') ? (a, b) => parseFloat(a) - parseFloat(b) : undefined);
    if (flags.includes('r')) out.reverse();
    if (flags.includes('u')) out = out.filter((l, i) => i === 0 || l !== out[i - 1]);
  } else if (tool === 'uniq') {
    const groups: { line: string; n: number }[] = [];
    for (const l of lines) {
      if (groups.length && groups[groups.length - 1].line === l) groups[groups.length - 1].n++;
      else groups.push({ line: l, n: 1 });
    }
    out = groups.map((g) => (flags.includes('c') ? `${String(g.n).padStart(7)} ${g.line}` : g.line));
  } else if (tool === 'cut') {
    const di = args.findIndex((a) => a === '-d' || (a.startsWith('-d') && a.length > 2));
    const fi = args.findIndex((a) => a === '-f' || (a.startsWith('-f') && a.length > 2));
    if (fi < 0) return fail('cut: you must specify a list of bytes, characters, or fields');
    const delim = di < 0 ? '\t' : args[di] === '-d' ? args[di + 1] : args[di].slice(2);
    const spec = (args[fi] === '-f' ? args[fi + 1] : args[fi].slice(2)) ?? '';
    if (!/^[\d,-]+$/.test(spec)) return fail(`cut: invalid field value '${spec}'`);
    const fields = spec.split(',').flatMap((p) => {
      const [a, b] = p.split('-').map((x) => (x === '' ? undefined : Number(x)));
      return p.includes('-') ? Array.from({ length: (b ?? 64) - (a ?? 1) + 1 }, (_, k) => (a ?? 1) + k) : [a as number];
    });
    out = lines.map((l) => {
      const parts = l.split(delim);
      return parts.length === 1 ? l : fields.filter((f) => f <= parts.length).map((f) => parts[f - 1]).join(delim);
    });
  } else {
    const fi = args.indexOf('-F');
    const sep = fi >= 0 ? args[fi + 1] : undefined;
    const prog = args.find((a) => a.includes('{')) ?? '';
    const m = /^\s*\{\s*print\s*([^}]*)\}\s*$/.exec(prog);
    if (!m) return fail(`awk: the simulator only runs '{print $N, …}' programs`, 2);
    const items = m[1].split(',').map((x) => x.trim()).filter(Boolean);
    out = lines.map((l) => {
      const parts = sep === undefined ? l.trim().split(/\s+/) : l.split(sep);
      return (items.length ? items : ['$0'])
        .map((it) => (it === '$0' ? l : it === '$NF' ? parts[parts.length - 1] : /^\$\d+$/.test(it) ? (parts[Number(it.slice(1)) - 1] ?? '') : it.replace(/^"(.*)"$/, '$1')))
        .join(' ');
    });
  }
  return ok(out.map((l) => `${l}\n`).join(''));
}

function grep(sh: Shell, args: string[], stdin: string | undefined): Out {
  let ignoreCase = false;
  let invert = false;
  let count = false;
  let fixed = false;
  let extended = false;
  let quiet = false;
  const rest: string[] = [];
  // GNU grep manual, "Matching Control": `-e PATTERNS` names the pattern (so one starting with "-" is safe);
  // "--" ends the options. Either way the next word is the pattern, not an option.
  let explicit: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (explicit === undefined && a === '-e' && i + 1 < args.length) {
      explicit = args[++i];
      continue;
    }
    if (a === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (/^-[ivcFEqh]+$/.test(a)) {
      ignoreCase ||= a.includes('i');
      invert ||= a.includes('v');
      count ||= a.includes('c');
      fixed ||= a.includes('F');
      extended ||= a.includes('E');
      quiet ||= a.includes('q');
    } else rest.push(a);
  }
  const [pattern, file] = explicit !== undefined ? [explicit, rest[0]] : rest;
  if (pattern === undefined) return fail('Usage: grep [OPTION]... PATTERNS [FILE]...', 2);
  const text = file !== undefined ? readFile(sh, file) : (stdin ?? '');
  if (text === undefined) return fail(`grep: ${file}: No such file or directory`, 2);
  let src = fixed ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern;
  if (!fixed && !extended) src = breToJs(src);
  let re: RegExp;
  try {
    re = new RegExp(src, ignoreCase ? 'i' : '');
  } catch {
    return fail('grep: Invalid regular expression', 2);
  }
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  const sel = lines.filter((l) => re.test(l) !== invert);
  if (quiet) return { out: '', err: '', code: sel.length ? 0 : 1 };
  if (count) return { out: `${sel.length}\n`, err: '', code: sel.length ? 0 : 1 };
  return { out: sel.map((l) => `${l}\n`).join(''), err: '', code: sel.length ? 0 : 1 };
}

/** basic regular expression → JS: `\|`, `\+`, `\?`, `\(`… are operators, the bare characters are literal */
function breToJs(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length && '|+?(){}'.includes(p[i + 1])) {
      out += p[i + 1];
      i++;
    } else if ('|+?(){}'.includes(c)) out += `\\${c}`;
    else if (c === '\\' && i + 1 < p.length) {
      out += c + p[i + 1];
      i++;
    } else out += c;
  }
  return out;
}

function date(sh: Shell, args: string[]): Out {
  const d = new Date(sh.t);
  const fmt = args.find((a) => a.startsWith('+'));
  if (!fmt) {
    const s = d.toUTCString(); // "Tue, 24 Nov 2026 09:00:00 GMT"
    const [, day, dd, mon, yyyy, time] = /^(\w+), (\d+) (\w+) (\d+) ([\d:]+)/.exec(s) ?? [];
    return ok(`${day} ${mon} ${dd} ${time} UTC ${yyyy}\n`);
  }
  const iso = d.toISOString();
  const map: Record<string, string> = {
    Y: iso.slice(0, 4),
    m: iso.slice(5, 7),
    d: iso.slice(8, 10),
    H: iso.slice(11, 13),
    M: iso.slice(14, 16),
    S: iso.slice(17, 19),
    N: `${iso.slice(20, 23)}000000`,
    s: String(Math.floor(sh.t / 1000)),
    F: iso.slice(0, 10),
    T: iso.slice(11, 19),
    Z: 'UTC',
    z: '+0000',
    '%': '%',
  };
  return ok(`${fmt.slice(1).replace(/%(.)/g, (m, c: string) => map[c] ?? m)}\n`);
}

function uptime(sh: Shell, args: string[]): Out {
  const up = sh.t - sh.node.bootedAt;
  if (args.includes('-s')) return ok(`${new Date(sh.node.bootedAt).toISOString().replace('T', ' ').slice(0, 19)}\n`);
  const mins = Math.floor(up / 60_000);
  const days = Math.floor(mins / 1440);
  const hm = `${Math.floor((mins % 1440) / 60)}:${String(mins % 60).padStart(2, '0')}`;
  if (args.includes('-p')) {
    const unit = (n: number, u: string) => (n ? [`${n} ${u}${n === 1 ? '' : 's'}`] : []);
    const parts = [...unit(days, 'day'), ...unit(Math.floor((mins % 1440) / 60), 'hour'), ...unit(mins % 60, 'minute')];
    return ok(`up ${parts.length ? parts.join(', ') : '0 minutes'}\n`);
  }
  const upText = days ? `${days} days, ${hm}` : mins < 60 ? `${mins} min` : hm;
  return ok(` ${new Date(sh.t).toISOString().slice(11, 19)} up ${upText},  0 users,  load average: 0.21, 0.17, 0.12\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// systemd

const UNIT = 'openvidu.service';

function unitName(arg: string | undefined): string | undefined {
  if (!arg) return undefined;
  return arg.endsWith('.service') ? arg : `${arg}.service`;
}

function systemctl(sh: Shell, args: string[]): Out {
  const words = args.filter((a) => !a.startsWith('-'));
  const [verb, unitArg] = words;
  const unit = unitName(unitArg);
  const installed = isInstalled(sh.node, sh.t);
  const known = (installed && (unit === UNIT || unit === 'docker.service')) || unit === 'snap.amazon-ssm-agent.amazon-ssm-agent.service';
  const node = sh.node;
  const active = unit === UNIT ? installed && node.openviduActive : known;
  switch (verb) {
    case 'is-active':
      if (!unit) return fail('Too few arguments.');
      return { out: active ? 'active\n' : 'inactive\n', err: '', code: active ? 0 : 3 };
    case 'is-enabled':
      if (!known) return fail(`Failed to get unit file state for ${unit}: No such file or directory`);
      return ok('enabled\n');
    case 'status':
      if (!unit) return ok('● ' + sh.ctx.hostname + '\n    State: running\n');
      if (!known) return fail(`Unit ${unit} could not be found.`, 4);
      return systemctlStatus(sh, unit);
    case 'start':
    case 'stop':
    case 'restart':
    case 'reload-or-restart':
    case 'try-restart': {
      if (!unit) return fail('Too few arguments.');
      if (!known) return fail(`Failed to ${verb} ${unit}: Unit ${unit} not found.`, 5);
      if (unit !== UNIT) {
        sh.t += 500;
        return ok();
      }
      if (verb === 'start') sh.t += startOpenVidu(node, sh.t);
      else if (verb === 'stop') sh.t += stopOpenVidu(node, sh.t);
      else if (verb === 'try-restart' && !node.openviduActive) return ok();
      else sh.t += restartOpenVidu(node, sh.t);
      // openvidu-init reads the configuration files as the containers come up (node-config.ts)
      if (verb !== 'stop') afterOpenViduStart(node, sh.t);
      return ok();
    }
    case 'daemon-reload':
      return ok();
    default:
      return fail(verb ? `Unknown command verb '${verb}', expected one of the supported verbs.` : 'Too few arguments.');
  }
}

function systemdSpan(ms: number): string {
  const s = Math.floor(ms / 1000);
  const parts: [number, string][] = [
    [Math.floor(s / 604800), ' weeks'],
    [Math.floor((s % 604800) / 86400), ' days'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  const nonZero = parts.filter(([v]) => v > 0).slice(0, 2);
  if (!nonZero.length) return `${ms}ms`;
  return nonZero.map(([v, u]) => `${v}${u === ' days' && v === 1 ? ' day' : u === ' weeks' && v === 1 ? ' week' : u}`).join(' ');
}

function systemdTime(t: number): string {
  const d = new Date(t);
  return `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]} ${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

function systemctlStatus(sh: Shell, unit: string): Out {
  const node = sh.node;
  if (unit !== UNIT) {
    const desc = unit === 'docker.service' ? 'Docker Application Container Engine' : 'Service for snap application amazon-ssm-agent.amazon-ssm-agent';
    return ok(
      `● ${unit} - ${desc}\n     Loaded: loaded (/usr/lib/systemd/system/${unit}; enabled; preset: enabled)\n     Active: active (running) since ${systemdTime(node.bootedAt + 9_000)}; ${systemdSpan(sh.t - node.bootedAt - 9_000)} ago\n`,
    );
  }
  const pid = 1000 + ((node.seed ?? 7) % 3000);
  const started = [...journalEntries(node)].reverse().find((e) => e.text.startsWith('Started') && e.at <= sh.t)?.at ?? node.bootedAt;
  const lines: string[] = [];
  if (node.openviduActive) {
    lines.push(
      `● ${UNIT} - OpenVidu`,
      `     Loaded: loaded (/etc/systemd/system/${UNIT}; enabled; preset: enabled)`,
      `     Active: active (running) since ${systemdTime(started)}; ${systemdSpan(Math.max(0, sh.t - started))} ago`,
      `   Main PID: ${pid} (docker)`,
      `      Tasks: ${12 + (node.services.length % 7)} (limit: 18945)`,
      `     Memory: 31.2M (peak: 36.8M)`,
      `        CPU: ${(1 + ((sh.t - started) / 3_600_000) * 0.8).toFixed(3)}s`,
      `     CGroup: /system.slice/${UNIT}`,
      `             └─${pid} /usr/bin/docker compose up`,
    );
  } else {
    const stoppedAt = node.openviduStoppedAt ?? sh.t;
    lines.push(
      `○ ${UNIT} - OpenVidu`,
      `     Loaded: loaded (/etc/systemd/system/${UNIT}; enabled; preset: enabled)`,
      `     Active: inactive (dead) since ${systemdTime(stoppedAt)}; ${systemdSpan(Math.max(0, sh.t - stoppedAt))} ago`,
      `   Duration: ${systemdSpan(Math.max(0, stoppedAt - started))}`,
      `    Process: ${pid} ExecStart=/usr/bin/docker compose up (code=exited, status=0/SUCCESS)`,
      `    Process: ${pid + 311} ExecStop=/usr/bin/docker compose down (code=exited, status=0/SUCCESS)`,
      `   Main PID: ${pid} (code=exited, status=0/SUCCESS)`,
      `        CPU: 1.204s`,
    );
  }
  const journal = journalLines(sh, 10);
  return { out: `${lines.join('\n')}\n${journal.length ? `\n${journal.join('\n')}\n` : ''}`, err: '', code: node.openviduActive ? 0 : 3 };
}

/** journal of openvidu.service: systemd's lines plus the attached container output (docker compose up runs in the foreground) */
function journalLines(sh: Shell, n: number, sinceMs?: number): string[] {
  const node = sh.node;
  const pid = 1000 + ((node.seed ?? 7) % 3000);
  const host = sh.ctx.hostname;
  const entries: { ns: bigint; text: () => string }[] = journalEntries(node)
    .filter((e) => e.at <= sh.t && (sinceMs === undefined || e.at >= sinceMs))
    .map((e) => ({ ns: BigInt(Math.floor(e.at)) * 1_000_000n, text: () => `${syslogTs(e.at)} ${host} ${e.ident}: ${e.text}` }));
  const width = Math.max(...node.services.map((s) => containerName(s).length)) + 1;
  for (const s of node.services) {
    const lines = containerLogs(node, s, sh.t, { tail: n, sinceNs: sinceMs === undefined ? undefined : BigInt(Math.floor(sinceMs)) * 1_000_000n }, sh.ctx.privateIp);
    for (const l of lines) {
      const ms = Number(l.ns / 1_000_000n);
      entries.push({ ns: l.ns, text: () => `${syslogTs(ms)} ${host} docker[${pid}]: ${containerName(s).padEnd(width)} | ${l.text}` });
    }
  }
  entries.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  return entries.slice(-n).map((e) => e.text());
}

function journalctl(sh: Shell, args: string[]): Out {
  let unit: string | undefined;
  let n: number | undefined;
  let since: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-u' || a === '--unit') unit = unitName(args[++i]);
    else if (a.startsWith('--unit=')) unit = unitName(a.slice(7));
    else if (/^-u./.test(a)) unit = unitName(a.slice(2));
    else if (a === '-n' || a === '--lines') n = a === '-n' && !/^\d+$/.test(args[i + 1] ?? '') ? 10 : Number(args[++i]);
    else if (a.startsWith('--lines=')) n = Number(a.slice(8));
    else if (/^-n\d+$/.test(a)) n = Number(a.slice(2));
    else if (a === '--since' || a === '-S') since = parseJournalSince(args[++i], sh.t);
    else if (a === '-f' || a === '--follow') sh.t += 365 * 86_400_000;
  }
  if (unit && unit !== UNIT) return ok('-- No entries --\n');
  // without -n journalctl prints the whole journal; the simulator keeps its newest 5,000 lines
  const lines = journalLines(sh, Math.min(n ?? 5_000, 5_000), since);
  return ok(lines.length ? `${lines.join('\n')}\n` : '-- No entries --\n');
}

function parseJournalSince(v: string | undefined, now: number): number | undefined {
  if (!v) return undefined;
  // systemd.time(7), "PARSING TIMESTAMPS": "@" followed by the seconds since the epoch UTC (fractions allowed)
  const epoch = /^@(\d+(\.\d+)?)$/.exec(v);
  if (epoch) return Math.floor(Number(epoch[1]) * 1000);
  const rel = /^-?(\d+)\s*(s|sec|min|m|h|hour|hours|d|days?) ago$/.exec(v) ?? /^-(\d+)(s|min|m|h|d)$/.exec(v);
  if (rel) {
    const unit = rel[2].startsWith('s') ? 1000 : rel[2].startsWith('m') ? 60_000 : rel[2].startsWith('h') ? 3_600_000 : 86_400_000;
    return now - Number(rel[1]) * unit;
  }
  const t = Date.parse(v.includes('T') || v.endsWith('Z') ? v : `${v.replace(' ', 'T')}Z`);
  return Number.isFinite(t) ? t : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// docker

const COMPOSE_DIR = '/opt/openvidu';

function docker(sh: Shell, args: string[]): Out {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'compose':
      return compose(sh, rest);
    case 'version':
      return ok('Client: Docker Engine - Community\n Version:           28.3.3\n API version:       1.51\n\nServer: Docker Engine - Community\n Engine:\n  Version:          28.3.3\n');
    case '--version':
      return ok('Docker version 28.3.3, build 980b856\n');
    case 'ps':
      return dockerPs(sh, rest);
    case 'logs': {
      const o = parseLogOptions(sh, rest);
      if ('error' in o) return fail(o.error);
      if (o.names.length !== 1) return fail('"docker logs" requires exactly 1 argument.\nSee \'docker logs --help\'.');
      const s = findService(sh.node, o.names[0]);
      if (!s || !containerExists(sh.node, s)) return fail(`Error response from daemon: No such container: ${o.names[0]}`);
      const initLog = configErrorLog(sh.node, containerName(s), sh.t);
      if (initLog !== undefined) return ok(o.query.tail !== undefined ? `${initLog.split('\n').slice(-o.query.tail - 1).join('\n')}` : initLog);
      return ok(
        containerLogs(sh.node, s, sh.t, o.query, sh.ctx.privateIp)
          .map((l) => `${o.timestamps ? `${isoNano(l.ns)} ` : ''}${l.text}\n`)
          .join(''),
      );
    }
    case 'restart':
    case 'stop':
    case 'start': {
      const names = rest.filter((a) => !a.startsWith('-') && !/^\d+$/.test(a));
      if (!names.length) return fail(`"docker ${sub}" requires at least 1 argument.`);
      let out = '';
      let err = '';
      for (const n of names) {
        const s = findService(sh.node, n);
        if (!s || !containerExists(sh.node, s)) {
          err += `Error response from daemon: No such container: ${n}\n`;
          continue;
        }
        containerAction(sh, s, sub);
        out += `${n}\n`;
      }
      return { out, err, code: err ? 1 : 0 };
    }
    default:
      if (!sub) return ok('Usage:  docker [OPTIONS] COMMAND\n');
      return fail(`docker: unknown command: docker ${sub}\n\nRun 'docker --help' for more information`);
  }
}

function containerAction(sh: Shell, s: SimService, verb: string): void {
  if (verb === 'restart') {
    restartContainer(sh.node, s, sh.t);
    sh.t += 1_500;
  } else if (verb === 'stop') {
    stopContainer(s, sh.t);
    sh.t += 1_200;
  } else {
    startContainer(sh.node, s, sh.t);
    sh.t += 300;
  }
}

function compose(sh: Shell, args: string[]): Out {
  let dir = sh.cwd;
  let i = 0;
  let file: string | undefined;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '-f' || a === '--file') file = args[++i];
    else if (a.startsWith('--file=')) file = a.slice(7);
    else if (a === '--project-directory') dir = resolvePath(sh, args[++i]);
    else if (a === '-p' || a === '--project-name' || a === '--ansi' || a === '--progress' || a === '--env-file') i++;
    else if (a.startsWith('-')) continue;
    else break;
  }
  if (file) dir = resolvePath(sh, file).replace(/\/[^/]*$/, '') || '/';
  const sub = args[i];
  const rest = args.slice(i + 1);
  if (sub === 'version') return ok('Docker Compose version v2.39.1\n');
  if (!sub) return ok('Usage:  docker compose [OPTIONS] COMMAND\n');
  if (dir !== COMPOSE_DIR) return fail('no configuration file provided: not found');
  const node = sh.node;
  const byName = (n: string) => node.services.find((s) => s.name === n);
  const checkServices = (names: string[]): string | undefined => names.find((n) => !byName(n));
  switch (sub) {
    case 'ps':
      return composePs(sh, rest);
    case 'logs': {
      const o = parseLogOptions(sh, rest);
      if ('error' in o) return fail(o.error);
      const bad = checkServices(o.names);
      if (bad) return fail(`no such service: ${bad}`);
      const services = (o.names.length ? o.names.map((n) => byName(n) as SimService) : node.services).filter((s) => containerExists(node, s));
      const width = services.length ? Math.max(...services.map((s) => containerName(s).length)) + 1 : 0;
      const lines: (LogLine & { prefix: string })[] = [];
      for (const s of services) {
        for (const l of containerLogs(node, s, sh.t, o.query, sh.ctx.privateIp)) lines.push({ ...l, prefix: `${containerName(s).padEnd(width)} | ` });
      }
      // docker compose prints each container's stream as it arrives: interleaved by time
      lines.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
      if (o.follow) sh.t += 365 * 86_400_000;
      return ok(lines.map((l) => `${o.noPrefix ? '' : l.prefix}${o.timestamps ? `${isoNano(l.ns)} ` : ''}${l.text}\n`).join(''));
    }
    case 'restart':
    case 'stop':
    case 'start': {
      const names = rest.filter((a) => !a.startsWith('-') && !/^\d+$/.test(a));
      const bad = checkServices(names);
      if (bad) return fail(`no such service: ${bad}`);
      const targets = (names.length ? names.map((n) => byName(n) as SimService) : node.services).filter((s) => containerExists(node, s));
      let err = '';
      const verbing = { restart: 'Restarting', stop: 'Stopping', start: 'Starting' }[sub];
      const done = { restart: 'Started', stop: 'Stopped', start: 'Started' }[sub];
      for (const s of targets) {
        containerAction(sh, s, sub);
        err += ` Container ${containerName(s)}  ${verbing}\n`;
      }
      for (const s of targets) err += ` Container ${containerName(s)}  ${done}\n`;
      // compose writes its progress to stderr
      return { out: '', err, code: 0 };
    }
    case 'config':
      if (rest.includes('--services')) return ok(node.services.map((s) => `${s.name}\n`).join(''));
      return ok(`name: openvidu\nservices:\n${node.services.map((s) => `  ${s.name}:\n    container_name: ${containerName(s)}\n    image: ${s.image}\n    network_mode: host\n    restart: unless-stopped\n`).join('')}`);
    case 'up':
      if (!rest.includes('-d') && !rest.includes('--detach')) sh.t += 365 * 86_400_000;
      if (!node.openviduActive) sh.t += startOpenVidu(node, sh.t);
      else {
        // exited containers are started again; one-shot ones (minio with external S3) run and exit once more
        for (const s of node.services) if (s.state === 'exited') startContainer(node, s, sh.t);
      }
      return { out: '', err: node.services.map((s) => ` Container ${containerName(s)}  Running\n`).join(''), code: 0 };
    case 'down':
      sh.t += stopOpenVidu(node, sh.t);
      return { out: '', err: node.services.map((s) => ` Container ${containerName(s)}  Removed\n`).join(''), code: 0 };
    default:
      return fail(`unknown docker command: "compose ${sub}"`);
  }
}

interface LogOptions {
  names: string[];
  query: { sinceNs?: bigint; untilNs?: bigint; tail?: number };
  timestamps: boolean;
  noPrefix: boolean;
  follow: boolean;
}

function parseLogOptions(sh: Shell, args: string[]): LogOptions | { error: string } {
  const o: LogOptions = { names: [], query: {}, timestamps: false, noPrefix: false, follow: false };
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let v: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      v = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const value = () => v ?? args[++i];
    if (a === '--tail' || a === '-n') {
      const t = value();
      if (t === 'all') o.query.tail = undefined;
      else if (/^\d+$/.test(t ?? '')) o.query.tail = Number(t);
      else return { error: `invalid argument "${t}" for "-n, --tail" flag: strconv.Atoi: parsing "${t}": invalid syntax` };
    } else if (a === '--since' || a === '--until') {
      const raw = value();
      const ns = parseDockerTime(raw, sh.t);
      if (ns === undefined) return { error: `invalid value for "${a.slice(2)}": failed to parse value as time or duration: "${raw}"` };
      if (a === '--since') o.query.sinceNs = ns;
      else o.query.untilNs = ns;
    } else if (a === '--timestamps' || a === '-t') o.timestamps = true;
    else if (a === '--no-log-prefix') o.noPrefix = true;
    else if (a === '--follow' || a === '-f') o.follow = true;
    else if (/^-[tf]+$/.test(a)) {
      o.timestamps ||= a.includes('t');
      o.follow ||= a.includes('f');
    } else if (a.startsWith('-')) continue; // --no-color, --details, --index
    else o.names.push(a);
  }
  return o;
}

/** docker's --since/--until: RFC 3339 (ns precision), a date, a Unix timestamp, or a duration relative to now */
export function parseDockerTime(v: string | undefined, now: number): bigint | undefined {
  if (!v) return undefined;
  const unix = /^(\d+)(?:\.(\d{1,9}))?$/.exec(v);
  if (unix) return BigInt(unix[1]) * 1_000_000_000n + BigInt((unix[2] ?? '').padEnd(9, '0') || '0');
  const dur = /^((?:\d+(?:\.\d+)?(?:h|m|s|ms|us|ns))+)$/.exec(v);
  if (dur) {
    let ms = 0;
    for (const m of v.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g)) {
      const n = Number(m[1]);
      ms += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : m[2] === 'ms' ? n : m[2] === 'us' ? n / 1000 : n / 1e6;
    }
    return BigInt(Math.floor(now - ms)) * 1_000_000n;
  }
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (iso) {
    const base = Date.parse(`${iso[1]}T${iso[2] ?? '00:00:00'}${iso[2]?.length === 5 ? ':00' : ''}${iso[4] ? (iso[4] === 'Z' ? 'Z' : iso[4].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z'}`);
    if (!Number.isFinite(base)) return undefined;
    return BigInt(base) * 1_000_000n + BigInt((iso[3] ?? '').padEnd(9, '0') || '0');
  }
  return undefined;
}

function effectiveHealth(s: SimService, t: number): string {
  if (s.state !== 'running' || !s.health) return s.health;
  if (s.health === 'healthy' && t - s.startedAt < HEALTH_START_SECONDS * 1000) return 'starting';
  return s.health;
}

function statusText(s: SimService, t: number): string {
  const h = effectiveHealth(s, t);
  if (s.state === 'running') {
    const up = t < s.startedAt ? 'Less than a second' : humanDuration(t - s.startedAt);
    return `Up ${up}${h === 'starting' ? ' (health: starting)' : h ? ` (${h})` : ''}`;
  }
  if (s.state === 'restarting') return `Restarting (${s.exitCode ?? 1}) ${humanDuration(Math.max(0, t - s.startedAt) % 10_000)} ago`;
  if (s.state === 'created') return 'Created';
  const ago = humanDuration(Math.max(0, t - (s.stoppedAt ?? s.startedAt)));
  return `Exited (${s.exitCode ?? 0}) ${ago} ago`;
}

/** the state docker reports at instant t (a container whose stop lies in the future is still running) */
function stateAt(s: SimService, t: number): SimService {
  if (s.state === 'exited' && s.stoppedAt !== undefined && s.stoppedAt > t && s.startedAt <= t) return { ...s, state: 'running', health: s.health || '' };
  return s;
}

function containerId(node: SimNode, s: SimService): string {
  let id = '';
  let seed = (node.seed ?? 1) ^ (s.createdAt ?? s.startedAt);
  for (const ch of s.name) seed = Math.imul(seed ^ ch.charCodeAt(0), 0x01000193);
  for (let i = 0; i < 8; i++) {
    seed = Math.imul(seed ^ (seed >>> 13), 0x5bd1e995) ^ i;
    id += ((seed >>> 0).toString(16) + '00000000').slice(0, 8);
  }
  return id;
}

function dockerCreatedAt(t: number): string {
  return `${new Date(t).toISOString().replace('T', ' ').slice(0, 19)} +0000 UTC`;
}

function commandOf(s: SimService): string {
  if (s.name.startsWith('redis')) return '"docker-entrypoint.s…"';
  if (s.name === 'caddy') return '"caddy run --config …"';
  if (s.name === 'mongo') return '"docker-entrypoint.s…"';
  return '"/entrypoint.sh"';
}

function visibleContainers(sh: Shell, all: boolean): SimService[] {
  return sh.node.services
    .filter((s) => containerExists(sh.node, s) && (s.createdAt ?? s.startedAt) <= sh.t)
    .map((s) => stateAt(s, sh.t))
    .filter((s) => all || s.state === 'running' || s.state === 'restarting');
}

function labelsOf(s: SimService): Record<string, string> {
  return {
    'com.docker.compose.project': 'openvidu',
    'com.docker.compose.service': s.name,
    'com.docker.compose.project.working_dir': COMPOSE_DIR,
    'com.docker.compose.oneoff': 'False',
    ...(s.labels ?? {}),
  };
}

function composeRow(sh: Shell, s: SimService): Record<string, unknown> {
  const created = s.createdAt ?? s.startedAt;
  const labels = labelsOf(s);
  const h = effectiveHealth(s, sh.t);
  return {
    Command: commandOf(s),
    CreatedAt: dockerCreatedAt(created),
    ExitCode: s.state === 'running' ? 0 : (s.exitCode ?? 0),
    Health: h,
    ID: containerId(sh.node, s),
    Image: s.image,
    Labels: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(','),
    LocalVolumes: '0',
    Mounts: s.name === 'mongo' ? '/opt/openvidu/da…' : '',
    Name: containerName(s),
    Names: containerName(s),
    Networks: 'host',
    Ports: '',
    Project: 'openvidu',
    Publishers: null,
    RunningFor: `${humanDuration(Math.max(0, sh.t - created))} ago`,
    Service: s.name,
    Size: '0B',
    State: s.state,
    Status: statusText(s, sh.t),
  };
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] + 3))).join('').trimEnd();
  return [fmt(headers), ...rows.map(fmt)].join('\n') + '\n';
}

function composePs(sh: Shell, args: string[]): Out {
  let all = false;
  let format = 'table';
  let quiet = false;
  let servicesOnly = false;
  const statusFilter: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-a' || a === '--all') all = true;
    else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '--services') servicesOnly = true;
    else if (a === '--format') format = args[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a === '--status') statusFilter.push(args[++i] ?? '');
    else if (a.startsWith('--status=')) statusFilter.push(a.slice(9));
    else if (a === '--filter') {
      const f = args[++i] ?? '';
      if (f.startsWith('status=')) statusFilter.push(f.slice(7));
    } else if (a.startsWith('-')) continue;
    else names.push(a);
  }
  const bad = names.find((n) => !sh.node.services.some((s) => s.name === n));
  if (bad) return fail(`no such service: ${bad}`);
  let list = visibleContainers(sh, all || statusFilter.length > 0);
  if (names.length) list = list.filter((s) => names.includes(s.name));
  if (statusFilter.length) list = list.filter((s) => statusFilter.includes(s.state));
  list.sort((a, b) => containerName(a).localeCompare(containerName(b)));
  if (quiet) return ok(list.map((s) => `${containerId(sh.node, s)}\n`).join(''));
  if (servicesOnly) return ok(list.map((s) => `${s.name}\n`).join(''));
  if (format === 'json' || format === '{{json .}}') return ok(list.map((s) => `${JSON.stringify(composeRow(sh, s))}\n`).join(''));
  if (format.includes('{{')) return ok(list.map((s) => `${goTemplate(format, composeRow(sh, s))}\n`).join(''));
  if (format !== 'table') return fail(`invalid format "${format}"`);
  return ok(
    table(
      ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'],
      list.map((s) => {
        const r = composeRow(sh, s);
        return [String(r.Name), String(r.Image), String(r.Command), String(r.Service), String(r.RunningFor), String(r.Status), ''];
      }),
    ),
  );
}

function goTemplate(format: string, row: Record<string, unknown>): string {
  return format
    .replace(/^table\s+/, '')
    .replace(/\{\{\s*json\s+\.\s*\}\}/g, JSON.stringify(row))
    .replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_m, k: string) => String(row[k] ?? '<no value>'))
    .replace(/\\t/g, '\t');
}

function dockerPs(sh: Shell, args: string[]): Out {
  let all = false;
  let format = 'table';
  let quiet = false;
  const filters: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-a' || a === '--all') all = true;
    else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '-aq' || a === '-qa') all = quiet = true;
    else if (a === '--format') format = args[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a === '--filter' || a === '-f') filters.push(args[++i] ?? '');
    else if (a.startsWith('--filter=')) filters.push(a.slice(9));
  }
  let list = visibleContainers(sh, all);
  for (const f of filters) {
    const [k, ...v] = f.split('=');
    const val = v.join('=');
    if (k === 'label') {
      const [lk, ...lv] = val.split('=');
      list = list.filter((s) => lk in labelsOf(s) && (!lv.length || labelsOf(s)[lk] === lv.join('=')));
    } else if (k === 'name') list = list.filter((s) => containerName(s).includes(val));
    else if (k === 'status') list = list.filter((s) => s.state === val);
  }
  list.sort((a, b) => (b.createdAt ?? b.startedAt) - (a.createdAt ?? a.startedAt) || containerName(a).localeCompare(containerName(b)));
  const row = (s: SimService) => {
    const r = composeRow(sh, s);
    return {
      Command: r.Command,
      CreatedAt: r.CreatedAt,
      ID: String(r.ID).slice(0, 12),
      Image: r.Image,
      Labels: r.Labels,
      LocalVolumes: r.LocalVolumes,
      Mounts: r.Mounts,
      Names: r.Names,
      Networks: r.Networks,
      Ports: r.Ports,
      RunningFor: r.RunningFor,
      Size: r.Size,
      State: r.State,
      Status: r.Status,
    };
  };
  if (quiet) return ok(list.map((s) => `${containerId(sh.node, s).slice(0, 12)}\n`).join(''));
  if (format === 'json' || format === '{{json .}}') return ok(list.map((s) => `${JSON.stringify(row(s))}\n`).join(''));
  if (format.includes('{{')) return ok(list.map((s) => `${goTemplate(format, row(s))}\n`).join(''));
  return ok(
    table(
      ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'],
      list.map((s) => {
        const r = row(s);
        return [String(r.ID), String(r.Image), String(r.Command), String(r.RunningFor), String(r.Status), '', String(r.Names)];
      }),
    ),
  );
}
