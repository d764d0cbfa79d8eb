"""Pseudo-terminals standing in for /dev/ttyUSBn, driven by the event loop (no threads)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tty
from collections.abc import Callable

_MAX_BACKLOG = 1 << 20  # like a tty nobody reads: beyond this, output is dropped


class PtyEndpoint:
    """The master side of a raw pty; the emulator keeps a slave fd open so that clients
    coming and going never make the master fail with EIO."""

    def __init__(self, master: int, slave: int) -> None:
        self.master = master
        self.slave = slave
        self.name = os.ttyname(slave)
        self._backlog = bytearray()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._writing = False

    @classmethod
    def open(cls) -> PtyEndpoint:
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        return cls(master, slave)

    def start(self, on_data: Callable[[bytes], None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self.master, self._readable, on_data)

    def _readable(self, on_data: Callable[[bytes], None]) -> None:
        try:
            data = os.read(self.master, 4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            return
        if data:
            on_data(data)

    def write(self, data: bytes) -> None:
        if len(self._backlog) + len(data) > _MAX_BACKLOG:
            return
        self._backlog += data
        self._flush()

    def _flush(self) -> None:
        while self._backlog:
            try:
                written = os.write(self.master, self._backlog)
            except (BlockingIOError, InterruptedError):
                self._want_writable(True)
                return
            except OSError:
                self._backlog.clear()
                break
            del self._backlog[:written]
        self._want_writable(False)

    def _want_writable(self, wanted: bool) -> None:
        if self._loop is None or wanted == self._writing:
            return
        self._writing = wanted
        if wanted:
            self._loop.add_writer(self.master, self._flush)
        else:
            self._loop.remove_writer(self.master)

    def close(self) -> None:
        if self._loop is not None:
            self._loop.remove_reader(self.master)
            self._loop.remove_writer(self.master)
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


def open_ptys(count: int, avoid: set[str]) -> list[PtyEndpoint]:
    """``count`` new ptys whose names are not in ``avoid`` (the names of a previous plug-in).

    The kernel hands out the lowest free number; holding the unwanted ones as spacers until
    enough fresh ones exist gives new names, as a replugged stick gets new ttyUSB numbers.
    """
    fresh: list[PtyEndpoint] = []
    spacers: list[PtyEndpoint] = []
    try:
        while len(fresh) < count:
            endpoint = PtyEndpoint.open()
            (spacers if endpoint.name in avoid else fresh).append(endpoint)
    except BaseException:
        for endpoint in fresh:
            endpoint.close()
        raise
    finally:
        for spacer in spacers:
            spacer.close()
    return fresh
