import { credentialFor, rawGraph } from '../localcloud/helpers';
import { VaultApprovalSigner } from '../../src/adapters/keyvault/vaultApprovalSigner';
import { KeyVaultSecretVault } from '../../src/adapters/keyvault/keyVaultSecretVault';
import { approvalPayload } from '../../src/domain/planGuard';
import { approve, submitRequest } from '../../src/domain/request';
import { settle } from '../support/inProcessHandoff';
import { cardText } from '../support/teamsTurns';
import type { TeamsUser } from '../support/fakeConnector';
import { alex, megan, HandoverStack } from './handoverStack';

const adele: TeamsUser = { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
const nestor: TeamsUser = { id: '29:nestor', aadObjectId: '6b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d52', name: 'Nestor Wilke' };
const GROUP_READ_ALL = '5b567255-7703-4780-807c-7be8301ae99b';

/**
 * Issue #13, rotation: it adds a password and nothing else, and the secret goes to the app's original requester.
 * Each test is the attack that worked when rotation re-ran the registration saga with the clicker as requester.
 */
describe('rotation: a new password for the original requester, and nothing else', () => {
  const stack = new HandoverStack();
  beforeAll(() => stack.start(), 60_000);
  afterAll(() => stack.stop());

  let appId = '';
  let originId = '';

  const inChatOf = (user: TeamsUser) => (p: { conversation: string }) => p.conversation.includes(`a:${user.aadObjectId}`);

  /** `who` asks for a rotation; returns the approval action on the card the approvers got, and the bot's answer. */
  async function ask(who: TeamsUser, text: string) {
    const before = stack.connector.posts.length;
    const reply = await stack.sayText(who, text);
    expect(reply).toMatch(/Rotation requested as REQ-/);
    const approve = await stack.waitForAction(before, 'approval.approve');
    return { reply, approve, requestId: approve.data!.requestId };
  }

  beforeAll(async () => {
    await stack.say(adele, 'help');
    await stack.say(nestor, 'help');
    const request = await stack.approvedAndProvisioned('onboard miradore');
    appId = request.provisioning!.steps.application!.appId;
    originId = request.id;
    await stack.reveal(stack.localUrl(stack.linkCards()[0].url));
  }, 90_000);

  it('a rotation asked for by a second approver delivers the link to the original requester; only they can remove the old secret', async () => {
    const links = stack.linkCards().length;
    const { reply, approve, requestId } = await ask(megan, `rotate secret for ${appId}`);
    await stack.approve(approve.data!, adele);
    const fresh = stack.linkCards().slice(links);
    expect(fresh).toHaveLength(1);
    expect(fresh.filter(inChatOf(megan))).toEqual([]);
    expect(inChatOf(alex)(fresh[0])).toBe(true);
    expect(reply).toContain('Alex Wilber, who requested the app, gets the new one-time link');
    const rotation = await stack.request(requestId);
    expect(rotation).toMatchObject({ requester: { id: megan.aadObjectId }, requiredApprovals: 1, rotation: { recipient: { id: alex.aadObjectId } } });

    // "Remove the old secret now" cuts the vendor off: only the person holding the new secret may press it.
    const secret = HandoverStack.secretOn(await stack.reveal(stack.localUrl(fresh[0].url)))!;
    const confirm = fresh[0].card.actions!.find((a) => a.verb === 'secret.rotation.confirm')!;
    expect(JSON.stringify(await stack.click(megan, confirm.verb!, confirm.data!))).toContain('Only Alex Wilber, who received the new secret');
    expect(JSON.stringify(await stack.click(alex, confirm.verb!, confirm.data!))).toContain('old secret');
    expect(await stack.tokenWith(appId, secret)).toBe(true);
  }, 90_000);

  it('anyone else receives the secret only when named on the card, and then two approvers must agree', async () => {
    const links = stack.linkCards().length;
    const { approve, requestId } = await ask(megan, `rotate secret for ${appId} to me`);
    const request = await stack.request(requestId);
    expect(request).toMatchObject({ requiredApprovals: 2, rotation: { recipient: { id: megan.aadObjectId } } });
    const card = stack.connector.posts.map((p) => p.body.attachments?.[0]?.content).find((c) => JSON.stringify(c ?? '').includes(requestId) && JSON.stringify(c).includes('approval.approve'));
    expect(cardText(card)).toContain('Megan Bowen: NOT the app\'s requester (Alex Wilber), so two approvers must agree');

    await stack.approve(approve.data!, adele);
    expect((await stack.request(requestId)).state).toBe('PendingApproval');
    expect(stack.linkCards()).toHaveLength(links);
    await stack.approve(approve.data!, nestor);
    const fresh = stack.linkCards().slice(links);
    expect(fresh.map(inChatOf(megan))).toEqual([true]);
  }, 90_000);

  it('a grant revoked during an incident stays revoked after a rotation, and the rotation says so', async () => {
    const sp = stack.cloud.state.servicePrincipals.find((s) => s.appId === appId)!;
    const assignment = stack.cloud.state.appRoleAssignments.find((a) => a.principalId === sp.id && a.appRoleId === GROUP_READ_ALL)!;
    expect((await rawGraph(stack.cloud, 'DELETE', `/servicePrincipals/${sp.id}/appRoleAssignments/${assignment.id}`)).status).toBe(204);

    const links = stack.linkCards().length;
    const before = stack.connector.posts.length;
    const { approve, requestId } = await ask(alex, `rotate secret for ${originId}`);
    await stack.approve(approve.data!);

    expect(stack.cloud.state.appRoleAssignments.filter((a) => a.principalId === sp.id && a.appRoleId === GROUP_READ_ALL)).toEqual([]);
    const rotation = await stack.request(requestId);
    expect(rotation.state).toBe('Provisioned');
    expect(rotation.rotation!.grantsDiffer).toEqual(['Group.Read.All (Application) is not granted']);
    const told = stack.connector.posts.slice(before).map((p) => `${p.body.text ?? ''} ${cardText(p.body.attachments?.[0]?.content)}`).join('\n');
    expect(told).toContain('Group.Read.All (Application) is not granted');
    expect(told).toContain('Fix drift');
    const fresh = stack.linkCards().slice(links);
    expect(fresh.map(inChatOf(alex))).toEqual([true]);
    expect(await stack.tokenWith(appId, HandoverStack.secretOn(await stack.reveal(stack.localUrl(fresh[0].url)))!)).toBe(true);
  }, 90_000);

  it('an approved rotation that no click ran is finished by the provisioning sweeper as a rotation, not as a registration', async () => {
    const origin = await stack.request(originId);
    const id = `REQ-SWEEP${Date.now().toString(36).toUpperCase()}`;
    const pending = submitRequest({ id, requester: { id: alex.aadObjectId, name: alex.name }, title: `${origin.title}: new client secret`, text: 'rotate secret', plan: origin.plan, planHash: origin.planHash, risk: origin.risk, requiredApprovals: 1, expiresAfterMs: 86_400_000 }, new Date());
    const approved = approve({ ...pending, rotation: { ofRequestId: originId, appId, oldKeyIds: [], recipient: origin.requester } }, { id: megan.aadObjectId, name: megan.name }, new Date());
    if (!approved.ok) throw new Error('not approved');
    // Signed with the approval key in the vault, as the bot's DecideApproval leaves an approved row.
    const signer = new VaultApprovalSigner(new KeyVaultSecretVault(stack.cloud.vaultUrl, credentialFor(stack.cloud), { disableChallengeResourceVerification: true }), { createIfMissing: false });
    await stack.requests.create({ ...approved.request, approvalMac: await signer.sign(approvalPayload(approved.request)) });
    const sp = stack.cloud.state.servicePrincipals.find((s) => s.appId === appId)!;
    const links = stack.linkCards().length;

    // The worker's intake finds it (its sweep, as after a lost poke) and runs it as a rotation.
    await settle(stack.onboard, stack.worker);
    expect((await stack.request(id)).history.map((h) => h.to)).toContain('Provisioned');
    await stack.onboard.secrets.sweeper!.runOnce();
    expect((await stack.request(id)).provisioning!.steps.password).toBeDefined();
    expect(stack.cloud.state.appRoleAssignments.filter((a) => a.principalId === sp.id && a.appRoleId === GROUP_READ_ALL)).toEqual([]);
    expect(stack.linkCards().slice(links).map(inChatOf(alex))).toEqual([true]);
  }, 90_000);
});
