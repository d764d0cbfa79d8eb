"""Voice calls: an incoming call that rings, dialling out to a scripted far end, their ends.

Huawei's call-state lines: ``^ORIG:<id>,<type>`` (dialling), ``^CONF:<id>`` (the far end is
alerted), ``^CONN:<id>,<type>`` (connected), ``^CEND:<id>,<duration>,<end status>,<cc cause>``
(every end of a call; the cause is a 3GPP TS 24.008 cause). ``<type>`` 0 is a voice call.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import AtError, CmeError

if TYPE_CHECKING:
    from .device import Device

# 3GPP TS 24.008 table 10.5.123 (cause of a call's end).
CAUSE_NORMAL_CLEARING = 16
CAUSE_USER_BUSY = 17
CAUSE_NO_ANSWER = 19
CAUSE_CALL_REJECTED = 21
# Huawei's <end_status>: 29 the network released the call, 104 the host (ATH/+CHUP) did.
END_BY_NETWORK = 29
END_BY_HOST = 104

FAR_END_MODES = ("answer", "reject", "busy", "never_answer", "no_network")
VOICE_ON = "^CVOICE: 0,8000,16,20"
VOICE_OFF = "^CVOICE: 1,8000,16,20"


class NoCarrierError(AtError):
    """``NO CARRIER``: V.250's final result for a call that cannot be set up or answered."""

    def final(self, cmee: int) -> str:
        return "NO CARRIER"


@dataclass
class FarEnd:
    """What the number the stick dials does: answer after ``answer_after`` s, or refuse."""

    mode: str = "answer"
    answer_after: float = 1.0


@dataclass
class Call:
    """The one call the emulator has: incoming ("in") or dialled ("out")."""

    id: int
    number: str
    incoming: bool
    state: str = "ringing"  # ringing (in), dialling/alerting (out), active
    rings: int = 0
    connected_at: float | None = None
    clip: tuple[int, int] = field(default=(129, 0))  # (type of address, CLI validity)

    def duration(self) -> int:
        return 0 if self.connected_at is None else round(time.monotonic() - self.connected_at)


class Calls:
    """The call side of one stick; unsolicited lines go out through the device's ``emit``."""

    def __init__(self, device: Device) -> None:
        self._device = device
        self.ring_interval = 3.0
        self.alert_delay = 0.5  # ^ORIG -> ^CONF
        self.no_answer_timeout = 30.0  # the network gives up on an unanswered dialled call
        self.far_end = FarEnd()
        self.clip = False
        self.crc = False
        self.auto_answer_rings = 0  # ATS0: kept in the stick's settings, across resets
        self.current: Call | None = None
        self._next_id = 0

    def hurry(self) -> None:
        """Rings every 50 ms and a far end that alerts and answers at once (tests, benchmarks)."""
        self.ring_interval, self.alert_delay, self.no_answer_timeout = 0.05, 0.01, 0.1
        self.far_end.answer_after = 0.01

    @property
    def voice(self) -> bool:
        return self._device.model.voice

    def power_on(self) -> None:
        """A reset or replug: no call survives, +CLIP/+CRC back to off."""
        self.current = None
        self.clip = self.crc = False

    def _new_id(self) -> int:
        self._next_id = self._next_id % 7 + 1
        return self._next_id

    def _end(self, call: Call, status: int, cause: int) -> None:
        if self.current is call:
            self.current = None
            self._device.emit([f"^CEND:{call.id},{call.duration()},{status},{cause}"])

    # --- incoming -----------------------------------------------------------------------------

    def incoming(
        self, number: str, *, withheld: bool = False, unavailable: bool = False, rings: int | None
    ) -> Call:
        """A call from ``number`` rings until answered, hung up, or after ``rings`` rings."""
        if self.current is not None:
            raise RuntimeError("a call is already in progress")
        validity = 1 if withheld else 2 if unavailable else 0
        shown = "" if validity else number
        kind = 145 if shown.startswith("+") else 129
        call = Call(self._new_id(), shown, incoming=True, clip=(kind, validity))
        self.current = call
        self._device.spawn(self._ring(call, rings))
        return call

    def _ring_lines(self, call: Call) -> list[str]:
        lines = ["+CRING: VOICE" if self.crc else "RING"]
        if self.clip:
            kind, validity = call.clip
            lines.append(f'+CLIP: "{call.number}",{kind},,,,{validity}')
        return lines

    async def _ring(self, call: Call, limit: int | None) -> None:
        while self.current is call and call.state == "ringing":
            if limit is not None and call.rings >= limit:
                self._end(call, END_BY_NETWORK, CAUSE_NORMAL_CLEARING)
                return
            call.rings += 1
            self._device.emit(self._ring_lines(call))
            if self.voice and 0 < self.auto_answer_rings <= call.rings:
                call.state, call.connected_at = "active", time.monotonic()
                self._device.emit([f"^CONN:{call.id},0"])
                return
            await asyncio.sleep(self.ring_interval)

    def answer(self) -> None:
        """``ATA``: the ringing call connects (``^CONN`` after the OK)."""
        call = self.current
        if call is None or not call.incoming or call.state != "ringing":
            raise NoCarrierError()
        if not self.voice:
            raise CmeError(3)
        call.state, call.connected_at = "active", time.monotonic()
        self._after_reply([f"^CONN:{call.id},0"])

    # --- dialling out -------------------------------------------------------------------------

    def dial(self, number: str) -> None:
        """``ATD<number>;``: OK at once, the rest arrives unsolicited."""
        if not number or any(char not in "0123456789+*#" for char in number):
            raise AtError()
        if not self.voice or self.current is not None:
            raise CmeError(3)
        if self.far_end.mode == "no_network" or not self._device.effective_network().in_service:
            raise NoCarrierError()
        call = Call(self._new_id(), number, incoming=False, state="dialling")
        self.current = call
        self._device.spawn(self._dialled(call))

    async def _dialled(self, call: Call) -> None:
        await asyncio.sleep(0)
        self._device.emit([f"^ORIG:{call.id},0"])
        await asyncio.sleep(self.alert_delay)
        if self.current is not call:
            return
        call.state = "alerting"
        self._device.emit([f"^CONF:{call.id}"])
        mode = self.far_end.mode
        if mode == "busy":
            self._end(call, END_BY_NETWORK, CAUSE_USER_BUSY)
            return
        wait = self.no_answer_timeout if mode == "never_answer" else self.far_end.answer_after
        await asyncio.sleep(wait)
        if self.current is not call:
            return
        if mode == "answer":
            call.state, call.connected_at = "active", time.monotonic()
            self._device.emit([f"^CONN:{call.id},0"])
        else:
            cause = CAUSE_CALL_REJECTED if mode == "reject" else CAUSE_NO_ANSWER
            self._end(call, END_BY_NETWORK, cause)

    # --- the end ------------------------------------------------------------------------------

    def hang_up(self) -> None:
        """``ATH`` / ``AT+CHUP``: OK, then ``^CEND``; rejecting a ringing call is cause 21."""
        call = self.current
        if call is None:
            return
        rejected = call.incoming and call.state == "ringing"
        cause = CAUSE_CALL_REJECTED if rejected else CAUSE_NORMAL_CLEARING
        duration = call.duration()
        self.current = None
        self._after_reply([f"^CEND:{call.id},{duration},{END_BY_HOST},{cause}"])

    def drop(self) -> None:
        """The stick left the bus: the call is gone without a word."""
        self.current = None

    def _after_reply(self, lines: list[str]) -> None:
        async def send() -> None:
            await asyncio.sleep(0)
            self._device.emit(lines)

        self._device.spawn(send())
