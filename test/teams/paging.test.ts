import { composeForTest } from '../support/onboard';
import { InMemoryMembership } from '../support/fakes';
import { Conversation, buttonData, cardText, cardsOf } from '../support/teamsTurns';
import { verbs } from '../../src/teams/verbs';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';

const APPROVERS = '2b6c1d7e-5a3f-4c8b-9d2e-7f1a4b8c3e05';
const HELPDESK = '7c1f2e3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const approver = { id: '29:megan', name: 'Megan Bowen', aadObjectId: '00000000-0000-0000-0000-0000000000021' };
const stranger = { id: '29:eve', name: 'Eve Outsider', aadObjectId: '00000000-0000-0000-0000-0000000000066' };

/** Next and Previous carry only the question; what they show is decided again, for whoever pressed them. */
describe('paging a long card (card.page)', () => {
  const onboard = composeForTest({ APPROVERS_GROUP_ID: APPROVERS, HELPDESK_GROUP_ID: HELPDESK }, { membership: new InMemoryMembership({ [APPROVERS]: [approver.aadObjectId], [HELPDESK]: [] }) });
  afterAll(() => onboard.close());

  const audit = () => new TableAuditLog(createTableClientFactory(onboard.config.tables));

  /** A long trail, written through the same port the bot writes it with. */
  async function trailOf(requestId: string, count: number) {
    const log = audit();
    await Promise.all(Array.from({ length: count }, (_, i) => log.append({ at: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(), action: 'request.viewed', outcome: 'ok', requestId, correlationId: `c-${i}`, detail: `view ${i}` })));
  }

  it('an approver pages through a 60-event audit trail with Next and Previous, in place', async () => {
    await trailOf('REQ-PAGE0001', 60);
    const chat = new Conversation(onboard.app, approver);
    const [first] = cardsOf(await chat.say('audit REQ-PAGE0001'));
    expect(cardText(first)).toContain('1–25 of 60 · page 1 of 3');
    const next = buttonData(first, 'Next')!;
    expect(next.verb).toBe(verbs.page);
    const second = await chat.click(next.verb, next.data);
    expect(cardText(second.card)).toContain('26–50 of 60 · page 2 of 3');
    const back = await chat.click(verbs.page, buttonData(second.card, 'Previous')!.data);
    expect(cardText(back.card)).toContain('1–25 of 60 · page 1 of 3');
  });

  it('refuses, and audits, a Next pressed by someone who may not read the list (a forwarded or forged card)', async () => {
    const chat = new Conversation(onboard.app, stranger);
    const refused = await chat.click(verbs.page, { list: 'audit', page: 1, subject: 'REQ-PAGE0001' });
    expect(refused.card).toBeUndefined();
    expect(refused.message).toContain('Only members of the Onboard Helpdesk');
    const events = await audit().forRequest('tenant');
    expect(events.some((e) => e.action === 'helpdesk.page.audit' && e.outcome === 'refused' && e.actor?.id === stranger.aadObjectId)).toBe(true);
  });

  it.each([
    [{ list: 'everything', page: 0, subject: 'x' }],
    [{ list: 'audit', page: -1, subject: 'REQ-PAGE0001' }],
    [{ list: 'audit', page: 0, subject: "REQ-1' or 1 eq 1" }],
    [{ list: 'inspect', page: 0, subject: 'not-an-app-id' }],
  ])('answers forged page data %j with a plain "ask again", never a card', async (data) => {
    const clicked = await new Conversation(onboard.app, approver).click(verbs.page, data);
    expect(clicked.card).toBeUndefined();
    expect(clicked.message).toMatch(/not valid any more|Graph is not configured/);
  });
});
