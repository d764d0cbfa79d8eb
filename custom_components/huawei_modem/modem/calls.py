"""Voice calls: caller-ID rings paired with their ``+CLIP``, dialling out and hanging up.

The stick never answers a call: nothing here sends ``ATA``.

A ring is ``RING`` (or ``+CRING: VOICE`` after ``AT+CRC=1``) followed right away by ``+CLIP``
(after ``AT+CLIP=1``). ``RingPairing`` holds a ring until its ``+CLIP`` arrives, and gives it up
without a caller when any other pushed line comes first or when ``flush()`` is called (the
``Modem`` calls it ``CLIP_WAIT`` seconds after the ring): one ``CallRinging`` per ring, in order.

A call that rang here ends with one ``IncomingCallEnded``: at its ``^CEND``, when the rings stop
without one (``RING_SILENCE``), or when the port goes away. ``call`` dials out and waits for what
becomes of the call, answering with a ``CallResult``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final, TypeVar

from .at import Unsolicited
from .call_models import (
    CallConnected,
    CallEnded,
    Caller,
    CallOutcome,
    CallProgress,
    CallResult,
    CallRinging,
    IncomingCallEnd,
    IncomingCallEnded,
    incoming_end,
    setup_result,
    unanswered_result,
)
from .errors import AtCommandError, CallSetupError, ConnectionLostError, VoiceNotSupportedError
from .models import Capabilities, ModemEvent
from .pdu import normalize_number
from .replies import parse_clip
from .session import AtSession

_LOGGER = logging.getLogger(__name__)

RING_LINES: Final = frozenset({"RING", "+CRING"})
CALL_SETUP_COMMANDS: Final = ("S0=0", "+CLIP=1", "+CRC=1")
"""Asked at open: never answer by itself (another program may have set ``S0``), caller ID. A
firmware that refuses caller ID still sends a bare ``RING``."""
CLIP_WAIT: Final = 0.25
"""Seconds a ring waits for its ``+CLIP`` before it is reported without a caller."""
RING_SILENCE: Final = 12.0
"""Seconds without a ring (sticks ring every 3 to 6 s) after which a call without ``^CEND`` is
over."""
HANG_UP_WAIT: Final = 5.0
"""Seconds the ``^CEND`` of a call this side hung up may take."""

CallStep = CallProgress | CallEnded | ConnectionLostError
StepT = TypeVar("StepT", bound=CallProgress | CallEnded)


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

    @property
    def rings(self) -> int:
        """The rings of the call that rings now (0: none rings)."""
        return self._rings

    @property
    def caller(self) -> Caller | None:
        return self._caller

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
        self._silence_timer: asyncio.TimerHandle | None = None
        self._steps: asyncio.Queue[CallStep] | None = None
        self._dialling = asyncio.Lock()

    async def close(self) -> None:
        """Close the port; a call in progress ends as if the port had gone away."""
        self._calls_lost(ConnectionLostError(f"{self.url}: closed"))
        await super().close()

    async def _set_up_calls(self) -> None:
        await self._together(CALL_SETUP_COMMANDS)

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

    async def call(self, number: str, *, ring_for: float, talk_for: float) -> CallResult:
        """Dial ``number``, let it ring ``ring_for`` s, hang up ``talk_for`` s after an answer.

        Returns once the call is over. What the network or the far end did is the outcome
        (answered, no answer, busy, rejected, no network, not supported); raises only
        InvalidNumberError (nothing sent), CmeError, AtTimeoutError, ConnectionLostError.
        """
        async with self._dialling:
            self._steps = asyncio.Queue()
            try:
                return await self._place_call(number, ring_for, talk_for)
            finally:
                self._steps = None

    async def _place_call(self, number: str, ring_for: float, talk_for: float) -> CallResult:
        try:
            await self.dial(number)
        except VoiceNotSupportedError:
            return CallResult(CallOutcome.NOT_SUPPORTED)
        except CallSetupError as err:
            return setup_result(err.result)
        answer = await self._next_step((CallConnected, CallEnded), ring_for)
        if isinstance(answer, CallEnded):
            return unanswered_result(answer)
        if answer is None:
            await self._end_call()
            return CallResult(CallOutcome.NO_ANSWER)
        connected_at = asyncio.get_running_loop().time()
        ended = await self._next_step((CallEnded,), talk_for) or await self._end_call()
        if ended is None:
            return CallResult(
                CallOutcome.ANSWERED, round(asyncio.get_running_loop().time() - connected_at)
            )
        return CallResult(CallOutcome.ANSWERED, ended.duration, ended.cause)

    async def _end_call(self) -> CallEnded | None:
        await self.hang_up()
        ended = await self._next_step((CallEnded,), HANG_UP_WAIT)
        return ended if isinstance(ended, CallEnded) else None

    async def _next_step(self, kinds: tuple[type[StepT], ...], seconds: float) -> StepT | None:
        """The next call step of one of ``kinds`` within ``seconds`` (None: none came)."""
        assert self._steps is not None
        try:
            async with asyncio.timeout(seconds):
                while True:
                    step = await self._steps.get()
                    if isinstance(step, ConnectionLostError):
                        raise step
                    if isinstance(step, kinds):
                        return step
        except TimeoutError:
            return None

    # --- events -------------------------------------------------------------------------------

    def _call_events(self, unsolicited: Unsolicited) -> None:
        """Fire the rings a pushed line completes; hold a ring for its ``+CLIP``."""
        rings = self._rings.rings
        for event in self._rings.feed(unsolicited):
            self._fire(event)
        self._cancel_ring_timer()
        loop = asyncio.get_running_loop()
        if self._rings.waiting:
            self._ring_timer = loop.call_later(CLIP_WAIT, self._flush_ring)
        if self._rings.rings > rings:
            self._cancel_silence_timer()
            self._silence_timer = loop.call_later(RING_SILENCE, self._rings_stopped)

    def _call_event_fired(self, event: ModemEvent) -> None:
        if isinstance(event, CallEnded):
            self._incoming_over(incoming_end(event))
        if self._steps is not None and isinstance(event, CallProgress | CallEnded):
            self._steps.put_nowait(event)

    def _flush_ring(self) -> None:
        self._ring_timer = None
        for event in self._rings.flush():
            self._fire(event)

    def _rings_stopped(self) -> None:
        self._silence_timer = None
        self._incoming_over(IncomingCallEnd.MISSED)

    def _incoming_over(self, end: IncomingCallEnd) -> None:
        """The call that rang is over: its held ring is reported, then how it ended."""
        self._cancel_ring_timer()
        self._cancel_silence_timer()
        self._flush_ring()
        if self._rings.rings:
            self._fire(IncomingCallEnded(self._rings.caller, self._rings.rings, end))
        self._rings.ended()

    def _calls_lost(self, error: ConnectionLostError) -> None:
        """The port went away: a call that rang ends unknown how, a dialled one with ``error``."""
        self._incoming_over(IncomingCallEnd.LOST)
        if self._steps is not None:
            self._steps.put_nowait(error)

    def _cancel_ring_timer(self) -> None:
        if self._ring_timer is not None:
            self._ring_timer.cancel()
            self._ring_timer = None

    def _cancel_silence_timer(self) -> None:
        if self._silence_timer is not None:
            self._silence_timer.cancel()
            self._silence_timer = None
