/**
 * The `yaml` library, evaluated on first use. The parsers that need it (templates, configuration checks) are
 * synchronous and reachable from modules evaluated at activation, so a dynamic import would not do; a require
 * inside a function is bundled by esbuild as a lazily initialised module, which keeps yaml's ~115 kB out of the
 * activation path (bench/activation.bench.ts).
 */
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

export function yamlLib(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy and synchronous on purpose (see above)
  return (lib ??= require('yaml') as typeof Yaml);
}
