"""The PCUI port over TCP (like ser2net in front of the tty): ``socket://127.0.0.1:PORT``."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from .port import Port


class TcpBridge:
    """One client at a time; while the stick is unplugged, connections are closed at once."""

    def __init__(self, port_of: Callable[[], Port | None], tcp_port: int) -> None:
        self._port_of = port_of
        self._requested = tcp_port
        self._server: asyncio.Server | None = None
        self._clients: dict[asyncio.Task[None], asyncio.StreamWriter] = {}
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", self._requested)
        self.port = self._server.sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        return f"socket://127.0.0.1:{self.port}"

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = self._port_of()
        task = asyncio.current_task()
        if port is None or self._clients or task is None:
            writer.close()
            return
        self._clients[task] = writer
        port.attach(writer.write)
        try:
            while data := await reader.read(4096):
                port.feed(data)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            port.detach(writer.write)
            self._clients.pop(task, None)
            writer.close()

    def drop_clients(self) -> None:
        """The tty went away (unplug, reset): the connection breaks."""
        for writer in self._clients.values():
            writer.close()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        tasks = list(self._clients)
        for task in tasks:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks, return_exceptions=True)
