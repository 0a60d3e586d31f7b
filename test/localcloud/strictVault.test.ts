import type { LocalCloud } from '../../src/localcloud';
import { credentialFor, secretClient, startTestCloud } from './helpers';

/** Key Vault behaviours that real vaults show and a synchronous, case-sensitive emulator would hide (issue #15). */
describe('the local Key Vault as strict as a real one', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ cloud, stop } = await startTestCloud({ purgeDelayMs: 400 })));
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  // A purge finishes asynchronously; meanwhile a set is 409 ObjectIsBeingDeleted
  // (https://github.com/Azure/azure-sdk-for-net/issues/34322, https://github.com/Azure/azure-sdk-for-net/issues/26027).
  it('keeps a purged name busy for a moment: set answers 409 ObjectIsBeingDeleted, then succeeds', async () => {
    const vault = secretClient(cloud);
    await vault.setSecret('purged', 'one');
    await (await vault.beginDeleteSecret('purged')).pollUntilDone();
    await vault.purgeDeletedSecret('purged');
    const refused = await vault.setSecret('purged', 'two').catch((error: unknown) => error);
    expect(refused).toMatchObject({ statusCode: 409, code: 'Conflict', message: 'Secret purged is currently being deleted and cannot be re-created; retry later.' });
    await expect(vault.getDeletedSecret('purged')).rejects.toMatchObject({ statusCode: 404 });
    // Wait on the event (the name is free again), not on a clock; the purge delay is 0.4 s.
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const set = await vault.setSecret('purged', 'two').then(() => 'set', (error: { statusCode?: number }) => error.statusCode);
      if (set === 'set') break;
      expect(set).toBe(409);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(attempts).toBeGreaterThan(1);
    expect((await vault.getSecret('purged')).value).toBe('two');
  });

  // "Objects … names are case-insensitive" (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers).
  it('treats secret names case-insensitively', async () => {
    const vault = secretClient(cloud);
    await vault.setSecret('Handover-Mixed', 'v1');
    expect((await vault.getSecret('handover-mixed')).value).toBe('v1');
    await vault.setSecret('HANDOVER-MIXED', 'v2');
    const versions: string[] = [];
    for await (const v of vault.listPropertiesOfSecretVersions('handover-MIXED')) versions.push(v.version!);
    expect(versions).toHaveLength(2);
    await (await vault.beginDeleteSecret('handover-mixed')).pollUntilDone();
    await expect(vault.setSecret('Handover-Mixed', 'v3')).rejects.toMatchObject({ statusCode: 409, code: 'Conflict' });
  });

  // Every stable api-version of the secrets data plane (azure-rest-api-specs, Microsoft.KeyVault stable 7.0 … 2025-07-01).
  it('accepts the older stable api-versions 7.0 to 7.2', async () => {
    await secretClient(cloud).setSecret('versioned', 'x');
    const token = (await credentialFor(cloud).getToken('https://vault.azure.net/.default'))!.token;
    for (const version of ['7.0', '7.1', '7.2']) {
      const reply = await fetch(`${cloud.vaultUrl}/secrets/versioned?api-version=${version}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(reply.status).toBe(200);
      expect((await reply.json()).value).toBe('x');
    }
  });
});
