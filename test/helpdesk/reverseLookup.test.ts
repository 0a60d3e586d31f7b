import type { LocalCloud } from '../../src/localcloud';
import { FindPermissionHolders } from '../../src/app/helpdesk/findPermissionHolders';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { startTestCloud } from '../localcloud/helpers';
import { composeForTest } from '../support/onboard';
import { testTables } from '../support/tables';
import { Conversation, buttonData, cardText, cardsOf } from '../support/teamsTurns';
import { counted, helpdeskStack } from './helpdeskStack';

const APPS = 2_000;
const holdsMailSend = (i: number) => i % 7 === 0;

describe('which apps hold a permission, over 2,000 apps', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let helpdesk: ReturnType<typeof helpdeskStack>;
  let holders: FindPermissionHolders;
  let expected: string[];

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    const ids = cloud.seedApps(APPS, { prefix: 'Bulk App', graphRoles: (i) => (holdsMailSend(i) ? ['User.Read.All', 'Mail.Send'] : ['User.Read.All']) });
    const mailSenders = new Set(ids.filter((_id, i) => holdsMailSend(i + 1)));
    const appIds = new Set(cloud.state.applications.filter((a) => mailSenders.has(a.id as string)).map((a) => a.appId));
    expected = cloud.state.servicePrincipals.filter((s) => appIds.has(s.appId)).map((s) => s.id as string).sort();
    helpdesk = helpdeskStack(cloud, new TableRequestStore(createTableClientFactory(testTables())));
    holders = new FindPermissionHolders({ inventory: helpdesk.inventory });
  });
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it('finds every app holding Mail.Send (application) and only those, reading every page of appRoleAssignedTo once', async () => {
    expect(expected).toHaveLength(Math.floor(APPS / 7));
    const seen: number[] = [];
    const { result, requests } = await counted(helpdesk.calls, () => holders.execute({ permission: 'mail.send', type: 'Application', progress: (n) => seen.push(n) }));
    if (result.kind !== 'holders') throw new Error(result.kind);
    expect(result.permission).toBe('Mail.Send');
    const found = result.results[0].holders.map((h) => h.servicePrincipalId).sort();
    expect(found).toEqual(expected);
    expect(result.results[0].holders.every((h) => h.consent === 'admin' && h.displayName.startsWith('Bulk App '))).toBe(true);

    const graph = cloud.state.servicePrincipals.find((s) => s.displayName === 'Microsoft Graph')!.id;
    const total = cloud.state.appRoleAssignments.filter((a) => a.resourceId === graph).length;
    const pages = requests.filter((r) => r.url.includes('/appRoleAssignedTo'));
    expect(pages).toHaveLength(Math.ceil(total / 999));
    expect(pages.slice(1).every((p) => p.url.includes('skiptoken'))).toBe(true);
    expect(new Set(pages.map((p) => p.url)).size).toBe(pages.length);
    expect(seen.at(-1)).toBe(total);
  });

  it('a delegated permission: admin consent and per-user consent told apart', async () => {
    const result = await holders.execute({ permission: 'Mail.Read', type: 'Delegated' });
    expect(result.kind === 'holders' && result.results[0].holders).toEqual([{ servicePrincipalId: expect.any(String), displayName: 'Fabrikam Expenses', consent: 'per-user', users: 2 }]);
  });

  it('a misspelt permission gets the closest names', async () => {
    expect(await holders.execute({ permission: 'Mail.Sned' })).toMatchObject({ kind: 'unknown-permission', suggestions: expect.arrayContaining(['which apps have Mail.Send']) });
  });

  it('in chat: a slow lookup says it is still looking, then answers on one card whose Next pages reach every holder', async () => {
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    const onboard = composeForTest(env);
    try {
      cloud.faults.set({ id: 'slow-pages', route: 'GET /v1.0/servicePrincipals/*/appRoleAssignedTo', latencyMs: 1_100 });
      const isaiah = { id: '29:isaiah', name: 'Isaiah Langer', aadObjectId: '00000000-0000-0000-0000-0000000000023' };
      const replies = await new Conversation(onboard.app, isaiah).say('which apps have Mail.Send application');
      expect(replies.filter((r) => r.type === 'message').map((r) => r.text ?? 'card')).toEqual([expect.stringMatching(/^Still looking: [\d,]+ grants read so far/), 'card']);
      const [card] = cardsOf(replies);
      expect(cardText(card)).toContain(`Mail.Send (Application): ${expected.length} apps`);
      cloud.faults.clear();
      // Issue #14: the card used to list 60 and say "and 225 more", with no way to see them. Now Next reaches each.
      const names = new Set<string>();
      const chat = new Conversation(onboard.app, isaiah);
      let page = card;
      for (let pages = 1; ; pages++) {
        const text = cardText(page);
        for (const m of text.matchAll(/^Bulk App \d+$/gm)) names.add(m[0]);
        const next = buttonData(page, 'Next');
        if (!next) break;
        expect(pages).toBeLessThan(50);
        const clicked = await chat.click(next.verb, next.data);
        expect(clicked.card).toBeDefined();
        page = clicked.card!;
      }
      expect(names.size).toBe(expected.length);
      expect(cardText(page)).toContain(`of ${expected.length} · page ${Math.ceil(expected.length / 25)} of`);
    } finally {
      cloud.faults.clear();
      await onboard.close();
    }
  });
});
