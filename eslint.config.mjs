import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const posix = (p) => p.split(sep).join('/');

/**
 * The house's layer rules (docs/architecture.md, "Allowed arrows"), as one local rule rather than
 * `no-restricted-imports` lists: that rule does not look at `import()` expressions nor `import('x').T` types, and
 * this code base loads the AWS SDK and heavy modules lazily through `import()`; and the "only through index.ts"
 * rule needs the resolved path of an import, not its text (`../explorer/treeNodes` and
 * `../../explorer/treeNodes` are the same door from different depths).
 *
 *   src/openvidu   no vscode, no src/aws, no src/protocol, no feature, no @aws-sdk
 *   src/protocol   (webview <-> host messages, both sides import it) no vscode, no src/aws, no feature, no @aws-sdk
 *   src/aws        no vscode, no feature (the only place importing @aws-sdk/*)
 *   src/features/shared   the glue every feature builds on: imports no feature
 *   src/features/<f>      another feature only through its index.ts; no @aws-sdk
 *   src/extension.ts      features only through their index.ts
 *   webview/       no vscode, no feature, no src/aws, no @aws-sdk
 *
 * Options (for a temporary exception only): `allowTargets` (repo-relative paths without extension) and
 * `allowPackages` (package name prefixes) that this block may import anyway.
 */
const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports follow the layers of docs/architecture.md' },
    schema: [{
      type: 'object',
      properties: {
        allowTargets: { type: 'array', items: { type: 'string' } },
        allowPackages: { type: 'array', items: { type: 'string' } },
      },
      additionalProperties: false,
    }],
  },
  create(context) {
    const options = context.options[0] ?? {};
    const allowTargets = new Set(options.allowTargets ?? []);
    const allowPackages = options.allowPackages ?? [];
    const file = posix(relative(root, context.filename));
    const room = roomOf(file);
    if (!room) return {};

    function check(node, spec) {
      if (typeof spec !== 'string') return;
      const problem = spec.startsWith('.') ? relativeProblem(spec) : packageProblem(spec);
      if (problem) context.report({ node, message: problem });
    }

    function packageProblem(spec) {
      if (allowPackages.some((p) => spec.startsWith(p))) return undefined;
      if (spec === 'vscode' && ['openvidu', 'protocol', 'aws', 'webview'].includes(room.kind)) {
        return `${room.label} imports no 'vscode' (${room.why}).`;
      }
      if ((spec.startsWith('@aws-sdk/') || spec === '@aws-sdk') && room.kind !== 'aws') {
        return `'${spec}' is imported only in src/aws: add a function named for what it does there and call it from ${room.label}.`;
      }
      return undefined;
    }

    function relativeProblem(spec) {
      const target = posix(relative(root, resolve(root, dirname(file), spec))).replace(/\.(m?[jt]s)$/, '').replace(/\/index$/, '');
      if (allowTargets.has(target)) return undefined;
      if (target === 'src/extension') return `${room.label} does not import src/extension.ts (it only wires features together).`;
      const feature = /^src\/features\/([^/]+)(\/.*)?$/.exec(target);
      if (target.startsWith('src/aws/') && ['openvidu', 'protocol', 'webview'].includes(room.kind)) {
        return `${room.label} imports nothing from src/aws (${room.why}).`;
      }
      if (target.startsWith('src/protocol/') && room.kind === 'openvidu') {
        return `src/openvidu is the bottom layer and imports nothing from src/protocol ('${spec}'): the protocol imports the domain, not the other way.`;
      }
      if (!feature) return undefined;
      const [, other, rest] = feature;
      if (['openvidu', 'protocol', 'aws', 'webview'].includes(room.kind)) {
        return `${room.label} imports no feature ('${spec}'): move what both sides need into src/openvidu (pure) and import it from there.`;
      }
      if (room.kind === 'shared' && other !== 'shared') {
        return `src/features/shared is the layer below the features and imports none of them ('${spec}'): move what it needs into shared.`;
      }
      if (room.kind === 'feature' && other !== room.feature && other !== 'shared' && rest) {
        return `A feature imports another feature only through its index.ts: import from '${spec.slice(0, spec.length - rest.length)}' and export what you need there (not '${spec}').`;
      }
      if (room.kind === 'extension' && other !== 'shared' && rest) {
        return `src/extension.ts imports a feature only through its index.ts ('${spec}').`;
      }
      return undefined;
    }

    const literal = (n) => (n && n.type === 'Literal' ? n.value : undefined);
    return {
      ImportDeclaration: (n) => check(n.source, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ImportExpression: (n) => check(n, literal(n.source)),
      TSImportType: (n) => check(n, literal(n.argument?.literal ?? n.argument)),
      TSExternalModuleReference: (n) => check(n, literal(n.expression)),
    };
  },
};

function roomOf(file) {
  if (file.startsWith('src/openvidu/')) return { kind: 'openvidu', label: 'src/openvidu', why: 'it is the pure domain, unit-tested without VS Code or AWS' };
  if (file.startsWith('src/protocol/')) return { kind: 'protocol', label: 'src/protocol', why: 'the webview and the host both import it' };
  if (file.startsWith('src/aws/')) return { kind: 'aws', label: 'src/aws', why: 'it wraps the AWS SDK for the features, which bring the VS Code side' };
  if (file.startsWith('webview/')) return { kind: 'webview', label: 'webview/', why: 'it runs in the webview, talking to the host only through messages' };
  if (file.startsWith('src/features/shared/')) return { kind: 'shared', label: 'src/features/shared' };
  const f = /^src\/features\/([^/]+)\//.exec(file);
  if (f) return { kind: 'feature', feature: f[1], label: `src/features/${f[1]}` };
  if (file === 'src/extension.ts') return { kind: 'extension', label: 'src/extension.ts' };
  if (file.startsWith('src/')) return { kind: 'src', label: file, why: '' };
  return undefined;
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'out/**', 'artifacts/**', '.sandbox/**', '.test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', URLSearchParams: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: '@vscode/webview-ui-toolkit', message: 'Deprecated and archived by Microsoft in January 2025; use @vscode-elements/elements.' }] }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    plugins: { house: { rules: { layers: layersRule } } },
    rules: {
      'house/layers': 'error',
      // docs/architecture.md "File size": split a file by concern before it passes 400 lines
      'max-lines': ['error', { max: 400 }],
    },
  },
);
