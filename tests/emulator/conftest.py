"""A tiny raw AT client (pty and TCP) and stick fixtures for the emulator tests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from emulator import EmulatedStick

FINAL = re.compile(
    r"^(OK|ERROR|NO CARRIER|\+CME ERROR: .*|\+CMS ERROR: .*"
    r"|COMMAND NOT SUPPORT|TOO MANY PARAMETERS)$"
)
TIMEOUT = 3.0


class AtClient:
    """Writes commands, collects bytes, splits lines; knows nothing of the project's code."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.arrived = asyncio.Event()
        self.closed = False
        self.error: OSError | None = None
        self._write: Callable[[bytes], None] = lambda data: None
        self._close: Callable[[], None] = lambda: None

    @classmethod
    async def open_pty(cls, path: str | Path) -> AtClient:
        client = cls()
        fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        loop = asyncio.get_running_loop()

        def readable() -> None:
            try:
                data = os.read(fd, 4096)
            except BlockingIOError:
                return
            except OSError as error:
                client.error = error
                data = b""
            if not data:
                loop.remove_reader(fd)
                client.closed = True
            client.buffer += data
            client.arrived.set()

        def close() -> None:
            loop.remove_reader(fd)
            os.close(fd)

        loop.add_reader(fd, readable)
        client._write = lambda data: _write_all(fd, data)
        client._close = close
        return client

    @classmethod
    async def open_tcp(cls, url: str) -> AtClient:
        host, port = url.removeprefix("socket://").rsplit(":", 1)
        reader, writer = await asyncio.open_connection(host, int(port))
        client = cls()

        async def pump() -> None:
            while data := await reader.read(4096):
                client.buffer += data
                client.arrived.set()
            client.closed = True
            client.arrived.set()

        task = asyncio.get_running_loop().create_task(pump())
        client._write = writer.write

        def close() -> None:
            task.cancel()
            writer.close()

        client._close = close
        return client

    def send(self, data: bytes | str) -> None:
        self._write(data.encode() if isinstance(data, str) else data)

    async def wait_for(self, pattern: bytes, limit: float = TIMEOUT) -> bytes:
        """Everything up to and including ``pattern``, consumed from the buffer."""
        async with asyncio.timeout(limit):
            while (end := self.buffer.find(pattern)) < 0:
                if self.closed:
                    raise ConnectionError("closed")
                self.arrived.clear()
                await self.arrived.wait()
        data = bytes(self.buffer[: end + len(pattern)])
        del self.buffer[: end + len(pattern)]
        return data

    async def read_final(self, limit: float = TIMEOUT) -> list[str]:
        """Lines (non-empty, decoded tolerantly) up to and including a final result."""
        lines: list[str] = []
        async with asyncio.timeout(limit):
            while True:
                raw = await self.wait_for(b"\n", limit)
                line = raw.decode("utf-8", "replace").strip("\r\n")
                if line:
                    lines.append(line)
                if FINAL.match(line):
                    return lines

    async def command(self, text: str, limit: float = TIMEOUT) -> list[str]:
        """Send ``text\\r`` and return the reply lines (with echo and unsolicited ones)."""
        self.send(text + "\r")
        return await self.read_final(limit)

    async def drain(self) -> bytes:
        """Drop what already arrived (unsolicited lines of an earlier control action)."""
        await asyncio.sleep(0.01)
        data = bytes(self.buffer)
        self.buffer.clear()
        return data

    async def ok(self, text: str) -> list[str]:
        """Reply lines without the echo and final result, after dropping earlier unsolicited
        lines; asserts the command succeeded."""
        await self.drain()
        lines = await self.command(text)
        assert lines[-1] == "OK", lines
        return [line for line in lines[:-1] if line != text]

    async def silence(self, seconds: float = 0.2) -> bytes:
        """What arrives within ``seconds`` (expected: nothing)."""
        await asyncio.sleep(seconds)
        data = bytes(self.buffer)
        self.buffer.clear()
        return data

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._close()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


@pytest.fixture
def link_dir(tmp_path: Path) -> Path:
    path = tmp_path / "by-id"
    path.mkdir()
    return path


@pytest.fixture
async def stick(link_dir: Path) -> AsyncIterator[EmulatedStick]:
    async with EmulatedStick("E3372", link_dir=link_dir, reset_delay=0.05) as emulated:
        yield emulated


@pytest.fixture
async def pcui(stick: EmulatedStick) -> AsyncIterator[AtClient]:
    client = await AtClient.open_pty(stick.ports["pcui"])
    await client.ok("ATE0")
    yield client
    client.close()


async def open_client(stick: EmulatedStick, role: str = "pcui", *, echo: bool = False) -> AtClient:
    client = await AtClient.open_pty(stick.ports[role])
    if not echo:
        await client.ok("ATE0")
    return client
