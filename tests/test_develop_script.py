"""scripts/develop, the README's "try it without a stick" command, as a person runs it."""

from __future__ import annotations

import os
import signal
import time
import urllib.error
from pathlib import Path

import pytest

from .real_hass import onboard, request, run_develop, wait_until_serving

pytestmark = [pytest.mark.slow, pytest.mark.newest_hass]


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
    tmp_path: Path, socket_enabled: None
) -> None:
    with run_develop(tmp_path) as develop:
        wait_until_serving(develop.base_url, timeout=240)
        token = onboard(develop.base_url)

        handlers = request(
            f"{develop.base_url}/api/config/config_entries/flow_handlers", token=token
        )
        assert "huawei_modem" in handlers

        pcui = develop.pcui_path
        assert os.path.islink(pcui)
        assert b"huawei" in ask_at(pcui, b"AT+CGMI").lower()
        assert "scripts/emulator sms" in develop.guide

        os.killpg(develop.process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        assert develop.process.wait(timeout=60) == 130
        with pytest.raises(urllib.error.URLError, match="Connection refused"):
            request(f"{develop.base_url}/manifest.json")
        assert not os.path.exists(pcui), "the emulated stick outlived Ctrl-C"
