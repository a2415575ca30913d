/**
 * Reads profile names and regions from the AWS shared config files (`~/.aws/config`, `~/.aws/credentials`,
 * or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE). Only what the extension needs: the SDK resolves the
 * credentials themselves.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type IniSections = Record<string, Record<string, string>>;

/** Minimal INI parse: `[section]`, `key = value`, `#`/`;` comments; nested (indented) values are skipped. */
export function parseIni(text: string): IniSections {
  const out: IniSections = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\uFEFF/, '');
    if (/^\s*[#;]/.test(line) || !line.trim()) continue;
    const section = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (section) {
      current = out[section[1].trim()] ??= {};
      continue;
    }
    if (/^\s/.test(line) || !current) continue;
    const eq = line.indexOf('=');
    if (eq > 0) current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

export interface SharedConfig {
  /** profile name → settings (config file `[profile x]` and credentials file `[x]` merged) */
  profiles: Record<string, Record<string, string>>;
}

export async function loadSharedConfig(env: NodeJS.ProcessEnv = process.env): Promise<SharedConfig> {
  const home = env.HOME || homedir();
  const configPath = env.AWS_CONFIG_FILE || join(home, '.aws', 'config');
  const credentialsPath = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials');
  const [config, credentials] = await Promise.all([readIni(configPath), readIni(credentialsPath)]);
  const profiles: SharedConfig['profiles'] = {};
  for (const [name, values] of Object.entries(credentials)) profiles[name] = { ...values };
  for (const [section, values] of Object.entries(config)) {
    const name = section === 'default' ? 'default' : /^profile\s+(.+)$/.exec(section)?.[1]?.trim();
    if (name) profiles[name] = { ...(profiles[name] ?? {}), ...values };
  }
  return { profiles };
}

async function readIni(path: string): Promise<IniSections> {
  try {
    return parseIni(await readFile(path, 'utf8'));
  } catch {
    return {};
  }
}
