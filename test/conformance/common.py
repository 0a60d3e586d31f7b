"""Shared by the conformance scripts: read the local cloud's coordinates, record each operation's verdict.

Each operation prints one JSON line: {"op", "doc", "ok", "detail"}. The jest test (conformance.test.ts) starts the
local cloud, runs the scripts with Debian's /usr/bin/python3 and Microsoft's own clients, and counts the lines.
"""
import base64
import json
import os
import sys
import traceback

CLOUD = json.loads(os.environ["LOCALCLOUD"])
AUTHORITY_HOST = CLOUD["authorityHost"]
TENANT = CLOUD["tenantId"]
GRAPH = CLOUD["graphBaseUrl"]
VAULT = CLOUD["vaultUrl"]
BOT = CLOUD["bot"]
OTHER = CLOUD["outsider"]
ADMIN = CLOUD["admin"]


def check(op, doc, fn):
    """Runs fn, which returns None or a detail string when all its assertions held; any exception is a mismatch."""
    try:
        detail = fn()
        print(json.dumps({"op": op, "doc": doc, "ok": True, "detail": detail or ""}), flush=True)
    except Exception as error:  # noqa: BLE001 - every failure is reported, never raised
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        print(json.dumps({"op": op, "doc": doc, "ok": False, "detail": last[:500]}), flush=True)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def claims(token):
    """The payload of a JWT, for the test's own assertions (Onboard itself never decodes tokens)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def done():
    sys.stdout.flush()
