"""Key Vault secrets through azure-identity and azure-keyvault-secrets (Debian python3-azure), against the docs."""
import datetime
import time
import uuid

import requests
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from azure.identity import ClientSecretCredential
from azure.keyvault.secrets import SecretClient

from common import AUTHORITY_HOST, BOT, OTHER, TENANT, VAULT, check, expect


def client(app=BOT):
    credential = ClientSecretCredential(TENANT, app["clientId"], app["clientSecret"], authority=AUTHORITY_HOST, instance_discovery=False)
    # The local vault's challenge names https://vault.azure.net while it lives on localhost (docs/localcloud.md).
    return SecretClient(VAULT, credential, verify_challenge_resource=False)


vault = client()
NAME = f"conformance-{uuid.uuid4().hex[:8]}"
NOW = datetime.datetime.now(datetime.timezone.utc)
REST = "https://learn.microsoft.com/rest/api/keyvault/secrets"


def challenge():
    reply = requests.get(f"{VAULT}/secrets/{NAME}?api-version=7.3", timeout=30)
    header = reply.headers.get("WWW-Authenticate", "")
    expect(reply.status_code == 401 and "authorization=" in header and 'resource="https://vault.azure.net"' in header, f"{reply.status_code} {header}")


check("unauthenticated request gets 401 with a Bearer challenge (authorization, resource)",
      "https://learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses#authentication", challenge)


def set_and_get():
    first = vault.set_secret(NAME, "one", content_type="text/plain", tags={"requestId": "R-1"})
    expect(first.value == "one" and first.properties.enabled and first.properties.version, "set result")
    read = vault.get_secret(NAME)
    expect(read.value == "one" and read.properties.content_type == "text/plain" and read.properties.tags == {"requestId": "R-1"}, "get")
    second = vault.set_secret(NAME, "two")
    expect(vault.get_secret(NAME).value == "two", "latest version")
    expect(vault.get_secret(NAME, first.properties.version).value == "one", "by version")
    return second.properties.version


check("set creates a new version; get returns the latest, or a given version", f"{REST}/set-secret/set-secret", set_and_get)


def versions():
    found = list(vault.list_properties_of_secret_versions(NAME))
    expect(len(found) == 2 and all(getattr(v, "value", None) is None for v in found), f"{len(found)} versions")


check("list versions: two versions, no values", f"{REST}/get-secret-versions/get-secret-versions", versions)


def list_names():
    names = [p.name for p in vault.list_properties_of_secrets()]
    expect(NAME in names, "listed")


check("list secrets: identifiers and attributes only", f"{REST}/get-secrets/get-secrets", list_names)


def not_found():
    try:
        vault.get_secret(f"{NAME}-missing")
        raise AssertionError("found a missing secret")
    except ResourceNotFoundError as error:
        expect(error.status_code == 404 and error.error.code == "SecretNotFound", str(error.error.code))


check("a missing secret is 404 SecretNotFound", "https://learn.microsoft.com/azure/key-vault/general/rest-error-codes", not_found)


def expired_and_future():
    vault.set_secret(f"{NAME}-exp", "old", expires_on=NOW - datetime.timedelta(minutes=5))
    expect(vault.get_secret(f"{NAME}-exp").value == "old", "expired readable")
    vault.set_secret(f"{NAME}-nbf", "later", not_before=NOW + datetime.timedelta(hours=1))
    expect(vault.get_secret(f"{NAME}-nbf").value == "later", "not-yet-valid readable")


check("get works on expired and not-yet-valid secrets",
      "https://learn.microsoft.com/azure/key-vault/secrets/about-secrets#date-time-controlled-operations", expired_and_future)


def disabled():
    made = vault.set_secret(f"{NAME}-off", "off")
    vault.update_secret_properties(f"{NAME}-off", made.properties.version, enabled=False)
    try:
        vault.get_secret(f"{NAME}-off")
        raise AssertionError("read a disabled secret")
    except HttpResponseError as error:
        expect(error.status_code == 403, str(error.status_code))


check("a disabled secret cannot be read (403)", "https://learn.microsoft.com/azure/key-vault/secrets/about-secrets#secret-attributes", disabled)


def case_insensitive():
    expect(vault.get_secret(NAME.upper()).value == "two", "upper-case name")


check("secret names are case-insensitive",
      "https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers", case_insensitive)


def delete_poller():
    deleted = vault.begin_delete_secret(NAME).result()
    expect(deleted.name == NAME and deleted.recovery_id and deleted.scheduled_purge_date and deleted.deleted_date, "deleted secret")
    expect(deleted.properties.recovery_level.startswith("Recoverable"), deleted.properties.recovery_level)


check("delete: the poller ends with a recoverable deleted secret", f"{REST}/delete-secret/delete-secret", delete_poller)

check("get a deleted secret", f"{REST}/get-deleted-secret/get-deleted-secret",
      lambda: expect(vault.get_deleted_secret(NAME).name == NAME, "deleted get"))


def reuse_refused():
    try:
        vault.set_secret(NAME, "three")
        raise AssertionError("reused a deleted name")
    except ResourceExistsError as error:
        expect(error.status_code == 409, str(error.status_code))


check("a deleted but recoverable name cannot be reused (409)",
      "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview#secret-recovery", reuse_refused)


def recover():
    vault.begin_recover_deleted_secret(NAME).result()
    expect(vault.get_secret(NAME).value == "two", "recovered value")


check("recover a deleted secret", f"{REST}/recover-deleted-secret/recover-deleted-secret", recover)


def purge():
    vault.begin_delete_secret(NAME).result()
    vault.purge_deleted_secret(NAME)
    try:
        vault.get_deleted_secret(NAME)
        raise AssertionError("still listed as deleted")
    except ResourceNotFoundError:
        pass


check("purge removes the deleted secret for good", f"{REST}/purge-deleted-secret/purge-deleted-secret", purge)


def purge_then_set():
    try:
        vault.set_secret(NAME, "four")
        raise AssertionError("set straight after a purge")
    except ResourceExistsError as error:
        expect(error.status_code == 409 and "being deleted" in error.message, error.message[:200])
    deadline = time.monotonic() + 30
    while True:
        try:
            expect(vault.set_secret(NAME, "four").value == "four", "set after purge")
            return
        except ResourceExistsError:
            expect(time.monotonic() < deadline, "the purge never finished")
            time.sleep(0.2)


check("set right after a purge: 409 ObjectIsBeingDeleted, then it succeeds",
      "https://github.com/Azure/azure-sdk-for-net/issues/26027", purge_then_set)


def rbac():
    try:
        client(OTHER).get_secret(NAME)
        raise AssertionError("read without a role")
    except HttpResponseError as error:
        expect(error.status_code == 403, str(error.status_code))


check("a caller without a Key Vault data role gets 403", "https://learn.microsoft.com/azure/key-vault/general/rbac-guide", rbac)
