"""Talking to a real Home Assistant process over its REST API (end-to-end tests)."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

DEMO_USER = {"name": "Demo", "username": "demo", "password": "demo-password", "language": "en"}


def free_tcp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request(
    url: str, *, token: str | None = None, json_body: Any = None, form: dict[str, str] | None = None
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=30) as reply:
        return json.loads(reply.read() or b"null")


def wait_until_serving(base_url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            request(f"{base_url}/manifest.json")
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
        else:
            return


def onboard(base_url: str) -> str:
    """Create the owner through onboarding and return an access token."""
    client_id = f"{base_url}/"
    reply = request(
        f"{base_url}/api/onboarding/users", json_body=DEMO_USER | {"client_id": client_id}
    )
    tokens = request(
        f"{base_url}/auth/token",
        form={
            "grant_type": "authorization_code",
            "code": reply["auth_code"],
            "client_id": client_id,
        },
    )
    return str(tokens["access_token"])
