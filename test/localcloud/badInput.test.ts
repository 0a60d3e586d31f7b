import fc from 'fast-check';
import type { LocalCloud } from '../../src/localcloud';
import { credentialFor, rawGraph, startTestCloud, type Body } from './helpers';

const graphError = (code: string | RegExp, message: string | RegExp) => ({
  // `target` (the offending property) is optional in Graph's error shape.
  error: expect.objectContaining({ code: typeof code === 'string' ? code : expect.stringMatching(code), message: typeof message === 'string' ? message : expect.stringMatching(message), innerError: { date: expect.any(String), 'request-id': expect.any(String), 'client-request-id': expect.any(String) } }),
});

describe('bad input gets Graph-shaped 400s, never a crash', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  // Strong consistency: the fuzz asserts each request's own answer; a lagging create would turn the next read into a 404 the fuzz did not cause.
  beforeAll(async () => ({ cloud, stop } = await startTestCloud({ consistency: 'strong' })));
  afterAll(async () => stop());
  afterEach(() => {
    // Bad request bodies are recorded as request-side violations; the local cloud's own answers must all conform.
    expect(cloud.contracts.violations().filter((v) => v.direction === 'response')).toEqual([]);
    cloud.contracts.clear();
  });

  it.each([
    ['malformed JSON', 'POST', '/applications', '{"displayName": "x",', 'BadRequest', /^Unable to read JSON request payload/],
    ['an unknown property', 'POST', '/applications', { displayName: 'x', colour: 'blue' }, 'BadRequest', "The property 'colour' does not exist on type 'microsoft.graph.application'. Make sure to only use property names that are defined by the type or mark the type as open type."],
    ['a wrong type', 'POST', '/applications', { displayName: 5 }, 'BadRequest', "Cannot convert the literal '5' to the expected type 'Edm.String'."],
    ['a wrong nested type', 'POST', '/applications', { displayName: 'x', requiredResourceAccess: { resourceAppId: 'y' } }, 'BadRequest', /A 'StartArray' node was expected/],
    ['a malformed GUID', 'POST', '/applications', { displayName: 'x', requiredResourceAccess: [{ resourceAppId: 'a', resourceAccess: [{ id: 'nope', type: 'Scope' }] }] }, 'Request_BadRequest', "Invalid value specified for property 'id' of resource 'Application'."],
    ['a missing displayName', 'POST', '/applications', {}, 'Request_BadRequest', /displayName/],
    ['an unknown action parameter', 'POST', `/applications/SEED/addPassword`, { passwordCredential: {}, extra: 1 }, 'BadRequest', "The parameter 'extra' in the request payload is not a valid parameter for the operation 'addPassword'."],
    ['a 21-request batch', 'POST', '/$batch', { requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/organization' })) }, 'BadRequest', /at most 20/],
    ['a bad $filter', 'GET', "/applications?$filter=displayName eq 'x' and", undefined, 'BadRequest', /^Invalid filter clause/],
    ['a $filter on an unknown property', 'GET', "/applications?$filter=colour eq 'blue'", undefined, 'BadRequest', "Could not find a property named 'colour' on type 'microsoft.graph.application'."],
    ['an unsupported $filter function', 'GET', "/applications?$filter=contains(displayName,'x')", undefined, 'Request_UnsupportedQuery', /contains/],
    ['an unknown $select property', 'GET', '/applications?$select=colour', undefined, 'BadRequest', /Could not find a property named 'colour'/],
    ['a page size over 999', 'GET', '/applications?$top=1000', undefined, 'Request_BadRequest', /Invalid page size/],
    ['an unknown segment', 'GET', '/applicationz', undefined, 'BadRequest', "Resource not found for the segment 'applicationz'."],
  ])('%s', async (_what, method, path, body, code, message) => {
    const reply = await rawGraph(cloud, method, path.replace('SEED', cloud.bot.appObjectId), body);
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual(graphError(code, message));
  });

  it('checks $batch sub-request bodies against the paths they address', async () => {
    const reply = await rawGraph(cloud, 'POST', '/$batch', { requests: [{ id: '1', method: 'POST', url: '/applications', headers: { 'Content-Type': 'application/json' }, body: { displayName: 'x', colour: 'blue' } }] });
    expect(reply.status).toBe(200);
    expect(reply.json.responses[0]).toMatchObject({ id: '1', status: 400, headers: { 'Content-Type': expect.stringMatching(/^application\/json/) }, body: { error: { code: 'BadRequest' } } });
    expect(cloud.contracts.violations()).toEqual([expect.objectContaining({ direction: 'request', operation: '/applications', errors: [expect.stringContaining('colour')] })]);
  });

  it('answers a wrong method with 405 and unknown ids with 404, in Graph\'s shape', async () => {
    expect((await rawGraph(cloud, 'PUT', '/applications')).status).toBe(405);
    const missing = await rawGraph(cloud, 'GET', '/applications/5b7e1f3a-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual(graphError('Request_ResourceNotFound', "Resource '5b7e1f3a-0000-4000-8000-000000000000' does not exist or one of its queried reference-property objects are not present."));
  });

  it('survives a fuzz of application bodies and secret bodies', async () => {
    const token = (await credentialFor(cloud).getToken('https://vault.azure.net/.default'))!.token;
    const known = fc.record({
      displayName: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.anything()),
      tags: fc.oneof(fc.array(fc.string()), fc.anything()),
      identifierUris: fc.oneof(fc.array(fc.webUrl()), fc.anything()),
      requiredResourceAccess: fc.oneof(fc.array(fc.record({ resourceAppId: fc.uuid(), resourceAccess: fc.array(fc.record({ id: fc.uuid(), type: fc.constantFrom('Scope', 'Role') })) })), fc.anything()),
      uniqueName: fc.oneof(fc.string(), fc.anything()),
      web: fc.anything(),
    }, { requiredKeys: [] });
    const bodies = fc.oneof(known, fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()));
    await fc.assert(fc.asyncProperty(bodies, async (body: Body) => {
      const reply = await rawGraph(cloud, 'POST', '/applications', JSON.stringify(body));
      expect([201, 400, 409]).toContain(reply.status);
      if (reply.status !== 201) expect(reply.json.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), innerError: expect.any(Object) }));
    }), { numRuns: 60 });
    await fc.assert(fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.record({ value: fc.anything(), tags: fc.anything(), attributes: fc.anything() }, { requiredKeys: [] })), async (body) => {
      const reply = await fetch(`${cloud.vaultUrl}/secrets/fuzz?api-version=2025-07-01`, { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect([200, 400]).toContain(reply.status);
      if (reply.status === 400) expect((await reply.json()).error.code).toBe('BadParameter');
      else await reply.body?.cancel();
    }), { numRuns: 40 });
    expect((await rawGraph(cloud, 'GET', '/organization')).status).toBe(200);
  });
});
