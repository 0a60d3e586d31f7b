import type { Client } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../../app/directoryPort';
import type { AppInventory, LookupProgress, PermissionHolder } from '../../app/helpdesk/appInventory';
import type { AppRecord, AppSnapshot, ResourceApi } from '../../domain/inspection';
import { createGraphClient, graphCall, type GraphClientOptions } from './graphClient';
import { sendBatched, type BatchItem, type BatchResult } from './graphBatch';
import { APP_SELECT, ENTERPRISE_SELECT, RESOURCE_SELECT, chunks, literal, toAppRecord, toEnterpriseRecord, toResourceApi, type RawApplication, type RawServicePrincipal } from './graphInventoryShapes';

const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const PAGE = 999;

interface Collection<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

const valueOf = <T>(result: BatchResult): T[] => (result.error ? [] : ((result.body as Collection<T> | undefined)?.value ?? []));

/**
 * The AppInventory port over Microsoft Graph v1.0, read-only, with Onboard's identity (Application.Read.All,
 * DelegatedPermissionGrant.Read via its ReadWrite role). One app costs three requests: the lookup (which
 * returns the whole app, $select'ed), one $batch (owners, service principal, its grants, the resources it
 * names), and a third only when a grant names an API the app does not list.
 */
export class GraphInventory implements AppInventory {
  readonly client: Client;
  private readonly resources = new Map<string, Promise<ResourceApi | undefined>>();

  constructor(options: GraphClientOptions | { client: Client }) {
    this.client = 'client' in options ? options.client : createGraphClient(options).client;
  }

  async findById(id: string): Promise<AppRecord[]> {
    const apps = await this.applications(`appId eq ${literal(id)} or id eq ${literal(id)}`, 5);
    if (apps.length) return apps;
    // An object id from the Enterprise applications blade is the service principal's; a vendor's app may have only that here.
    const sps = await this.get<Collection<RawServicePrincipal>>(`/servicePrincipals?$filter=id eq ${literal(id)} or appId eq ${literal(id)}&$select=${ENTERPRISE_SELECT}`);
    const sp = sps.value[0];
    if (!sp) return [];
    const registered = sp.appId.toLowerCase() === id.toLowerCase() ? [] : await this.applications(`appId eq ${literal(sp.appId)}`, 5);
    return registered.length ? registered : [toEnterpriseRecord(sp)];
  }

  /** App registrations and, in the same $batch, enterprise apps (service principals without a registration here). */
  async findByName(name: string, limit: number): Promise<AppRecord[]> {
    const filter = `startswith(displayName,${literal(name)})`;
    const [apps, sps] = await sendBatched(this.client, [
      { method: 'GET', url: `/applications?$filter=${filter}&$select=${APP_SELECT}&$top=${limit}` },
      { method: 'GET', url: `/servicePrincipals?$filter=${filter}&$select=${ENTERPRISE_SELECT}&$top=${limit}` },
    ]);
    for (const result of [apps, sps]) if (result.error) throw result.error;
    const registrations = valueOf<RawApplication>(apps).map(toAppRecord);
    const registered = new Set(registrations.map((a) => a.appId.toLowerCase()));
    const enterprise = valueOf<RawServicePrincipal>(sps).filter((sp) => !registered.has(sp.appId.toLowerCase()) && (sp.tags ?? []).includes('WindowsAzureActiveDirectoryIntegratedApp'));
    // Service principals of this tenant's own registrations were already found by the first request, under their app's name.
    const others = await this.withoutRegistrations(enterprise);
    return [...registrations, ...others.map(toEnterpriseRecord)].slice(0, limit);
  }

  async allNames(): Promise<string[]> {
    const names: string[] = [];
    await this.pages<{ displayName: string | null }>(`/applications?$select=displayName&$top=${PAGE}`, (page) => names.push(...page.flatMap((a) => (a.displayName ? [a.displayName] : []))));
    return names;
  }

  async snapshot(app: AppRecord): Promise<AppSnapshot> {
    const sp = `/servicePrincipals(appId=${literal(app.appId)})`;
    const named = [...new Set(app.requiredResourceAccess.map((r) => r.resourceAppId.toLowerCase()))].filter((id) => id !== MICROSOFT_GRAPH_APP_ID);
    const cachedGraph = this.resources.get(MICROSOFT_GRAPH_APP_ID);
    const items: BatchItem[] = [
      { method: 'GET', url: `/${app.kind === 'enterprise' ? 'servicePrincipals' : 'applications'}/${app.id}/owners?$select=id,displayName` },
      { method: 'GET', url: `${sp}?$select=id` },
      { method: 'GET', url: `${sp}/appRoleAssignments?$select=resourceId,appRoleId&$top=${PAGE}` },
      { method: 'GET', url: `${sp}/oauth2PermissionGrants?$top=${PAGE}` },
      ...(cachedGraph ? [] : [{ method: 'GET' as const, url: `/servicePrincipals(appId=${literal(MICROSOFT_GRAPH_APP_ID)})?$select=id,appId,displayName` }]),
      ...chunks(named).map((ids): BatchItem => ({ method: 'GET', url: `/servicePrincipals?$filter=appId in (${ids.map(literal).join(',')})&$select=${RESOURCE_SELECT}` })),
    ];
    const [owners, self, assignments, grants, ...rest] = await sendBatched(this.client, items);
    for (const result of [owners, assignments, grants]) if (result.error && result.status !== 404) throw result.error;
    if (self.error && self.status !== 404) throw self.error;
    const graph = cachedGraph ? await cachedGraph : this.rememberGraph(rest.shift()!);
    const resources = [...(graph ? [graph] : []), ...rest.flatMap((r) => valueOf<RawServicePrincipal>(r).map(toResourceApi))];
    const snapshot: AppSnapshot = {
      app,
      owners: valueOf<{ id: string; displayName: string | null }>(owners).map((o) => ({ id: o.id, displayName: o.displayName ?? o.id })),
      servicePrincipalId: self.error ? undefined : (self.body as { id: string }).id,
      assignments: valueOf<{ resourceId: string; appRoleId: string }>(assignments).map(({ resourceId, appRoleId }) => ({ resourceId, appRoleId })),
      grants: valueOf<{ resourceId: string; consentType: string; principalId: string | null; scope: string | null }>(grants).map((g) => ({ resourceId: g.resourceId, consentType: g.consentType, principalId: g.principalId ?? null, scope: g.scope ?? '' })),
      resources,
    };
    // A grant on an API the app does not list: one more request names it.
    const known = new Set(resources.map((r) => r.id.toLowerCase()));
    const unknown = [...new Set([...snapshot.assignments, ...snapshot.grants].map((g) => g.resourceId.toLowerCase()))].filter((id) => !known.has(id));
    if (unknown.length) {
      const more = await sendBatched(this.client, chunks(unknown).map((ids): BatchItem => ({ method: 'GET', url: `/servicePrincipals?$filter=id in (${ids.map(literal).join(',')})&$select=${RESOURCE_SELECT}` })));
      snapshot.resources.push(...more.flatMap((r) => valueOf<RawServicePrincipal>(r).map(toResourceApi)));
    }
    return snapshot;
  }

  async appRoleHolders(resourceAppId: string, appRoleId: string, progress?: LookupProgress): Promise<PermissionHolder[]> {
    const resource = await this.resourceId(resourceAppId);
    if (!resource) return [];
    const holders: PermissionHolder[] = [];
    let scanned = 0;
    // Graph cannot filter appRoleAssignedTo by appRoleId, so every assignment of the API is read, 999 at a time.
    await this.pages<{ appRoleId: string; principalId: string; principalDisplayName: string | null; principalType: string | null }>(
      `/servicePrincipals/${resource}/appRoleAssignedTo?$select=appRoleId,principalId,principalDisplayName,principalType&$top=${PAGE}`,
      (page) => {
        for (const a of page) {
          if (a.appRoleId.toLowerCase() === appRoleId.toLowerCase() && a.principalType === 'ServicePrincipal') holders.push({ servicePrincipalId: a.principalId, displayName: a.principalDisplayName ?? a.principalId, consent: 'admin' });
        }
        progress?.((scanned += page.length));
      },
    );
    return holders;
  }

  async delegatedHolders(resourceAppId: string, scope: string, progress?: LookupProgress): Promise<PermissionHolder[]> {
    const resource = await this.resourceId(resourceAppId);
    if (!resource) return [];
    const byClient = new Map<string, { admin: boolean; users: Set<string> }>();
    let scanned = 0;
    await this.pages<{ clientId: string; consentType: string; principalId: string | null; scope: string | null }>(`/oauth2PermissionGrants?$filter=resourceId eq ${literal(resource)}&$top=${PAGE}`, (page) => {
      for (const g of page) {
        if (!(g.scope ?? '').split(/\s+/).some((s) => s.toLowerCase() === scope.toLowerCase())) continue;
        const entry = byClient.get(g.clientId) ?? { admin: false, users: new Set<string>() };
        if (g.consentType === 'AllPrincipals') entry.admin = true;
        else if (g.principalId) entry.users.add(g.principalId);
        byClient.set(g.clientId, entry);
      }
      progress?.((scanned += page.length));
    });
    const names = new Map<string, string>();
    const lookups = chunks([...byClient.keys()]).map((ids): BatchItem => ({ method: 'GET', url: `/servicePrincipals?$filter=id in (${ids.map(literal).join(',')})&$select=id,displayName` }));
    for (const result of await sendBatched(this.client, lookups)) for (const sp of valueOf<{ id: string; displayName: string | null }>(result)) names.set(sp.id, sp.displayName ?? sp.id);
    return [...byClient].map(([id, e]) => ({ servicePrincipalId: id, displayName: names.get(id) ?? id, consent: e.admin ? 'admin' : 'per-user', ...(e.admin ? {} : { users: e.users.size }) }));
  }

  async onboardApps(): Promise<AppRecord[]> {
    const apps: AppRecord[] = [];
    await this.pages<RawApplication>(`/applications?$filter=tags/any(t:t eq 'onboard')&$select=${APP_SELECT}&$top=${PAGE}`, (page) => apps.push(...page.map(toAppRecord)));
    return apps;
  }

  /** Enterprise candidates whose registration is in this tenant under another name are not enterprise apps. */
  private async withoutRegistrations(sps: RawServicePrincipal[]): Promise<RawServicePrincipal[]> {
    if (!sps.length) return [];
    const lookups = chunks(sps.map((sp) => sp.appId)).map((ids): BatchItem => ({ method: 'GET', url: `/applications?$filter=appId in (${ids.map(literal).join(',')})&$select=appId` }));
    const registered = new Set((await sendBatched(this.client, lookups)).flatMap((r) => valueOf<{ appId: string }>(r).map((a) => a.appId.toLowerCase())));
    return sps.filter((sp) => !registered.has(sp.appId.toLowerCase()));
  }

  private async applications(filter: string, top: number): Promise<AppRecord[]> {
    const list = await this.get<Collection<RawApplication>>(`/applications?$filter=${filter}&$select=${APP_SELECT}&$top=${top}`);
    return list.value.map(toAppRecord);
  }

  private async resourceId(appId: string): Promise<string | undefined> {
    let found = this.resources.get(appId.toLowerCase());
    if (!found) {
      found = this.get<RawServicePrincipal>(`/servicePrincipals(appId=${literal(appId)})?$select=id,appId,displayName`).then(toResourceApi, (error) => {
        if (error instanceof DirectoryError && error.status === 404) return undefined;
        throw error;
      });
      this.cache(appId, found);
    }
    return (await found)?.id;
  }

  private rememberGraph(result: BatchResult): ResourceApi | undefined {
    if (result.error) {
      if (result.status === 404) return undefined;
      throw result.error;
    }
    const graph = toResourceApi(result.body as RawServicePrincipal);
    this.cache(MICROSOFT_GRAPH_APP_ID, Promise.resolve(graph));
    return graph;
  }

  private cache(appId: string, value: Promise<ResourceApi | undefined>): void {
    // Failures are not kept: the next question asks again.
    value.catch(() => this.resources.delete(appId.toLowerCase()));
    this.resources.set(appId.toLowerCase(), value);
  }

  private get<T>(path: string): Promise<T> {
    return graphCall(() => this.client.api(path).get() as Promise<T>);
  }

  private async pages<T>(first: string, onPage: (items: T[]) => void): Promise<void> {
    for (let path: string | undefined = first; path; ) {
      const current: string = path;
      const page = await this.get<Collection<T>>(current);
      onPage(page.value);
      path = page['@odata.nextLink'];
    }
  }
}
