/**
 * The shell scripts that read and write OpenVidu configuration files on a master node over SSM, and the parsers of
 * their output. Every path comes from `checkConfigPath` (configLayout.ts) and is single-quoted; file content
 * travels as base64 (only [A-Za-z0-9+/=], single-quoted), so nothing the user typed is ever interpreted by the shell.
 *
 * Limits these scripts are sized for (see docs/emulator.md "## Node configuration"):
 * - GetCommandInvocation returns at most 24,000 characters of stdout: a read returns one compressed page (up to
 *   GZ_PAGE_BYTES of the file through gzip, which configuration text fits several times over) or, when that does not
 *   fit, one plain page of READ_PAGE_BYTES (base64: 4/3 of it, 21,848 characters), plus a short header.
 * - SendCommand refuses Parameters over 64 KB (MaxDocumentSizeExceeded, "The size limit of a document is 64 KB", in
 *   SendCommand's errors in the SSM API reference and the SDK's SendCommandCommand): a write sends at most
 *   WRITE_CHUNK_CHARS of base64 per command, and `parametersBytes` checks every script before it is sent.
 * Pure: no vscode, no AWS.
 */
import { gunzipSync } from 'node:zlib';
import { BACKUP_ROOT, checkConfigPath, CONFIG_ROOT, ConfigPathError, NODES_ERRORS_LOG } from './configLayout';

export const READ_PAGE_BYTES = 16 * 1024;
/**
 * A compressed page: up to 64 KiB of the file through `gzip -c -n` then base64. Configuration text compresses several
 * times over, so a file of a few tens of KB comes back in one script; when the compressed page does not fit the
 * 24,000 characters (incompressible content) the reader falls back to plain pages of READ_PAGE_BYTES.
 */
export const GZ_PAGE_BYTES = 64 * 1024;
/** SendCommand's limit on its Parameters (MaxDocumentSizeExceeded: "The size limit of a document is 64 KB"). */
export const SEND_COMMAND_PARAMETERS_LIMIT = 64 * 1024;
/**
 * Room left around a chunk for the rest of the commit script and the executionTimeout parameter: the script without
 * its chunk is under 2 KB for the layout's paths and under 7 KB for the longest path checkConfigPath accepts (6
 * segments of 128 characters, named 6 times); the unit test measures both.
 */
export const COMMIT_SCRIPT_ROOM = 8 * 1024;
/** base64 characters per write command: as many as fit under the limit (a multiple of 4, so each chunk decodes alone) */
export const WRITE_CHUNK_CHARS = Math.floor((SEND_COMMAND_PARAMETERS_LIMIT - COMMIT_SCRIPT_ROOM) / 4) * 4;

/** Bytes of SendCommand's Parameters for this script (as runShellScript sends it: commands + executionTimeout). */
export function parametersBytes(commands: string[], executionTimeoutSeconds = 60): number {
  return Buffer.byteLength(JSON.stringify({ commands, executionTimeout: [String(executionTimeoutSeconds)] }), 'utf8');
}
/** exit codes the scripts use to say why they stopped */
export const EXIT_MISSING = 44;
export const EXIT_CONFLICT = 42;
export const EXIT_CORRUPT = 43;

const HEX64 = /^[0-9a-f]{64}$/;
const ID = /^[a-z0-9]{8,32}$/;
const STAMP = /^\d{8}T\d{6}Z$/;
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

function q(s: string): string {
  // every caller passes validated text without quotes; this is the belt to those braces
  if (s.includes("'")) throw new ConfigPathError('a quote reached a remote command');
  return `'${s}'`;
}

export function absolutePath(rel: string): string {
  return `${CONFIG_ROOT}/${checkConfigPath(rel)}`;
}

/** `<size>\t<path relative to the config root>` for every regular file under the config tree. */
export function listScript(): string[] {
  return ['set -e', `cd ${q(CONFIG_ROOT)}`, "find . -type f -printf '%s\\t%P\\n'"];
}

/** Header (size, mode, owner, sha256) and one base64 page of a file (gzip-compressed when `gz`). */
export function readPageScript(rel: string, offset: number, length = READ_PAGE_BYTES, gz = false): string[] {
  const max = gz ? GZ_PAGE_BYTES : READ_PAGE_BYTES;
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(length) || length <= 0 || length > max) throw new RangeError('bad page');
  const f = absolutePath(rel);
  return [
    'set -e',
    'set -o pipefail',
    `f=${q(f)}`,
    `test -f "$f" || exit ${EXIT_MISSING}`,
    "stat -c '%s %a %U:%G' \"$f\"",
    'sha256sum "$f"',
    `tail -c +${offset + 1} "$f" | head -c ${length}${gz ? ' | gzip -c -n' : ''} | base64 -w0`,
  ];
}

/** Only the header (size, mode, owner, sha256): whether a file changed, without reading it. */
export function headScript(rel: string): string[] {
  return readPageScript(rel, 0).slice(0, -1);
}

export interface PageHeader {
  size: number;
  mode: string;
  owner: string;
  sha256: string;
}

export function parsePage(stdout: string, gz = false): { header: PageHeader; data: Buffer } {
  const lines = stdout.split('\n');
  const st = /^(\d+) ([0-7]{3,4}) (\S+)$/.exec(lines[0]?.trim() ?? '');
  const sum = /^([0-9a-f]{64})\s/.exec(lines[1] ?? '');
  const b64 = (lines[2] ?? '').trim(); // absent after headScript: no data
  if (!st || !sum || !B64.test(b64)) throw new Error('The node answered in an unexpected form (stat / sha256sum / base64 output not found).');
  const raw = Buffer.from(b64, 'base64');
  // a cut or damaged compressed page throws here: the reader then reads that part as plain pages
  return { header: { size: Number(st[1]), mode: st[2], owner: st[3], sha256: sum[1] }, data: gz && b64 ? gunzipSync(raw) : raw };
}

/** Uploads part `index` of the base64 content to a temporary file in /var/tmp (first part truncates it). */
export function uploadChunkScript(id: string, index: number, chunk: string): string[] {
  if (!ID.test(id) || !B64.test(chunk.replace(/=+$/, '')) || chunk.length > WRITE_CHUNK_CHARS) throw new ConfigPathError('bad upload chunk');
  return ['set -e', `printf '%s' ${q(chunk)} ${index === 0 ? '>' : '>>'} ${q(uploadPath(id))}`];
}

export function uploadPath(id: string): string {
  if (!ID.test(id)) throw new ConfigPathError('bad upload id');
  return `/var/tmp/ovha-${id}.b64`;
}

export function backupPath(rel: string, stamp: string): string {
  if (!STAMP.test(stamp)) throw new ConfigPathError('bad backup stamp');
  return `${BACKUP_ROOT}/${checkConfigPath(rel)}.${stamp}`;
}

/** `20261201T040703Z` */
export function backupStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export interface CommitRequest {
  rel: string;
  id: string;
  /** sha256 of the file as the user opened it: the write happens only if the node still has it */
  baseSha256: string;
  /** sha256 of the new content (checked after decoding on the node) */
  newSha256: string;
  stamp: string;
  /** the content itself when it fits in this command (single-chunk writes) */
  inlineChunk?: string;
}

/**
 * Writes the uploaded content over the file atomically: decode into a temporary file in the same directory, check its
 * hash, give it the file's owner and mode, keep the old file as a backup, then rename over it. Before the rename
 * nothing of the live file has changed; the rename itself is atomic (rename(2) on one file system). Prints the
 * backup path and the line count of nodes_errors.log (so the checks after the restart read only new lines).
 */
export function commitScript(r: CommitRequest): string[] {
  if (!HEX64.test(r.baseSha256) || !HEX64.test(r.newSha256)) throw new ConfigPathError('bad hash');
  const f = absolutePath(r.rel);
  const up = uploadPath(r.id);
  const bk = backupPath(r.rel, r.stamp);
  return [
    'set -e',
    'set -o pipefail',
    ...(r.inlineChunk !== undefined ? uploadChunkScript(r.id, 0, r.inlineChunk).slice(1) : []),
    `f=${q(f)}`,
    `u=${q(up)}`,
    `t=${q(`${f}.ovha-${r.id}.tmp`)}`,
    `test -f "$f" || exit ${EXIT_MISSING}`,
    'cur=$(sha256sum "$f" | cut -d " " -f 1)',
    `test "$cur" = ${q(r.baseSha256)} || exit ${EXIT_CONFLICT}`,
    'base64 -d "$u" > "$t"',
    'new=$(sha256sum "$t" | cut -d " " -f 1)',
    `test "$new" = ${q(r.newSha256)} || exit ${EXIT_CORRUPT}`,
    'chown --reference="$f" "$t"',
    'chmod --reference="$f" "$t"',
    `mkdir -p ${q(bk.slice(0, bk.lastIndexOf('/')))}`,
    `cp -p "$f" ${q(bk)}`,
    'mv -f "$t" "$f"',
    'rm -f "$u"',
    `echo "backup=${bk}"`,
    `echo "errlines=$(cat ${q(NODES_ERRORS_LOG)} 2>/dev/null | wc -l)"`,
  ];
}

/** Puts a backup back (atomically, keeping the current file as another backup), then prints the restored hash. */
export function restoreScript(rel: string, backup: string, stamp: string): string[] {
  const f = absolutePath(rel);
  const m = new RegExp(`^${BACKUP_ROOT.replace(/[/.]/g, '\\$&')}/(.+)\\.(\\d{8}T\\d{6}Z)$`).exec(backup);
  if (!m || checkConfigPath(m[1]) !== checkConfigPath(rel)) throw new ConfigPathError(`"${backup.slice(0, 120)}" is not a backup of ${rel}.`);
  const keep = backupPath(rel, stamp);
  return [
    'set -e',
    'set -o pipefail',
    `f=${q(f)}`,
    `b=${q(backup)}`,
    `t=${q(`${f}.ovha-restore.tmp`)}`,
    `test -f "$b" || exit ${EXIT_MISSING}`,
    'cp -p "$b" "$t"',
    'chown --reference="$f" "$t"',
    'chmod --reference="$f" "$t"',
    `cp -p "$f" ${q(keep)}`,
    'mv -f "$t" "$f"',
    'sha256sum "$f"',
    `echo "errlines=$(cat ${q(NODES_ERRORS_LOG)} 2>/dev/null | wc -l)"`,
  ];
}

export function parseCommitOutput(stdout: string): { backup?: string; errLines: number } {
  const backup = /^backup=(\S+)$/m.exec(stdout)?.[1];
  const n = /^errlines=\s*(\d+)/m.exec(stdout)?.[1];
  return { backup, errLines: n ? Number(n) : 0 };
}

/** sha256 of every cluster file (for drift between masters). */
export function hashesScript(): string[] {
  return ['set -e', `cd ${q(CONFIG_ROOT)}`, 'find cluster -type f -exec sha256sum {} +'];
}

export function parseHashes(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(\S.*)$/.exec(line.trim());
    if (m) out.set(m[2].replace(/^\.\//, ''), m[1]);
  }
  return out;
}

const SECTION = '----- ovha:';

/**
 * The documented checks after a restart (changing-config.md "Troubleshooting configuration"): the containers
 * (an `openvidu-init` that keeps restarting = a syntax error; other restarting containers), the last lines of
 * `docker logs openvidu-init`, and the lines nodes_errors.log got since the save.
 */
export function checksScript(errLinesBefore: number, waitSeconds = 20): string[] {
  if (!Number.isInteger(errLinesBefore) || errLinesBefore < 0 || !Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > 300) throw new RangeError('bad check arguments');
  return [
    `sleep ${waitSeconds}`,
    `echo '${SECTION}active'`,
    'systemctl is-active openvidu || true',
    `echo '${SECTION}containers'`,
    "docker ps -a --format '{{.Names}}|{{.State}}|{{.Status}}' || true",
    `echo '${SECTION}init'`,
    'docker logs --tail 40 openvidu-init 2>&1 || true',
    `echo '${SECTION}nodes_errors'`,
    `tail -n +${errLinesBefore + 1} ${q(NODES_ERRORS_LOG)} 2>/dev/null | tail -n 60 || true`,
    `echo '${SECTION}end'`,
  ];
}

/** Logs of containers found restarting (other than openvidu-init). */
export function containerLogsScript(names: string[]): string[] {
  const ok = names.filter((n) => /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(n)).slice(0, 5);
  return ok.flatMap((n) => [`echo '${SECTION}logs ${n}'`, `docker logs --tail 15 ${q(n)} 2>&1 || true`]);
}

export function splitSections(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let buf: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith(SECTION)) {
      if (name) out.set(name, buf.join('\n'));
      name = line.slice(SECTION.length).trim();
      buf = [];
    } else if (name) buf.push(line);
  }
  if (name && name !== 'end') out.set(name, buf.join('\n'));
  out.delete('end');
  return out;
}
