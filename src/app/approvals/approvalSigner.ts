/**
 * Signs approvals, so the provisioning worker can tell an approval DecideApproval recorded from a row
 * written straight to Table Storage. The key lives in Key Vault (`onboard-approval-key`), not in the
 * store: write access to the table alone cannot make a valid signature.
 */
export interface ApprovalSigner {
  /** A MAC over `payload` (domain/planGuard.ts approvalPayload). */
  sign(payload: string): Promise<string>;
  verify(payload: string, mac: string): Promise<boolean>;
}
