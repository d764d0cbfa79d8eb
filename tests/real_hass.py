"""Talking to a real Home Assistant process over its REST API (end-to-end tests)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[1]

DEMO_USER = {"name": "Demo", "username": "demo", "password": "demo-password", "language": "en"}


def free_tcp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(
    url: str,
    *,
    token: str | None = None,
    json_body: Any = None,
    form: dict[str, str] | None = None,
    timeout: float = 30,
) -> bytes:
    """The body of a GET, or of a POST when a JSON body or a form is given."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
    with urllib.request.urlopen(
        urllib.request.Request(url, data, headers), timeout=timeout
    ) as reply:
        return bytes(reply.read())


def request(
    url: str,
    *,
    token: str | None = None,
    json_body: Any = None,
    form: dict[str, str] | None = None,
    timeout: float = 30,
) -> Any:
    """An answer in JSON."""
    answer = fetch(url, token=token, json_body=json_body, form=form, timeout=timeout)
    return json.loads(answer or b"null")


def render(base_url: str, token: str, template: str) -> str:
    """A template rendered by Home Assistant (POST /api/template answers plain text)."""
    return fetch(f"{base_url}/api/template", token=token, json_body={"template": template}).decode()


def finish_onboarding(base_url: str, token: str) -> None:
    """The onboarding steps after the owner, so that the UI opens on the dashboard."""
    request(f"{base_url}/api/onboarding/core_config", token=token, json_body={})
    request(f"{base_url}/api/onboarding/analytics", token=token, json_body={})
    request(
        f"{base_url}/api/onboarding/integration",
        token=token,
        json_body={"client_id": f"{base_url}/", "redirect_uri": f"{base_url}/?auth_callback=1"},
    )


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


@dataclass(frozen=True)
class Develop:
    """A running scripts/develop: the emulated stick plus a real Home Assistant."""

    process: subprocess.Popen[bytes]
    base_url: str
    workdir: Path
    log: Path

    @property
    def guide(self) -> str:
        return self.log.read_text(errors="replace")

    @property
    def pcui_path(self) -> str:
        """The AT port the guide tells a person to add."""
        return self.guide.split("Its AT (PCUI) port:\n", 1)[1].split("\n", 1)[0].strip()

    def emulator(self, *args: str) -> str:
        """Drive the running stick the way the guide says, e.g. emulator("unplug")."""
        command, *rest = args
        stick_dir = str(self.workdir / "stick")
        return subprocess.run(
            [sys.executable, "-m", "emulator", command, "--link-dir", stick_dir, *rest],
            cwd=ROOT, check=True, capture_output=True, text=True, timeout=60,
        ).stdout  # fmt: skip


@contextmanager
def run_develop(tmp_path: Path, *args: str) -> Iterator[Develop]:
    """Start scripts/develop on free ports in its own session (so Ctrl-C can be sent to it)."""
    port = free_tcp_port()
    workdir = tmp_path / "develop"
    log_path = tmp_path / "develop.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [ROOT / "scripts" / "develop", "--port", str(port), "--dir", workdir,
             "--stick-tcp-port", str(free_tcp_port()), *args],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            yield Develop(process, f"http://127.0.0.1:{port}", workdir, log_path)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
