import type { RegistrationRequest, RequestState } from '../../domain/request';
import { createdApplicationOf, createdThisApp } from '../../domain/appOrigin';
import type { RequestStore } from '../../app/workflowPorts';
import type { Versioned } from '../../app/ports';
import { TableDocumentStore, odataString } from './tableDocumentStore';
import type { TableClientFactory } from './tableClients';

const PARTITION = 'request';

/** Requests in one table; state, requester and expiry are columns so sweeps and `status` filter server-side. */
export class TableRequestStore implements RequestStore {
  private readonly documents: TableDocumentStore<RegistrationRequest>;

  constructor(tables: TableClientFactory) {
    this.documents = new TableDocumentStore(tables('requests'), {
      entity: 'request',
      columns: (r) => ({ state: r.state, requesterId: r.requester.id, expiresAt: r.expiresAt, createdAt: r.createdAt, createdAppId: createdApplicationOf(r)?.appId }),
    });
  }

  create(request: RegistrationRequest): Promise<Versioned<RegistrationRequest>> {
    return this.documents.create(PARTITION, request.id, request);
  }

  get(id: string): Promise<Versioned<RegistrationRequest> | undefined> {
    return this.documents.get(PARTITION, id);
  }

  update(request: RegistrationRequest, etag: string): Promise<Versioned<RegistrationRequest>> {
    return this.documents.replace(PARTITION, request.id, request, etag);
  }

  async listByRequester(requesterId: string, limit: number): Promise<RegistrationRequest[]> {
    const found: RegistrationRequest[] = [];
    for await (const r of this.documents.query(`PartitionKey eq '${PARTITION}' and requesterId eq ${odataString(requesterId)}`)) found.push(r.value);
    return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  /**
   * The request whose saga created this application. The column is written from the provisioning record on every
   * save, so the answer comes from Onboard's own rows; both ids must match the record, not just the appId.
   */
  async findByApplication(app: { appId: string; objectId: string }): Promise<RegistrationRequest | undefined> {
    const found: RegistrationRequest[] = [];
    for await (const r of this.documents.query(`PartitionKey eq '${PARTITION}' and createdAppId eq ${odataString(app.appId.toLowerCase())}`)) {
      if (createdThisApp(r.value, app)) found.push(r.value);
    }
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  }

  async listInStates(states: RequestState[]): Promise<Versioned<RegistrationRequest>[]> {
    const found: Versioned<RegistrationRequest>[] = [];
    const filter = states.map((s) => `state eq ${odataString(s)}`).join(' or ');
    for await (const r of this.documents.query(`PartitionKey eq '${PARTITION}' and (${filter})`)) found.push(r);
    return found;
  }
}
