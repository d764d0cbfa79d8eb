"""Fixtures of the modem tests: a raw pseudo-terminal the test plays the stick on, and the
emulated sticks (E3372, E3131, E303) with a Modem opened on them."""

from __future__ import annotations

import asyncio
import os
import tty
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypeVar

import pytest

from custom_components.huawei_modem.modem.modem import Modem
from emulator import EmulatedStick

WAIT = 2.0
"""How long a test waits for something that should happen at once."""

T = TypeVar("T")


class Recorder(list[T]):
    """A listener that keeps what it is given and lets a test wait for it."""

    def __init__(self) -> None:
        super().__init__()
        self._changed = asyncio.Event()

    def __call__(self, item: T) -> None:
        self.append(item)
        self._changed.set()

    async def wait_for(self, count: int) -> None:
        """Until ``count`` items arrived."""
        async with asyncio.timeout(WAIT):
            while len(self) < count:
                self._changed.clear()
                await self._changed.wait()


class RawPty:
    """The stick's end of a pty: the test reads what the channel wrote and writes replies."""

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        os.set_blocking(self.master, False)
        self.received = bytearray()
        self._changed = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self.master, self._read)
        self.open = True

    def _read(self) -> None:
        try:
            data = os.read(self.master, 4096)
        except OSError:
            return
        self.received += data
        self._changed.set()

    async def expect(self, data: bytes) -> None:
        """Wait until the channel wrote ``data``; forget everything up to its end."""
        async with asyncio.timeout(WAIT):
            while (position := self.received.find(data)) < 0:
                self._changed.clear()
                await self._changed.wait()
        del self.received[: position + len(data)]

    def send(self, data: str | bytes) -> None:
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def vanish(self) -> None:
        """The stick is pulled: the channel's end reads EIO."""
        if self.open:
            self.open = False
            self._loop.remove_reader(self.master)
            os.close(self.master)

    def close(self) -> None:
        self.vanish()
        os.close(self._slave)


@pytest.fixture
async def raw_pty() -> AsyncIterator[RawPty]:
    pty = RawPty()
    yield pty
    pty.close()


MODELS = ("E3372", "E3131", "E303")
PIN = "1234"
SENDER = "+491701234567"


def make_modem(stick: EmulatedStick, url: str | None = None, timeout: float = 1.0) -> Modem:
    return Modem(
        url or str(stick.stable_paths["pcui"]),
        timeout=timeout,
        sms_timeout=1.0,
        ussd_timeout=1.0,
        busy_delay=0.01,
        settle=0.05,
    )


@pytest.fixture(params=MODELS)
async def stick(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[EmulatedStick]:
    async with EmulatedStick(request.param, link_dir=tmp_path) as emulated:
        yield emulated


@pytest.fixture(params=MODELS)
async def locked_stick(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[EmulatedStick]:
    async with EmulatedStick(request.param, pin=PIN, link_dir=tmp_path) as emulated:
        yield emulated


@pytest.fixture
async def modem(stick: EmulatedStick) -> AsyncIterator[Modem]:
    async with make_modem(stick) as opened:
        yield opened


@pytest.fixture
async def locked_modem(locked_stick: EmulatedStick) -> AsyncIterator[Modem]:
    async with make_modem(locked_stick) as opened:
        yield opened


def only(model: str) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("stick", [model], indirect=True)
