import { join } from 'node:path';
import { distFile } from '../support/dist';
import { projectRoot } from '../../src/paths';
import { browserScenarioBlocker, runScenarioIsolated, type ScenarioLine } from './isolatedRun';
import { justification } from './steps';

/** Where the run keeps its screenshots, logs and state (gitignored); see docs/e2e.md. */
const artifacts = join(projectRoot, '.data', 'e2e');
const blocker = browserScenarioBlocker();
if (blocker) console.warn(`Skipping the browser end-to-end test: ${blocker}.`);

const redirectUris = (text: string) => text.match(/https:\/\/\S+\/signin-oidc/g);
const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

(blocker ? describe.skip : describe)('Onboard in the Agents Playground, in headless Chromium, inside a loopback-only namespace', () => {
  let lines: ScenarioLine[] = [];
  let stderr = '';
  let leftovers: number[] = [];

  beforeAll(async () => {
    ({ lines, stderr, leftovers } = await runScenarioIsolated(distFile('test', 'e2e', 'scenario.js'), artifacts, 285_000));
  }, 300_000);

  /** The facts a step reported; a step that failed or never ran fails here with what the scenario said. */
  const facts = (step: number): Record<string, string> => {
    const line = lines.find((l) => l.step === step);
    if (line?.facts) return line.facts as Record<string, string>;
    const why = line?.error ?? lines.find((l) => l.error)?.error ?? `the scenario stopped before step ${step}`;
    throw new Error(`step ${step}: ${why}\n(screenshots and logs: ${artifacts}; scenario stderr tail:\n${stderr.slice(-1500)})`);
  };

  it('0. the approver (a second Playground, signed in as Megan Bowen) gets an answer, so Onboard can reach her later', () => {
    expect(Number(facts(0).replies)).toBeGreaterThanOrEqual(1);
  });

  it('1–2. "onboard cirrus connect mail delegated" shows a preview with the three redirect URIs and Mail.ReadWrite.Shared / Mail.Send.Shared', () => {
    facts(1);
    const { text } = facts(2);
    expect(redirectUris(text)).toEqual(['https://{domain}/webclient/signin-oidc', 'https://{domain}/supervisor/signin-oidc', 'https://{domain}/administrator/signin-oidc']);
    expect(text).toContain('Mail.ReadWrite.Shared · Delegated');
    expect(text).toContain('Mail.Send.Shared · Delegated');
  });

  it('3. filling the domain fills the redirect URIs; submitting makes a pending request, and the card names who was notified', () => {
    const { checked, requestId, status } = facts(3);
    expect(status).toContain('Sent to 1 approver (Megan Bowen)');
    expect(redirectUris(checked)).toEqual(['https://contoso.cirrus.example/webclient/signin-oidc', 'https://contoso.cirrus.example/supervisor/signin-oidc', 'https://contoso.cirrus.example/administrator/signin-oidc']);
    expect(requestId).toMatch(/^REQ-[A-Z0-9]+$/);
    expect(status).toContain('Pending approval');
    expect(status).toContain('Alex Wilber');
  });

  it('4. the approver gets the approval card in her own chat, with who asks, why and how Onboard read it, and approves it there', () => {
    const { approverSees, approvalCard } = facts(4);
    expect(approvalCard).toContain('Alex Wilber asks you to approve Cirrus Connect (contoso.cirrus.example)');
    expect(approvalCard).toContain('Read as: Cirrus Connect · Outlook Mail: delegated · Cirrus domain: contoso.cirrus.example');
    expect(approvalCard).toContain(justification);
    expect(approvalCard).toMatch(/Mail\.Send\.Shared · Delegated[\s\S]*?Granted for everyone in the tenant/);
    expect(approverSees).toContain(facts(3).requestId);
    expect(approverSees).not.toContain('Pending approval');
    expect(approverSees).toMatch(/\n(Approved|Provisioning|Provisioned)\n/);
  });

  it('5. the requester sees the status card reach done: registered, every delegated permission granted and verified', () => {
    const { text } = facts(5);
    expect(text).toContain('Provisioned');
    expect(text).toContain('Registered and verified');
    expect(text).toMatch(new RegExp(`Application \\(client\\) ID\\s+${guid.source}`));
    for (const permission of ['User.Read', 'Mail.ReadWrite.Shared', 'Mail.Send.Shared', 'Unexus.Access']) {
      expect(text).toMatch(new RegExp(`${permission.replace(/\./g, '\\.')} · Delegated\\s+[^\\n]+ · ✓ granted and verified`));
    }
  });

  it('6. Cirrus Connect ad (application permissions, admin consent) is approved and provisioned the same way, with a client secret', () => {
    const { preview, duplicate, text } = facts(6);
    expect(duplicate).toMatch(/Cirrus Connect already exists in this tenant \(1\):\s+• Cirrus Connect \(contoso\.cirrus\.example\) · App ID/);
    expect(preview).toMatch(/User\.Read\.All · Application[\s\S]*?Admin consent: Yes/);
    expect(preview).toMatch(/Group\.Read\.All · Application[\s\S]*?Admin consent: Yes/);
    expect(text).toContain('Registered and verified');
    expect(text).toMatch(/User\.Read\.All · Application\s+[^\n]+ · ✓ granted and verified/);
    expect(text).toMatch(/Group\.Read\.All · Application\s+[^\n]+ · ✓ granted and verified/);
    expect(text).toMatch(/Client secret\s+expires \d{4}-\d{2}-\d{2}; handed to the requester through a one-time link/);
  });

  it('7. the link opens a page that asks for sign-in; Megan, signed in with a copy of the link, is refused and Alex is told; Alex signs in, and Reveal shows a secret that signs in with exactly the granted application permissions', () => {
    const { cardText, linkPage, revealBeforeSignIn, meganSees, meganRevealButtons, toldAlex, signedInPage, revealedPage, documents, secretLength, signIn } = facts(7) as unknown as {
      cardText: string; linkPage: string; revealBeforeSignIn: number; meganSees: string; meganRevealButtons: number; toldAlex: string; signedInPage: string;
      revealedPage: string; documents: { method: string; status: number }[]; secretLength: number; signIn: { signedIn: boolean; roles: string[] };
    };
    expect(cardText).toContain('For Alex Wilber only. This link works once');
    expect(linkPage).toContain('Only Alex Wilber can reveal this secret');
    expect(linkPage).toContain('Opening this page, or signing in, does not use the link up');
    expect(revealBeforeSignIn).toBe(0);
    expect(meganSees).toContain('This link is for Alex Wilber. It has not been used.');
    expect(meganRevealButtons).toBe(0);
    expect(toldAlex).toContain('Megan Bowen (meganb@example.com) signed in on your one-time link');
    expect(signedInPage).toMatch(/Signed in as\s+Alex Wilber \(alexw@example\.com\)/);
    // Alex's tab: the page, the sign-in redirect, back from sign-in to his link, his link again, Reveal.
    expect(documents).toEqual([{ method: 'GET', status: 200 }, { method: 'GET', status: 302 }, { method: 'GET', status: 303 }, { method: 'GET', status: 200 }, { method: 'POST', status: 200 }]);
    expect(revealedPage).toContain('Shown once.');
    expect(revealedPage).toMatch(new RegExp(`Application \\(client\\) ID\\s+${guid.source}`));
    expect(secretLength).toBeGreaterThanOrEqual(32);
    expect(signIn).toEqual({ signedIn: true, status: 200, roles: ['Group.Read.All', 'User.Read.All'] });
  });

  it('8. reloading the page, or opening the link again, answers 410 and shows nothing; the request is done, and the value is in no log, table, state file or chat', () => {
    const { reload, reopen, requesterCard, secretFoundIn } = facts(8) as unknown as {
      reload: { status: number; text: string; secretFieldShown: number }; reopen: { status: number; text: string; revealButtonShown: number }; requesterCard: string; secretFoundIn: string[];
    };
    expect(reload).toMatchObject({ status: 410, secretFieldShown: 0 });
    expect(reload.text).toMatch(/^Already revealed/);
    expect(reopen).toMatchObject({ status: 410, revealButtonShown: 0 });
    expect(reopen.text).toMatch(/^Already revealed/);
    expect(requesterCard).toContain('Done: secret delivered');
    expect(secretFoundIn).toEqual([]);
  });

  it('9. "check "Cirrus Connect (contoso.cirrus.example)"" (by an approver) shows every permission requested and granted, with no drift; so does the application-permission app', () => {
    const { mail, application } = facts(9);
    for (const [text, rows] of [[mail, ['Mail.ReadWrite.Shared · Delegated', 'Mail.Send.Shared · Delegated', 'User.Read · Delegated', 'Unexus.Access · Delegated']], [application, ['Group.Read.All · Application', 'User.Read.All · Application', 'User.Read · Delegated', 'Unexus.Access · Delegated']]] as const) {
      expect(text).toContain('4 permissions · requested and granted match');
      for (const row of rows) expect(text).toMatch(new RegExp(`${row.replace(/\./g, '\\.')}\\s+[^\\n]+\\s+requested · granted`));
      expect(text).toContain('No drift: the app matches.');
      expect(text).not.toMatch(/not granted|Requested but not granted/);
    }
    expect(application).toMatch(/Credentials\s+Secret /);
  });

  it('10. with self-approval on, the default Playground user (no approver) approves their own request and it is provisioned', () => {
    const { requestId, before, approved, text } = facts(10);
    // The card keeps saying so after the outbox has updated it with who has the request.
    expect(before).toContain('Local profile: self-approval is allowed for trying Onboard alone.');
    expect(approved).toContain(`${requestId} (Miradore) was approved by Alex Wilber`);
    expect(text).toContain(requestId);
    expect(text).toContain('Registered and verified');
  });

  it('11. "offboard Cirrus Connect" asks which of the two apps; the approver approves a card that says approving disables it; the requester\'s card shows sign-in disabled', () => {
    const { choice, requested, requestId, approvalCard, text } = facts(11);
    expect(choice).toContain('2 apps match "Cirrus Connect"');
    expect(requested).toContain('Step 1, at once');
    expect(requested).toMatch(/Step 2, after 14 days\s+Remove 4 permission grants, 0 client secrets and 0 certificates, then delete the app registration/);
    expect(approvalCard).toContain('Alex Wilber asks you to approve offboarding Cirrus Connect (contoso.cirrus.example)');
    expect(approvalCard).toContain('Approving disables this app and later removes it; it creates nothing and issues no secret.');
    expect(approvalCard).not.toMatch(/Registered and verified|will be issued/);
    expect(text).toContain(requestId);
    expect(text).toMatch(/Sign-in disabled; removal on \d{4}-\d{2}-\d{2}\. Type restore Cirrus Connect \(contoso\.cirrus\.example\) before then to undo/);
  });

  it('ends by itself, well inside its time budget, with every process stopped', () => {
    const done = lines.find((l) => l.done);
    expect(done).toBeDefined();
    expect(lines.filter((l) => l.error)).toEqual([]);
    expect(leftovers).toEqual([]);
  });
});
