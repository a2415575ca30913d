/** The emulator's SDK client settings (test/emulator/clientConfig.ts), for the extension's integration tests. */
export { clientConfig } from '../emulator/clientConfig';
