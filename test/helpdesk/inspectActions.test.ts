import { inspectView } from '../../src/teams/views/inspectView';
import { renderCard } from '../../src/teams/cards';
import { sampleInspection } from './helpdeskCardSamples';
import type { Card } from '../support/teamsTurns';

const titles = (card: Card) => ((card.actions ?? []) as { type: string; title: string }[]).filter((a) => a.type === 'Action.Execute').map((a) => a.title);

describe('the buttons on an inspect card', () => {
  it('offer an approver Rotate secret for an Onboard-made app that uses a secret', () => {
    expect(titles(renderCard('inspect', inspectView(sampleInspection(), { approver: true })) as Card)).toContain('Rotate secret');
  });

  it('offer no Rotate for an Onboard-made app that has and needs no secret (it would only be refused)', () => {
    const inspection = { ...sampleInspection(), usesSecret: false };
    inspection.app = { ...inspection.app, passwords: [] };
    expect(titles(renderCard('inspect', inspectView(inspection, { approver: true })) as Card)).not.toContain('Rotate secret');
  });

  it('offer an approver Offboard… for an app Onboard made, and not for one it did not', () => {
    const offboard = (card: Card) => ((card.actions ?? []) as { title: string; verb?: string; data?: { appId?: string } }[]).find((a) => a.title === 'Offboard…');
    const made = sampleInspection();
    expect(offboard(renderCard('inspect', inspectView(made, { approver: true })) as Card)).toMatchObject({ verb: 'offboard.request', data: { appId: made.app.appId } });
    expect(offboard(renderCard('inspect', inspectView({ ...made, managedByOnboard: false }, { approver: true })) as Card)).toBeUndefined();
  });

  it('offer the helpdesk no buttons at all', () => {
    expect(titles(renderCard('inspect', inspectView(sampleInspection(), { approver: false })) as Card)).toEqual([]);
  });
});
