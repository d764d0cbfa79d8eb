"""Frozen dataclasses of voice calls: who calls, why a call ended, and the call events.

``models`` carries them in its ``ModemEvent`` union; they live here to keep that module short.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

INTERNATIONAL = 145
"""Type of address of a number with its country code (``+``); 129 is any other."""


class CliValidity(enum.IntEnum):
    """Whether the network shows the caller's number (``+CLIP`` <CLI validity>)."""

    SHOWN = 0
    WITHHELD = 1
    UNAVAILABLE = 2


class CallEndCause(enum.Enum):
    """The common 3GPP TS 24.008 causes of a call's end; every other number is OTHER."""

    NORMAL_CLEARING = 16
    USER_BUSY = 17
    NO_ANSWER = 19
    CALL_REJECTED = 21
    OTHER = -1


@dataclass(frozen=True, slots=True)
class Caller:
    """Who calls: ``number`` (None unless shown) and its type of address (145, 129)."""

    number: str | None
    number_type: int = 129
    validity: CliValidity = CliValidity.SHOWN

    @property
    def international(self) -> bool:
        return self.number_type == INTERNATIONAL


@dataclass(frozen=True, slots=True)
class CallRinging:
    """``RING`` / ``+CRING``, with the ``+CLIP`` after it (None: the stick told no caller).

    ``ring_count``: the rings of this call so far, from 1.
    """

    caller: Caller | None
    ring_count: int


@dataclass(frozen=True, slots=True)
class CallProgress:
    """A step of call ``call_id`` on its way up (the kinds below tell which)."""

    call_id: int


class CallDialling(CallProgress):
    """``^ORIG``: the stick dials call ``call_id``."""

    __slots__ = ()


class CallAlerting(CallProgress):
    """``^CONF``: the far end of call ``call_id`` rings."""

    __slots__ = ()


class CallConnected(CallProgress):
    """``^CONN``: call ``call_id`` is answered."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class CallEnded:
    """``^CEND``: call ``call_id`` ended after ``duration`` s connected.

    ``cause``: the 3GPP TS 24.008 cause number (None where the stick gives none);
    ``end_status``: Huawei's <end_status> (29 released by the network, 104 by the host).
    """

    call_id: int
    duration: int
    cause: int | None
    end_status: int | None = None

    @property
    def reason(self) -> CallEndCause:
        known = {cause.value for cause in CallEndCause}
        return CallEndCause(self.cause) if self.cause in known else CallEndCause.OTHER
