import type { RegistrationRequest, RequestState } from '../domain/request';
import type { Versioned } from './ports';

/** Requests, each updated by compare-and-set: `update` throws ConcurrencyConflictError on a lost race. */
export interface RequestStore {
  create(request: RegistrationRequest): Promise<Versioned<RegistrationRequest>>;
  get(id: string): Promise<Versioned<RegistrationRequest> | undefined>;
  update(request: RegistrationRequest, etag: string): Promise<Versioned<RegistrationRequest>>;
  listByRequester(requesterId: string, limit: number): Promise<RegistrationRequest[]>;
  listInStates(states: RequestState[]): Promise<Versioned<RegistrationRequest>[]>;
  /**
   * The request whose provisioning saga created this application (appId and object id both as recorded), if any.
   * The only authority for "Onboard made this app": tags and names are anyone's to write.
   */
  findByApplication(app: { appId: string; objectId: string }): Promise<RegistrationRequest | undefined>;
}

export type AuditOutcome = 'ok' | 'refused' | 'failed';

export interface AuditEvent {
  at: string;
  action: string;
  outcome: AuditOutcome;
  actor?: { id: string; name: string };
  requestId?: string;
  planHash?: string;
  correlationId: string;
  detail?: string;
}

/** Append-only: events are never changed or removed. */
export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** Appends unless an event with this key is already there: a step redone after a crash is audited once. */
  appendOnce(event: AuditEvent, key: string): Promise<void>;
  forRequest(requestId: string): Promise<AuditEvent[]>;
  since(from: Date): AsyncIterable<AuditEvent>;
}

/** Group membership, as the directory knows it (transitive). */
export interface Membership {
  /** The subset of `groupIds` that `userId` belongs to, directly or through nested groups. */
  memberOf(userId: string, groupIds: string[]): Promise<Set<string>>;
  /** The users in a group, directly or through nested groups (object ids; names need more than Onboard's roles). */
  members?(groupId: string): Promise<string[]>;
}

/** Where to reach people proactively. References are opaque to the use cases. */
export interface ConversationBook {
  /** True the first time this person is remembered at all (their first message, or installing Onboard). */
  rememberUser(userId: string, reference: unknown): Promise<boolean>;
  /** The person removed the app: later sends skip them until they install it again or write. */
  forgetUser(userId: string): Promise<void>;
  user(userId: string): Promise<unknown | undefined>;
  /** `teamId` lets an uninstall from that team clear the setting. */
  setApprovalsChannel(reference: unknown, by: string, teamId?: string): Promise<void>;
  approvalsChannel(): Promise<unknown | undefined>;
  /** Forgets the approvals channel if it belongs to this team (the app was removed from it). */
  forgetApprovalsChannelOf(teamId: string): Promise<boolean>;
  /** Everyone who has talked to the bot in a personal chat, for reaching approvers without a channel. */
  knownUsers(): Promise<{ userId: string; reference: unknown }[]>;
}

/** Where a request's cards were posted, so they can be updated in place as the request moves. */
export interface PostedCard {
  conversation: unknown;
  activityId: string;
  audience: 'approvers' | 'requester';
}

export interface CardBook {
  record(requestId: string, card: PostedCard): Promise<void>;
  forRequest(requestId: string): Promise<PostedCard[]>;
}

/** Tells people about a request: the approvers when it is submitted, everyone when it moves. */
export interface RequestNotifier {
  /** `notified`: the names of the approvers who got the card in their own chat; `unreachable`: approvers who have no chat with Onboard yet. */
  submitted(request: RegistrationRequest): Promise<{ delivered: number; where: 'channel' | 'approvers' | 'nowhere'; notified?: string[]; unreachable?: number }>;
  changed(request: RegistrationRequest, message: string): Promise<void>;
  /** A request still waits: the approvers see its card again. */
  reminded(request: RegistrationRequest): Promise<void>;
}

/** What the requester typed, kept between the preview and Submit so the card never carries the plan. */
export interface Draft {
  id: string;
  requesterId: string;
  text: string;
  inputs: Record<string, string>;
  choices: Record<string, string>;
  createdAt: string;
  /** Set once submitted, so a second Submit click finds the same request instead of a new one. */
  requestId?: string;
}

export interface DraftStore {
  /** A draft just typed: its id is new, so there is nothing to read first (the preview's one write). */
  create(draft: Draft): Promise<void>;
  save(draft: Draft): Promise<void>;
  get(requesterId: string, draftId: string): Promise<Draft | undefined>;
}
