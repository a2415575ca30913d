/**
 * The configuration files of one master node, over SSM Run Command (src/aws/ssmCommands.ts): list, read in pages,
 * write atomically with a backup, restore, restart, and the documented checks. No vscode import: the file system
 * provider and the commands call it, tests drive it directly.
 *
 * SSM calls per step (each runShellScript = 1 SendCommand + ListCommandInvocations polls, + 1 GetCommandInvocation
 * when the inline output may have been cut at 2,500 bytes): list 1 script; read ceil(size / 64 KiB) scripts for text
 * that compresses (configuration files do), else ceil(size / 16 KiB) plain pages after one try;
 * write ceil(base64 / WRITE_CHUNK_CHARS) scripts (57,344 characters: one script for files up to 42 KB, each under
 * SendCommand's 64 KB); restart 1; checks 1 (+1 for restarting containers' logs).
 */
import { createHash, randomBytes } from 'node:crypto';
import { CommandCancelledError, runShellScript, type NodeCommandResult } from '../../aws/ssmCommands';
import type { AwsSession } from '../../aws/session';
import { MAX_EDITABLE_BYTES, parseListing, type ConfigFileEntry } from '../../openvidu/configLayout';
import {
  backupStamp,
  checksScript,
  commitScript,
  containerLogsScript,
  EXIT_CONFLICT,
  EXIT_CORRUPT,
  EXIT_MISSING,
  GZ_PAGE_BYTES,
  hashesScript,
  headScript,
  listScript,
  parseCommitOutput,
  parseHashes,
  parametersBytes,
  parsePage,
  readPageScript,
  READ_PAGE_BYTES,
  restoreScript,
  SEND_COMMAND_PARAMETERS_LIMIT,
  uploadChunkScript,
  WRITE_CHUNK_CHARS,
} from '../../openvidu/configCommands';
import { addContainerLogs, interpretChecks, type ApplyReport } from '../../openvidu/configReport';
import { restartScript } from '../../openvidu/nodeCommands';
import { BACKUP_ROOT } from '../../openvidu/configLayout';

const UNREACHABLE = new Set(['InvalidInstanceId', 'TimeoutError']);

export interface RemoteFile {
  rel: string;
  bytes: Buffer;
  text: string;
  sha256: string;
  size: number;
  mode: string;
  owner: string;
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly reason: 'missing' | 'too-large' | 'binary' | 'conflict' | 'unreachable' | 'failed' | 'corrupt' | 'changed-while-reading',
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** UTF-8 text without NUL bytes (what an editor tab can show and write back unchanged). */
export function asText(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}

export interface MasterRef {
  instanceId: string;
  /** "Master 2 (i-0abc…)" */
  label: string;
}

export class RemoteConfig {
  constructor(
    private readonly session: AwsSession,
    readonly master: MasterRef,
  ) {}

  private async run(commands: string[], comment: string, opts: { signal?: AbortSignal; executionTimeoutSeconds?: number; output?: 'full' } = {}): Promise<NodeCommandResult> {
    let r: NodeCommandResult | undefined;
    try {
      r = (
        await runShellScript(this.session, [this.master.instanceId], commands, {
          comment: `OpenVidu HA: ${comment}`,
          timeoutSeconds: 60,
          executionTimeoutSeconds: opts.executionTimeoutSeconds ?? 60,
          signal: opts.signal,
          // the schedule learns each step's time by its first word (read, write, check…), not by file name
          kind: `configuration ${comment.split(' ')[0]}`,
          output: opts.output,
        })
      ).get(this.master.instanceId);
    } catch (e) {
      // SendCommand refuses a node that is not a reachable managed node with InvalidInstanceId (API reference:
      // "SSM Agent isn't running… isn't registered… The managed node isn't in a valid state")
      if (UNREACHABLE.has((e as Error).name) || /ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(String((e as { code?: string }).code ?? ''))) {
        throw new ConfigError(`${this.master.label} could not be reached over SSM (${(e as Error).name}).`, 'unreachable');
      }
      throw e;
    }
    if (!r) throw new ConfigError(`${this.master.label} did not answer.`, 'unreachable');
    if (['Undeliverable', 'DeliveryTimedOut', 'Terminated', 'InvalidPlatform', 'AccessDenied'].includes(r.status)) {
      throw new ConfigError(`${this.master.label} could not be reached over SSM (the command was ${r.status}).`, 'unreachable');
    }
    return r;
  }

  async list(signal?: AbortSignal): Promise<ConfigFileEntry[]> {
    const r = await this.run(listScript(), 'list configuration files', { signal });
    if (r.status !== 'Success') throw new ConfigError(`Listing /opt/openvidu/config on ${this.master.label} failed (${r.status}): ${lastLine(r.stderr)}`, 'failed');
    return parseListing(r.stdout);
  }

  /** Size, mode, owner and sha256 of a file (one script, no content). */
  async head(rel: string, signal?: AbortSignal): Promise<ReturnType<typeof parsePage>['header']> {
    // "read …": polled as the reads it resembles (the post-restart checks, "check …", sleep 20 s first)
    const r = await this.run(headScript(rel), `read the header of ${rel}`, { signal });
    if (r.responseCode === EXIT_MISSING) throw new ConfigError(`${rel} does not exist on ${this.master.label}.`, 'missing');
    if (r.status !== 'Success') throw new ConfigError(`Reading ${rel} on ${this.master.label} failed (${r.status}): ${lastLine(r.stderr)}`, 'failed');
    return parsePage(r.stdout).header;
  }

  /**
   * Reads a file in compressed pages of up to 64 KiB (one script for a configuration file of a few tens of KB); a page
   * whose compressed form does not fit SSM's 24,000 characters is read again as plain pages of 16 KiB.
   */
  async read(rel: string, signal?: AbortSignal): Promise<RemoteFile> {
    const pages: Buffer[] = [];
    let header: ReturnType<typeof parsePage>['header'] | undefined;
    let gz = true;
    for (let offset = 0; ; ) {
      const length = gz ? GZ_PAGE_BYTES : READ_PAGE_BYTES;
      const r = await this.run(readPageScript(rel, offset, length, gz), `read ${rel}`, { signal, output: 'full' });
      if (r.responseCode === EXIT_MISSING) throw new ConfigError(`${rel} does not exist on ${this.master.label}.`, 'missing');
      if (r.status !== 'Success') throw new ConfigError(`Reading ${rel} on ${this.master.label} failed (${r.status}): ${lastLine(r.stderr)}`, 'failed');
      let page: ReturnType<typeof parsePage>;
      try {
        if (gz && r.truncated) throw new Error('cut');
        page = parsePage(r.stdout, gz);
      } catch (e) {
        if (!gz) throw e;
        gz = false; // incompressible content: plain pages from here
        continue;
      }
      if (header && page.header.sha256 !== header.sha256) throw new ConfigError(`${rel} changed on ${this.master.label} while it was being read: open it again.`, 'changed-while-reading');
      header = page.header;
      if (header.size > MAX_EDITABLE_BYTES) {
        throw new ConfigError(`${rel} is ${header.size} bytes: files over ${MAX_EDITABLE_BYTES / 1024} KB are not opened in the editor (a configuration file is a few KB).`, 'too-large');
      }
      pages.push(page.data);
      offset += page.data.length;
      if (offset >= header.size || page.data.length < length) break;
    }
    const bytes = Buffer.concat(pages);
    const h = header as NonNullable<typeof header>;
    if (sha256(bytes) !== h.sha256) throw new ConfigError(`${rel} changed on ${this.master.label} while it was being read: open it again.`, 'changed-while-reading');
    const text = asText(bytes);
    if (text === undefined) throw new ConfigError(`${rel} is not UTF-8 text (it has NUL bytes or invalid UTF-8): binary files are not opened in the editor.`, 'binary');
    return { rel, bytes, text, sha256: h.sha256, size: h.size, mode: h.mode, owner: h.owner };
  }

  /**
   * Writes `content` over `rel` if the node still has the version `baseSha256`: uploads in chunks to /var/tmp, then
   * one script decodes, checks, keeps owner and mode, backs up and renames. Returns the backup path.
   */
  async write(rel: string, content: Buffer, baseSha256: string, signal?: AbortSignal): Promise<{ backup: string; errLines: number }> {
    if (content.length > MAX_EDITABLE_BYTES) {
      throw new ConfigError(`${rel} would be ${content.length} bytes: files over ${MAX_EDITABLE_BYTES / 1024} KB are not written from the editor. Nothing was sent to ${this.master.label}.`, 'too-large');
    }
    const b64 = content.toString('base64');
    const id = randomBytes(6).toString('hex');
    const chunks: string[] = [];
    for (let i = 0; i < b64.length; i += WRITE_CHUNK_CHARS) chunks.push(b64.slice(i, i + WRITE_CHUNK_CHARS));
    if (!chunks.length) chunks.push('');
    const nothing = `nothing was changed on the node (${rel} was not replaced)`;
    // every script is built, and measured against SendCommand's 64 KB, before the first one is sent
    const uploads = chunks.slice(0, -1).map((c, i) => uploadChunkScript(id, i, c));
    const last = chunks[chunks.length - 1];
    const script = commitScript({ rel, id, baseSha256, newSha256: sha256(content), stamp: backupStamp(new Date()), inlineChunk: chunks.length === 1 ? last : undefined });
    if (chunks.length > 1) script.splice(2, 0, ...uploadChunkScript(id, chunks.length - 1, last).slice(1));
    if ([...uploads, script].some((s) => parametersBytes(s) > SEND_COMMAND_PARAMETERS_LIMIT)) {
      throw new ConfigError(`Writing ${rel} would need a command over SSM's 64 KB limit: nothing was sent to ${this.master.label}.`, 'too-large');
    }
    try {
      for (const [i, upload] of uploads.entries()) {
        const r = await this.run(upload, `upload ${rel} (${i + 1}/${chunks.length})`, { signal });
        if (r.status !== 'Success') throw new ConfigError(`Uploading ${rel} to ${this.master.label} failed (${r.status}): ${nothing}.`, 'failed');
      }
    } catch (e) {
      if (e instanceof ConfigError && e.reason === 'unreachable') throw new ConfigError(`${e.message} ${cap(nothing)}.`, 'unreachable');
      throw e;
    }
    let r: NodeCommandResult;
    try {
      r = await this.run(script, `write ${rel}`, { signal });
    } catch (e) {
      if (e instanceof ConfigError && e.reason === 'unreachable') {
        throw new ConfigError(`${e.message} The last step (check, backup, rename) did not run: ${nothing}.`, 'unreachable');
      }
      if (e instanceof CommandCancelledError) throw e;
      throw new ConfigError(`Writing ${rel} on ${this.master.label} failed (${(e as Error).name}). The file is replaced only by the final rename, so it is either unchanged or wholly new: open it again to see which.`, 'failed');
    }
    if (r.responseCode === EXIT_CONFLICT) throw new ConfigError(`${rel} changed on ${this.master.label} since it was opened: ${nothing}.`, 'conflict');
    if (r.responseCode === EXIT_CORRUPT) throw new ConfigError(`The content reached ${this.master.label} damaged (hash mismatch): ${nothing}.`, 'corrupt');
    if (r.responseCode === EXIT_MISSING) throw new ConfigError(`${rel} no longer exists on ${this.master.label}: ${nothing}.`, 'missing');
    if (r.status !== 'Success') {
      // the rename is the last step before the clean-up: an error before it leaves the live file untouched
      throw new ConfigError(`Writing ${rel} on ${this.master.label} failed (${r.status}): ${lastLine(r.stderr)}. The file is replaced only by the final rename, so it is either unchanged or wholly new; open it again to see which.`, 'failed');
    }
    const out = parseCommitOutput(r.stdout);
    if (!out.backup) throw new ConfigError(`${this.master.label} did not confirm the write of ${rel}.`, 'failed');
    return { backup: out.backup, errLines: out.errLines };
  }

  async restore(rel: string, backup: string, signal?: AbortSignal): Promise<{ sha256: string; errLines: number; keptAs: string }> {
    const stamp = backupStamp(new Date());
    const r = await this.run(restoreScript(rel, backup, stamp), `restore ${rel}`, { signal });
    if (r.responseCode === EXIT_MISSING) throw new ConfigError(`The backup ${backup} no longer exists on ${this.master.label}.`, 'missing');
    if (r.status !== 'Success') throw new ConfigError(`Restoring ${rel} on ${this.master.label} failed (${r.status}): ${lastLine(r.stderr)}`, 'failed');
    const hash = /^([0-9a-f]{64})\s/m.exec(r.stdout)?.[1] ?? '';
    return { sha256: hash, errLines: parseCommitOutput(r.stdout).errLines, keptAs: `${BACKUP_ROOT}/${rel}.${stamp}` };
  }

  /** Backups of a file on this master, newest first. */
  async backups(rel: string, signal?: AbortSignal): Promise<string[]> {
    const r = await this.run(['set -e', `test -d '${BACKUP_ROOT}' || exit 0`, `cd '${BACKUP_ROOT}'`, "find . -type f -printf '%P\\n'"], 'list backups', { signal });
    if (r.status !== 'Success') return [];
    const re = new RegExp(`^${rel.replace(/[.+]/g, '\\$&')}\\.(\\d{8}T\\d{6}Z)$`);
    return r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => re.test(l))
      .sort()
      .reverse()
      .map((l) => `${BACKUP_ROOT}/${l}`);
  }

  /** `systemctl restart openvidu` on this master (OpenVidu's documented way to apply a change to all nodes). */
  async restart(signal?: AbortSignal): Promise<void> {
    const r = await this.run(restartScript(undefined), 'restart openvidu (configuration change)', { signal, executionTimeoutSeconds: 600 });
    if (r.status !== 'Success') throw new ConfigError(`systemctl restart openvidu on ${this.master.label} ended ${r.status}: ${lastLine(r.stderr)}`, 'failed');
  }

  async check(errLinesBefore: number, signal?: AbortSignal, waitSeconds = 20): Promise<ApplyReport> {
    const r = await this.run(checksScript(errLinesBefore, waitSeconds), 'check the configuration change', { signal, executionTimeoutSeconds: 120 });
    const report = interpretChecks(r.stdout);
    if (report.restarting.length) {
      const logs = await this.run(containerLogsScript(report.restarting), 'logs of restarting containers', { signal });
      addContainerLogs(report, logs.stdout);
    }
    return report;
  }
}

/** sha256 of every cluster file on each master (one SendCommand for all of them). */
export async function clusterHashes(session: AwsSession, instanceIds: string[], signal?: AbortSignal): Promise<Map<string, Map<string, string> | string>> {
  const results = await runShellScript(session, instanceIds, hashesScript(), { comment: 'OpenVidu HA: compare configuration', timeoutSeconds: 60, executionTimeoutSeconds: 60, signal });
  const out = new Map<string, Map<string, string> | string>();
  for (const id of instanceIds) {
    const r = results.get(id);
    if (!r) out.set(id, 'no answer');
    else if (r.status !== 'Success') out.set(id, `${r.status}: ${lastLine(r.stderr)}`);
    else if (r.truncated) out.set(id, 'the list of hashes was too long for SSM output');
    else out.set(id, parseHashes(r.stdout));
  }
  return out;
}

function lastLine(s: string): string {
  return s.trim().split('\n').filter((l) => !/^failed to run commands/.test(l)).pop()?.slice(0, 200) ?? '';
}
function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
