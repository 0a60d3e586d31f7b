import { madeByOnboard, type Inspection } from '../../app/helpdesk/inspectApp';
import { escapeMarkdown as md } from './markdown';
import type { PermissionRow } from '../../domain/inspection';
import { fixDriftVerb, offboardVerb, rotateVerb } from './helpdeskVerbs';
import { clip, pageOf } from './paging';

/** Drift lines and credentials past these are counted, not listed: the permissions above carry the detail. */
const MAX_DRIFT_LINES = 15;
const MAX_CREDENTIALS = 10;
const MAX_OWNERS = 10;

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : 'unknown');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface InspectViewOptions {
  /** Approvers see Rotate secret and Fix drift. */
  approver: boolean;
  /** "does X have Y": the answer, above the card. */
  answer?: { text: string; good: boolean };
  /** Show only these permissions (a does-have question); the card says how many others there are. */
  only?: (row: PermissionRow) => boolean;
  /** Which page of the permissions (Next / Previous on the card). */
  page?: number;
  /** The periodic review of an Onboard-made app, in one line (domain/review.ts reviewLine). */
  review?: string;
}

function granted(row: PermissionRow): string {
  if (row.granted === 'admin') return row.type === 'Application' ? 'granted' : 'granted for everyone (admin consent)';
  if (row.granted === 'per-user') return `per-user consent only: ${row.perUserCount} ${row.perUserCount === 1 ? 'person' : 'people'}`;
  return 'not granted';
}

function flag(row: PermissionRow, enterprise: boolean): string {
  if (enterprise) return '';
  if (row.granted !== 'no' && !row.requested) return 'Granted but not requested';
  if (row.requested && row.granted === 'no') return 'Requested but not granted';
  if (row.requested && row.granted === 'per-user') return 'Requested; no admin consent, only some people consented';
  return '';
}

function permissionView(row: PermissionRow, enterprise: boolean) {
  const consent = row.adminConsentRequired === null ? 'admin consent unknown' : row.adminConsentRequired ? 'admin consent required' : 'users can consent';
  const resource = row.resourceKnown ? row.resource : `unknown API ${row.resourceAppId}`;
  const name = row.resourceKnown || row.name !== row.id ? row.name : `${row.type === 'Application' ? 'role' : 'scope'} ${row.id}`;
  const note = flag(row, enterprise);
  return {
    name: clip(name, 120), type: row.type, resource: clip(resource, 120),
    requested: enterprise ? 'enterprise app' : row.requested ? 'requested' : 'not requested',
    granted: granted(row),
    meta: `${consent} · ${row.risk === 'unknown' ? 'risk unknown' : row.risk === 'tier0' ? 'Tier 0: can take over the tenant' : `${row.risk} risk`}`,
    riskColor: row.risk === 'high' || row.risk === 'tier0' ? 'Attention' : row.risk === 'medium' ? 'Warning' : 'Default',
    note, style: note ? 'attention' : 'default',
  };
}

function ownersText(names: string[]): string {
  if (!names.length) return 'none';
  const listed = names.slice(0, MAX_OWNERS).map((n) => md(clip(n, 80))).join(', ');
  return names.length > MAX_OWNERS ? `${listed} and ${names.length - MAX_OWNERS} more` : listed;
}

/** The answer card for one app: who it is, what it may do against what it asked for, its drift and its credentials. */
export function inspectView(inspection: Inspection, options: InspectViewOptions) {
  const { app, drift } = inspection;
  const enterprise = app.kind === 'enterprise';
  const all = inspection.permissions;
  const shown = options.only ? all.filter(options.only) : all;
  const facts = [
    { title: 'Application (client) ID', value: app.appId },
    { title: enterprise ? 'Service principal object ID' : 'Object ID', value: app.id },
    ...(enterprise
      ? [{ title: 'Registered in', value: `another organisation${app.publisherTenantId ? ` (tenant ${app.publisherTenantId})` : ''}: this is its enterprise app, so only its grants are known here` }]
      : [{ title: 'Created', value: day(app.createdDateTime) }]),
    { title: 'Owners', value: ownersText(inspection.owners.map((o) => o.displayName)) },
    { title: 'Made by Onboard', value: md(madeByOnboard(inspection)) },
    ...(options.review ? [{ title: 'Review', value: md(options.review) }] : []),
    ...(inspection.vendor ? [{ title: 'Vendor', value: md(inspection.vendor) }] : []),
    ...(inspection.vendorHint ? [{ title: 'Looks like', value: md(`${inspection.vendorHint}, by its name or tags only: not compared with that recipe`) }] : []),
    ...(inspection.servicePrincipalId ? [] : [{ title: 'Enterprise app', value: 'none in this tenant: nothing can be granted to it' }]),
  ];
  const flagged = all.filter((r) => flag(r, enterprise)).length;
  const perUser = all.filter((r) => r.perUserCount > 0).reduce((n, r) => n + r.perUserCount, 0);
  const summary = [
    plural(all.length, 'permission'),
    enterprise ? 'granted in this tenant' : flagged ? `${flagged} highlighted` : 'requested and granted match',
    ...(perUser ? [`${plural(perUser, 'per-user consent')}`] : []),
  ].join(' · ');
  const driftLines = drift ? [
    ...drift.missing.map((m) => ({ text: `Missing: ${m.name} (${m.type}, ${m.resource}): ${m.problem}`, color: 'Attention' })),
    ...drift.extra.map((m) => ({ text: `Extra: ${m.name} (${m.type}, ${m.resource}): ${m.problem}`, color: 'Warning' })),
    ...drift.shape.map((s) => ({ text: `${s.what}: expected ${s.expected}, found ${s.actual}`, color: 'Warning' })),
  ] : [];
  const creds = inspection.credentials.map((c) => ({
    what: c.kind === 'secret' ? `Secret ${md(c.hint)}`.trim() : 'Certificate',
    name: md(clip(c.name ?? '', 80)),
    dates: `${day(c.start)} → ${day(c.end)}`,
    state: c.state === 'expired' ? 'expired' : c.state === 'expiring' ? `expires in ${plural(Math.max(0, c.daysLeft ?? 0), 'day')}` : c.daysLeft === null ? 'no end date' : `${plural(c.daysLeft, 'day')} left`,
    color: c.state === 'expired' ? 'Attention' : c.state === 'expiring' ? 'Warning' : 'Good',
  }));
  const { items: pagePermissions, pager } = pageOf(shown, 'inspect', options.page ?? 0, { subject: app.appId });
  const canFix = options.approver && !!drift && drift.missing.length + drift.extra.length > 0;
  return {
    heading: md(clip(app.displayName, 200)),
    subheading: summary,
    answer: options.answer?.text ?? '',
    answerColor: options.answer?.good ? 'Good' : 'Attention',
    facts,
    permissions: pagePermissions.map((row) => permissionView(row, enterprise)),
    pager,
    permissionsNote: shown.length < all.length ? `${plural(all.length - shown.length, 'other permission')} not shown. Type **check ${app.appId}** for all.` : all.length ? '' : 'This app neither requests nor holds any permission.',
    hasDrift: !!drift,
    driftHeading: drift ? md(`Drift from ${drift.source}`) : '',
    driftLines: driftLines.slice(0, MAX_DRIFT_LINES).map((l) => ({ ...l, text: md(clip(l.text, 240)) })),
    driftMore: driftLines.length > MAX_DRIFT_LINES ? `and ${plural(driftLines.length - MAX_DRIFT_LINES, 'more difference')}: each is marked on its permission above.` : '',
    driftClean: drift && driftLines.length === 0 ? 'No drift: the app matches.' : '',
    noReference: drift ? '' : `No drift check: Onboard's records do not show it made this app, and no vendor recipe lists its Application ID.`,
    credentials: creds.slice(0, MAX_CREDENTIALS),
    credentialsMore: creds.length > MAX_CREDENTIALS ? `and ${plural(creds.length - MAX_CREDENTIALS, 'more credential')}: the Entra admin center lists them all.` : '',
    credentialsNote: creds.length ? '' : 'No secrets or certificates.',
    footer: `Checked ${inspection.inspectedAt.slice(0, 16).replace('T', ' ')} UTC. Secret values are never shown; the hint is the first characters.`,
    showActions: options.approver && (inspection.managedByOnboard || canFix),
    // Rotation of an app that never had a secret would only be refused: no button for it.
    canRotate: options.approver && inspection.managedByOnboard && inspection.usesSecret,
    canFix,
    // Only an app Onboard's own records show it made can be offboarded through Onboard: no button for any other.
    canOffboard: options.approver && inspection.managedByOnboard,
    appId: app.appId,
    verbs: { rotate: rotateVerb, fixDrift: fixDriftVerb, offboard: offboardVerb },
  };
}
