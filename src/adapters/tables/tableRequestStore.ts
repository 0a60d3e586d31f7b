import type { RegistrationRequest, RequestState } from '../../domain/request';
import { parseStoredPlan } from '../../domain/storedPlan';
import { createdApplicationOf, createdThisApp } from '../../domain/appOrigin';
import type { RequestStore } from '../../app/workflowPorts';
import type { Versioned } from '../../app/ports';
import { TableDocumentStore, odataString } from './tableDocumentStore';
import type { TableClientFactory } from './tableClients';

const PARTITION = 'request';

/** Stored plans are parsed here, once, by kind (domain/storedPlan.ts); the parsed form itself is never written. */
const read = <T extends { value: RegistrationRequest }>(stored: T): T => ({ ...stored, value: { ...stored.value, work: parseStoredPlan(stored.value) } });
const writable = ({ work: _derived, ...request }: RegistrationRequest): RegistrationRequest => request;

/** Requests in one table; state, requester and expiry are columns so sweeps and `status` filter server-side. */
export class TableRequestStore implements RequestStore {
  private readonly documents: TableDocumentStore<RegistrationRequest>;

  constructor(tables: TableClientFactory) {
    this.documents = new TableDocumentStore(tables('requests'), {
      entity: 'request',
      columns: (r) => ({ state: r.state, requesterId: r.requester.id, expiresAt: r.expiresAt, createdAt: r.createdAt, createdAppId: createdApplicationOf(r)?.appId }),
    });
  }

  async create(request: RegistrationRequest): Promise<Versioned<RegistrationRequest>> {
    return read(await this.documents.create(PARTITION, request.id, writable(request)));
  }

  async get(id: string): Promise<Versioned<RegistrationRequest> | undefined> {
    const found = await this.documents.get(PARTITION, id);
    return found && read(found);
  }

  async update(request: RegistrationRequest, etag: string): Promise<Versioned<RegistrationRequest>> {
    return read(await this.documents.replace(PARTITION, request.id, writable(request), etag));
  }

  async listByRequester(requesterId: string, limit: number): Promise<RegistrationRequest[]> {
    const found: RegistrationRequest[] = [];
    for await (const r of this.documents.query(`PartitionKey eq '${PARTITION}' and requesterId eq ${odataString(requesterId)}`)) found.push(read(r).value);
    return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  /**
   * The request whose saga created this application. The column is written from the provisioning record on every
   * save, so the answer comes from Onboard's own rows; both ids must match the record, not just the appId.
   */
  async findByApplication(app: { appId: string; objectId: string }): Promise<RegistrationRequest | undefined> {
    const found: RegistrationRequest[] = [];
    for await (const r of this.documents.query(`PartitionKey eq '${PARTITION}' and createdAppId eq ${odataString(app.appId.toLowerCase())}`)) {
      if (createdThisApp(r.value, app)) found.push(read(r).value);
    }
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  }

  async listInStates(states: RequestState[]): Promise<Versioned<RegistrationRequest>[]> {
    const found: Versioned<RegistrationRequest>[] = [];
    const filter = states.map((s) => `state eq ${odataString(s)}`).join(' or ');
    for await (const r of this.documents.query(`PartitionKey eq '${PARTITION}' and (${filter})`)) found.push(read(r));
    return found;
  }
}
