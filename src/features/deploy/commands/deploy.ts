import { DeployPanel, type DeployPanelDeps } from '../deployPanel';

/** "Deploy High Availability Cluster…": opens the one deploy wizard panel, or reveals it when open. */
export function deploy(deps: DeployPanelDeps): void {
  DeployPanel.createOrShow(deps);
}
