"""Entra's token service through MSAL Python (Debian python3-msal), checked against Microsoft's documentation."""
import base64

import msal
import requests

from common import AUTHORITY_HOST, BOT, TENANT, check, claims, expect

AUTHORITY = f"{AUTHORITY_HOST}/{TENANT}"
GRAPH_SCOPE = ["https://graph.microsoft.com/.default"]


def app(client_id=BOT["clientId"], secret=BOT["clientSecret"]):
    return msal.ConfidentialClientApplication(client_id, client_credential=secret, authority=AUTHORITY, instance_discovery=False)


def token_response():
    result = app().acquire_token_for_client(scopes=GRAPH_SCOPE)
    expect("access_token" in result, f"no access_token: {result}")
    expect(result.get("token_type") == "Bearer", f"token_type {result.get('token_type')}")
    expect(isinstance(result.get("expires_in"), int) and result["expires_in"] > 0, "expires_in")


check("client credentials token for Microsoft Graph",
      "https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#successful-response-example", token_response)


def v1_shape():
    for scope in (GRAPH_SCOPE, ["https://vault.azure.net/.default"]):
        c = claims(app().acquire_token_for_client(scopes=scope)["access_token"])
        expect(c["iss"] == f"https://sts.windows.net/{TENANT}/", f"iss {c['iss']}")
        expect(c["ver"] == "1.0", f"ver {c['ver']}")
        expect(c["appid"] == BOT["clientId"] and "azp" not in c, "appid without azp")
        expect(c["tid"] == TENANT and c["idtyp"] == "app", "tid/idtyp")


check("Graph and Key Vault tokens are v1.0 (iss sts.windows.net, appid, no azp)",
      "https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference", v1_shape)


def roles_claim():
    c = claims(app().acquire_token_for_client(scopes=GRAPH_SCOPE)["access_token"])
    expect("Application.ReadWrite.OwnedBy" in c.get("roles", []), f"roles {c.get('roles')}")


check("app roles granted to the client appear in the roles claim",
      "https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference#payload-claims", roles_claim)


def error_of(result, error, code):
    expect(result.get("error") == error, f"error {result.get('error')} ({result.get('error_description', '')[:120]})")
    expect(code in result.get("error_codes", []), f"error_codes {result.get('error_codes')}")


check("wrong client secret: invalid_client AADSTS7000215",
      "https://learn.microsoft.com/entra/identity-platform/reference-error-codes#aadsts-error-codes",
      lambda: error_of(app(secret="not-the-secret").acquire_token_for_client(scopes=GRAPH_SCOPE), "invalid_client", 7000215))

check("scope without /.default: invalid_scope AADSTS1002012",
      "https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#first-case-access-token-request-with-a-shared-secret",
      lambda: error_of(app().acquire_token_for_client(scopes=["https://graph.microsoft.com/User.Read"]), "invalid_scope", 1002012))

check("unknown resource: invalid_resource AADSTS500011",
      "https://learn.microsoft.com/entra/identity-platform/reference-error-codes#aadsts-error-codes",
      lambda: error_of(app().acquire_token_for_client(scopes=["api://00000000-1111-4222-8333-444444444444/.default"]), "invalid_resource", 500011))

check("unknown client: unauthorized_client AADSTS700016",
      "https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/error-code-aadsts700016-app-not-found-in-tenant",
      lambda: error_of(app(client_id="0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d").acquire_token_for_client(scopes=GRAPH_SCOPE), "unauthorized_client", 700016))


def basic_auth():
    pair = f"{BOT['clientId']}:{BOT['clientSecret']}".encode()
    reply = requests.post(f"{AUTHORITY}/oauth2/v2.0/token", data={"grant_type": "client_credentials", "scope": GRAPH_SCOPE[0]},
                          headers={"Authorization": "Basic " + base64.b64encode(pair).decode()}, timeout=30)
    expect(reply.status_code == 200 and reply.json().get("token_type") == "Bearer", f"{reply.status_code} {reply.text[:200]}")


check("client_secret_basic (Authorization: Basic) as advertised in token_endpoint_auth_methods_supported",
      "https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#sample-response", basic_auth)


def discovery_documents():
    tenant = requests.get(f"{AUTHORITY}/v2.0/.well-known/openid-configuration", timeout=30).json()
    expect(tenant["issuer"] == f"{AUTHORITY_HOST}/{TENANT}/v2.0", f"issuer {tenant['issuer']}")
    common = requests.get(f"{AUTHORITY_HOST}/common/v2.0/.well-known/openid-configuration", timeout=30).json()
    expect(common["issuer"] == f"{AUTHORITY_HOST}/{{tenantid}}/v2.0", f"common issuer {common['issuer']}")
    organizations = requests.get(f"{AUTHORITY_HOST}/organizations/v2.0/.well-known/openid-configuration", timeout=30)
    expect(organizations.status_code == 200, "organizations")
    keys = requests.get(tenant["jwks_uri"], timeout=30).json()["keys"]
    expect(all(k.get("kid") and k.get("x5t") and k.get("x5c") and k.get("n") and k.get("e") for k in keys), f"keys {keys}")


check("OpenID discovery for a tenant, /common and /organizations; JWKS keys with kid, x5t, x5c",
      "https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri", discovery_documents)


def instance_discovery():
    reply = requests.get(f"{AUTHORITY_HOST}/common/discovery/instance",
                         params={"api-version": "1.1", "authorization_endpoint": f"{AUTHORITY}/oauth2/v2.0/authorize"}, timeout=30).json()
    expect(reply["tenant_discovery_endpoint"].endswith("/v2.0/.well-known/openid-configuration"), str(reply))
    expect(isinstance(reply.get("metadata"), list) and reply["metadata"][0]["aliases"], str(reply))
    # MSAL with instance discovery on, the default, must also work against it.
    result = msal.ConfidentialClientApplication(BOT["clientId"], client_credential=BOT["clientSecret"], authority=AUTHORITY,
                                                instance_discovery=f"{AUTHORITY_HOST}/common/discovery/instance").acquire_token_for_client(scopes=GRAPH_SCOPE)
    expect("access_token" in result, str(result)[:200])


check("instance discovery at /common/discovery/instance",
      "https://learn.microsoft.com/entra/msal/python/advanced/instance-discovery", instance_discovery)
