"""Voice calls: caller-ID rings paired with their ``+CLIP``, dialling out and hanging up.

The stick never answers a call: nothing here sends ``ATA``.

A ring is ``RING`` (or ``+CRING: VOICE`` after ``AT+CRC=1``) followed right away by ``+CLIP``
(after ``AT+CLIP=1``). ``RingPairing`` holds a ring until its ``+CLIP`` arrives, and gives it up
without a caller when any other pushed line comes first or when ``flush()`` is called (the
``Modem`` calls it ``CLIP_WAIT`` seconds after the ring): one ``CallRinging`` per ring, in order.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final

from .at import Unsolicited
from .call_models import CallEnded, Caller, CallRinging
from .errors import AtCommandError, VoiceNotSupportedError
from .models import Capabilities, ModemEvent
from .pdu import normalize_number
from .replies import parse_clip
from .session import AtSession

_LOGGER = logging.getLogger(__name__)

RING_LINES: Final = frozenset({"RING", "+CRING"})
CALLER_ID_COMMANDS: Final = ("AT+CLIP=1", "AT+CRC=1")
"""Asked at open; a firmware that refuses them still sends a bare ``RING``."""
CLIP_WAIT: Final = 0.25
"""Seconds a ring waits for its ``+CLIP`` before it is reported without a caller."""


class RingPairing:
    """Pairs each ring with the ``+CLIP`` after it and counts the rings of a call (no timers)."""

    def __init__(self) -> None:
        self._rings = 0
        self._waiting = False
        self._caller: Caller | None = None

    @property
    def waiting(self) -> bool:
        """A ring waits for its ``+CLIP``."""
        return self._waiting

    def feed(self, unsolicited: Unsolicited) -> list[ModemEvent]:
        """The ring events a pushed line completes (the held ring first, then its own)."""
        if unsolicited.name == "+CLIP":
            self._caller = parse_clip(unsolicited.value)
            return self.flush()
        events = self.flush()
        if unsolicited.name in RING_LINES:
            self._rings += 1
            self._waiting = True
        return events

    def flush(self) -> list[ModemEvent]:
        """The held ring, with the caller known so far (None: no ``+CLIP`` yet for this call)."""
        if not self._waiting:
            return []
        self._waiting = False
        return [CallRinging(self._caller, self._rings)]

    def ended(self) -> None:
        """The call is over (``^CEND``, or the port went away): the next ring is a new call."""
        self._rings, self._waiting, self._caller = 0, False, None


class CallSession(AtSession):
    """The call side of ``Modem``: caller ID set up at open, rings, ``dial`` and ``hang_up``."""

    _capabilities: Capabilities

    def __init__(
        self, url: str, *, timeout: float, settle: float, busy_retries: int, busy_delay: float
    ) -> None:
        super().__init__(
            url, timeout=timeout, settle=settle, busy_retries=busy_retries, busy_delay=busy_delay
        )
        self._rings = RingPairing()
        self._ring_timer: asyncio.TimerHandle | None = None

    async def _enable_caller_id(self) -> None:
        for command in CALLER_ID_COMMANDS:
            await self._optional(command)

    async def dial(self, number: str) -> None:
        """Dial ``number`` for a voice call; returns once the stick took it (``ATD…;``).

        What follows comes as events: ``CallDialling``, ``CallAlerting``, then
        ``CallConnected`` or ``CallEnded`` (cause 17 busy, 19 no answer, 21 rejected).
        Raises InvalidNumberError (nothing sent), VoiceNotSupportedError (nothing sent),
        CallSetupError (``NO CARRIER``: no network, the call could not be set up), CmeError
        (e.g. 3: another call is up), AtTimeoutError, ConnectionLostError.
        """
        dialled = normalize_number(number)
        if not self._capabilities.voice:
            raise VoiceNotSupportedError(f"{self.url}: the stick's firmware has no voice calls")
        await self._command(f"ATD{dialled};")

    async def hang_up(self) -> None:
        """End the call, ringing (the caller hears it rejected) or up; ``CallEnded`` follows.

        ``AT+CHUP``, and ``ATH`` where the firmware refuses it.
        """
        try:
            await self._command("AT+CHUP")
        except AtCommandError as err:
            _LOGGER.debug("%s: %s; hanging up with ATH", self.url, err)
            await self._command("ATH")

    # --- events -------------------------------------------------------------------------------

    def _call_events(self, unsolicited: Unsolicited) -> None:
        """Fire the rings a pushed line completes; hold a ring for its ``+CLIP``."""
        for event in self._rings.feed(unsolicited):
            self._fire(event)
        self._cancel_ring_timer()
        if self._rings.waiting:
            loop = asyncio.get_running_loop()
            self._ring_timer = loop.call_later(CLIP_WAIT, self._flush_ring)

    def _call_event_fired(self, event: ModemEvent) -> None:
        if isinstance(event, CallEnded):
            self._rings.ended()

    def _flush_ring(self) -> None:
        self._ring_timer = None
        for event in self._rings.flush():
            self._fire(event)

    def _calls_lost(self) -> None:
        """The port went away: a held ring is reported, then the call is forgotten."""
        self._cancel_ring_timer()
        self._flush_ring()
        self._rings.ended()

    def _cancel_ring_timer(self) -> None:
        if self._ring_timer is not None:
            self._ring_timer.cancel()
            self._ring_timer = None
