"""The SMS inbox of a stick: every received SMS kept by Home Assistant, fired once, then deleted.

Per message, in this order (the safety rule):

1. read from the stick (a new-message notice, or the listing after every (re)connect);
2. recorded in the Store, which is written and flushed: a part of a long message as waiting
   for the others, a complete message as fired;
3. the event fired, right after the write, with no await in between;
4. deleted from the stick, if the option says so; the record then frees the message's place
   on the SIM, so an identical text stored there next is a new message.

What is waiting, what was fired and when a part times out is decided by ``modem.inbox_rules``.
Delivery reports the stick stored (``+CDSI`` while Home Assistant was down or the stick away)
come with the same listing; they go to the outbox, which tells and deletes them.

Nothing of it happens before Home Assistant has started (``after_start``): the SIM keeps what
arrives until automations listen. A restart after 1 reads the message again; after 2 or 3 the
record knows it where it is (a part waits, a message was fired) and it is only deleted; after 4
it is gone. While Home Assistant stops, the
Store only writes at the very end, so nothing is deleted then (the next start does it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .after_start import AfterStart
from .const import (
    ATTR_DEVICE_ID,
    CONF_DELETE_RECEIVED,
    DEFAULT_DELETE_RECEIVED,
    DOMAIN,
    EVENT_SMS_RECEIVED,
    MULTIPART_TIMEOUT,
)
from .coordinator import HuaweiModemCoordinator
from .issues import sync_storage_issue
from .modem.errors import ModemError
from .modem.inbox_rules import InboxState, Incoming, ReceivedSms, StoredInbox
from .modem.models import MessageReceived, NewMessageStored, StoredMessage
from .modem.pdu import SmsDeliver, SmsStatusReport
from .outbox import Outbox

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION: Final = 1


def event_data(received: ReceivedSms, device_id: str) -> dict[str, Any]:
    """The data of ``huawei_modem_sms_received``."""
    return {
        ATTR_DEVICE_ID: device_id,
        "sender": received.message.number,
        "text": received.message.text,
        "timestamp": received.message.timestamp.isoformat(),
        "parts": received.parts,
        "parts_expected": received.expected,
        "incomplete": received.incomplete,
        "flash": received.flash,
    }


def inbox_storage_key(entry: ConfigEntry) -> str:
    """The ``.storage`` file of a stick's inbox (by IMEI: a reinstalled stick finds its record)."""
    return f"{DOMAIN}.inbox.{entry.unique_id or entry.entry_id}"


async def async_remove_inbox(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Delete what the inbox of ``entry`` kept (the entry is being removed)."""
    await InboxRecord(hass, inbox_storage_key(entry)).async_remove()


class InboxRecord(InboxState):
    """The inbox's state as kept in ``.storage``: parts waiting for the rest, fired keys."""

    def __init__(self, hass: HomeAssistant, key: str) -> None:
        super().__init__(MULTIPART_TIMEOUT)
        self._store: Store[StoredInbox] = Store(
            hass, STORAGE_VERSION, key, private=True, atomic_writes=True
        )

    async def async_load(self) -> None:
        stored = await self._store.async_load()
        if stored is not None:
            self.restore(stored)

    async def async_remove(self) -> None:
        await self._store.async_remove()

    async def async_save(self) -> None:
        """Write and flush (an atomic replace of the file)."""
        await self._store.async_save(self.as_stored())


class SmsInbox:
    """Receives a stick's SMS: assembles, keeps, fires ``huawei_modem_sms_received``, deletes."""

    def __init__(
        self,
        hass: HomeAssistant,
        coordinator: HuaweiModemCoordinator,
        outbox: Outbox,
        device_id: str,
    ) -> None:
        self.hass = hass
        self.coordinator = coordinator
        self.outbox = outbox
        """Where the delivery reports found on the stick go."""
        self.device_id = device_id
        self.entry = coordinator.entry
        self.record = InboxRecord(hass, inbox_storage_key(self.entry))
        self._lock = asyncio.Lock()
        self._unsubscribes: list[Callable[[], None]] = []
        self._cancel_expiry: Callable[[], None] | None = None
        self._after_start = AfterStart(hass, self.entry)
        self._listing_due = True  # until a listing of the SIM has succeeded
        self._listing_queued = False
        self._left_on_sim = 0  # messages the last listing left on the SIM (kept, unreadable)

    @property
    def deletes(self) -> bool:
        return bool(self.entry.options.get(CONF_DELETE_RECEIVED, DEFAULT_DELETE_RECEIVED))

    # --- lifecycle ------------------------------------------------------------------------------

    async def async_start(self) -> None:
        """Load what was kept and listen; read the stick once the entry is set up."""
        await self.record.async_load()
        self._unsubscribes = [
            self.coordinator.modem.subscribe(NewMessageStored, self._on_new_message),
            self.coordinator.modem.subscribe(MessageReceived, self._on_message_received),
            self.coordinator.sim.add_sms_ready_listener(self._on_sms_ready),
            self.coordinator.async_add_listener(self._on_update),
            self.entry.async_on_state_change(self._on_entry_state),
        ]
        self._sync_storage_issue()
        self._schedule_expiry()

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
        """Run ``work`` in the background, once Home Assistant has started."""
        self._after_start.run(
            lambda: self.entry.async_create_background_task(
                self.hass, self._locked(work), f"{DOMAIN} {name} {self.entry.entry_id}"
            )
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
    def _on_entry_state(self) -> None:
        """Set up: everything that shows the events listens now; read what the stick holds."""
        if self.entry.state is ConfigEntryState.LOADED and self.coordinator.last_update_success:
            self._list_stored()

    @callback
    def _on_sms_ready(self) -> None:
        if self.entry.state is ConfigEntryState.LOADED:
            self._list_stored()

    @callback
    def _on_update(self) -> None:
        """After each update: the storage's repair issue; and a listing again if the last one
        failed, or if the SIM holds more than it left there (a notice of a new SMS was lost)."""
        self._sync_storage_issue()
        storage = self.coordinator.data.status.sms_storage if self.coordinator.data else None
        if storage is not None and storage.used > self._left_on_sim:
            self._listing_due = True
        if (
            self._listing_due
            and self.coordinator.last_update_success
            and self.entry.state is ConfigEntryState.LOADED
        ):
            self._list_stored()

    @callback
    def _list_stored(self) -> None:
        """Read every message the stick holds, unless a listing is on its way already."""
        self._listing_due = True
        if not self._listing_queued:
            self._listing_queued = True
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
        self._listing_queued = False
        stored = await self.coordinator.modem.list_sms()
        await self._take_stored(stored)
        if await self.outbox.async_take_stored(stored):
            self._refresh_if_storage_was_full()
        self._left_on_sim = sum(1 for item in stored if self._stays(item))
        self._listing_due = False  # a listing that failed is tried again after the next update

    def _stays(self, stored: StoredMessage) -> bool:
        """Whether a listed message stays on the SIM (reports and, if deleting, SMS go)."""
        if isinstance(stored.message, SmsStatusReport):
            return False
        return not (self.deletes and isinstance(stored.message, SmsDeliver))

    async def _read_one(self, index: int) -> None:
        await self._take_stored([await self.coordinator.modem.read_sms(index)])

    async def _take_stored(self, stored: Iterable[StoredMessage]) -> None:
        await self._take([item for item in map(Incoming.from_stored, stored) if item is not None])

    async def _take(self, messages: Sequence[Incoming]) -> None:
        """Keep and fire what is new among ``messages``, then delete them from the stick.

        Not once Home Assistant stops (its automations no longer run): the SIM keeps them.
        """
        if self.hass.is_stopping:
            return
        now = dt_util.utcnow()
        changed = False
        deliveries: list[ReceivedSms] = []
        for incoming in messages:
            if self.record.knows(incoming):
                continue  # fired (or waiting) already: only the deletion may be missing
            changed = True
            if delivery := self.record.accept(incoming, now):
                deliveries.append(delivery)
        if changed:
            await self._commit(deliveries)
        if self.deletes and not self.hass.is_stopping:  # the Store writes only at the end then
            await self._delete(
                incoming.index for incoming in messages if incoming.index is not None
            )

    async def _deliver_expired(self, now: datetime) -> None:
        expired = self.record.take_expired(now)
        if expired:
            await self._commit(expired)
        else:
            self._schedule_expiry()

    async def _commit(self, deliveries: Sequence[ReceivedSms]) -> None:
        """Write the record, then fire: one step that a cancelled task does not cut in two."""
        await asyncio.shield(self._save_and_fire(deliveries))

    async def _save_and_fire(self, deliveries: Sequence[ReceivedSms]) -> None:
        await self.record.async_save()
        for delivery in deliveries:
            self.hass.bus.async_fire(EVENT_SMS_RECEIVED, event_data(delivery, self.device_id))
        self._schedule_expiry()

    async def _delete(self, indexes: Iterable[int]) -> None:
        deleted: list[int] = []
        try:
            for index in indexes:
                try:
                    await self.coordinator.modem.delete_sms(index)
                except ModemError as err:
                    # Kept and fired already: the next listing deletes it (and fires nothing).
                    _LOGGER.warning("%s: could not delete SMS %s: %s", self.entry.title, index, err)
                    if not self.coordinator.modem.is_open:
                        raise
                else:
                    deleted.append(index)
        finally:
            if self.record.released(deleted):
                await asyncio.shield(self.record.async_save())
        self._refresh_if_storage_was_full()

    # --- helpers --------------------------------------------------------------------------------

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
        """After a delete, a memory last seen full is read again (its repair issue then clears)."""
        data = self.coordinator.data
        storage = data.status.sms_storage if data is not None else None
        if storage is not None and storage.full:
            self.entry.async_create_background_task(
                self.hass, self.coordinator.async_request_refresh(), f"{DOMAIN} storage refresh"
            )
