/** Every command id, view id and context value in one place (package.json must match: a unit test checks). */
export const VIEW_CONTAINER = 'openviduHa';
export const EXPLORER_VIEW = 'openviduHa.explorer';
/** contributes.walkthroughs[0].id */
export const WALKTHROUGH_ID = 'gettingStarted';

export const Commands = {
  refresh: 'openviduHa.refresh',
  selectProfile: 'openviduHa.selectProfile',
  selectRegions: 'openviduHa.selectRegions',
  showAccount: 'openviduHa.showAccount',
  retry: 'openviduHa.retry',
  copyInstanceId: 'openviduHa.copyInstanceId',
  copyIpAddress: 'openviduHa.copyIpAddress',
  openInConsole: 'openviduHa.openInConsole',
  showStackEvents: 'openviduHa.showStackEvents',
  copyLiveKitCredentials: 'openviduHa.copyLiveKitCredentials',
  copyOpenViduV2Credentials: 'openviduHa.copyOpenViduV2Credentials',
  copyAdminCredentials: 'openviduHa.copyAdminCredentials',
  writeCredentialsToConfig: 'openviduHa.writeCredentialsToConfig',
  checkCredentials: 'openviduHa.checkCredentials',
  deploy: 'openviduHa.deploy',
  checkStatus: 'openviduHa.checkStatus',
  showLogs: 'openviduHa.showLogs',
  followLogs: 'openviduHa.followLogs',
  stopTail: 'openviduHa.stopTail',
  showCloudWatchLogs: 'openviduHa.showCloudWatchLogs',
  restartOpenVidu: 'openviduHa.restartOpenVidu',
  terminateMediaNode: 'openviduHa.terminateMediaNode',
  restartService: 'openviduHa.restartService',
  runCommand: 'openviduHa.runCommand',
  enableSsmOnMasters: 'openviduHa.enableSsmOnMasters',
  scaleMediaNodes: 'openviduHa.scaleMediaNodes',
  shutDownCluster: 'openviduHa.shutDownCluster',
  startCluster: 'openviduHa.startCluster',
  deleteDeployment: 'openviduHa.deleteDeployment',
  updateDeployment: 'openviduHa.updateDeployment',
  openWalkthrough: 'openviduHa.openWalkthrough',
  openShell: 'openviduHa.openShell',
  forwardPort: 'openviduHa.forwardPort',
  stopPortForward: 'openviduHa.stopPortForward',
  openConfiguration: 'openviduHa.openConfiguration',
  compareMasterConfiguration: 'openviduHa.compareMasterConfiguration',
  restoreConfigurationBackup: 'openviduHa.restoreConfigurationBackup',
  refreshConfiguration: 'openviduHa.refreshConfiguration',
  copyJoinToken: 'openviduHa.copyJoinToken',
  removeParticipant: 'openviduHa.removeParticipant',
  endRoom: 'openviduHa.endRoom',
  stopEgress: 'openviduHa.stopEgress',
  openDashboard: 'openviduHa.openDashboard',
  searchLogs: 'openviduHa.searchLogs',
  openGrafana: 'openviduHa.openGrafana',
  showStackDetails: 'openviduHa.showStackDetails',
  /** not contributed: lets tests read the tree as a user sees it (labels, descriptions, context values) */
  treeSnapshot: 'openviduHa.internal.treeSnapshot',
} as const;

export const ContextKeys = {
  credentialsState: 'openviduHa.credentialsState',
} as const;

/** Tree item context values; menus in package.json match on these with `viewItem =~ /…/`. */
export const ContextValues = {
  region: 'region',
  error: 'error',
  info: 'info',
  stack: (phase: string) => `stack.${phase}`,
  mastersGroup: 'group.masters',
  mediaGroup: 'group.media',
  node: (role: 'master' | 'media', state: string) => `node.${role}.${state}`,
  portForward: 'portForward',
  rooms: 'rooms',
  room: 'room.live',
  roomRecording: 'room.recording',
  participant: 'participant',
  configuration: 'configuration',
  configFolder: 'configFolder',
  configFile: 'configFile',
} as const;

export const SETTINGS_SECTION = 'openviduHa';
