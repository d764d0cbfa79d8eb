"""The AT session under ``Modem``: commands (a busy SIM retried) and listeners of typed events."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar

from .at import AtChannel
from .errors import AtCommandError, CmeError, CmsError
from .models import ModemEvent

_LOGGER = logging.getLogger(__name__)

EventT = TypeVar("EventT", bound=ModemEvent)
_Listener = tuple[type[Any], Callable[[Any], None]]

# Retried after a pause: 14 SIM busy (27.007); 515 "please wait, init or command processing in
# progress" (Huawei/Qualcomm firmware while it starts up); 314 SIM busy (27.005).
_BUSY: Final[dict[type[AtCommandError], frozenset[int]]] = {
    CmeError: frozenset({14, 515}),
    CmsError: frozenset({314}),
}


class AtSession:
    """One AT port and the listeners of what it pushes; both stay when the port moves."""

    def __init__(
        self, url: str, *, timeout: float, settle: float, busy_retries: int, busy_delay: float
    ) -> None:
        self._channel = AtChannel(url, timeout=timeout, settle=settle)
        self._busy_retries = busy_retries
        self._busy_delay = busy_delay
        self._listeners: list[_Listener] = []

    @property
    def url(self) -> str:
        return self._channel.url

    @property
    def is_open(self) -> bool:
        return self._channel.is_open

    async def close(self) -> None:
        await self._channel.close()

    def _move(self, url: str) -> None:
        """Talk to ``url`` from now on (closed); the channel keeps its listeners."""
        self._channel.url = url

    # --- events ---------------------------------------------------------------------------------

    def subscribe(
        self, event_type: type[EventT], callback: Callable[[EventT], None]
    ) -> Callable[[], None]:
        """Call ``callback`` with every event of ``event_type``; returns the unsubscribe.

        A listener stays across ``close()``, ``open()`` and ``reopen(url)``.
        """
        entry: _Listener = (event_type, callback)
        self._listeners.append(entry)
        return lambda: self._listeners.remove(entry)

    def _fire(self, event: ModemEvent) -> None:
        for event_type, callback in list(self._listeners):
            if isinstance(event, event_type):
                try:
                    callback(event)
                except Exception:
                    _LOGGER.exception("%s: listener of %s failed", self.url, event)

    # --- commands -------------------------------------------------------------------------------

    async def _command(self, command: str, *, reply_timeout: float | None = None) -> list[str]:
        """A command, retried while the SIM is busy (never used for PIN commands)."""
        for _ in range(self._busy_retries):
            try:
                return await self._channel.command(command, reply_timeout=reply_timeout)
            except (CmeError, CmsError) as err:
                if err.code not in _BUSY[type(err)]:
                    raise
                _LOGGER.debug("%s: busy, trying again: %s", self.url, err)
            await asyncio.sleep(self._busy_delay)
        return await self._channel.command(command, reply_timeout=reply_timeout)

    async def _optional(self, command: str) -> list[str]:
        """A command whose refusal is fine: its lines, or none."""
        try:
            return await self._command(command)
        except AtCommandError as err:
            _LOGGER.debug("%s: %s", self.url, err)
            return []

    async def _together(self, commands: Sequence[str]) -> list[str]:
        """Commands (without ``AT``) in one line, one round trip; where the stick refuses the
        line, each on its own and its refusal left out. The lines of all of them."""
        try:
            return await self._command("AT" + ";".join(commands))
        except AtCommandError as err:
            _LOGGER.debug("%s: %s; one at a time", self.url, err)
        lines: list[str] = []
        for command in commands:
            lines += await self._optional(f"AT{command}")
        return lines
