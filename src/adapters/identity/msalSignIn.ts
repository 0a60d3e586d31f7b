import { ConfidentialClientApplication, CryptoProvider, LogLevel, type Configuration } from '@azure/msal-node';
import { SignInRefusedError, type RecipientSignIn, type SignedInPerson } from '../../app/secrets/linkSignIn';
import { IdTokenValidator } from './idTokenValidator';

export interface MsalSignInOptions {
  /** `https://login.microsoftonline.com` or the local cloud (AZURE_AUTHORITY_HOST). */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  /** How the app proves itself at the token endpoint: its secret (local cloud), or a federated assertion (a managed identity's token in Azure). */
  clientSecret?: string;
  clientAssertion?: () => Promise<string>;
  log?: { warn(object: object, message: string): void };
}

/** Only the OpenID scopes: the sign-in proves who is at the page and asks for no access to anything. */
const SCOPES = ['openid', 'profile'];

/**
 * The link page's sign-in through @azure/msal-node: authorization code flow with PKCE (S256), state and nonce
 * made by the caller, and the ID token validated here against the tenant's JWKS. msal keeps what it redeems in
 * an in-memory cache; each account is removed straight after, so no ID token outlives its request.
 */
export class MsalRecipientSignIn implements RecipientSignIn {
  private readonly msal: ConfidentialClientApplication;
  private readonly crypto = new CryptoProvider();
  private readonly validator: IdTokenValidator;

  constructor(options: MsalSignInOptions) {
    const authority = `${options.authorityHost.replace(/\/$/, '')}/${options.tenantId}`;
    const host = new URL(options.authorityHost).host;
    const config: Configuration = {
      auth: {
        clientId: options.clientId, authority, clientSecret: options.clientSecret,
        clientAssertion: options.clientAssertion && (() => options.clientAssertion!()),
        // Not a Microsoft cloud host (the local cloud): msal must not ask Microsoft's instance discovery about it.
        knownAuthorities: /(^|\.)login\.microsoftonline\.(com|us)$|(^|\.)login\.partner\.microsoftonline\.cn$/.test(host) ? undefined : [host],
      },
      system: {
        loggerOptions: {
          // Never PII, and only warnings: msal's messages must not carry codes or tokens into Onboard's logs.
          piiLoggingEnabled: false, logLevel: LogLevel.Warning,
          loggerCallback: (_level, message, containsPii) => { if (!containsPii) options.log?.warn({ msal: message.slice(0, 300) }, 'msal'); },
        },
      },
    };
    this.msal = new ConfidentialClientApplication(config);
    this.validator = new IdTokenValidator({ authority, clientId: options.clientId });
  }

  async begin(request: { state: string; nonce: string; redirectUri: string; loginHint?: string }): Promise<{ url: string; verifier: string }> {
    const pkce = await this.crypto.generatePkceCodes();
    const url = await this.msal.getAuthCodeUrl({
      scopes: SCOPES, redirectUri: request.redirectUri, state: request.state, nonce: request.nonce, loginHint: request.loginHint,
      codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', responseMode: 'query', prompt: 'select_account',
    });
    return { url, verifier: pkce.verifier };
  }

  async complete(response: { code: string; verifier: string; nonce: string; redirectUri: string }): Promise<SignedInPerson> {
    let idToken: string;
    try {
      const result = await this.msal.acquireTokenByCode({ code: response.code, codeVerifier: response.verifier, redirectUri: response.redirectUri, scopes: SCOPES });
      idToken = result.idToken;
      if (result.account) await this.msal.getTokenCache().removeAccount(result.account).catch(() => undefined);
    } catch (error) {
      // The server's error names the AADSTS code and never echoes the code itself; msal's own errors say what failed.
      const e = error as { errorCode?: string; errorMessage?: string; message?: string };
      const aadsts = /AADSTS\d+/.exec(e.errorMessage ?? e.message ?? '')?.[0];
      throw new SignInRefusedError('redemption', `${e.errorCode ?? 'error'}${aadsts ? ` ${aadsts}` : ''}`);
    }
    if (!idToken) throw new SignInRefusedError('malformed', 'no ID token in the token response');
    return this.validator.validate(idToken, response.nonce);
  }
}
