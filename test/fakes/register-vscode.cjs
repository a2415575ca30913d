// Preload for unit/integration tests of VS Code glue: `require('vscode')` resolves to the fake in this folder.
const Module = require('node:module');
const path = require('node:path');
const fake = path.join(__dirname, 'vscode.ts');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') return fake;
  return original.call(this, request, ...rest);
};
