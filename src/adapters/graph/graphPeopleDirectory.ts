import type { Client } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../../app/directoryPort';
import type { PeopleDirectory } from '../../app/review/reviewPorts';
import { graphCall } from './graphClient';

/**
 * Whether a person still works here: Get user with `$select=accountEnabled` (returned only on $select). Needs
 * User.Read.All, the least privileged application permission Microsoft documents for it
 * (https://learn.microsoft.com/graph/api/user-get); a deleted user answers 404.
 */
export class GraphPeopleDirectory implements PeopleDirectory {
  constructor(private readonly client: Client) {}

  async accountStatus(userId: string): Promise<'active' | 'disabled' | 'deleted'> {
    try {
      const user = await graphCall(() => this.client.api(`/users/${encodeURIComponent(userId)}?$select=id,accountEnabled`).get() as Promise<{ accountEnabled?: boolean | null }>);
      return user.accountEnabled === false ? 'disabled' : 'active';
    } catch (error) {
      if (error instanceof DirectoryError && error.status === 404) return 'deleted';
      throw error;
    }
  }
}
