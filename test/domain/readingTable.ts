/**
 * How Onboard must read each request: the exact Microsoft Graph permission set of the plan AND every
 * notice the card shows (a type that does not apply, a part left out, words not used), or the question
 * it asks, or the answer it gives instead of a plan. Permissions are Name/A (application) or Name/D (delegated).
 */
export type ReadingRow =
  | { text: string; plan: string[]; notices: RegExp[]; reading?: RegExp; choices?: Record<string, string> }
  | { text: string; asks: string; question?: RegExp; choices?: Record<string, string> }
  | { text: string; answer: RegExp; suggestions?: string[]; choices?: undefined };

const cc = 'onboard cirrus connect';
const base = ['User.Read/D'];
const mailD = ['Mail.ReadWrite.Shared/D', 'Mail.Send.Shared/D'];
const mailA = ['Mail.ReadWrite/A', 'Mail.Send/A'];
const ad = ['User.Read.All/A', 'Group.Read.All/A'];
const scheduling = ['Calendars.Read/A', 'Calendars.ReadWrite/A', 'Mail.Read/A', 'Mail.ReadWrite/A'];
const calSync = ['Calendars.Read/A', 'Calendars.ReadWrite/A'];
const emailSync = ['Mail.Read/A', 'Mail.ReadWrite/A'];
const miradore = ['User.Read.All/A', 'Group.Read.All/A'];
const securends = ['User.Read/D', 'User.Read.All/D', 'User.ReadBasic.All/D', 'Directory.AccessAsUser.All/D', 'Directory.Read.All/D', 'User.Read.All/A', 'Directory.Read.All/A'];
const notApplying = (feature: string, vendor: string, typed: string, planned: string) => new RegExp(`^${feature} is ${planned}-only for ${vendor}; "${typed}" does not apply to it, so it is planned as ${planned}\\.$`);
const noOnPrem = { 'option:onprem-ad-sync': 'no' };

export const readingRows: ReadingRow[] = [
  // Cirrus Connect: the issue's own cases first.
  { text: `${cc} calendar delegated`, plan: [...base, 'Calendars.Read/A'], notices: [notApplying('Outlook Calendar', 'Cirrus Connect', 'delegated', 'application')], reading: /^Read as: Cirrus Connect · Outlook Calendar: application$/ },
  { text: `${cc} presence delegated with on-premise active directory sync`, plan: [...base, 'Presence.Read.All/D', 'User.Read.All/D'], notices: [], reading: /User Presence: delegated, with users synced from on-premises Active Directory/ },
  { text: `${cc} mail delegated and application`, asks: 'mode:mail', question: /You named both delegated and application for Outlook Mail/ },
  { text: `${cc} mail delegated and application`, choices: { 'mode:mail': 'application' }, plan: [...base, ...mailA], notices: [] },
  { text: `${cc} delegated and application mail`, asks: 'mode:mail' },
  { text: `${cc} presence delegated with on-prem`, plan: [...base, 'Presence.Read.All/D', 'User.Read.All/D'], notices: [] },
  { text: `${cc} presence delegated with on-premises ad sync`, plan: [...base, 'Presence.Read.All/D', 'User.Read.All/D'], notices: [] },
  { text: `${cc} presence delegated, users synced from on-prem ad`, plan: [...base, 'Presence.Read.All/D', 'User.Read.All/D'], notices: [/^"users synced from on-prem ad" is read as the option "users synced from on-premises Active Directory", not as the Active Directory function\.$/] },
  { text: `${cc} presence delegated`, asks: 'option:onprem-ad-sync', question: /do you have users synced from on-premises Active Directory\? That needs User\.Read\.All \(delegated\)/ },
  { text: `${cc} presence delegated`, choices: noOnPrem, plan: [...base, 'Presence.Read.All/D'], notices: [], reading: /User Presence: delegated, without users synced/ },
  { text: `${cc} presence delegated`, choices: { 'option:onprem-ad-sync': 'yes' }, plan: [...base, 'Presence.Read.All/D', 'User.Read.All/D'], notices: [] },
  { text: `${cc} presence delegated without on-prem sync`, plan: [...base, 'Presence.Read.All/D'], notices: [] },
  { text: `${cc} presence application`, plan: [...base, 'Presence.ReadWrite.All/A'], notices: [] },
  { text: `${cc} presence application with on-prem ad sync`, plan: [...base, 'Presence.ReadWrite.All/A'], notices: [/^"users synced from on-premises Active Directory" applies to User Presence delegated only; the plan is application, so it is left out\.$/] },
  { text: `${cc} on-prem ad sync`, plan: [...base, 'Presence.Read.All/D', 'User.Read.All/D'], notices: [] },
  { text: `${cc} ad with on-prem sync and presence delegated`, plan: [...base, ...ad, 'Presence.Read.All/D', 'User.Read.All/D'], notices: [/^Active Directory is application-only for Cirrus Connect; "delegated" does not apply/] },
  { text: `${cc} mail delegated`, plan: [...base, ...mailD], notices: [], reading: /^Read as: Cirrus Connect · Outlook Mail: delegated$/ },
  { text: `${cc} mail delegated for contoso.cirrus.example`, plan: [...base, ...mailD], notices: [], reading: /Cirrus domain: contoso\.cirrus\.example$/ },
  { text: 'please onboard cirrus connect for us, mail, delegated', plan: [...base, ...mailD], notices: [] },
  { text: 'register Cirrus Connect with email delegated', plan: [...base, ...mailD], notices: [] },
  { text: 'set up cirrus connect outlook mail application', plan: [...base, ...mailA], notices: [] },
  { text: `${cc} mail app only`, plan: [...base, ...mailA], notices: [] },
  { text: `${cc} mail daemon`, plan: [...base, ...mailA], notices: [] },
  { text: `${cc} mail delgated`, plan: [...base, ...mailD], notices: [] },
  { text: `${cc} mail`, asks: 'mode:mail' },
  { text: `${cc}`, asks: 'features' },
  { text: 'onboard cirrus', asks: 'vendor' },
  { text: 'provision cirrus connect calendar', plan: [...base, 'Calendars.Read/A'], notices: [] },
  { text: `${cc} calendar application`, plan: [...base, 'Calendars.Read/A'], notices: [] },
  { text: `${cc} free busy delegated`, plan: [...base, 'Calendars.Read/A'], notices: [notApplying('Outlook Calendar', 'Cirrus Connect', 'delegated', 'application')] },
  { text: `${cc} active directory`, plan: [...base, ...ad], notices: [] },
  { text: `${cc} sso delegated`, plan: [...base, ...ad], notices: [notApplying('Active Directory', 'Cirrus Connect', 'delegated', 'application')] },
  { text: `${cc} mail delegated presence application`, plan: [...base, ...mailD, 'Presence.ReadWrite.All/A'], notices: [] },
  { text: `${cc} delegated mail and application presence`, plan: [...base, ...mailD, 'Presence.ReadWrite.All/A'], notices: [] },
  { text: `${cc} mail and presence application`, plan: [...base, ...mailA, 'Presence.ReadWrite.All/A'], notices: [] },
  { text: `${cc} ad calendar mail presence delegated`, choices: noOnPrem, plan: [...base, ...ad, 'Calendars.Read/A', ...mailD, 'Presence.Read.All/D'], notices: [notApplying('Active Directory', 'Cirrus Connect', 'delegated', 'application'), notApplying('Outlook Calendar', 'Cirrus Connect', 'delegated', 'application')] },
  { text: `${cc} ad calendar mail application presence application`, plan: [...base, ...ad, 'Calendars.Read/A', ...mailA, 'Presence.ReadWrite.All/A'], notices: [] },
  { text: `${cc} everything application`, plan: [...base, ...ad, 'Calendars.Read/A', ...mailA, 'Presence.ReadWrite.All/A'], notices: [] },
  { text: `${cc} mail delegated fax`, plan: [...base, ...mailD], notices: [/^I did not use "fax": Cirrus Connect has no function or option by that name\.$/] },
  { text: 'delegated mail for cirrus connect, please', plan: [...base, ...mailD], notices: [] },
  { text: 'ONBOARD CIRRUS CONNECT MAIL DELEGATED', plan: [...base, ...mailD], notices: [] },
  { text: 'onboard cirus connect mial delegated', plan: [...base, ...mailD], notices: [] },
  // Cirrus Insight: application permissions only.
  { text: 'onboard cirrus insight delegated email sync', plan: emailSync, notices: [notApplying('Email Sync', 'Cirrus Insight', 'delegated', 'application')] },
  { text: 'onboard cirrus insight calendar scheduling', plan: scheduling, notices: [] },
  { text: 'onboard cirrus insight scheduling delegated', plan: scheduling, notices: [notApplying('Calendar Scheduling', 'Cirrus Insight', 'delegated', 'application')] },
  { text: 'set up cirrus insight calendar sync', plan: calSync, notices: [] },
  { text: 'onboard cirrus insight email sync', plan: emailSync, notices: [] },
  { text: 'onboard cirrus insight mail sync and calendar sync', plan: [...calSync, ...emailSync], notices: [] },
  { text: 'onboard cirrus insight email sync application', plan: emailSync, notices: [] },
  { text: 'onboard cirus insigth email sync', plan: emailSync, notices: [] },
  { text: 'onboard cirrus insight task sync', answer: /^Task Sync isn't supported by a service account/, suggestions: ['onboard cirrus insight calendar sync', 'onboard cirrus insight email sync'] },
  { text: 'onboard cirrus insight task sync and email sync', plan: emailSync, notices: [/^Task Sync isn't supported by a service account: Graph has no application permission for Outlook Tasks\. It is left out of this plan\.$/] },
  { text: 'onboard cirrus insight', asks: 'features' },
  // Miradore: application only; group filtering on unless left out.
  { text: 'onboard miradore', plan: miradore, notices: [], reading: /^Read as: Miradore · Group filtering: application$/ },
  { text: 'register Miradore please', plan: miradore, notices: [] },
  { text: 'onboard miradore delegated', plan: miradore, notices: [notApplying('Group filtering', 'Miradore', 'delegated', 'application')] },
  { text: 'onboard miradore without group filtering', plan: ['User.Read.All/A'], notices: [], reading: /without group filtering/ },
  { text: 'onboard miradore without group filtering delegated', plan: ['User.Read.All/A'], notices: [/^Miradore has no delegated permissions \(its permissions are application\); "delegated" does not apply\.$/] },
  { text: 'onboard miradore application', plan: miradore, notices: [] },
  { text: 'set up mirador', plan: miradore, notices: [] },
  { text: 'onboard miradoer', plan: miradore, notices: [] },
  // SecurEnds: one fixed set.
  { text: 'onboard securends', plan: securends, notices: [] },
  { text: 'onboard SecurEnds office 365 connector', plan: securends, notices: [] },
  { text: 'onboard securends delegated', plan: securends, notices: [/^SecurEnds has one fixed set of permissions, delegated and application; "delegated" does not narrow it\.$/] },
  { text: 'onboard secureends', plan: securends, notices: [] },
  // Verbs that change the tenant are never guessed, least of all into their opposite.
  { text: 'uninstall securends', answer: /^Onboard cannot uninstall apps or permissions directly\. Nothing was changed\. To take an app Onboard made out of use, type \*\*offboard securends\*\*/ },
  { text: 'purge miradore', answer: /^Onboard cannot purge/, suggestions: ['offboard miradore', 'check miradore'] },
  { text: 'revoke miradore', answer: /^Onboard cannot revoke/ },
  { text: 'remove Group.Read.All from miradore', answer: /^Onboard offboards whole apps, not a part of one, so "remove Group\.Read\.All" was not read as offboarding miradore\. Nothing was changed\./ },
  { text: 'onbaord cirrus conect mail delegated', answer: /^Did you mean \*\*onboard cirrus conect mail delegated\*\*\?/, suggestions: ['onboard cirrus conect mail delegated'] },
  { text: 'onbord miradore', answer: /^Did you mean \*\*onboard miradore\*\*\?/, suggestions: ['onboard miradore'] },
  { text: 'regster miradore', answer: /^Did you mean \*\*register miradore\*\*\?/ },
  { text: 'ofboard miradore', answer: /^Did you mean \*\*(onboard|offboard) miradore\*\*\?/ },
  { text: 'offbord miradore', answer: /^Did you mean \*\*offboard miradore\*\*\?/, suggestions: ['offboard miradore'] },
  { text: 'restre miradore', answer: /^Did you mean \*\*restore miradore\*\*\?/, suggestions: ['restore miradore'] },
  { text: 'rotte secret for miradore', answer: /^Did you mean \*\*rotate secret for miradore\*\*\?/ },
  { text: 'onboard zoom', answer: /^I don't know the vendor "zoom"\.$/, suggestions: ['onboard custom "Zoom" with User.Read delegated', 'vendors'] },
];
