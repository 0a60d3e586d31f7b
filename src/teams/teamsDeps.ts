import type { Logger } from '../logging';
import type { DecideApproval } from '../app/approvals/decideApproval';
import type { CancelRequest } from '../app/approvals/cancelRequest';
import type { Groups } from '../app/approvals/actors';
import type { AuditLog, CardBook, ConversationBook, DraftStore, Membership, RequestNotifier, RequestStore } from '../app/workflowPorts';
import type { SubmitRequest } from '../app/requests/submitRequest';
import type { Planner } from '../app/requests/planner';
import type { HelpTopic } from './commands/help';
import type { Helpdesk } from '../app/helpdesk/helpdesk';
import type { RenderRequestCard } from './notifier';
import type { RequestRotation } from '../app/secrets/requestRotation';
import type { FinishRotations } from '../app/secrets/finishRotations';
import type { PersonalChats } from './privateAnswer';
import type { FindDuplicates } from '../app/requests/findDuplicates';
import type { ListAwaitingDecision } from '../app/requests/awaitingDecision';
import type { RevokeSecret } from '../app/secrets/revokeSecret';
import type { RegistrationRequest } from '../domain/request';
import type { AnswerReview } from '../app/review/answerReview';
import type { ListReviews } from '../app/review/listReviews';
import type { AppRestorer, OffboardRequester } from '../app/offboarding/offboardPorts';

/** Everything the Teams handlers use: use cases and read models, never SDK clients. */
export interface TeamsDeps {
  logger: Logger;
  /** The only tenant whose Teams turns are served (src/teams/turnGate.ts). */
  ownTenantId: string;
  topics: readonly HelpTopic[];
  requests: RequestStore;
  audit: AuditLog;
  membership: Membership;
  groups: Groups;
  conversations: ConversationBook;
  notifier: RequestNotifier;
  /** Answers asked for in a channel or group chat that are for the asker only (src/teams/privateAnswer.ts). */
  personalChats: PersonalChats;
  render: RenderRequestCard;
  drafts: DraftStore;
  cards: CardBook;
  planner: Planner;
  submit: SubmitRequest;
  /** An approver's inbox: what waits for their decision. */
  awaiting: ListAwaitingDecision;
  decide: DecideApproval;
  cancel: CancelRequest;
  /** Starts (or resumes) provisioning an approved request; absent when Graph or Key Vault is not configured. */
  provision?: (requestId: string) => Promise<unknown>;
  /** Apps already in the tenant that a preview repeats; absent when Graph is not configured. */
  duplicates?: FindDuplicates;
  /** Inspecting apps; absent when Graph is not configured. */
  helpdesk?: Helpdesk;
  /** "rotate secret for <app>" and the Rotate button; absent without Graph and Key Vault. */
  rotate?: RequestRotation;
  /** The requester's "remove the old secret now". */
  finishRotations?: FinishRotations;
  /** "revoke secret for <app>" and its confirmation; absent without Graph and Key Vault. */
  revoke?: RevokeSecret;
  /** "offboard <app>": an offboard request through the usual approval; absent without Graph. */
  offboard?: OffboardRequester;
  /** "restore <app>" (approvers only); absent without Graph. */
  restore?: AppRestorer;
  /** How the request's approval cards went out, for `status`: "Sent to 3 approvers (…), 1 unreachable (…)". */
  deliveryStatus?: (requestId: string) => Promise<string>;
  /** The periodic review's answers and the approvers' `reviews` list; absent without Graph. */
  reviews?: { answer: AnswerReview; list: ListReviews; line: (request: RegistrationRequest) => string | undefined };
  /** Work that must not hold up a card click; shutdown waits for it. */
  background: (label: string, work: () => Promise<unknown>) => void;
}
