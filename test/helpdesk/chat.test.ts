import type { LocalCloud } from '../../src/localcloud';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { startTestCloud } from '../localcloud/helpers';
import { composeForTest } from '../support/onboard';
import { Conversation, cardText, cardsOf, type Card } from '../support/teamsTurns';

const user = (name: string, aadObjectId: string) => ({ id: `29:${name}`, name, aadObjectId });
const isaiah = user('Isaiah Langer', '00000000-0000-0000-0000-0000000000023');
const grady = user('Grady Archie', '8d4e5f6a-7b8c-4d9e-9f0a-2b3c4d5e6f74');
const alex = user('Alex Wilber', '00000000-0000-0000-0000-0000000000020');

type Button = { type: string; title: string; data?: { msteams?: { type: string; value: string } } };
const buttons = (card: Card) => (card.actions ?? []) as Button[];

describe('helpdesk questions in chat, answered from the local cloud', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let onboard: ReturnType<typeof composeForTest>;

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    onboard = composeForTest(env);
  });
  afterAll(async () => {
    await onboard.close();
    await stop();
  });

  const ask = async (who: typeof isaiah, text: string) => new Conversation(onboard.app, who).say(text);

  it('check: one app on one card, with its permissions, owners and credentials, and no secret value', async () => {
    const [card] = cardsOf(await ask(isaiah, 'check payroll sync'));
    const text = cardText(card);
    expect(text).toContain('Payroll Sync (legacy)');
    expect(text).toContain('**User.Read.All** · Application');
    expect(text).toContain('requested · granted');
    expect(text).toContain('Adele Vance');
    expect(text).toContain('expired');
    expect(text).toContain('No drift check');
    expect(buttons(card)).toEqual([]);
  });

  it('a member of a group nested in the helpdesk group may ask too; "does X have P" answers first', async () => {
    const [card] = cardsOf(await ask(grady, 'does Fabrikam Expenses have Mail.Read'));
    const text = cardText(card);
    expect(text.split('\n')[0]).toBe('Partly: Mail.Read was consented by 2 people for themselves; there is no admin consent for everyone.');
    expect(text).toContain('per-user consent only: 2 people');
    expect(text).toContain('2 other permissions not shown');
  });

  it('an enterprise app: "does X have P" answers from its grants here, without flagging what its publisher requests', async () => {
    cloud.addEnterpriseApp({ displayName: 'Northwind Sync', publisherTenantId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', graphRoles: ['Directory.Read.All'] });
    const [card] = cardsOf(await ask(isaiah, 'does Northwind Sync have Directory.Read.All'));
    const text = cardText(card);
    expect(text.split('\n')[0]).toBe('Yes: Northwind Sync holds Directory.Read.All (Application).');
    expect(text).toContain('another organisation (tenant 0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e)');
    expect(text).not.toContain('Granted but not requested');
  });

  it('several apps fit: a choice card whose buttons ask again by Application ID', async () => {
    const [card] = cardsOf(await ask(isaiah, 'check contoso'));
    expect(cardText(card)).toContain('3 apps match "contoso"');
    const mobile = cloud.state.applications.find((a) => a.displayName === 'Contoso Mobile')!;
    expect(buttons(card).map((b) => b.title).sort()).toEqual(['Contoso HR Portal', 'Contoso Intranet API', 'Contoso Mobile']);
    expect(buttons(card).find((b) => b.title === 'Contoso Mobile')!.data!.msteams).toEqual({ type: 'imBack', value: `check ${mobile.appId}` });
  });

  it('no app fits: the closest names, one click away', async () => {
    const [card] = cardsOf(await ask(isaiah, 'check payrol sink'));
    expect(cardText(card)).toContain('No app called "payrol sink"');
    expect(buttons(card).map((b) => b.data!.msteams!.value)).toEqual(['check "Payroll Sync (legacy)"']);
  });

  it('anyone else gets a polite refusal that says whom to ask, and no card', async () => {
    const replies = await ask(alex, 'what permissions does Payroll Sync have');
    expect(cardsOf(replies)).toEqual([]);
    expect(replies[0].text).toContain('Please ask someone in the Onboard Helpdesk group');
    const refusals = [];
    for await (const event of new TableAuditLog(createTableClientFactory(onboard.config.tables)).since(new Date(Date.now() - 60_000))) refusals.push(event);
    expect(refusals).toContainEqual(expect.objectContaining({ action: 'helpdesk.check', outcome: 'refused', actor: { id: alex.aadObjectId, name: alex.name } }));
  });
});
