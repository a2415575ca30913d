/**
 * Is a file at risk of being committed? `git ls-files --error-unmatch` (tracked) and `git check-ignore -q`
 * (ignored), run in the file's folder with a timeout. No git, or not a repository: nothing to warn about.
 */
import { execFile } from 'node:child_process';
import { basename, dirname, relative, join } from 'node:path';
import { promises as fs } from 'node:fs';

export interface GitFileState {
  inRepo: boolean;
  tracked: boolean;
  ignored: boolean;
  repoRoot?: string;
}

function git(args: string[], cwd: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5000, windowsHide: true }, (error, stdout) => {
      if (!error) return resolve({ code: 0, stdout: String(stdout) });
      const code = typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : -1;
      resolve({ code, stdout: String(stdout ?? '') });
    });
  });
}

async function existingDir(p: string): Promise<string | undefined> {
  for (let d = p; ; d = dirname(d)) {
    try {
      if ((await fs.stat(d)).isDirectory()) return d;
    } catch {
      // keep going up
    }
    if (dirname(d) === d) return undefined;
  }
}

export async function gitFileState(filePath: string): Promise<GitFileState> {
  const cwd = await existingDir(dirname(filePath));
  if (!cwd) return { inRepo: false, tracked: false, ignored: false };
  const root = await git(['rev-parse', '--show-toplevel'], cwd);
  if (root.code !== 0) return { inRepo: false, tracked: false, ignored: false };
  const repoRoot = root.stdout.trim();
  const rel = relative(cwd, filePath) || basename(filePath);
  const [tracked, ignored] = await Promise.all([git(['ls-files', '--error-unmatch', '--', rel], cwd), git(['check-ignore', '-q', '--', rel], cwd)]);
  return { inRepo: true, tracked: tracked.code === 0, ignored: ignored.code === 0, repoRoot };
}

/**
 * Adds the file to the .gitignore at the repository root (created if missing), as an anchored path, keeping
 * the file's line endings. Returns the .gitignore path.
 */
export async function addToGitignore(repoRoot: string, filePath: string): Promise<string> {
  const gitignore = join(repoRoot, '.gitignore');
  const rel = relative(repoRoot, filePath).split('\\').join('/');
  const pattern = `/${rel.replace(/([*?[\]!#\\])/g, '\\$1').replace(/^ /, '\\ ')}`;
  let text = '';
  try {
    text = await fs.readFile(gitignore, 'utf8');
  } catch {
    // new file
  }
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines.includes(pattern)) return gitignore;
  const prefix = text && !text.endsWith('\n') ? eol : '';
  await fs.writeFile(gitignore, `${text}${prefix}${pattern}${eol}`);
  return gitignore;
}
