/**
 * The MFA code prompt for profiles with `mfa_serial`: VS Code glue injected into the AWS session (src/aws must
 * not import vscode). The SDK caches the assumed-role credentials, so this runs once per session.
 */
import * as vscode from 'vscode';

/** null when the text is a 6-digit code, else what is wrong with it (STS AssumeRole TokenCode: 6 digits). */
export function mfaCodeProblem(text: string): string | null {
  return /^\d{6}$/.test(text.trim()) ? null : 'Enter the 6 digits shown by your MFA device.';
}

export async function promptMfaCode(mfaSerial: string, profile?: string): Promise<string> {
  const code = await vscode.window.showInputBox({
    title: `OpenVidu HA: MFA code${profile ? ` for profile "${profile}"` : ''}`,
    prompt: `Code of the MFA device ${mfaSerial}`,
    placeHolder: '123456',
    ignoreFocusOut: true,
    validateInput: mfaCodeProblem,
  });
  // The SDK reports this as the credentials error; describeAwsError turns "MFA code" into the sentence with the fix.
  if (code === undefined) throw new Error(`No MFA code was entered for ${mfaSerial}.`);
  return code.trim();
}
