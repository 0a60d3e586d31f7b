import { checkBody, describeErrors } from '../../src/localcloud/contracts/contracts';
import { startTestCloud } from './helpers';

describe('contract checks against Microsoft\'s descriptions', () => {
  it('flag a response that drifts from the Graph description', () => {
    const drifted = { id: 'x', appId: 'y', displayName: 'z', colour: 'blue', tags: 'not-a-list' };
    const errors = describeErrors(checkBody({ service: 'graph', path: '/applications/{application-id}', method: 'get' }, 'response', 200, drifted));
    expect(errors).toEqual(expect.arrayContaining([expect.stringContaining("unexpected property 'colour'"), expect.stringContaining('/tags')]));
    expect(checkBody({ service: 'graph', path: '/applications/{application-id}', method: 'get' }, 'response', 404, { error: { code: 'x' } })).not.toEqual([]);
  });

  it('flag a Key Vault bundle with a field Key Vault never returns', () => {
    const bundle = { id: 'https://v/secrets/a/1', value: 'v', attributes: { enabled: true, created: 1, updated: 1, recoveryLevel: 'Recoverable+Purgeable' }, secret: 'leak' };
    expect(describeErrors(checkBody({ service: 'vault', path: '/secrets/{secret-name}', method: 'put' }, 'response', 200, bundle))).toEqual([expect.stringContaining("'secret'")]);
  });

  it('find the whole seed tenant conforming, object by object', async () => {
    const { cloud, stop } = await startTestCloud();
    try {
      const check = (path: string, body: unknown) => describeErrors(checkBody({ service: 'graph', path, method: 'get' }, 'response', 200, body));
      for (const app of cloud.state.applications) expect(check('/applications/{application-id}', app)).toEqual([]);
      for (const sp of cloud.state.servicePrincipals) expect(check('/servicePrincipals/{servicePrincipal-id}', sp)).toEqual([]);
      for (const grant of cloud.state.oauth2PermissionGrants) expect(check('/oauth2PermissionGrants/{oAuth2PermissionGrant-id}', grant)).toEqual([]);
      for (const a of cloud.state.appRoleAssignments) expect(check('/servicePrincipals/{servicePrincipal-id}/appRoleAssignedTo/{appRoleAssignment-id}', a)).toEqual([]);
    } finally {
      await stop();
    }
  });
});
