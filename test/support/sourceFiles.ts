import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every .ts file below `dir` (absolute paths), for tests that read the sources. */
export function tsFilesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
}
