import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { parseCommand } from '../../src/domain/commands';
import { cardText } from '../support/teamsTurns';
import { alex, patti, HandoverStack } from './handoverStack';

describe('the words for revoking', () => {
  it('are never read as a rotation, which would leave the exposed secret working through the grace period', () => {
    for (const text of ['revoke secret for Miradore', 'please revoke the client secret of Miradore', 'revoke Miradore secret now']) expect(parseCommand(text)).toEqual({ kind: 'revoke', target: 'Miradore' });
    expect(parseCommand('revoke secret')).toMatchObject({ kind: 'unknown', reason: 'Which app? For example: revoke secret for Miradore' });
    // Revoking an app itself is not something Onboard does: it says so, changes nothing, and points to offboarding.
    expect(parseCommand('revoke Miradore')).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('cannot revoke apps or permissions directly. Nothing was changed') });
    expect(parseCommand('revoke Miradore')).toMatchObject({ reason: expect.stringContaining('**offboard Miradore**') });
  });
});

describe('revoke secret for <app>: the secret may be exposed', () => {
  const stack = new HandoverStack();
  let appId = '';
  let requestId = '';
  let secret = '';
  beforeAll(async () => {
    await stack.start();
    const request = await stack.approvedAndProvisioned('onboard miradore');
    appId = request.provisioning!.steps.application!.appId;
    requestId = request.id;
    secret = HandoverStack.secretOn(await stack.reveal(stack.localUrl(stack.linkCards()[0].url)))!;
    expect(await stack.tokenWith(appId, secret)).toBe(true);
  }, 90_000);
  afterAll(() => stack.stop());

  it('asks for confirmation first, naming the outage risk; nothing is removed by asking', async () => {
    const card = await stack.say(alex, 'revoke secret for Miradore');
    const text = cardText(card);
    expect(text).toContain('Revoke the client secret of Miradore now?');
    expect(text).toMatch(/Miradore's connection stops working until you enter a new secret there, which can mean an outage/);
    expect(card.actions?.find((a) => a.verb === 'secret.revoke')).toMatchObject({ title: 'Revoke now', data: { appId } });
    expect(await stack.tokenWith(appId, secret)).toBe(true);
  });

  it('refuses someone who neither requested the app nor approves, in chat and on the button', async () => {
    expect(await stack.sayText(patti, 'revoke secret for Miradore')).toContain('Only Alex Wilber, who requested Miradore, or an approver can revoke its secret.');
    const answer = JSON.stringify(await stack.click(patti, 'secret.revoke', { appId }));
    expect(answer).toContain('Only Alex Wilber');
    expect(await stack.tokenWith(appId, secret)).toBe(true);
  });

  it('"Revoke now" removes the password at once (the local cloud no longer has it), starts a rotation through approval, and is audited', async () => {
    const before = stack.connector.posts.length;
    const answer = JSON.stringify(await stack.click(alex, 'secret.revoke', { appId }));
    expect(answer).toContain('Revoked: 1 client secret of Miradore removed');
    expect(answer).toMatch(/New secret requested as REQ-[A-Z0-9]+, through the usual approval/);
    // At once: no grace period, no sweeper run. The bot asked the worker (which holds the write role), which it woke.
    await stack.worker.intake.runOnce();
    expect(stack.passwordsOf(appId)).toEqual([]);
    expect(await stack.tokenWith(appId, secret)).toBe(false);

    const approve = await stack.waitForAction(before, 'approval.approve');
    const rotation = await stack.request(approve.data!.requestId);
    expect(rotation).toMatchObject({ state: 'PendingApproval', rotation: { ofRequestId: requestId, oldKeyIds: [] } });

    const events = await new TableAuditLog(createTableClientFactory(stack.tables)).forRequest(requestId);
    const revoked = events.find((e) => e.action === 'secret.revoked');
    expect(revoked).toMatchObject({ outcome: 'ok', actor: { id: alex.aadObjectId } });
    expect(revoked!.detail).toContain('no grace period');

    // The approved rotation hands over a new secret that works.
    await stack.approve(approve.data!);
    const fresh = HandoverStack.secretOn(await stack.reveal(stack.localUrl(stack.linkCards().at(-1)!.url)))!;
    expect(fresh).not.toBe(secret);
    expect(await stack.tokenWith(appId, fresh)).toBe(true);
    expect((await stack.occurrences(secret)).logs).toBe(0);
  }, 90_000);

  it('withdraws an unrevealed link of a revoked password: its page says it no longer works, and the vault entry is purged', async () => {
    const before = stack.connector.posts.length;
    expect(await stack.sayText(alex, 'rotate secret for Miradore')).toMatch(/Rotation requested as REQ-/);
    await stack.approve((await stack.waitForAction(before, 'approval.approve')).data!);
    const unrevealed = stack.localUrl(stack.linkCards().at(-1)!.url);
    expect((await stack.page(unrevealed)).status).toBe(200);
    const vaultBefore = Object.keys(stack.cloud.state.vault.secrets).length;

    expect(JSON.stringify(await stack.click(alex, 'secret.revoke', { appId }))).toContain('Revoked: 2 client secrets of Miradore removed');
    await stack.worker.intake.runOnce();
    const page = await stack.page(unrevealed);
    expect(page.status).toBe(410);
    expect(page.body).toContain('Link expired');
    await stack.sweepSecrets();
    expect(Object.keys(stack.cloud.state.vault.secrets).length).toBe(vaultBefore - 1);
    expect(stack.passwordsOf(appId)).toEqual([]);
  }, 90_000);
});
