import type { LocalCloud } from '../../src/localcloud';
import { credentialFor, secretClient, startTestCloud } from './helpers';

describe('the local Key Vault', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ cloud, stop } = await startTestCloud()));
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it('challenges an unauthenticated request the way Key Vault does', async () => {
    const reply = await fetch(`${cloud.vaultUrl}/secrets/anything?api-version=2025-07-01`);
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe(`Bearer authorization="${cloud.authorityHost}/${cloud.tenantId}", resource="https://vault.azure.net"`);
  });

  // "A secret's get operation will work for not-yet-valid and expired secrets, outside the nbf / exp window."
  // https://learn.microsoft.com/azure/key-vault/secrets/about-secrets#date-time-controlled-operations
  it('returns an expired or not-yet-valid secret, refuses a disabled one, and keeps tags and content type', async () => {
    const vault = secretClient(cloud);
    await vault.setSecret('expired', 'old', { expiresOn: new Date(Date.now() - 60_000) });
    expect((await vault.getSecret('expired')).value).toBe('old');
    await vault.setSecret('not-yet', 'later', { notBefore: new Date(Date.now() + 3_600_000) });
    expect((await vault.getSecret('not-yet')).value).toBe('later');
    const set = await vault.setSecret('tagged', 'v', { tags: { requestId: 'R-1' }, contentType: 'text/plain', expiresOn: new Date(Date.now() + 3_600_000) });
    const read = await vault.getSecret('tagged');
    expect(read.properties).toMatchObject({ tags: { requestId: 'R-1' }, contentType: 'text/plain', version: set.properties.version, enabled: true });
    await vault.updateSecretProperties('tagged', set.properties.version!, { enabled: false });
    await expect(vault.getSecret('tagged')).rejects.toMatchObject({ statusCode: 403, message: expect.stringMatching(/disabled secret/) });
  });

  it('keeps a deleted secret recoverable until purged, and refuses its name meanwhile', async () => {
    const vault = secretClient(cloud);
    await vault.setSecret('soft', 'one');
    await (await vault.beginDeleteSecret('soft')).pollUntilDone();
    await expect(vault.setSecret('soft', 'two')).rejects.toMatchObject({ statusCode: 409, code: 'Conflict' });
    const names: string[] = [];
    for await (const deleted of vault.listDeletedSecrets()) names.push(deleted.name);
    expect(names).toContain('soft');
    await (await vault.beginRecoverDeletedSecret('soft')).pollUntilDone();
    expect((await vault.getSecret('soft')).value).toBe('one');
  });

  it('checks a Secrets Officer-like right from the caller in the token', async () => {
    const outsider = cloud.addClientApp({ displayName: 'No vault role' });
    await expect(secretClient(cloud, credentialFor(cloud, outsider)).setSecret('nope', 'x')).rejects.toMatchObject({ statusCode: 403, code: 'Forbidden' });
    const reader = cloud.addClientApp({ displayName: 'Vault reader', vaultRole: 'Key Vault Secrets User' });
    await secretClient(cloud).setSecret('readable', 'r');
    expect((await secretClient(cloud, credentialFor(cloud, reader)).getSecret('readable')).value).toBe('r');
    await expect(secretClient(cloud, credentialFor(cloud, reader)).setSecret('readable', 'w')).rejects.toMatchObject({ statusCode: 403 });
  });

  it('lists secrets by name only, across pages', async () => {
    const vault = secretClient(cloud);
    for (let i = 0; i < 30; i++) await vault.setSecret(`bulk-${i}`, `v${i}`);
    const names: string[] = [];
    for await (const properties of vault.listPropertiesOfSecrets()) names.push(properties.name);
    expect(names.filter((n) => n.startsWith('bulk-'))).toHaveLength(30);
  });
});
