/**
 * The deploy and update panels' tab icon (set by webviewPanelHost.ts). A webview panel's icon is drawn as an image, where the SVG's
 * `currentColor` is black: nearly invisible on a dark theme. VS Code takes a light/dark pair for
 * `WebviewPanel.iconPath` (the `light` one is shown in light themes, so it is the dark-stroked one).
 */
import * as vscode from 'vscode';

export function panelIcon(extensionUri: vscode.Uri): { light: vscode.Uri; dark: vscode.Uri } {
  return {
    light: vscode.Uri.joinPath(extensionUri, 'media', 'openvidu-ha-light.svg'),
    dark: vscode.Uri.joinPath(extensionUri, 'media', 'openvidu-ha-dark.svg'),
  };
}
