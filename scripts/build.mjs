// Bundles the extension host code (and the webviews) with esbuild.
// --production minifies and drops source maps; --watch rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// --outdir=<dir> writes elsewhere than dist/ (bench/activation times the production bundle beside the dev one).
const out = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) || 'dist';
// A production build starts from an empty output folder so no leftover dev files (source maps) get packaged.
if (production) rmSync(out, { recursive: true, force: true });

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

// The AWS SDK is a bundle of its own (dist/aws-sdk.js, from src/aws/sdkModules.ts). The extension's bundle reaches
// it only through the dynamic import in src/aws/sdk.ts, which this plugin turns into a require of ./aws-sdk.js at
// the first AWS call: activation then parses our own code only, not the SDK's megabytes (bench/activation).
const sdkBundle = {
  name: 'aws-sdk-bundle',
  setup(build) {
    build.onResolve({ filter: /^\.\/sdkModules$/ }, (args) => (args.importer.endsWith('sdk.ts') ? { path: './aws-sdk.js', external: true } : undefined));
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: `${out}/extension.js`,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // `vscode` is provided by the extension host at run time.
    external: ['vscode'],
    mainFields: ['module', 'main'],
    plugins: [sdkBundle],
    metafile: true,
  },
  {
    ...common,
    entryPoints: ['src/aws/sdkModules.ts'],
    outfile: `${out}/aws-sdk.js`,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    mainFields: ['module', 'main'],
  },
];
for (const entry of ['webview/deploy/main.ts']) {
  if (existsSync(entry)) {
    builds.push({
      ...common,
      entryPoints: [entry],
      outdir: `${out}/webview`,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
    });
  }
}

// The cluster dashboard: hand-drawn SVG, no chart library (strict CSP, nothing to eval, a few kB).
if (existsSync('webview/dashboard/main.ts')) {
  builds.push({ ...common, entryPoints: { dashboard: 'webview/dashboard/main.ts' }, outdir: `${out}/webview`, platform: 'browser', format: 'esm', target: 'es2022' });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  // No SDK module may end up in the extension's own bundle (it would be parsed at activation again).
  const inMain = Object.keys(results[0].metafile.inputs).filter((f) => /node_modules\/@aws-sdk\/client-/.test(f));
  if (inMain.length) {
    console.error(`AWS SDK modules bundled into dist/extension.js (import them through src/aws/sdk.ts):\n  ${inMain.slice(0, 5).join('\n  ')}`);
    process.exit(1);
  }
}
