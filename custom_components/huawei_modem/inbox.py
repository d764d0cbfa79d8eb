"""The SMS inbox of a stick: every received SMS kept by Home Assistant, fired once, then deleted.

Per message, in this order (the safety rule):

1. read from the stick (a new-message notice, or the listing after every (re)connect);
2. recorded in the Store, which is written and flushed: a part of a long message as waiting
   for the others, a complete message as fired;
3. the event fired, right after the write, with no await in between;
4. deleted from the stick, if the option says so.

Delivery reports the stick stored (``+CDSI`` while Home Assistant was down or the stick away) come
with the same listing; they go to the outbox, which saves and fires, and are deleted after that.

A restart after 1 reads the message again; after 2 or 3 the record knows it (a part waits, a
message was fired) and it is only deleted; after 4 it is gone. Messages are known by a key made of
sender, time stamp, concatenation and text, and the keys of fired messages are kept (bounded) so
that messages left on the stick are never fired again. While Home Assistant stops, the Store only
writes at the very end, so nothing is deleted then (the next start does it).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Final, TypedDict

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import (
    ATTR_DEVICE_ID,
    CONF_DELETE_RECEIVED,
    DEFAULT_DELETE_RECEIVED,
    DOMAIN,
    EVENT_SMS_RECEIVED,
    MULTIPART_TIMEOUT,
)
from .coordinator import HuaweiModemCoordinator
from .entity import async_stick_device_id
from .issues import storage_issue_id, sync_storage_issue
from .modem.errors import ModemError, PduError
from .modem.models import MessageReceived, NewMessageStored, StoredMessage
from .modem.pdu import Concat, SmsDeliver, SmsStatusReport, assemble, decode_pdu
from .outbox import Outbox

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION: Final = 1
FIRED_KEYS_KEPT: Final = 2000
"""How many fired messages (their parts' keys) are remembered: far more than a SIM holds."""
FLASH_CLASS: Final = 0

GroupKey = tuple[str, int, int]
"""A long message: sender, concatenation reference, number of parts."""


class _StoredPart(TypedDict):
    pdu: str
    received: str


class _StoredInbox(TypedDict):
    waiting: list[_StoredPart]
    fired: list[str]


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


def join_parts(parts: Iterable[SmsDeliver]) -> SmsDeliver:
    """The text of the parts that are there, in order (all of them, or what came by the timeout)."""
    ordered = sorted(parts, key=lambda part: part.concat.sequence if part.concat else 0)
    renumbered = [
        replace(part, concat=Concat(part.concat.reference, len(ordered), sequence))
        if part.concat
        else part
        for sequence, part in enumerate(ordered, start=1)
    ]
    complete, _ = assemble(renumbered)
    return complete[0]


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
    """When Home Assistant stored it (the timeout counts from the first part)."""

    @property
    def group(self) -> GroupKey:
        concat = self.message.concat
        assert concat is not None
        return (self.message.number, concat.reference, concat.total)


@dataclass(frozen=True, slots=True)
class Delivery:
    """A message to fire: joined from ``parts`` of ``expected`` parts."""

    message: SmsDeliver
    keys: tuple[str, ...]
    parts: int
    expected: int

    def event_data(self, device_id: str) -> dict[str, Any]:
        return {
            ATTR_DEVICE_ID: device_id,
            "sender": self.message.number,
            "text": self.message.text,
            "timestamp": self.message.timestamp.isoformat(),
            "parts": self.parts,
            "parts_expected": self.expected,
            "incomplete": self.parts < self.expected,
            "flash": self.message.message_class == FLASH_CLASS,
        }


def delivery_of(parts: Sequence[WaitingPart]) -> Delivery:
    first = parts[0].message
    expected = first.concat.total if first.concat else 1
    return Delivery(
        message=join_parts(part.message for part in parts),
        keys=tuple(message_key(part.message) for part in parts),
        parts=len(parts),
        expected=expected,
    )


def inbox_storage_key(entry: ConfigEntry) -> str:
    """The ``.storage`` file of a stick's inbox (by IMEI: a reinstalled stick finds its record)."""
    return f"{DOMAIN}.inbox.{entry.unique_id or entry.entry_id}"


async def async_remove_inbox(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Delete what the inbox of ``entry`` kept (the entry is being removed)."""
    await InboxRecord(hass, inbox_storage_key(entry)).async_remove()


class InboxRecord:
    """What the inbox keeps in ``.storage``: parts waiting for the rest, keys of fired messages."""

    def __init__(self, hass: HomeAssistant, key: str) -> None:
        self._store: Store[_StoredInbox] = Store(
            hass, STORAGE_VERSION, key, private=True, atomic_writes=True
        )
        self.waiting: dict[GroupKey, dict[int, WaitingPart]] = {}
        self._fired: dict[str, None] = {}  # insertion-ordered: the oldest are forgotten first

    async def async_load(self) -> None:
        stored = await self._store.async_load()
        if stored is None:
            return
        self._fired = dict.fromkeys(stored["fired"])
        for entry in stored["waiting"]:
            part = _load_part(entry)
            if part is not None:
                self.add_waiting(part)

    async def async_remove(self) -> None:
        await self._store.async_remove()

    async def async_save(self) -> None:
        """Write and flush (an atomic replace of the file)."""
        await self._store.async_save(
            {
                "waiting": [
                    {"pdu": part.pdu, "received": part.received.isoformat()}
                    for group in self.waiting.values()
                    for part in group.values()
                ],
                "fired": list(self._fired),
            }
        )

    def knows(self, message: SmsDeliver) -> bool:
        """Fired already, or waiting for the other parts."""
        if message_key(message) in self._fired:
            return True
        concat = message.concat
        if concat is None:
            return False
        group = self.waiting.get((message.number, concat.reference, concat.total), {})
        return concat.sequence in group

    def accept(self, incoming: Incoming, now: datetime) -> Delivery | None:
        """Take a new message: what is to be fired now (recorded as fired), if anything."""
        if incoming.message.concat is None:
            return self._fired_now(
                Delivery(incoming.message, (message_key(incoming.message),), parts=1, expected=1)
            )
        complete = self.add_waiting(WaitingPart(incoming.message, incoming.pdu, now))
        return None if complete is None else self._fired_now(delivery_of(complete))

    def add_waiting(self, part: WaitingPart) -> list[WaitingPart] | None:
        """Keep a part; all the parts of the message once every one is there."""
        assert part.message.concat is not None
        group = self.waiting.setdefault(part.group, {})
        group.setdefault(part.message.concat.sequence, part)
        if len(group) < part.message.concat.total:
            return None
        del self.waiting[part.group]
        return list(group.values())

    def take_expired(self, now: datetime) -> list[Delivery]:
        """The long messages whose first part came more than the timeout ago, as they are."""
        expired = [key for key, group in self.waiting.items() if deadline_of(group) <= now]
        return [
            self._fired_now(delivery_of(list(self.waiting.pop(key).values()))) for key in expired
        ]

    def next_deadline(self) -> datetime | None:
        return min((deadline_of(group) for group in self.waiting.values()), default=None)

    def _fired_now(self, delivery: Delivery) -> Delivery:
        for key in delivery.keys:
            self._fired[key] = None
        while len(self._fired) > FIRED_KEYS_KEPT:
            del self._fired[next(iter(self._fired))]
        return delivery


def deadline_of(group: dict[int, WaitingPart]) -> datetime:
    return min(part.received for part in group.values()) + MULTIPART_TIMEOUT


def _load_part(entry: _StoredPart) -> WaitingPart | None:
    try:
        message = decode_pdu(entry["pdu"])
    except PduError as err:  # pragma: no cover - only PDUs that decoded once are stored
        _LOGGER.warning("Dropping an unreadable stored SMS part: %s", err)
        return None
    received = dt_util.parse_datetime(entry["received"])
    if not isinstance(message, SmsDeliver) or message.concat is None or received is None:
        return None  # pragma: no cover - only parts of received long messages are stored
    return WaitingPart(message, entry["pdu"], received)


class SmsInbox:
    """Receives a stick's SMS: assembles, keeps, fires ``huawei_modem_sms_received``, deletes."""

    def __init__(
        self, hass: HomeAssistant, coordinator: HuaweiModemCoordinator, outbox: Outbox
    ) -> None:
        self.hass = hass
        self.coordinator = coordinator
        self.outbox = outbox
        """Where the delivery reports found on the stick go."""
        self.entry = coordinator.entry
        self.record = InboxRecord(hass, inbox_storage_key(self.entry))
        self._lock = asyncio.Lock()
        self._unsubscribes: list[Callable[[], None]] = []
        self._cancel_expiry: Callable[[], None] | None = None
        self._device_id: str | None = None

    @property
    def deletes(self) -> bool:
        return bool(self.entry.options.get(CONF_DELETE_RECEIVED, DEFAULT_DELETE_RECEIVED))

    # --- lifecycle ------------------------------------------------------------------------------

    async def async_start(self) -> None:
        """Load what was kept, listen for new messages and read what is on the stick already."""
        await self.record.async_load()
        self._unsubscribes = [
            self.coordinator.subscribe(NewMessageStored, self._on_new_message),
            self.coordinator.subscribe(MessageReceived, self._on_message_received),
            self.coordinator.async_add_sms_ready_listener(self._on_sms_ready),
            self.coordinator.async_add_listener(self._sync_storage_issue),
        ]
        self._sync_storage_issue()
        self._schedule_expiry()
        if self.coordinator.last_update_success:
            self._on_sms_ready()

    @callback
    def async_stop(self) -> None:
        """Stop listening (running reads are cancelled with the entry's background tasks)."""
        while self._unsubscribes:
            self._unsubscribes.pop()()
        if self._cancel_expiry is not None:
            self._cancel_expiry()
            self._cancel_expiry = None

    @callback
    def _spawn(self, work: Callable[[], Awaitable[None]], name: str) -> None:
        self.entry.async_create_background_task(
            self.hass, self._locked(work), f"{DOMAIN} {name} {self.entry.entry_id}"
        )

    async def _locked(self, work: Callable[[], Awaitable[None]]) -> None:
        """One piece of work at a time, so a message is never taken twice at once."""
        async with self._lock:
            try:
                await work()
            except ModemError as err:
                _LOGGER.debug("%s: reading SMS stopped: %s", self.entry.title, err)

    # --- what starts the work -------------------------------------------------------------------

    @callback
    def _on_sms_ready(self) -> None:
        self._spawn(self._read_all, "read stored SMS")

    @callback
    def _on_new_message(self, notice: NewMessageStored) -> None:
        self._spawn(lambda: self._read_one(notice.index), "read new SMS")

    @callback
    def _on_message_received(self, received: MessageReceived) -> None:
        if isinstance(received.message, SmsDeliver):
            incoming = Incoming(received.message, received.pdu)
            self._spawn(lambda: self._take([incoming]), "take pushed SMS")

    @callback
    def _on_expiry(self, now: datetime) -> None:
        self._cancel_expiry = None
        self._spawn(lambda: self._deliver_expired(now), "deliver incomplete SMS")

    # --- the work -------------------------------------------------------------------------------

    async def _read_all(self) -> None:
        stored = await self.coordinator.modem.list_sms()
        await self._take_stored(stored)
        await self._take_reports(stored)

    async def _read_one(self, index: int) -> None:
        await self._take_stored([await self.coordinator.modem.read_sms(index)])

    async def _take_stored(self, stored: Iterable[StoredMessage]) -> None:
        await self._take([item for item in map(Incoming.from_stored, stored) if item is not None])

    async def _take_reports(self, stored: Iterable[StoredMessage]) -> None:
        """Hand the stored delivery reports to the outbox, then delete them (whatever the option).

        The outbox saves a matched report's outcome before it fires the event, so a report read
        again after a crash matches nothing and fires nothing twice.
        """
        reports = [
            (item.index, item.message)
            for item in stored
            if isinstance(item.message, SmsStatusReport)
        ]
        for _, report in reports:
            await self.outbox.async_handle_report(report)
        if reports and not self.hass.is_stopping:
            await self._delete(index for index, _ in reports)

    async def _take(self, messages: Sequence[Incoming]) -> None:
        """Keep and fire what is new among ``messages``, then delete them from the stick."""
        now = dt_util.utcnow()
        changed = False
        deliveries: list[Delivery] = []
        for incoming in messages:
            if self.record.knows(incoming.message):
                continue  # fired (or waiting) already: only the deletion may be missing
            changed = True
            if delivery := self.record.accept(incoming, now):
                deliveries.append(delivery)
        if changed:
            await self._commit(deliveries)
        if self.deletes and not self.hass.is_stopping:
            await self._delete(
                incoming.index for incoming in messages if incoming.index is not None
            )

    async def _deliver_expired(self, now: datetime) -> None:
        expired = self.record.take_expired(now)
        if expired:
            await self._commit(expired)
        else:
            self._schedule_expiry()

    async def _commit(self, deliveries: Sequence[Delivery]) -> None:
        """Write the record, then fire: one step that a cancelled task does not cut in two."""
        await asyncio.shield(self._save_and_fire(deliveries))

    async def _save_and_fire(self, deliveries: Sequence[Delivery]) -> None:
        await self.record.async_save()
        device_id = self._resolve_device_id()
        for delivery in deliveries:
            self.hass.bus.async_fire(EVENT_SMS_RECEIVED, delivery.event_data(device_id))
        self._schedule_expiry()

    async def _delete(self, indexes: Iterable[int]) -> None:
        for index in indexes:
            try:
                await self.coordinator.modem.delete_sms(index)
            except ModemError as err:
                # Kept and fired already: the next listing deletes it (and fires nothing).
                _LOGGER.warning("%s: could not delete SMS %s: %s", self.entry.title, index, err)
                if not self.coordinator.modem.is_open:
                    raise
        self._refresh_if_storage_was_full()

    # --- helpers --------------------------------------------------------------------------------

    def _resolve_device_id(self) -> str:
        if self._device_id is None:
            self._device_id = async_stick_device_id(self.hass, self.coordinator)
        return self._device_id

    @callback
    def _schedule_expiry(self) -> None:
        if self._cancel_expiry is not None:
            self._cancel_expiry()
            self._cancel_expiry = None
        deadline = self.record.next_deadline()
        if deadline is not None:
            self._cancel_expiry = async_track_point_in_utc_time(
                self.hass, self._on_expiry, deadline
            )

    @callback
    def _sync_storage_issue(self) -> None:
        """A full message storage raises a repair issue; room again clears it."""
        data = self.coordinator.data
        if data is None or not self.coordinator.last_update_success:
            return
        storage = data.status.sms_storage
        if storage is None:
            return
        sync_storage_issue(self.hass, self.entry, storage, deletes=self.deletes)

    @callback
    def _refresh_if_storage_was_full(self) -> None:
        issue = ir.async_get(self.hass).async_get_issue(
            DOMAIN, storage_issue_id(self.entry.entry_id)
        )
        if issue is not None:
            self.entry.async_create_background_task(
                self.hass, self.coordinator.async_request_refresh(), f"{DOMAIN} storage refresh"
            )
