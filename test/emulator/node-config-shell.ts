/**
 * The file tools the configuration scripts use, as GNU coreutils / findutils on Ubuntu 24.04 behave (their man
 * pages; gzip as GNU gzip(1): -c to stdout, -n without name and time, which the emulator always writes): find (-type f, -printf %s %p %P, -exec CMD {} +), stat -c (%s %a %U %G %n), sha256sum, base64 (-w0,
 * -d), cp (-p keeps mode and owner), mv (-f; a rename keeps the file's mode and owner), rm -f, mkdir -p,
 * chmod (octal, --reference), chown (user:group, --reference). Files live in `node.files`; mode and owner in
 * node-config.ts. Bytes that travel through a pipe after `head -c` / `tail -c` / `base64 -d` are latin1 strings.
 */
import { gzipSync } from 'node:zlib';
import type { SimNode } from './world';
import { addDir, dropMeta, fileBytes, fileMeta, sha256, storeBytes } from './node-config';

export const CONFIG_TOOLS = new Set(['find', 'stat', 'sha256sum', 'base64', 'gzip', 'cp', 'mv', 'rm', 'mkdir', 'chmod', 'chown']);

export interface FsView {
  node: SimNode;
  cwd: string;
  t: number;
  read(path: string): string | undefined;
  exists(path: string): boolean;
  resolve(path: string): string;
  dirs(): string[];
}

interface Out {
  out: string;
  err: string;
  code: number;
}
const ok = (out = ''): Out => ({ out, err: '', code: 0 });
const fail = (err: string, code = 1): Out => ({ out: '', err: err.endsWith('\n') ? err : `${err}\n`, code });

/** The bytes a pipe carries: latin1 when every character fits in a byte (head -c output), else UTF-8 text. */
export function pipeBytes(text: string): Buffer {
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u00ff]*$/.test(text) ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
}

function bytesOf(fs: FsView, abs: string): Buffer | undefined {
  const text = fs.read(abs);
  return text === undefined ? undefined : fileBytes(fs.node, abs, text);
}

function allFiles(fs: FsView): string[] {
  return Object.keys(fs.node.files ?? {}).filter((p) => fs.exists(p));
}

export function configTool(fs: FsView, name: string, args: string[], stdin: string | undefined): Out {
  switch (name) {
    case 'find':
      return find(fs, args);
    case 'stat':
      return stat(fs, args);
    case 'sha256sum': {
      const files = args.filter((a) => !a.startsWith('-'));
      if (!files.length) return ok(`${sha256(pipeBytes(stdin ?? ''))}  -\n`);
      let out = '';
      let err = '';
      for (const f of files) {
        const b = bytesOf(fs, fs.resolve(f));
        if (!b) err += `sha256sum: ${f}: No such file or directory\n`;
        else out += `${sha256(b)}  ${f}\n`;
      }
      return { out, err, code: err ? 1 : 0 };
    }
    case 'base64': {
      const decode = args.includes('-d') || args.includes('--decode');
      const wrap = args.includes('-w0') || args.includes('--wrap=0') ? 0 : 76;
      const file = args.find((a) => !a.startsWith('-'));
      let input: Buffer;
      if (file) {
        const b = bytesOf(fs, fs.resolve(file));
        if (!b) return fail(`base64: ${file}: No such file or directory`);
        input = b;
      } else input = pipeBytes(stdin ?? '');
      if (decode) {
        const text = input.toString('latin1').replace(/\s+/g, '');
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return fail('base64: invalid input');
        return ok(Buffer.from(text, 'base64').toString('latin1'));
      }
      const enc = input.toString('base64');
      return ok(wrap ? `${enc.replace(/(.{76})/g, '$1\n').replace(/\n$/, '')}\n` : enc);
    }
    case 'gzip': {
      // gzip(1): -c to stdout (the only form the scripts use), -n without name and time stamp (so the bytes depend on
      // the content only); from a file or stdin. Bytes travel through the pipe as latin1, as after base64 -d.
      if (!args.includes('-c') && !args.includes('--stdout')) return fail('gzip: only -c (to stdout) is simulated');
      const file = args.find((a) => !a.startsWith('-'));
      let input: Buffer;
      if (file) {
        const b = bytesOf(fs, fs.resolve(file));
        if (!b) return fail(`gzip: ${file}: No such file or directory`);
        input = b;
      } else input = pipeBytes(stdin ?? '');
      return ok(gzipSync(input).toString('latin1'));
    }
    case 'mkdir': {
      const dirs = args.filter((a) => !a.startsWith('-'));
      const parents = args.some((a) => /^-[a-z]*p/.test(a));
      for (const d of dirs) {
        const abs = fs.resolve(d);
        const parent = abs.slice(0, abs.lastIndexOf('/')) || '/';
        if (!parents && !fs.dirs().includes(parent)) return fail(`mkdir: cannot create directory '${d}': No such file or directory`);
        addDir(fs.node, abs);
      }
      return ok();
    }
    case 'rm': {
      for (const f of args.filter((a) => !a.startsWith('-'))) {
        const abs = fs.resolve(f);
        if (fs.node.files && abs in fs.node.files) {
          delete fs.node.files[abs];
          dropMeta(fs.node, abs);
        } else if (!args.some((a) => /^-[a-z]*f/.test(a))) return fail(`rm: cannot remove '${f}': No such file or directory`);
      }
      return ok();
    }
    case 'cp':
    case 'mv': {
      const ops = args.filter((a) => !a.startsWith('-'));
      if (ops.length !== 2) return fail(`${name}: missing destination file operand`);
      const [src, dst] = ops.map((p) => fs.resolve(p));
      const b = bytesOf(fs, src);
      if (!b) return fail(`${name}: cannot stat '${ops[0]}': No such file or directory`);
      const dir = dst.slice(0, dst.lastIndexOf('/')) || '/';
      if (!fs.dirs().includes(dir)) return fail(`${name}: cannot create regular file '${ops[1]}': No such file or directory`);
      const keep = name === 'mv' || args.some((a) => /^-[a-z]*p/.test(a) || a === '--preserve');
      const meta = { ...fileMeta(fs.node, src) };
      storeBytes(fs.node, dst, b);
      if (keep) Object.assign(fileMeta(fs.node, dst), { mode: meta.mode, owner: meta.owner });
      if (name === 'mv') {
        delete fs.node.files?.[src];
        dropMeta(fs.node, src);
      }
      return ok();
    }
    case 'chmod':
    case 'chown': {
      const ref = args.find((a) => a.startsWith('--reference='));
      const ops = args.filter((a) => !a.startsWith('-'));
      const value = ref ? undefined : ops.shift();
      for (const f of ops) {
        const abs = fs.resolve(f);
        if (!fs.exists(abs)) return fail(`${name}: cannot access '${f}': No such file or directory`);
        const m = fileMeta(fs.node, abs);
        if (ref) {
          const r = fs.resolve(ref.slice('--reference='.length));
          if (!fs.exists(r)) return fail(`${name}: failed to get attributes of '${ref.slice(12)}': No such file or directory`);
          const rm = fileMeta(fs.node, r);
          if (name === 'chmod') m.mode = rm.mode;
          else m.owner = rm.owner;
        } else if (name === 'chmod') {
          if (!/^[0-7]{3,4}$/.test(value ?? '')) return fail(`chmod: invalid mode: '${value}'`);
          m.mode = (value as string).replace(/^0(?=\d{3}$)/, '');
        } else m.owner = (value as string).includes(':') ? (value as string) : `${value}:${m.owner.split(':')[1]}`;
      }
      return ok();
    }
    default:
      return fail(`${name}: not simulated`, 127);
  }
}

function stat(fs: FsView, args: string[]): Out {
  let format = '';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c' || args[i] === '--format') format = args[++i] ?? '';
    else if (args[i].startsWith('--format=')) format = args[i].slice(9);
    else if (!args[i].startsWith('-')) files.push(args[i]);
  }
  let out = '';
  for (const f of files) {
    const abs = fs.resolve(f);
    const b = bytesOf(fs, abs);
    if (!b) return fail(`stat: cannot statx '${f}': No such file or directory`);
    const m = fileMeta(fs.node, abs);
    const [user, group] = m.owner.split(':');
    out += `${(format || '%n %s').replace(/%([saUGn%])/g, (_x, c: string) => (c === 's' ? String(b.length) : c === 'a' ? m.mode : c === 'U' ? user : c === 'G' ? group : c === 'n' ? f : '%'))}\n`;
  }
  return ok(out);
}

function find(fs: FsView, args: string[]): Out {
  const starts: string[] = [];
  let i = 0;
  for (; i < args.length && !args[i].startsWith('-'); i++) starts.push(args[i]);
  let type: string | undefined;
  let printf: string | undefined;
  let exec: string[] | undefined;
  for (; i < args.length; i++) {
    if (args[i] === '-type') type = args[++i];
    else if (args[i] === '-printf') printf = args[++i];
    else if (args[i] === '-exec') {
      const end = args.findIndex((a, k) => k > i && (a === '+' || a === ';'));
      exec = args.slice(i + 1, end < 0 ? args.length : end);
      i = end < 0 ? args.length : end;
    }
  }
  if (type && type !== 'f') return fail(`find: the simulator lists regular files only (-type f)`);
  let out = '';
  let err = '';
  const found: string[] = [];
  for (const st of starts.length ? starts : ['.']) {
    const abs = fs.resolve(st);
    if (!fs.dirs().includes(abs)) {
      err += `find: '${st}': No such file or directory\n`;
      continue;
    }
    const under = allFiles(fs)
      .filter((p) => p.startsWith(abs === '/' ? '/' : `${abs}/`))
      .sort();
    for (const p of under) {
      const rel = p.slice(abs === '/' ? 1 : abs.length + 1);
      const shown = st === '.' ? `./${rel}` : `${st.replace(/\/$/, '')}/${rel}`;
      found.push(shown);
      if (printf !== undefined) {
        const size = bytesOf(fs, p)?.length ?? 0;
        out += printf.replace(/\\t/g, '\t').replace(/\\n/g, '\n').replace(/%([spP%])/g, (_x, c: string) => (c === 's' ? String(size) : c === 'p' ? shown : c === 'P' ? rel : '%'));
      } else if (!exec) out += `${shown}\n`;
    }
  }
  if (exec && found.length) {
    if (exec[0] !== 'sha256sum') return fail(`find: the simulator runs only '-exec sha256sum {} +'`);
    const r = configTool(fs, 'sha256sum', found, undefined);
    out += r.out;
    err += r.err;
  }
  return { out, err, code: err ? 1 : 0 };
}
