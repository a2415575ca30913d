/**
 * The HTML shell of the deploy form's webview (the deploy panel and the update panel load the same bundle, through
 * webviewPanelHost.ts). Everything the user sees is built by webview/deploy/main.ts with DOM APIs
 * (textContent, never innerHTML with data); this page only loads it. CSP: nothing by default, the script by
 * nonce, styles and fonts only from the extension's dist/webview folder. No `vscode` import (Node's crypto only).
 */
import { randomInt } from 'node:crypto';

export interface DeployHtmlOptions {
  /** `webview.cspSource` */
  cspSource: string;
  nonce: string;
  /** webview URI of dist/webview/main.js */
  scriptUri: string;
  /** webview URI of dist/webview/main.css (the form's styles and the codicons) */
  styleUri: string;
}

/** 32 random characters for the script nonce, from a cryptographic source (`crypto.randomInt`) by default. */
export function makeNonce(random: (n: number) => number = (n) => randomInt(n)): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars[random(chars.length)];
  return s;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function renderDeployHtml(o: DeployHtmlOptions): string {
  if (!/^[A-Za-z0-9]{16,}$/.test(o.nonce)) throw new Error('The nonce must be 16+ alphanumeric characters.');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${attr(o.styleUri)}">
<title>Deploy OpenVidu High Availability</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="loading">Loading the deploy form…</p></main>
<script type="module" nonce="${o.nonce}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
