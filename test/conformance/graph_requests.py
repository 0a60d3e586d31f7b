"""Microsoft Graph through `requests` with an MSAL Python token, checked against Graph's documentation."""
import uuid

import msal
import requests

from common import ADMIN, AUTHORITY_HOST, BOT, CLOUD, GRAPH, TENANT, check, expect

DOCS = "https://learn.microsoft.com/graph/api"


def session(app):
    result = msal.ConfidentialClientApplication(app["clientId"], client_credential=app["clientSecret"], authority=f"{AUTHORITY_HOST}/{TENANT}",
                                                instance_discovery=False).acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {result['access_token']}"
    return s


bot = session(BOT)
admin = session(ADMIN)
KEY = f"conformance-{uuid.uuid4().hex[:8]}"
state = {}


def upsert():
    path = f"{GRAPH}/applications(uniqueName='{KEY}')"
    created = bot.patch(path, json={"displayName": "Conformance app"}, headers={"Prefer": "create-if-missing"}, timeout=30)
    expect(created.status_code == 201 and created.json()["uniqueName"] == KEY, f"{created.status_code} {created.text[:200]}")
    state["app"] = created.json()
    again = bot.patch(path, json={"displayName": "Conformance app 2"}, headers={"Prefer": "create-if-missing"}, timeout=30)
    expect(again.status_code == 204, f"second upsert {again.status_code}")


check("upsert by uniqueName: 201 when created, 204 when updated", f"{DOCS}/application-upsert", upsert)


def duplicate_unique_name():
    reply = bot.post(f"{GRAPH}/applications", json={"displayName": "Copy", "uniqueName": KEY}, timeout=30)
    error = reply.json()["error"]
    expect(reply.status_code == 400 and error["code"] == "Request_BadRequest" and "uniqueName" in error["message"], f"{reply.status_code} {error}")


check("a duplicate uniqueName is refused", f"{DOCS}/resources/application#properties", duplicate_unique_name)


def add_password():
    app = state["app"]
    made = bot.post(f"{GRAPH}/applications/{app['id']}/addPassword", json={"passwordCredential": {"displayName": "conformance"}}, timeout=30).json()
    expect(made.get("secretText") and made.get("hint") == made["secretText"][:3], "secretText returned with its hint")
    listed = bot.get(f"{GRAPH}/applications/{app['id']}", timeout=30).json()["passwordCredentials"]
    expect([p["secretText"] for p in listed] == [None] and listed[0]["hint"] == made["hint"], f"read back {listed}")


check("addPassword returns secretText once; reads return only the hint", f"{DOCS}/application-addpassword", add_password)


def duplicate_service_principal():
    appid = state["app"]["appId"]
    first = bot.post(f"{GRAPH}/servicePrincipals", json={"appId": appid}, timeout=30)
    expect(first.status_code == 201, f"create {first.status_code}")
    state["sp"] = first.json()
    second = bot.post(f"{GRAPH}/servicePrincipals", json={"appId": appid}, timeout=30)
    expect(second.status_code == 409 and second.json()["error"]["code"] == "Request_MultipleObjectsWithSameKeyValue", f"{second.status_code} {second.text[:200]}")


check("a second service principal for the same app is refused (409)", f"{DOCS}/serviceprincipal-post-serviceprincipals", duplicate_service_principal)


def duplicate_grant():
    graph_sp = bot.get(f"{GRAPH}/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id", timeout=30).json()["id"]
    body = {"clientId": state["sp"]["id"], "consentType": "AllPrincipals", "resourceId": graph_sp, "scope": "User.Read"}
    first = bot.post(f"{GRAPH}/oauth2PermissionGrants", json=body, timeout=30)
    expect(first.status_code == 201, f"grant {first.status_code} {first.text[:200]}")
    second = bot.post(f"{GRAPH}/oauth2PermissionGrants", json=body, timeout=30)
    expect(second.status_code == 409 and second.json()["error"]["code"] == "Request_MultipleObjectsWithSameKeyValue", f"{second.status_code}")


check("a duplicate delegated grant is refused", f"{DOCS}/oauth2permissiongrant-post", duplicate_grant)


def owned_by_refusal():
    ref = {"@odata.id": f"{GRAPH}/directoryObjects/{CLOUD['users'][0]['id']}"}
    refused = bot.post(f"{GRAPH}/applications/{state['app']['id']}/owners/$ref", json=ref, timeout=30)
    error = refused.json()["error"]
    expect(refused.status_code == 403 and error["code"] == "Authorization_RequestDenied", f"{refused.status_code} {error}")
    expect(admin.post(f"{GRAPH}/applications/{state['app']['id']}/owners/$ref", json=ref, timeout=30).status_code == 204, "Application.ReadWrite.All adds")


check("Application.ReadWrite.OwnedBy cannot add an owner; Application.ReadWrite.All can", f"{DOCS}/application-post-owners", owned_by_refusal)


def owned_by_scope():
    others = bot.get(f"{GRAPH}/applications?$select=id&$top=999", timeout=30).json()["value"]
    expect(len(others) > 1, "the bot (Application.Read.All) reads apps it does not own")
    seeded = next(a for a in admin.get(f"{GRAPH}/applications?$select=id,uniqueName,displayName", timeout=30).json()["value"] if a["displayName"] == "Contoso HR Portal")
    reply = bot.patch(f"{GRAPH}/applications/{seeded['id']}", json={"notes": "not yours"}, timeout=30)
    expect(reply.status_code == 403, f"changed an app it does not own: {reply.status_code}")


check("Application.ReadWrite.OwnedBy cannot change an app the caller does not own",
      "https://learn.microsoft.com/graph/permissions-reference#applicationreadwriteownedby", owned_by_scope)


def entitlements():
    scope = {"id": str(uuid.uuid4()), "value": "conformance.read", "type": "Admin", "isEnabled": True, "adminConsentDisplayName": "Read",
             "adminConsentDescription": "Read", "userConsentDisplayName": None, "userConsentDescription": None}
    path = f"{GRAPH}/applications/{state['app']['id']}"
    expect(bot.patch(path, json={"api": {"oauth2PermissionScopes": [scope]}}, timeout=30).status_code == 204, "add scope")
    changed = bot.patch(path, json={"api": {"oauth2PermissionScopes": [{**scope, "value": "conformance.write"}]}}, timeout=30)
    expect(changed.status_code == 400 and changed.json()["error"]["code"] == "CannotDeleteOrUpdateEnabledEntitlement", f"change {changed.status_code}")
    removed = bot.patch(path, json={"api": {"oauth2PermissionScopes": []}}, timeout=30)
    expect(removed.status_code == 400, f"remove enabled {removed.status_code}")
    expect(bot.patch(path, json={"api": {"oauth2PermissionScopes": [{**scope, "isEnabled": False}]}}, timeout=30).status_code == 204, "disable")
    expect(bot.patch(path, json={"api": {"oauth2PermissionScopes": []}}, timeout=30).status_code == 204, "remove disabled")


check("an enabled scope can be neither changed nor removed until disabled", f"{DOCS}/resources/permissionscope#properties", entitlements)


def paging():
    first = bot.get(f"{GRAPH}/applications?$top=2&$select=id", timeout=30).json()
    expect(len(first["value"]) == 2 and "@odata.nextLink" in first, "first page")
    second = bot.get(first["@odata.nextLink"], timeout=30).json()
    expect(second["value"] and {a["id"] for a in second["value"]}.isdisjoint({a["id"] for a in first["value"]}), "next page")


check("paging with $top and @odata.nextLink", "https://learn.microsoft.com/graph/paging", paging)


def skip_refused():
    reply = bot.get(f"{GRAPH}/applications?$skip=2", timeout=30)
    expect(reply.status_code == 400, f"$skip answered {reply.status_code}")


check("$skip is not supported on directory objects", "https://learn.microsoft.com/graph/aad-advanced-queries", skip_refused)


def count_needs_eventual():
    plain = bot.get(f"{GRAPH}/applications/$count", timeout=30)
    expect(plain.status_code == 400, f"$count without ConsistencyLevel: {plain.status_code}")
    counted = bot.get(f"{GRAPH}/applications/$count", headers={"ConsistencyLevel": "eventual"}, timeout=30)
    expect(counted.status_code == 200 and int(counted.text) > 0, f"$count {counted.status_code}")


check("$count needs ConsistencyLevel: eventual", "https://learn.microsoft.com/graph/aad-advanced-queries#query-scenarios-that-require-advanced-query-capabilities", count_needs_eventual)


def error_shape():
    reply = bot.get(f"{GRAPH}/applications/{uuid.uuid4()}", timeout=30)
    error = reply.json()["error"]
    expect(reply.status_code == 404 and error["code"] == "Request_ResourceNotFound", f"{reply.status_code}")
    expect({"date", "request-id", "client-request-id"} <= set(error["innerError"]), f"innerError {error.get('innerError')}")


check("errors in Graph's shape: code, message, innerError with date and request ids", "https://learn.microsoft.com/graph/errors#json-representation", error_shape)


def batch():
    good = {"id": "1", "method": "POST", "url": "/applications", "body": {"displayName": "From a batch"}, "headers": {"Content-Type": "application/json"}}
    ok = bot.post(f"{GRAPH}/$batch", json={"requests": [good]}, timeout=30).json()["responses"]
    expect(ok[0]["status"] == 201, f"batched create {ok[0]['status']}")
    missing = {**good, "headers": {}}
    reply = bot.post(f"{GRAPH}/$batch", json={"requests": [missing]}, timeout=30)
    expect(reply.status_code == 400, f"body without Content-Type answered {reply.status_code}")


check("$batch: a request with a body needs a Content-Type header", "https://learn.microsoft.com/graph/json-batching#request-format", batch)


def members():
    group = CLOUD["groups"]["helpdesk"]
    direct = admin.get(f"{GRAPH}/groups/{group}/members", timeout=30).json()["value"]
    transitive = admin.get(f"{GRAPH}/groups/{group}/transitiveMembers", timeout=30).json()["value"]
    expect(len(direct) == 2 and len(transitive) > len(direct), f"{len(direct)} direct, {len(transitive)} transitive")


check("group members are direct; transitiveMembers include nested groups' members", f"{DOCS}/group-list-members", members)


def check_member_groups():
    user = next(u["id"] for u in CLOUD["users"] if u["name"] == "Megan Bowen")
    approvers = CLOUD["groups"]["approvers"]
    reply = admin.post(f"{GRAPH}/directoryObjects/{user}/checkMemberGroups", json={"groupIds": [approvers]}, timeout=30)
    expect(reply.status_code == 200 and reply.json()["value"] == [approvers], f"{reply.status_code} {reply.text[:200]}")


check("checkMemberGroups on a directory object", f"{DOCS}/directoryobject-checkmembergroups", check_member_groups)


def soft_delete():
    key = f"{KEY}-deleted"
    made = bot.post(f"{GRAPH}/applications", json={"displayName": "Soft-deleted", "uniqueName": key}, timeout=30).json()
    expect(bot.delete(f"{GRAPH}/applications/{made['id']}", timeout=30).status_code == 204, "delete")
    reuse = bot.post(f"{GRAPH}/applications", json={"displayName": "Reuse", "uniqueName": key}, timeout=30)
    expect(reuse.status_code == 400, f"uniqueName of a deleted app reused: {reuse.status_code}")
    listed = bot.get(f"{GRAPH}/directory/deletedItems/microsoft.graph.application", timeout=30).json()["value"]
    expect(any(a["id"] == made["id"] for a in listed), "listed in deletedItems")
    restored = bot.post(f"{GRAPH}/directory/deletedItems/{made['id']}/restore", timeout=30)
    expect(restored.status_code == 200 and bot.get(f"{GRAPH}/applications/{made['id']}", timeout=30).status_code == 200, f"restore {restored.status_code}")


check("a deleted application stays in deletedItems with its uniqueName reserved, and can be restored",
      f"{DOCS}/directory-deleteditems-restore", soft_delete)
