"""scripts/develop, the README's "try it without a stick" command, as a person runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest

from .real_hass import free_tcp_port, onboard, request, wait_until_serving

ROOT = Path(__file__).parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(name="develop")
def develop_fixture(
    tmp_path: Path, socket_enabled: None
) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    port = free_tcp_port()
    log = (tmp_path / "develop.log").open("wb")
    process = subprocess.Popen(
        [ROOT / "scripts" / "develop", "--port", str(port), "--dir", tmp_path / "develop",
         "--stick-tcp-port", str(free_tcp_port())],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        yield process, f"http://127.0.0.1:{port}", tmp_path / "develop.log"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def ask_at(path: str, command: bytes) -> bytes:
    """Send one AT command to a tty and collect what comes back for a moment."""
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    try:
        os.write(fd, command + b"\r")
        received = b""
        deadline = time.monotonic() + 5
        while b"OK\r\n" not in received and time.monotonic() < deadline:
            try:
                received += os.read(fd, 1024)
            except BlockingIOError:
                time.sleep(0.05)
        return received
    finally:
        os.close(fd)


def test_develop_serves_home_assistant_with_the_integration_and_the_stick(
    develop: tuple[subprocess.Popen[bytes], str, Path],
) -> None:
    process, base_url, log = develop
    wait_until_serving(base_url, timeout=240)
    token = onboard(base_url)

    handlers = request(f"{base_url}/api/config/config_entries/flow_handlers", token=token)
    assert "huawei_modem" in handlers

    guide = log.read_text(errors="replace")
    pcui = guide.split("Its AT (PCUI) port:\n", 1)[1].split("\n", 1)[0].strip()
    assert os.path.islink(pcui)
    assert b"huawei" in ask_at(pcui, b"AT+CGMI").lower()
    assert "python -m emulator sms" in guide

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
    assert process.wait(timeout=60) != 0
    with pytest.raises(urllib.error.URLError, match="Connection refused"):
        request(f"{base_url}/manifest.json")
    assert not os.path.exists(pcui), "the emulated stick outlived Ctrl-C"
