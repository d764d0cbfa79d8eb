"""The rules of an SMS inbox: when a long message is complete, what was fired, when parts time out.

Pure: no I/O and no clock of its own. The caller stores what ``InboxState.as_stored`` returns
and fires what ``accept`` and ``take_expired`` return. A message is known by its content (sender,
time stamp, concatenation and text) and its place on the SIM: two identical texts sent within
the same second sit at two indexes and are two messages. The keys of fired messages are kept
(bounded) so that a message read again (left on the SIM, or a crash before its deletion) is
never fired twice; once the caller has deleted a message, ``released`` frees its place, so the
next message stored there is new even if it reads the same. A message pushed without being
stored (``+CMT``) cannot be read again and is always new.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final, NotRequired, TypedDict, TypeVar

from .errors import PduError
from .models import StoredMessage
from .pdu import SmsDeliver, SmsSubmit, decode_pdu

_LOGGER = logging.getLogger(__name__)

FIRED_KEYS_KEPT: Final = 2000
"""How many fired messages (their parts' keys) are remembered: far more than a SIM holds."""
FLASH_CLASS: Final = 0

GroupKey = tuple[str, int, int]
"""A long message: sender, concatenation reference, number of parts."""

_Part = TypeVar("_Part", SmsDeliver, SmsSubmit)
_HALF = re.compile("[\ud800-\udfff]")


def join_parts(parts: Iterable[_Part]) -> _Part:
    """One message of the parts that are there, in order: the first part's fields, all the text.

    Emoji halves that the sender split across two parts pair up again; a half whose other half
    never came becomes U+FFFD.
    """
    ordered = sorted(parts, key=lambda part: part.concat.sequence if part.concat else 0)
    text = "".join(part.text for part in ordered)
    if _HALF.search(text):
        text = text.encode("utf-16-be", "surrogatepass").decode("utf-16-be", "replace")
    return replace(ordered[0], text=text, concat=None)


def entry_key(message: SmsDeliver, index: int | None) -> str:
    """The key of a message or part where it was read: its content and its index on the SIM."""
    return f"{message_key(message)}@{'pushed' if index is None else index}"


def message_key(message: SmsDeliver) -> str:
    """A stable key of a message or part: the same on every read of the same SMS."""
    concat = message.concat
    fields = (
        message.number,
        message.timestamp.isoformat(),
        f"{concat.reference}/{concat.total}/{concat.sequence}" if concat else "",
        message.text,
    )
    return hashlib.sha256("\x1f".join(fields).encode("utf-8", "surrogatepass")).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class Incoming:
    """A received message as read from the stick (``index`` None: pushed, never stored there)."""

    message: SmsDeliver
    pdu: str
    index: int | None = None

    @classmethod
    def from_stored(cls, stored: StoredMessage) -> Incoming | None:
        """None for what is not a received SMS (sent ones, reports, unreadable PDUs)."""
        if not isinstance(stored.message, SmsDeliver):
            return None
        return cls(stored.message, stored.pdu, stored.index)


@dataclass(frozen=True, slots=True)
class WaitingPart:
    """A part of a long message, kept until the others come."""

    message: SmsDeliver
    pdu: str
    received: datetime
    """When it was kept (the timeout counts from the first part)."""
    index: int | None = None
    """Where it is on the SIM (None: pushed, or kept by a release that did not record it)."""

    @property
    def group(self) -> GroupKey:
        concat = self.message.concat
        assert concat is not None
        return (self.message.number, concat.reference, concat.total)


@dataclass(frozen=True, slots=True)
class ReceivedSms:
    """A message to fire: joined from ``parts`` of ``expected`` parts."""

    message: SmsDeliver
    keys: tuple[str, ...]
    parts: int
    expected: int

    @property
    def incomplete(self) -> bool:
        return self.parts < self.expected

    @property
    def flash(self) -> bool:
        return self.message.message_class == FLASH_CLASS

    @classmethod
    def of_parts(cls, parts: Sequence[WaitingPart]) -> ReceivedSms:
        first = parts[0].message
        return cls(
            message=join_parts(part.message for part in parts),
            keys=tuple(entry_key(part.message, part.index) for part in parts),
            parts=len(parts),
            expected=first.concat.total if first.concat else 1,
        )


class StoredPart(TypedDict):
    pdu: str
    received: str
    index: NotRequired[int | None]


class StoredInbox(TypedDict):
    waiting: list[StoredPart]
    fired: list[str]


class InboxState:
    """Parts waiting for the rest of their message, and the keys of fired messages."""

    def __init__(self, timeout: timedelta) -> None:
        self.timeout = timeout
        """How long the parts of a long message wait, from the first, before it fires as is."""
        self.waiting: dict[GroupKey, dict[int, WaitingPart]] = {}
        self._fired: dict[str, None] = {}  # insertion-ordered: the oldest are forgotten first

    def restore(self, stored: StoredInbox) -> None:
        self._fired = dict.fromkeys(stored["fired"])
        for entry in stored["waiting"]:
            part = _load_part(entry)
            if part is not None:
                self.add_waiting(part)

    def as_stored(self) -> StoredInbox:
        return {
            "waiting": [
                {"pdu": part.pdu, "received": part.received.isoformat(), "index": part.index}
                for group in self.waiting.values()
                for part in group.values()
            ],
            "fired": list(self._fired),
        }

    def knows(self, incoming: Incoming) -> bool:
        """Fired already from where it is, or waiting for the other parts."""
        message = incoming.message
        if incoming.index is not None and (
            entry_key(message, incoming.index) in self._fired
            or message_key(message) in self._fired  # a record kept before places were
        ):
            return True
        concat = message.concat
        if concat is None:
            return False
        group = self.waiting.get((message.number, concat.reference, concat.total), {})
        return concat.sequence in group

    def accept(self, incoming: Incoming, now: datetime) -> ReceivedSms | None:
        """Take a new message: what is to be fired now (recorded as fired), if anything."""
        message = incoming.message
        if message.concat is None:
            key = entry_key(message, incoming.index)
            return self._fired_now(ReceivedSms(message, (key,), 1, 1))
        complete = self.add_waiting(WaitingPart(message, incoming.pdu, now, incoming.index))
        return None if complete is None else self._fired_now(ReceivedSms.of_parts(complete))

    def add_waiting(self, part: WaitingPart) -> list[WaitingPart] | None:
        """Keep a part (a repeated part is ignored); all the parts once every one is there."""
        assert part.message.concat is not None
        group = self.waiting.setdefault(part.group, {})
        group.setdefault(part.message.concat.sequence, part)
        if len(group) < part.message.concat.total:
            return None
        del self.waiting[part.group]
        return list(group.values())

    def released(self, indexes: Iterable[int]) -> bool:
        """The messages at ``indexes`` were deleted: their places hold new messages from now on.

        Whether the record changed (then it is to be stored again).
        """
        deleted = set(indexes)
        places = {f"@{index}" for index in deleted}
        freed = [key for key in self._fired if key[key.rfind("@") :] in places]
        for key in freed:
            del self._fired[key]
        moved = 0
        for group in self.waiting.values():
            for sequence, part in group.items():
                if part.index in deleted:
                    group[sequence] = replace(part, index=None)
                    moved += 1
        return bool(freed) or bool(moved)

    def take_expired(self, now: datetime) -> list[ReceivedSms]:
        """The long messages whose first part came more than the timeout ago, as they are."""
        expired = [key for key, group in self.waiting.items() if self._deadline(group) <= now]
        return [
            self._fired_now(ReceivedSms.of_parts(list(self.waiting.pop(key).values())))
            for key in expired
        ]

    def next_deadline(self) -> datetime | None:
        return min((self._deadline(group) for group in self.waiting.values()), default=None)

    def _deadline(self, group: dict[int, WaitingPart]) -> datetime:
        return min(part.received for part in group.values()) + self.timeout

    def _fired_now(self, received: ReceivedSms) -> ReceivedSms:
        for key in received.keys:
            self._fired[key] = None
        while len(self._fired) > FIRED_KEYS_KEPT:
            del self._fired[next(iter(self._fired))]
        return received


def _load_part(entry: StoredPart) -> WaitingPart | None:
    try:
        message = decode_pdu(entry["pdu"])
        received = datetime.fromisoformat(entry["received"])
    except (PduError, ValueError) as err:  # pragma: no cover - only what was readable is stored
        _LOGGER.warning("Dropping an unreadable stored SMS part: %s", err)
        return None
    if not isinstance(message, SmsDeliver) or message.concat is None:
        return None  # pragma: no cover - only parts of received long messages are stored
    return WaitingPart(message, entry["pdu"], received, entry.get("index"))
