/** Errors each emulated service answers with, in that service's own wire shape (see http.ts for the bodies). */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class VaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class EntraError extends Error {
  constructor(
    readonly status: number,
    /** OAuth error, e.g. invalid_client. */
    readonly error: string,
    /** The AADSTS number, e.g. 7000215. */
    readonly aadsts: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (id: string): GraphError =>
  new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

export const denied = (): GraphError => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

export const badRequest = (message: string, code = 'Request_BadRequest'): GraphError => new GraphError(400, code, message);
