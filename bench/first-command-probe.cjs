/**
 * Child process of bench/activation.bench.ts (run with `--import tsx --require ./test/fakes/register-vscode.cjs` and
 * the emulator's endpoint as argv[2]): loads the bundled extension (dist/extension.js, and dist/aws-sdk.js when the
 * first AWS call requires it), activates it against the test fake of `vscode` (its settings, commands, progress,
 * clipboard; what the fake lacks, such as tree views and webview panels, is a recording stub), then runs each first
 * command in turn: open the tree, copy credentials, open the deploy form, check status. After each step it prints
 * which bundled modules had been evaluated by then (count and bytes of bundled source), which AWS SDK clients were
 * loaded, and which AWS services the emulator was called for (so a client loaded but never called shows).
 *
 * How modules are counted: esbuild bundles each source file after a `// path` comment at column 0. A file reached
 * through require() or import() is wrapped in `__commonJS` / `__esm` and runs on first use; the probe patches those
 * two helpers to record each module when it runs. The others run when their bundle file loads.
 */
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const endpoint = process.argv[2];

// ---- the bundle files, patched to record each wrapped module when it runs, with each module's size
const evaluated = new Set();
globalThis.__probeEvaluated = evaluated;
/** module path → bytes of its bundled source; and which modules run when their file loads */
const sizes = new Map();
const eager = new Map();
const loadedFiles = new Set();

function indexBundle(file, code) {
  // a module's path as esbuild writes it (relative to the working directory: `../../main/node_modules/…` when
  // node_modules is a symlink)
  const starts = [...code.matchAll(/^\/\/ (\S+\.(?:[cm]?[jt]s|json))$/gm)];
  const mods = [];
  for (const [i, m] of starts.entries()) {
    const end = i + 1 < starts.length ? starts[i + 1].index : code.length;
    const body = code.slice(m.index, end);
    const wrapped = /^var \w+ = (?:__commonJS|__esm)\(\{\n\s+"([^"]+)"/m.exec(body);
    const name = wrapped ? wrapped[1] : m[1].trim();
    sizes.set(name, (sizes.get(name) ?? 0) + Buffer.byteLength(body));
    mods.push({ name, wrapped: !!wrapped });
  }
  eager.set(file, mods.filter((m) => !m.wrapped).map((m) => m.name));
}

const compileJs = Module._extensions['.js'];
Module._extensions['.js'] = function (m, filename) {
  if (path.dirname(filename) !== dist) return compileJs(m, filename);
  let code = fs.readFileSync(filename, 'utf8');
  indexBundle(filename, code);
  loadedFiles.add(filename);
  code = code
    .replace('var __commonJS = (cb, mod) => function __require() {', 'var __commonJS = (cb, mod) => function __require() {\n  if (!mod) globalThis.__probeEvaluated.add(__getOwnPropNames(cb)[0]);')
    .replace('var __esm = (fn, res, err) => function __init() {', 'var __esm = (fn, res, err) => function __init() {\n  if (fn) globalThis.__probeEvaluated.add(__getOwnPropNames(fn)[0]);');
  m._compile(code, filename);
};

// ---- vscode: the test fake, with recording stubs for what it lacks
const fakePath = require.resolve('vscode');
const fake = require(fakePath);
const stub = (name) =>
  new Proxy(function () {}, {
    get: (t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => name : k === 'dispose' ? () => undefined : stub(`${name}.${String(k)}`)),
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
    set: () => true,
  });
const trees = new Map();
const panels = [];
const extras = {
  window: {
    createTreeView: (id, o) => {
      trees.set(id, o.treeDataProvider);
      return stub(`treeView(${id})`);
    },
    registerTreeDataProvider: (id, p) => {
      trees.set(id, p);
      return { dispose() {} };
    },
    createWebviewPanel: (viewType) => {
      const listeners = [];
      const posted = [];
      const panel = {
        viewType,
        posted,
        listeners,
        webview: { html: '', options: {}, cspSource: 'vscode-resource:', asWebviewUri: (u) => u, onDidReceiveMessage: (l) => (listeners.push(l), { dispose() {} }), postMessage: async (m) => (posted.push(m), true) },
        onDidDispose: () => ({ dispose() {} }),
        onDidChangeViewState: () => ({ dispose() {} }),
        reveal() {},
        dispose() {},
        visible: true,
        active: true,
      };
      panels.push(panel);
      return panel;
    },
  },
};
const withStubs = (ns, name) =>
  new Proxy(ns, { get: (t, k) => (extras[name]?.[k] ?? (k in t ? t[k] : typeof k === 'string' ? stub(`${name}.${k}`) : undefined)) });
const vscode = new Proxy(fake, {
  get: (t, k) => {
    const v = k in t ? t[k] : typeof k === 'string' ? stub(k) : undefined;
    return typeof k === 'string' && v && typeof v === 'object' && !Array.isArray(v) && /^[a-z]/.test(k) ? withStubs(v, k) : v;
  },
});
require.cache[fakePath].exports = vscode;
fake.setSetting('openviduHa.endpoint', endpoint);
fake.setSetting('openviduHa.regions', ['eu-west-1']);

// ---- what was evaluated, per step
function evaluatedNow() {
  const names = new Set(evaluated);
  for (const f of loadedFiles) for (const n of eager.get(f) ?? []) names.add(n);
  const bytes = [...names].reduce((s, n) => s + (sizes.get(n) ?? 0), 0);
  const clients = new Set();
  for (const n of names) {
    const m = /node_modules\/@aws-sdk\/client-([a-z0-9-]+)\//.exec(n);
    if (m) clients.add(m[1]);
  }
  return { modules: names.size, bytes, clients: [...clients].sort() };
}
/** AWS SDK client package suffix per emulator service name */
const CLIENT_OF = { cloudformation: 'cloudformation', ec2: 'ec2', autoscaling: 'auto-scaling', ssm: 'ssm', secretsmanager: 'secrets-manager', sts: 'sts', acm: 'acm', logs: 'cloudwatch-logs', monitoring: 'cloudwatch', cloudwatch: 'cloudwatch', iam: 'iam' };
async function calledClients() {
  const summary = await (await globalThis.fetch(`${endpoint}/_emulator/requests/summary`)).json();
  return [...new Set(Object.keys(summary).map((k) => CLIENT_OF[k.split(':')[0]] ?? k.split(':')[0]))].sort();
}

const steps = [];
async function step(name, fn) {
  await fn();
  steps.push({ name, ...evaluatedNow(), called: await calledClients() });
}

async function main() {
  const file = path.join(dist, 'extension.js');
  const memento = () => {
    const s = new Map();
    return { get: (k, d) => (s.has(k) ? s.get(k) : d), update: async (k, v) => void s.set(k, v), keys: () => [...s.keys()], setKeysForSync() {} };
  };
  const context = {
    subscriptions: [],
    globalState: memento(),
    workspaceState: memento(),
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
    extensionUri: fake.Uri.file(root),
    extensionPath: root,
    extension: { id: 'openvidu-ha-tools.openvidu-ha', packageJSON: JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) },
  };
  await step('activate', async () => {
    require(file).activate(context);
  });
  const exec = (cmd, ...args) => fake.commands.executeCommand(cmd, ...args);
  const tree = trees.get('openviduHa.explorer') ?? [...trees.values()][0];
  let stack;
  await step('open tree', async () => {
    // what VS Code loads for the first paint: the root's items, and the children of every item shown expanded
    const paint = async (node) => {
      for (const c of await tree.getChildren(node)) {
        if (c.kind === 'stack') stack ??= c;
        if ((await tree.getTreeItem(c)).collapsibleState === fake.TreeItemCollapsibleState.Expanded) await paint(c);
      }
    };
    await paint(undefined);
    if (!stack) throw new Error('no stack in the first paint of the tree');
  });
  await step('copy credentials', async () => {
    fake.answers.quickPick.push('LiveKit URL (wss://)');
    await exec('openviduHa.copyLiveKitCredentials', stack);
    if (!fake.recorded.clipboard) throw new Error(`nothing copied: ${JSON.stringify(fake.recorded.notifications.slice(-1))}`);
  });
  await step('open deploy form', async () => {
    await exec('openviduHa.deploy');
    const panel = panels.at(-1);
    if (!panel) throw new Error('no deploy panel');
    const ask = async (msg) => {
      const before = panel.posted.length;
      for (const l of panel.listeners) await l(msg);
      for (let i = 0; i < 400 && panel.posted.length === before; i++) await new Promise((r) => setTimeout(r, 25));
      return panel.posted.at(-1);
    };
    const init = await ask({ type: 'ready', requestId: 'r1' });
    const region = init.init.defaultRegion;
    const version = init.init.versions[0];
    const t = await ask({ type: 'loadTemplate', requestId: 'r2', version, region });
    if (t.type !== 'template') throw new Error(`template: ${JSON.stringify(t).slice(0, 200)}`);
    const f = await ask({ type: 'loadFacts', requestId: 'r3', version, region });
    if (f.type !== 'facts') throw new Error(`facts: ${JSON.stringify(f).slice(0, 200)}`);
  });
  await step('status check', async () => {
    const rows = await exec('openviduHa.checkStatus', stack);
    if (!rows?.some((r) => r.status)) throw new Error(`status: ${JSON.stringify(rows?.slice(0, 2))}`);
  });
  if (process.env.PROBE_DEBUG) {
    const missing = [...evaluated].filter((n) => !sizes.has(n));
    console.error(`evaluated ${evaluated.size}, without a size ${missing.length}: ${missing.slice(0, 5).join(' | ')}`);
    for (const f of loadedFiles) console.error(`${f}: ${eager.get(f).length} eager modules`);
  }
  process.stdout.write(`\n${JSON.stringify(steps)}\n`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
