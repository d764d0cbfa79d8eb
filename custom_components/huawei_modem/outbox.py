"""The outbox of one stick: SMS sent one at a time, delivery reports matched to what was sent.

A multipart message goes out part after part under one lock, so the parts of two messages sent
at the same time (several automations) never interleave. When a delivery report was asked for,
the message references of the parts are remembered in a ``Store`` (bounded), so a report that
arrives after a restart still finds its message. A message is delivered when every part is, and
failed as soon as one part failed; either way ``huawei_modem_sms_delivered`` is fired once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, TypedDict

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import ATTR_DEVICE_ID, DOMAIN, EVENT_SMS_DELIVERED
from .coordinator import HuaweiModemCoordinator
from .entity import async_stick_device_id
from .modem.errors import ModemError
from .modem.models import SentMessage, StatusReportReceived
from .modem.pdu import SmsStatusReport

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION: Final = 1
MAX_AWAITED_REPORTS: Final = 256
"""Sent messages that wait for their delivery report; the oldest is forgotten beyond this."""
SAVE_DELAY: Final = 1.0
"""Seconds to gather sends into one write (flushed on unload and when Home Assistant stops)."""
EARLY_REPORT_LIFETIME: Final = 120.0
"""Seconds a report that matches no message waits for its message (still being sent)."""
MAX_EARLY_REPORTS: Final = 32

ATTR_REFERENCE: Final = "reference"
ATTR_REFERENCES: Final = "references"
ATTR_RECIPIENT: Final = "recipient"
ATTR_DELIVERED: Final = "delivered"
ATTR_STATUS: Final = "status"
ATTR_TIME: Final = "time"


class _StoredMessage(TypedDict):
    recipient: str
    references: list[int]
    outcomes: dict[str, int]


@dataclass(slots=True)
class AwaitedReport:
    """A sent message that asked for a delivery report: its parts' references and outcomes."""

    recipient: str
    references: list[int]
    outcomes: dict[int, int] = field(default_factory=dict)
    """TP-Status of every part whose final report came, by message reference."""

    def waits_for(self, reference: int) -> bool:
        return reference in self.references and reference not in self.outcomes

    @property
    def failed_status(self) -> int | None:
        """The status of a part that was not delivered, if one was not."""
        return next((status for status in self.outcomes.values() if not delivered(status)), None)

    @property
    def complete(self) -> bool:
        return len(self.outcomes) == len(self.references)

    def as_stored(self) -> _StoredMessage:
        outcomes = {str(reference): status for reference, status in self.outcomes.items()}
        return {"recipient": self.recipient, "references": self.references, "outcomes": outcomes}

    @classmethod
    def from_stored(cls, stored: _StoredMessage) -> AwaitedReport:
        outcomes = {int(reference): status for reference, status in stored["outcomes"].items()}
        return cls(stored["recipient"], list(stored["references"]), outcomes)


@dataclass(frozen=True, slots=True)
class Delivery:
    """The outcome of a sent message, as the bus event tells it."""

    recipient: str
    references: tuple[int, ...]
    delivered: bool
    status: int
    """TP-Status of the part that decided: the failed one, else the last one delivered."""
    time: datetime
    """When the service centre delivered (or gave up on) that part."""


def delivered(status: int) -> bool:
    """TP-Status 0x00-0x1F: the short message was received by the recipient."""
    return status < 0x20


class AwaitedReports:
    """Sent messages waiting for their delivery reports, newest last, bounded.

    A report can overtake its message: the first part's report may come while the last part is
    still being sent. Such early reports are kept a little while for the message they are for.
    """

    def __init__(self, messages: Sequence[AwaitedReport] = ()) -> None:
        self.messages = list(messages)
        self._early: list[tuple[float, SmsStatusReport]] = []

    def add(self, recipient: str, references: Sequence[int], now: float) -> Delivery | None:
        """Wait for the reports of a message just sent; its outcome if they all came early."""
        self.messages.append(AwaitedReport(recipient, list(references)))
        del self.messages[:-MAX_AWAITED_REPORTS]
        early = [(at, report) for at, report in self._early if now - at <= EARLY_REPORT_LIFETIME]
        self._early = [(at, report) for at, report in early if report.reference not in references]
        outcomes = [
            self.match(report, now) for _, report in early if report.reference in references
        ]
        return next((outcome for outcome in outcomes if outcome is not None), None)

    def match(self, report: SmsStatusReport, now: float) -> Delivery | None:
        """Record a part's final report; the outcome once the whole message has one.

        References wrap at 256, so the newest message waiting for this reference is the one.
        """
        if not report.final:
            return None
        message = next((m for m in reversed(self.messages) if m.waits_for(report.reference)), None)
        if message is None:
            self._early.append((now, report))
            del self._early[:-MAX_EARLY_REPORTS]
            return None
        message.outcomes[report.reference] = report.status
        failed_status = message.failed_status
        if failed_status is None and not message.complete:
            return None
        self.messages.remove(message)
        return Delivery(
            recipient=message.recipient,
            references=tuple(message.references),
            delivered=failed_status is None,
            status=report.status if failed_status is None else failed_status,
            time=report.discharge_time,
        )


def outbox_store(hass: HomeAssistant, entry: ConfigEntry) -> Store[list[_StoredMessage]]:
    """The ``.storage`` file of a stick's outbox (by IMEI: a reinstalled stick finds it)."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.outbox.{entry.unique_id or entry.entry_id}")


async def async_remove_outbox(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Delete what the outbox of ``entry`` kept (the entry is being removed)."""
    await outbox_store(hass, entry).async_remove()


async def async_start_outbox(hass: HomeAssistant, coordinator: HuaweiModemCoordinator) -> Outbox:
    """Give a stick its outbox, until its config entry is unloaded."""
    outbox = Outbox(hass, coordinator)
    await outbox.async_start()
    return outbox


class Outbox:
    """Sending for one stick, and the delivery reports of what it sent."""

    def __init__(self, hass: HomeAssistant, coordinator: HuaweiModemCoordinator) -> None:
        self._hass = hass
        self._coordinator = coordinator
        self._entry = coordinator.entry
        self._lock = asyncio.Lock()
        self._store = outbox_store(hass, self._entry)
        self._awaited = AwaitedReports()

    async def async_start(self) -> None:
        """Load the messages that still wait for a report and listen for reports."""
        stored = await self._store.async_load() or []
        self._awaited = AwaitedReports([AwaitedReport.from_stored(item) for item in stored])
        self._entry.async_on_unload(
            self._coordinator.subscribe(StatusReportReceived, self._on_report)
        )
        self._entry.async_on_unload(self._async_save)

    async def async_send(
        self, number: str, text: str, *, flash: bool = False, delivery_report: bool = False
    ) -> SentMessage:
        """Send one message (all its parts) once the messages before it are out.

        Raises what ``Modem.send_sms`` raises (``ModemError``).
        """
        async with self._lock:
            sent = await self._coordinator.modem.send_sms(
                number, text, flash=flash, request_status_report=delivery_report
            )
        if delivery_report:
            outcome = self._awaited.add(number, sent.references, time.monotonic())
            self._store.async_delay_save(self._stored, SAVE_DELAY)
            if outcome is not None:
                self._fire(outcome)
        return sent

    # --- delivery reports -------------------------------------------------------------------------

    @callback
    def _on_report(self, event: StatusReportReceived) -> None:
        if event.report is not None:
            self._background(self.async_handle_report(event.report), "inline")
        elif event.index is not None:
            self._background(self._async_take_stored_report(event.index), str(event.index))

    def _background(self, work: Coroutine[Any, Any, None], name: str) -> None:
        self._entry.async_create_background_task(
            self._hass, work, f"{DOMAIN} delivery report {name}"
        )

    async def _async_take_stored_report(self, index: int) -> None:
        """A report the stick stored (``+CDSI``): read it, act on it, then delete it."""
        try:
            stored = await self._coordinator.modem.read_sms(index)
            if isinstance(stored.message, SmsStatusReport):
                await self.async_handle_report(stored.message)
            await self._coordinator.modem.delete_sms(index)
        except ModemError as err:
            _LOGGER.warning("Could not read the delivery report at index %s: %s", index, err)

    async def async_handle_report(self, report: SmsStatusReport) -> None:
        """Match a delivery report to the message it is for; fire the event once complete.

        Saved before the event is fired: a report that is read again after a crash matches
        nothing and fires nothing a second time. Also for reports found on the SIM at start.
        """
        outcome = self._awaited.match(report, time.monotonic())
        if outcome is None:
            return
        # The match already left memory: an unload cancelling us mid-save must not lose it.
        await asyncio.shield(self._async_save_and_fire(outcome))

    async def _async_save_and_fire(self, outcome: Delivery) -> None:
        await self._async_save()
        self._fire(outcome)

    @callback
    def _fire(self, outcome: Delivery) -> None:
        self._hass.bus.async_fire(EVENT_SMS_DELIVERED, self._event_data(outcome))

    def _event_data(self, outcome: Delivery) -> dict[str, Any]:
        return {
            ATTR_DEVICE_ID: self._device_id(),
            ATTR_REFERENCE: outcome.references[0],
            ATTR_REFERENCES: list(outcome.references),
            ATTR_RECIPIENT: outcome.recipient,
            ATTR_DELIVERED: outcome.delivered,
            ATTR_STATUS: outcome.status,
            ATTR_TIME: dt_util.as_utc(outcome.time).isoformat(),
        }

    def _device_id(self) -> str:
        return async_stick_device_id(self._hass, self._coordinator)

    def _stored(self) -> list[_StoredMessage]:
        return [message.as_stored() for message in self._awaited.messages]

    async def _async_save(self) -> None:
        await self._store.async_save(self._stored())
