"""Frozen dataclasses of voice calls: who calls, why a call ended, and the call events.

``models`` carries them in its ``ModemEvent`` union; they live here to keep that module short.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

INTERNATIONAL = 145
"""Type of address of a number with its country code (``+``); 129 is any other."""
END_BY_HOST = 104
"""Huawei's ``^CEND`` <end_status> of a call this side hung up (29: the network released it)."""


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

    @property
    def by_host(self) -> bool:
        """Ended by this side (``ATH`` / ``AT+CHUP``), not by the network or the far end."""
        return self.end_status == END_BY_HOST


class IncomingCallEnd(enum.Enum):
    """How a call that rang here ended (the stick never answers one)."""

    MISSED = "missed"
    """The caller gave up, or the network ended the call."""
    REJECTED = "rejected"
    """Hung up from this side: the caller heard it rejected (busy)."""
    LOST = "ended"
    """The stick went away while it rang: how it ended is unknown."""


@dataclass(frozen=True, slots=True)
class IncomingCallEnded:
    """The call that rang ``ring_count`` times from ``caller`` is over, as ``end`` tells."""

    caller: Caller | None
    ring_count: int
    end: IncomingCallEnd


def incoming_end(ended: CallEnded) -> IncomingCallEnd:
    """How a ringing call ended, from its ``^CEND``."""
    if ended.by_host or ended.reason is CallEndCause.CALL_REJECTED:
        return IncomingCallEnd.REJECTED
    return IncomingCallEnd.MISSED


class CallOutcome(enum.Enum):
    """What became of a call dialled out."""

    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    REJECTED = "rejected"
    NO_NETWORK = "no_network"
    NOT_SUPPORTED = "not_supported"
    """The stick's firmware has no voice calls: nothing was dialled."""
    FAILED = "failed"
    """The network ended the call for another reason (``CallResult.cause`` says which)."""


@dataclass(frozen=True, slots=True)
class CallResult:
    """A dialled call once it is over: its outcome and, if answered, how long it was up (s)."""

    outcome: CallOutcome
    duration: int = 0
    cause: int | None = None


UNANSWERED_OUTCOMES: dict[CallEndCause, CallOutcome] = {
    CallEndCause.NORMAL_CLEARING: CallOutcome.NO_ANSWER,
    CallEndCause.NO_ANSWER: CallOutcome.NO_ANSWER,
    CallEndCause.USER_BUSY: CallOutcome.BUSY,
    CallEndCause.CALL_REJECTED: CallOutcome.REJECTED,
}
"""The end of a dialled call before it was answered, by its cause."""

SETUP_OUTCOMES: dict[str, CallOutcome] = {
    "BUSY": CallOutcome.BUSY,
    "NO ANSWER": CallOutcome.NO_ANSWER,
    "NO CARRIER": CallOutcome.NO_NETWORK,
    "NO DIALTONE": CallOutcome.NO_NETWORK,
}
"""The final result of ``ATD…;`` for a call that could not be set up."""


def unanswered_result(ended: CallEnded) -> CallResult:
    """The result of a dialled call that ended before it was answered."""
    outcome = UNANSWERED_OUTCOMES.get(ended.reason, CallOutcome.FAILED)
    return CallResult(outcome, cause=ended.cause)


def setup_result(result: str) -> CallResult:
    """The result of a call whose ``ATD…;`` ended with ``result`` (``NO CARRIER``, ...)."""
    return CallResult(SETUP_OUTCOMES.get(result, CallOutcome.NO_NETWORK))
