// Bundles the extension host code (and the webviews) with esbuild.
// --production minifies and drops source maps; --watch rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// A production build starts from an empty dist/ so no leftover dev files (source maps) get packaged.
if (production) rmSync('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // `vscode` is provided by the extension host at run time.
    external: ['vscode'],
    mainFields: ['module', 'main'],
  },
];
for (const entry of ['webview/deploy/main.ts']) {
  if (existsSync(entry)) {
    builds.push({
      ...common,
      entryPoints: [entry],
      outdir: 'dist/webview',
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
    });
  }
}

// The cluster dashboard: hand-drawn SVG, no chart library (strict CSP, nothing to eval, a few kB).
if (existsSync('webview/dashboard/main.ts')) {
  builds.push({ ...common, entryPoints: { dashboard: 'webview/dashboard/main.ts' }, outdir: 'dist/webview', platform: 'browser', format: 'esm', target: 'es2022' });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
