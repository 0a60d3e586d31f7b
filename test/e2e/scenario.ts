/**
 * The browser end-to-end scenario. playground.test.ts runs it inside a loopback-only network namespace:
 * it starts `onboard dev`, a second Agents Playground for the approver, and Debian's headless Chromium,
 * then plays the people. It prints one JSON line per step (what the pages showed) for the test to judge,
 * and keeps a screenshot of each step. Usage: node scenario.js <artifacts dir>
 */
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { startChild, waitForLine, type Child } from '../../src/cli/dev/childProcess';
import { SEED, defaultCaDir, ensureCertificateAuthority } from '../../src/localcloud';
import { projectRoot } from '../../src/paths';
import { launchChromium } from '../support/cardRenderer';
import { PlaygroundPage } from '../support/playgroundPage';
import { startPlaygroundAs } from '../support/playgroundUser';
import { handoverSteps } from './handoverSteps';
import { selfApprovalStep, steps, type People } from './steps';
import { offboardStep } from './offboardStep';

/** Megan Bowen: a member of the seed tenant's approvers group (src/localcloud/seedIds.ts). */
const approverId = '00000000-0000-0000-0000-0000000000021';
/** Generous: the machine may be running four other test suites. Every wait is for a condition, never a sleep. */
const waitMs = 60_000;
const deadlineMs = 270_000;

const emit = (line: Record<string, unknown>) => process.stdout.write(JSON.stringify(line) + '\n');

async function main(artifacts: string): Promise<number> {
  const started = Date.now();
  const runDir = join(artifacts, 'run');
  const shots = join(artifacts, 'screenshots');
  for (const dir of [runDir, shots]) rmSync(dir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  mkdirSync(shots, { recursive: true });

  const children: Child[] = [];
  let browser: Browser | undefined;
  const teardown = async () => {
    await browser?.close().catch(() => undefined);
    for (const child of children.reverse()) await child.stop();
  };
  const deadline = setTimeout(() => {
    emit({ error: `the scenario did not finish within ${deadlineMs / 1000} s` });
    void teardown().finally(() => process.exit(1));
  }, deadlineMs);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void teardown().finally(() => process.exit(1)));

  try {
    // Self-approval (local profile only) lets the default Playground user, who is no approver, finish a request alone (step 10).
    process.env.ONBOARD_ALLOW_SELF_APPROVAL = 'true';
    // Its own working directory, so the Playground's devTools/ log lands with the other artifacts. A fixed
    // port: the namespace is new, so it is free, and one-time links carry PUBLIC_URL, which --port 0 leaves at :0.
    const dev = startChild('onboard dev', process.execPath, [join(projectRoot, 'bin', 'onboard.js'), 'dev', '--port', '3978', '--data', join(runDir, 'data')], { cwd: runDir });
    children.push(dev);
    dev.process.stderr?.pipe(createWriteStream(join(runDir, 'dev.stderr.log')));
    const ready = JSON.parse(await waitForLine(dev, (l) => l.startsWith('{"ready"'), 150_000)) as { bot: string; playground: string; localcloud: string };
    const approverPlayground = await startPlaygroundAs(approverId, ready.bot, runDir, waitMs);
    children.push(approverPlayground.child);
    browser = await launchChromium();
    const people: People = {
      requester: await PlaygroundPage.open(browser, ready.playground, 'Alex Wilber', waitMs),
      approver: await PlaygroundPage.open(browser, approverPlayground.url, 'Megan Bowen', waitMs),
      shot: (n, name) => join(shots, `${n}-${name}.png`),
      memory: {},
      runDir,
      cloud: { authority: ready.localcloud, tenantId: SEED.tenantId, caCertPem: ensureCertificateAuthority(defaultCaDir(join(runDir, 'data', 'localcloud'))).certPem },
    };
    emit({ ready: true, startMs: Date.now() - started });

    for (const step of [...steps, ...handoverSteps, selfApprovalStep, offboardStep]) {
      const t0 = Date.now();
      try {
        const facts = await step.run(people);
        emit({ step: step.n, name: step.name, ms: Date.now() - t0, facts });
      } catch (error) {
        // Every tab either person has open, as it was when the step gave up.
        const tabs = [people.requester, people.approver].flatMap((p) => p.page.context().pages().map((page, i) => ({ page, name: `failed-${p.who.split(' ')[0].toLowerCase()}-${i}` })));
        await Promise.all(tabs.map(({ page, name }) => page.screenshot({ path: people.shot(step.n, name) }).catch(() => undefined)));
        emit({ step: step.n, name: step.name, error: (error as Error).message.split('\n').slice(0, 6).join('\n') });
        return 1;
      }
    }
    emit({ done: true, totalMs: Date.now() - started });
    return 0;
  } catch (error) {
    emit({ error: `could not start: ${(error as Error).message}` });
    return 1;
  } finally {
    clearTimeout(deadline);
    await teardown();
  }
}

void main(resolve(process.argv[2] ?? join(projectRoot, '.data', 'e2e'))).then((code) => process.exit(code));
