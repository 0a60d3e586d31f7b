import { renderCard } from '../../src/teams/cards';
import { requestView } from '../../src/teams/views/requestView';
import { storedPlanView } from '../../src/teams/views/storedPlanView';
import { cardText } from '../support/teamsTurns';
import { offboardStates } from './offboardCardSamples';

const card = (name: string, viewer: 'approver' | 'requester' = 'requester') => {
  const { request } = offboardStates().find((s) => s.name === name)!;
  return cardText(renderCard('request', requestView(request, storedPlanView(request), viewer)));
};

/** What the offboard request's card says at each point, as its requester and approvers read it. */
describe('the offboard request card', () => {
  it('asks the approver to approve offboarding, says approving disables the app, and never speaks of creating one', () => {
    const text = card('pending', 'approver');
    expect(text).toContain('Riley Requester asks you to approve offboarding Miradore');
    expect(text).toContain('Approve: disable the app');
    expect(text).toContain('Approving **disables** this app and later removes it; it creates nothing and issues no secret.');
    expect(text).not.toMatch(/Registered and verified|will be issued|After provisioning|App registration\n/);
  });

  it('after step 1: sign-in disabled, the removal date, and how to undo it', () => {
    expect(card('disabled')).toContain('Sign-in disabled; removal on 2026-12-06. Type **restore Miradore** before then to undo (approvers).');
    expect(card('restore-ordered')).toContain('Restore ordered by Ann Approver: Onboard turns sign-in back on, and removes nothing.');
  });

  it('after step 2: offboarded, what was removed, and until when the registration can be restored', () => {
    const text = card('offboarded');
    expect(text).toContain('Offboarded; the registration is in deleted items until 2027-01-05.');
    expect(text).toContain('2 grant(s), 1 secret(s), 0 certificate(s)');
  });

  it('restored: within the grace period nothing was removed; after removal, the permissions wait for approval', () => {
    expect(card('restored')).toContain('Restored by Ann Approver: sign-in is on again, and nothing was removed.');
    expect(card('restore-after-removal-ordered')).toContain('Onboard brings the app back from deleted items and turns sign-in on');
    expect(card('restored-from-deleted-items')).toContain('Restored by Ann Approver from deleted items: sign-in is on again; its approved permissions wait for approval as REQ-REGRANT1.');
  });
});
