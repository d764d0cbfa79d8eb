"""Delivery reports: matched to what was sent (parts, restarts) and fired as a bus event."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.core import Event, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.huawei_modem.const import EVENT_SMS_DELIVERED
from custom_components.huawei_modem.modem.modem import Modem
from custom_components.huawei_modem.runtime import runtime_of
from emulator import EmulatedStick
from emulator.sms import compose_status_report

from ..modem.test_reports import report
from .conftest import DeleteTrap
from .helpers import device_id_of, fire_timers, restart, settle, until
from .test_send import EMOJI_LONG, NUMBER, send_sms

DELIVERED = 0x00
FAILED = 0x41  # incompatible destination


# --- against the stick ------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "delivered"), [(DELIVERED, True), (FAILED, False)])
async def test_the_report_fires_the_delivered_event(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    status: int,
    delivered: bool,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_DELIVERED)
    stick.sms.status_report_status = status

    response = await send_sms(
        hass, loaded_entry, number=NUMBER, message="Hallo", delivery_report=True
    )
    await until(hass, lambda: len(events) == 1)

    [reference] = response["messages"][0]["references"]
    data = events[0].data
    assert data["device_id"] == device_id_of(hass, loaded_entry)
    assert (data["reference"], data["references"], data["recipient"]) == (
        reference,
        [reference],
        NUMBER,
    )
    assert (data["delivered"], data["status"]) == (delivered, status)
    assert datetime.fromisoformat(data["time"]).tzinfo is not None
    await until(hass, lambda: stick.stored_messages() == {})  # the report left the SIM


async def test_a_multipart_message_fires_once_for_all_parts(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    events = async_capture_events(hass, EVENT_SMS_DELIVERED)

    response = await send_sms(
        hass, loaded_entry, number=NUMBER, message=EMOJI_LONG, delivery_report=True
    )
    await until(hass, lambda: len(events) == 1)
    await until(hass, lambda: stick.stored_messages() == {})

    references = response["messages"][0]["references"]
    assert len(references) > 1
    assert [event.data["references"] for event in events] == [references]
    assert events[0].data["delivered"] is True


async def test_no_report_asked_fires_nothing(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    events = async_capture_events(hass, EVENT_SMS_DELIVERED)
    await send_sms(hass, loaded_entry, number=NUMBER, message="Hallo")
    reference = stick.sent[0].references[0]

    deliver_report(stick, reference)
    await until(hass, lambda: stick.stored_messages() == {})

    assert events == []


async def test_a_report_after_a_restart_still_finds_its_message(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    stick.sms.status_report_delay = 3600  # the network takes its time
    response = await send_sms(
        hass, loaded_entry, number=NUMBER, message="Hallo", delivery_report=True
    )
    [reference] = response["messages"][0]["references"]

    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    events: list[Event] = async_capture_events(hass, EVENT_SMS_DELIVERED)
    deliver_report(stick, reference)
    await until(hass, lambda: len(events) == 1)

    assert (events[0].data["references"], events[0].data["delivered"]) == ([reference], True)
    deliver_report(stick, reference)  # the same report again: told once only
    await until(hass, lambda: stick.stored_messages() == {})
    assert len(events) == 1


# --- reports the stick stored while nobody listened ---------------------------------------------


async def sent_awaiting_report(hass: HomeAssistant, entry: MockConfigEntry) -> int:
    """Send with a delivery report that the network holds back; the message's reference."""
    response = await send_sms(hass, entry, number=NUMBER, message="Hallo", delivery_report=True)
    [reference] = response["messages"][0]["references"]
    return int(reference)


async def test_a_report_stored_while_home_assistant_was_down_is_told_once(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    stick.sms.status_report_delay = 3600
    reference = await sent_awaiting_report(hass, loaded_entry)
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    deliver_report(stick, reference, FAILED)  # stored; its +CDSI reaches nobody
    events = async_capture_events(hass, EVENT_SMS_DELIVERED)

    with patch.object(Modem, "list_sms", autospec=True, side_effect=Modem.list_sms) as listing:
        assert await hass.config_entries.async_setup(loaded_entry.entry_id)
        await until(hass, lambda: len(events) == 1 and stick.stored_messages() == {})
    assert listing.call_count == 1  # the same listing as the received SMS

    assert (events[0].data["references"], events[0].data["delivered"]) == ([reference], False)
    await restart(hass, loaded_entry)
    await settle(hass)
    assert len(events) == 1


async def test_a_report_stored_while_the_stick_was_away_is_told_after_the_replug(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    stick.sms.status_report_delay = 3600
    reference = await sent_awaiting_report(hass, loaded_entry)
    events = async_capture_events(hass, EVENT_SMS_DELIVERED)
    stick.unplug()
    await settle(hass)
    deliver_report(stick, reference)
    stick.replug()
    await fire_timers(hass, timedelta(seconds=6))

    await until(hass, lambda: len(events) == 1 and stick.stored_messages() == {})
    assert events[0].data["delivered"] is True


async def test_a_crash_between_telling_and_deleting_a_stored_report_tells_it_once(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    crash_on_delete: DeleteTrap,
) -> None:
    crash_on_delete.armed = False
    stick.sms.status_report_delay = 3600
    reference = await sent_awaiting_report(hass, loaded_entry)
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    deliver_report(stick, reference)
    events = async_capture_events(hass, EVENT_SMS_DELIVERED)

    crash_on_delete.armed = True
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    await until(hass, lambda: len(events) == 1 and crash_on_delete.tried == [0])
    assert len(stick.stored_messages()) == 1

    crash_on_delete.armed = False
    await restart(hass, loaded_entry)
    await until(hass, lambda: stick.stored_messages() == {})
    await settle(hass)
    assert len(events) == 1


def deliver_report(stick: EmulatedStick, reference: int, status: int = DELIVERED) -> None:
    """A delivery report from the network, as the emulator stores and announces it."""
    now = datetime.now(UTC)
    stick.device.deliver_status_report(
        compose_status_report(
            smsc=stick.device.smsc,
            reference=reference,
            recipient=NUMBER,
            submitted=now,
            discharged=now,
            status=status,
        )
    )


async def test_a_report_cancelled_while_being_saved_is_still_saved_and_told(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    stick.sms.status_report_delay = 3600  # the network takes its time
    reference = await sent_awaiting_report(hass, loaded_entry)
    events = async_capture_events(hass, EVENT_SMS_DELIVERED)
    outbox = runtime_of(loaded_entry).outbox
    saving, release = asyncio.Event(), asyncio.Event()
    real_save = outbox._store.async_save

    async def slow_save(data: Any) -> None:
        saving.set()
        await release.wait()
        await real_save(data)

    with patch.object(outbox._store, "async_save", slow_save):
        handling = hass.async_create_task(outbox.async_handle_report(report(reference, DELIVERED)))
        await saving.wait()
        handling.cancel()  # e.g. the entry unloading
        release.set()
        await hass.async_block_till_done()

    assert handling.cancelled()
    assert [event.data["references"] for event in events] == [[reference]]
    assert await outbox._store.async_load() == []
