/**
 * Next steps for a stack whose creation failed, from OpenVidu's guide "Troubleshooting Initial CloudFormation Stack
 * Creation" (https://openvidu.io/latest/docs/self-hosting/ha/aws/install/#troubleshooting-initial-cloudformation-stack-creation):
 * deploy with "Preserve successfully provisioned resources" so the failed instances stay, read the failed node's
 * cloud-init output, then check the services; and CloudFormation's WaitCondition semantics (AWS::CloudFormation::WaitCondition
 * in the CloudFormation template reference: the resource fails when the Timeout passes before `Count` success
 * signals arrive; the HA template gives each master `MasterNodesWaitCondition<N>`, signalled by OpenViduMasterNode<N>'s
 * user data when its installation ends). Pure: no vscode, no AWS.
 */

/** The first failing resource of a failed stack (its logical id and reason). */
export interface FailedResource {
  logicalId?: string;
  reason?: string;
}

/** One line per step, in the order a user should take them. */
export function failedStackNextSteps(stackStatus: string, first: FailedResource | undefined, existingMasters: number[]): string[] {
  const steps: string[] = [];
  const n = /^(?:MasterNodesWaitCondition|OpenViduMasterNode)(\d+)$/.exec(first?.logicalId ?? '')?.[1];
  if (n && first?.logicalId?.startsWith('MasterNodesWaitCondition')) {
    steps.push(
      `${first.logicalId}: master node ${n} did not signal that its installation finished before the wait condition's timeout, so CloudFormation stopped the creation. The cause is in that node's boot log.`,
    );
  }
  const preserved = stackStatus === 'CREATE_FAILED';
  if (n) {
    steps.push(
      preserved && existingMasters.includes(Number(n))
        ? `Read Master ${n}'s boot log: sudo tail -n 200 /var/log/cloud-init-output.log (Open Shell on Node, Run a Command, or SSH with the key pair; OpenViduMasterNode${n}).`
        : `Master ${n} (OpenViduMasterNode${n}) was removed by the rollback: deploy again with "Preserve successfully provisioned resources" to read its /var/log/cloud-init-output.log.`,
    );
  } else if (first?.logicalId) {
    steps.push(`Fix what ${first.logicalId}'s reason names (a parameter, a quota, a permission), then deploy again.`);
  }
  steps.push(`Delete this stack (Delete Deployment…) and deploy again: a failed creation is not resumed. The retained S3 buckets are named before deletion.`);
  return steps;
}
