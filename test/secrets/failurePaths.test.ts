import { handoverSecretName, passwordDisplayName } from '../../src/domain/provisioning';
import { ManualClock } from '../support/fakes';
import { cardText } from '../support/teamsTurns';
import { alex, megan, HandoverStack } from './handoverStack';

type Card = { actions?: { type: string; verb?: string; data?: Record<string, string> }[] };

describe('when the handover goes wrong', () => {
  const clock = new ManualClock(new Date());
  const stack = new HandoverStack();
  beforeAll(() => stack.start({ overrides: { clock } }), 60_000);
  afterAll(() => stack.stop());

  const vaultHas = (name: string) => !!(stack.cloud.state.vault as { secrets: Record<string, unknown> }).secrets[name];
  const vaultDeleted = (name: string) => stack.cloud.state.vault.deleted.includes(name);
  const ours = (appId: string, requestId: string) => stack.passwordsOf(appId).filter((p) => p.displayName === passwordDisplayName(requestId));
  const cardsTo = (user: { aadObjectId: string }, from = 0) =>
    stack.connector.posts.slice(from).filter((p) => decodeURIComponent(p.path).includes(`a:${user.aadObjectId}`) && p.body.attachments?.length).map((p) => p.body.attachments![0].content as Card);

  it('withdraws an unrevealed secret when its link expires: vault entry purged, password removed, requester told with Rotate', async () => {
    const request = await stack.approvedAndProvisioned('onboard miradore');
    const appId = request.provisioning!.steps.application!.appId;
    const vaultName = handoverSecretName(request.id);
    expect(ours(appId, request.id)).toHaveLength(1);
    expect(vaultHas(vaultName)).toBe(true);
    const url = stack.localUrl(stack.linkCards()[0].url);

    clock.advance(23 * 3_600_000);
    await stack.sweepSecrets();
    expect(vaultHas(vaultName)).toBe(true);
    expect((await stack.page(url)).status).toBe(200);

    const before = stack.connector.posts.length;
    clock.advance(2 * 3_600_000);
    await stack.sweepSecrets();
    expect(vaultHas(vaultName)).toBe(false);
    expect(vaultDeleted(vaultName)).toBe(false);
    expect(ours(appId, request.id)).toEqual([]);
    const notice = cardsTo(alex, before);
    expect(notice).toHaveLength(1);
    expect(cardText(notice[0])).toContain('expired');
    expect(notice[0].actions).toEqual([expect.objectContaining({ verb: 'secret.rotate', data: { appId } })]);
    const page = await stack.page(url);
    expect(page.status).toBe(410);
    expect(page.body).toMatch(/expired[^<]*Ask for a rotation/);

    // A second sweep finds nothing left to do and tells nobody twice.
    await stack.sweepSecrets();
    expect(cardsTo(alex, before)).toHaveLength(1);
  }, 90_000);

  it('when Key Vault is down: no live password without a vault entry, "secret not delivered" with Rotate, and Rotate works once it is back', async () => {
    stack.cloud.faults.set([{ route: 'PUT /secrets/*', status: 503 }]);
    const before = stack.connector.posts.length;
    const linksBefore = stack.linkCards().length;
    const request = await stack.approvedAndProvisioned('onboard miradore');
    const appId = request.provisioning!.steps.application!.appId;
    expect(stack.cloud.faults.counts().unavailable).toBeGreaterThan(3);
    expect(request.state).toBe('Provisioned');
    expect(request.provisioning!.secretNotDelivered?.reason).toContain('Key Vault did not take the client secret');
    expect(ours(appId, request.id)).toEqual([]);
    expect(vaultHas(handoverSecretName(request.id))).toBe(false);
    expect(stack.linkCards()).toHaveLength(linksBefore);

    const said = stack.connector.posts.slice(before).filter((p) => decodeURIComponent(p.path).includes(`a:${alex.aadObjectId}`) && p.body.text).map((p) => p.body.text!);
    expect(said).toContainEqual(expect.stringContaining('client secret was not delivered'));
    expect(said.some((t) => t.includes('registered and verified'))).toBe(false);
    const statusCard = [...stack.connector.posts.slice(before)].reverse().find((p) => p.method === 'PUT' && p.body.attachments?.length);
    expect(cardText(statusCard!.body.attachments![0].content)).toContain(`client secret was not delivered and has been withdrawn. Type **rotate secret for ${request.id}**`);
    for (const person of [alex, megan]) {
      const notice = cardsTo(person, before).find((c) => cardText(c).includes('Secret not delivered'));
      expect(notice).toBeDefined();
      expect(notice!.actions).toEqual([expect.objectContaining({ verb: 'secret.rotate', data: { appId } })]);
    }

    stack.cloud.faults.clear();
    const asked = stack.connector.posts.length;
    const reply = await stack.click(alex, 'secret.rotate', { appId }, 'notice-1');
    expect(JSON.stringify(reply)).toMatch(/Rotation requested as REQ-/);
    const approve = await stack.waitForAction(asked, 'approval.approve');
    await stack.approve(approve.data!);
    const rotation = await stack.request(approve.data!.requestId);
    expect(rotation.rotation?.ofRequestId).toBe(request.id);
    const link = stack.linkCards().at(-1)!;
    expect(link.conversation).toContain(`a:${alex.aadObjectId}`);
    const revealed = await stack.reveal(stack.localUrl(link.url));
    const secret = HandoverStack.secretOn(revealed)!;
    expect(await stack.tokenWith(appId, secret)).toBe(true);
    expect(stack.passwordsOf(appId).filter((p) => p.displayName?.startsWith('Onboard handover'))).toHaveLength(1);
  }, 120_000);
});
