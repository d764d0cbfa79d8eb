"""The outbox of one stick: SMS sent one at a time, delivery reports told once as a bus event.

A multipart message goes out part after part under one lock, so the parts of two messages sent
at the same time (several automations) never interleave. When a delivery report was asked for,
the message references of the parts are remembered in a ``Store``, so a report that arrives
after a restart still finds its message (the matching rules are in ``modem.reports``). Every
delivery report comes here: pushed inline (``+CDS``), announced as stored (``+CDSI``) or found
by the inbox's listing of the SIM.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .after_start import AfterStart
from .const import (
    ATTR_DEVICE_ID,
    CONF_MAX_PARTS_PER_HOUR,
    CONF_MAX_PARTS_PER_MESSAGE,
    DOMAIN,
    EVENT_SMS_DELIVERED,
)
from .coordinator import HuaweiModemCoordinator
from .modem.errors import ModemError
from .modem.models import SentMessage, StatusReportReceived, StoredMessage
from .modem.pdu import SmsStatusReport
from .modem.reports import AwaitedReports, DeliveryOutcome, StoredAwait
from .modem.sms_budget import (
    DEFAULT_MAX_PARTS_PER_HOUR,
    DEFAULT_MAX_PARTS_PER_MESSAGE,
    SendBudget,
)

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 1.0
"""Seconds to gather sends into one write (flushed on unload and when Home Assistant stops)."""

ATTR_REFERENCE: Final = "reference"
ATTR_REFERENCES: Final = "references"
ATTR_RECIPIENT: Final = "recipient"
ATTR_DELIVERED: Final = "delivered"
ATTR_STATUS: Final = "status"
ATTR_TIME: Final = "time"


def outbox_store(hass: HomeAssistant, entry: ConfigEntry) -> Store[list[StoredAwait]]:
    """The ``.storage`` file of a stick's outbox (by IMEI: a reinstalled stick finds it)."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.outbox.{entry.unique_id or entry.entry_id}")


async def async_remove_outbox(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Delete what the outbox of ``entry`` kept (the entry is being removed)."""
    await outbox_store(hass, entry).async_remove()


class Outbox:
    """Sending for one stick, and the delivery reports of what it sent."""

    def __init__(
        self, hass: HomeAssistant, coordinator: HuaweiModemCoordinator, device_id: str
    ) -> None:
        self._hass = hass
        self._coordinator = coordinator
        self._entry = coordinator.entry
        self._device_id = device_id
        self._lock = asyncio.Lock()
        self._store = outbox_store(hass, self._entry)
        self._awaited = AwaitedReports()
        self._after_start = AfterStart(hass, self._entry)
        options = self._entry.options
        self._budget = SendBudget(
            options.get(CONF_MAX_PARTS_PER_MESSAGE, DEFAULT_MAX_PARTS_PER_MESSAGE),
            options.get(CONF_MAX_PARTS_PER_HOUR, DEFAULT_MAX_PARTS_PER_HOUR),
        )

    async def async_start(self) -> None:
        """Load the messages that still wait for a report and listen for reports."""
        self._awaited = AwaitedReports.from_stored(await self._store.async_load() or [])
        self._entry.async_on_unload(
            self._coordinator.modem.subscribe(StatusReportReceived, self._on_report)
        )
        self._entry.async_on_unload(self._async_save)

    @property
    def parts_last_hour(self) -> int:
        """SMS parts sent (reserved) in the last hour, for the cost guard's sensor."""
        return self._budget.used(time.monotonic())

    @callback
    def reserve(self, parts_per_message: int, recipients: int) -> None:
        """Count a send against the cost guard before its first part goes out.

        Raises SmsOverBudgetError (nothing is counted then).
        """
        self._budget.reserve(parts_per_message, recipients, time.monotonic())
        self._coordinator.async_update_listeners()  # the sensor of parts sent

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
            self._store.async_delay_save(self._awaited.as_stored, SAVE_DELAY)
            if outcome is not None:
                self._fire(outcome)
        return sent

    # --- delivery reports -------------------------------------------------------------------------

    @callback
    def _on_report(self, event: StatusReportReceived) -> None:
        report, index = event.report, event.index
        if report is not None:
            self._background(lambda: self.async_handle_report(report), "inline")
        elif index is not None:
            self._background(lambda: self._async_take_announced(index), str(index))

    def _background(self, work: Callable[[], Coroutine[Any, Any, None]], name: str) -> None:
        """Run ``work`` in the background, once Home Assistant has started."""
        self._after_start.run(
            lambda: self._entry.async_create_background_task(
                self._hass, work(), f"{DOMAIN} delivery report {name}"
            )
        )

    async def _async_take_announced(self, index: int) -> None:
        """A report the stick stored and announced (``+CDSI``)."""
        try:
            stored = await self._coordinator.modem.read_sms(index)
        except ModemError as err:
            _LOGGER.warning("Could not read the delivery report at index %s: %s", index, err)
            return
        await self.async_take_stored([stored])

    async def async_take_stored(self, stored: Sequence[StoredMessage]) -> bool:
        """Act on the delivery reports among ``stored``, then delete them from the stick.

        Whether any report was deleted. Also for the reports the inbox's listing finds (stored
        while Home Assistant was down or the stick away), whatever the inbox's deletion option.
        Not once Home Assistant stops (its automations no longer run): the SIM keeps them.
        """
        if self._hass.is_stopping:
            return False
        reports = [
            (item.index, item.message)
            for item in stored
            if isinstance(item.message, SmsStatusReport)
        ]
        for _, report in reports:
            await self.async_handle_report(report)
        if not reports or self._hass.is_stopping:  # the Store writes only at the end then
            return False
        try:
            for index, _ in reports:
                await self._coordinator.modem.delete_sms(index)
        except ModemError as err:
            # Told already: the next listing deletes it (and tells nothing).
            _LOGGER.warning("Could not delete a delivery report: %s", err)
        return True

    async def async_handle_report(self, report: SmsStatusReport) -> None:
        """Match a delivery report to the message it is for; fire the event once complete.

        Saved before the event is fired: a report that is read again after a crash matches
        nothing and fires nothing a second time.
        """
        outcome = self._awaited.match(report, time.monotonic())
        if outcome is None:
            return
        # The match already left memory: an unload cancelling us mid-save must not lose it.
        await asyncio.shield(self._async_save_and_fire(outcome))

    async def _async_save_and_fire(self, outcome: DeliveryOutcome) -> None:
        await self._async_save()
        self._fire(outcome)

    @callback
    def _fire(self, outcome: DeliveryOutcome) -> None:
        self._hass.bus.async_fire(EVENT_SMS_DELIVERED, self._event_data(outcome))

    def _event_data(self, outcome: DeliveryOutcome) -> dict[str, Any]:
        return {
            ATTR_DEVICE_ID: self._device_id,
            ATTR_REFERENCE: outcome.references[0],
            ATTR_REFERENCES: list(outcome.references),
            ATTR_RECIPIENT: outcome.recipient,
            ATTR_DELIVERED: outcome.delivered,
            ATTR_STATUS: outcome.status,
            ATTR_TIME: dt_util.as_utc(outcome.time).isoformat(),
        }

    async def _async_save(self) -> None:
        await self._store.async_save(self._awaited.as_stored())
