import bundled from '../../domain/catalog/graphPermissions.json';
import type { Directory, ResourceServicePrincipal } from '../../app/directoryPort';
import type { HealthProbe } from '../../app/ports';
import { MICROSOFT_GRAPH_APP_ID, missingRoles, ONBOARD_GRAPH_ROLES, type OnboardRole } from '../../domain/provisioning';
import { excessRoles } from '../../domain/identities';

interface CatalogueEntry {
  name: string;
  type: 'Application' | 'Delegated';
  id: string;
}

export interface CatalogueDifference {
  name: string;
  type: 'Application' | 'Delegated';
  problem: 'missing-in-tenant' | 'different-id' | 'not-in-catalogue';
  catalogueId?: string;
  tenantId?: string;
}

/** Compares the bundled catalogue with what the tenant's Microsoft Graph service principal publishes. */
export function compareCatalogue(catalogue: CatalogueEntry[], graph: Pick<ResourceServicePrincipal, 'appRoles' | 'oauth2PermissionScopes'>): CatalogueDifference[] {
  const tenant = new Map<string, string>();
  for (const r of graph.appRoles) tenant.set(`Application:${r.value}`, r.id);
  for (const s of graph.oauth2PermissionScopes) tenant.set(`Delegated:${s.value}`, s.id);
  const differences: CatalogueDifference[] = [];
  const known = new Set<string>();
  for (const entry of catalogue) {
    const key = `${entry.type}:${entry.name}`;
    known.add(key);
    const id = tenant.get(key);
    if (id === undefined) differences.push({ name: entry.name, type: entry.type, problem: 'missing-in-tenant', catalogueId: entry.id });
    else if (id.toLowerCase() !== entry.id.toLowerCase()) differences.push({ name: entry.name, type: entry.type, problem: 'different-id', catalogueId: entry.id, tenantId: id });
  }
  for (const [key, id] of tenant) {
    if (known.has(key)) continue;
    const [type, name] = key.split(/:(.*)/s) as ['Application' | 'Delegated', string];
    differences.push({ name, type, problem: 'not-in-catalogue', tenantId: id });
  }
  return differences;
}

export interface PermissionReport {
  missingRoles: string[];
  /** Write roles an identity holds that it should not (the bot's). */
  excessRoles: string[];
  differences: CatalogueDifference[];
}

interface Log {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/**
 * Start-up and /healthz: the permission ids Graph really uses in this tenant, checked against the bundled
 * catalogue, and the Graph roles Onboard's own service principal lacks (from Graph, never from decoding a token). Resolved once and cached for `ttlMs`.
 */
export class GraphPermissionCheck {
  private report?: { at: number; value: Promise<PermissionReport> };

  constructor(
    private readonly directory: Directory,
    private readonly log: Log,
    /** The roles this process's identity needs (the bot reads; the worker also writes), and who it is, for messages. */
    private readonly identity: { expected: readonly OnboardRole[]; who: string } = { expected: ONBOARD_GRAPH_ROLES.map((r) => r.role), who: 'Onboard' },
    private readonly ttlMs = 3_600_000,
    private readonly catalogue = (bundled as { permissions: CatalogueEntry[] }).permissions,
  ) {}

  check(): Promise<PermissionReport> {
    if (this.report && Date.now() - this.report.at < this.ttlMs) return this.report.value;
    const value = this.resolve();
    this.report = { at: Date.now(), value };
    value.catch(() => (this.report = undefined));
    return value;
  }

  probe(): HealthProbe {
    return {
      name: 'graph',
      check: async () => {
        const report = await this.check();
        const changed = report.differences.filter((d) => d.problem !== 'not-in-catalogue');
        const problems = [
          ...(report.missingRoles.length ? [`${this.identity.who}'s identity lacks ${report.missingRoles.join(', ')} (README › Permissions)`] : []),
          ...(report.excessRoles.length ? [`${this.identity.who}'s identity holds ${report.excessRoles.join(', ')}, which only the worker should hold (docs/deploy.md › Two identities)`] : []),
          ...(changed.length ? [`${changed.length} permission${changed.length === 1 ? '' : 's'} differ from the bundled catalogue: ${changed.slice(0, 5).map(describe).join('; ')}${changed.length > 5 ? ' …' : ''}`] : []),
        ];
        const added = report.differences.length - changed.length;
        const note = added ? `${added} tenant permission${added === 1 ? '' : 's'} not in the bundled catalogue` : undefined;
        return problems.length ? { state: 'degraded', detail: [...problems, ...(note ? [note] : [])].join('. ') } : { state: 'ok', detail: note };
      },
    };
  }

  private async resolve(): Promise<PermissionReport> {
    const [roles, graph] = await Promise.all([this.directory.ownRoles(), this.directory.resourceServicePrincipal(MICROSOFT_GRAPH_APP_ID)]);
    const lacking = missingRoles(this.identity.expected, roles);
    const excess = excessRoles(this.identity.expected, roles);
    if (lacking.length) this.log.warn({ missingRoles: lacking }, `${this.identity.who}'s identity lacks Graph permissions: ${lacking.join(', ')} (README › Permissions)`);
    if (excess.length) this.log.warn({ excessRoles: excess }, `${this.identity.who}'s identity holds Graph write roles it should not: ${excess.join(', ')}`);
    if (!graph) {
      this.log.warn({}, 'the tenant has no Microsoft Graph service principal visible to Onboard; permission ids are unchecked');
      return { missingRoles: lacking, excessRoles: excess, differences: [] };
    }
    const differences = compareCatalogue(this.catalogue, graph);
    const changed = differences.filter((d) => d.problem !== 'not-in-catalogue');
    if (changed.length) this.log.warn({ differences: changed.slice(0, 50) }, `${changed.length} Microsoft Graph permissions differ from the bundled catalogue`);
    else this.log.info({ checked: this.catalogue.length, notInCatalogue: differences.length }, 'Microsoft Graph permission ids match the bundled catalogue');
    return { missingRoles: lacking, excessRoles: excess, differences };
  }
}

function describe(d: CatalogueDifference): string {
  if (d.problem === 'different-id') return `${d.name} (${d.type}) is ${d.tenantId} in the tenant, ${d.catalogueId} in the catalogue`;
  return `${d.name} (${d.type}) is missing in the tenant`;
}
