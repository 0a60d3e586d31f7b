import type { LocalCloud } from '../../src/localcloud';
import { KeyVaultSecretVault } from '../../src/adapters/keyvault/keyVaultSecretVault';
import { credentialFor, secretClient, startTestCloud } from '../localcloud/helpers';

/**
 * Key Vault purges asynchronously: right after a purge, setting the same name answers 409 ObjectIsBeingDeleted for a
 * few seconds (https://github.com/Azure/azure-sdk-for-net/issues/26027). A re-delivery under the same handover name
 * must wait that out instead of ending in "secret not delivered".
 */
describe('KeyVaultSecretVault against a vault whose purge takes time', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ cloud, stop } = await startTestCloud({ purgeDelayMs: 1_500 })));
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it('puts a secret under a name it has just destroyed (delete, purge, then set again)', async () => {
    const vault = new KeyVaultSecretVault(cloud.vaultUrl, credentialFor(cloud));
    const options = { contentType: 'text/plain', tags: { requestId: 'R-PURGE' }, expiresOn: new Date(Date.now() + 3_600_000) };
    await vault.put('handover-R-PURGE', 'first', options);
    await vault.destroy('handover-R-PURGE');
    await vault.put('handover-R-PURGE', 'second', options);
    expect(await vault.read('handover-R-PURGE')).toBe('second');
  });

  it('puts a secret over a soft-deleted one left by an interrupted destroy: purge, wait for it, set', async () => {
    const raw = secretClient(cloud);
    await raw.setSecret('handover-R-HALF', 'left behind');
    await (await raw.beginDeleteSecret('handover-R-HALF')).pollUntilDone();
    const vault = new KeyVaultSecretVault(cloud.vaultUrl, credentialFor(cloud));
    await vault.put('handover-R-HALF', 'fresh', { contentType: 'text/plain', tags: {}, expiresOn: new Date(Date.now() + 3_600_000) });
    expect(await vault.read('handover-R-HALF')).toBe('fresh');
  });

  it('reads an expired entry, as Key Vault documents (about-secrets#date-time-controlled-operations): only Onboard\'s link expiry guards it', async () => {
    const vault = new KeyVaultSecretVault(cloud.vaultUrl, credentialFor(cloud));
    await vault.put('handover-R-OLD', 'stale', { contentType: 'text/plain', tags: {}, expiresOn: new Date(Date.now() - 60_000) });
    expect(await vault.read('handover-R-OLD')).toBe('stale');
  });
});
