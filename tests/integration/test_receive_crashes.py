"""Receiving SMS across restarts and crashes: nothing lost, nothing fired twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from unittest.mock import patch

import pytest
from homeassistant.core import Event, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.inbox import InboxRecord
from custom_components.huawei_modem.modem.errors import CmsError
from custom_components.huawei_modem.modem.modem import Modem
from emulator import EmulatedStick

from .conftest import DeleteTrap
from .helpers import LONG_GSM, SENDER, arrive, fire_timers, parts_of, restart, settle, until

# --- restarts and crashes -------------------------------------------------------------------------


async def test_a_restart_between_parts_loses_nothing(
    hass: HomeAssistant, stick: EmulatedStick, ready_entry: MockConfigEntry, received: list[Event]
) -> None:
    first, second, third = parts_of(stick, LONG_GSM)
    arrive(stick, third)
    arrive(stick, first)
    await until(hass, lambda: not stick.stored_messages())  # kept by Home Assistant, deleted

    await restart(hass, ready_entry)
    assert received == []
    arrive(stick, second)
    await until(hass, lambda: len(received) == 1 and not stick.stored_messages())

    assert received[0].data["text"] == LONG_GSM
    assert received[0].data["parts"] == 3


async def test_a_crash_before_the_record_is_written_reads_the_message_again(
    hass: HomeAssistant, stick: EmulatedStick, ready_entry: MockConfigEntry, received: list[Event]
) -> None:
    # Home Assistant dies while writing: the work stops there (a cancellation, not an error).
    with patch.object(InboxRecord, "async_save", side_effect=asyncio.CancelledError):
        stick.deliver_sms(SENDER, "Almost lost")
        await settle(hass)
    assert received == []
    assert len(stick.stored_messages()) == 1  # never deleted before it is kept

    await restart(hass, ready_entry)
    await until(hass, lambda: len(received) == 1 and not stick.stored_messages())
    assert received[0].data["text"] == "Almost lost"


async def test_a_crash_between_firing_and_deleting_fires_once(
    hass: HomeAssistant,
    stick: EmulatedStick,
    ready_entry: MockConfigEntry,
    received: list[Event],
    crash_on_delete: DeleteTrap,
) -> None:
    stick.deliver_sms(SENDER, "Fire me once")
    await until(hass, lambda: len(received) == 1 and crash_on_delete.tried == [0])
    assert len(stick.stored_messages()) == 1

    await restart(hass, ready_entry)
    await until(hass, lambda: crash_on_delete.tried == [0, 0])
    crash_on_delete.armed = False
    await restart(hass, ready_entry)
    await until(hass, lambda: not stick.stored_messages())
    await settle(hass)

    assert [event.data["text"] for event in received] == ["Fire me once"]


async def test_a_crash_between_keeping_a_part_and_deleting_it_keeps_it_once(
    hass: HomeAssistant,
    stick: EmulatedStick,
    ready_entry: MockConfigEntry,
    received: list[Event],
    crash_on_delete: DeleteTrap,
) -> None:
    first, second = parts_of(stick, "Zwei Teile. " * 20)
    arrive(stick, first)
    await until(hass, lambda: crash_on_delete.tried == [0])

    crash_on_delete.armed = False
    await restart(hass, ready_entry)  # part 1 is both kept and still on the SIM
    arrive(stick, second)
    await until(hass, lambda: len(received) == 1 and not stick.stored_messages())
    await settle(hass)

    assert len(received) == 1
    assert received[0].data["text"] == "Zwei Teile. " * 20
    assert received[0].data["parts"] == 2


async def test_a_refused_delete_is_tried_again_at_the_next_listing(
    hass: HomeAssistant,
    stick: EmulatedStick,
    ready_entry: MockConfigEntry,
    received: list[Event],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with patch.object(Modem, "delete_sms", side_effect=CmsError("AT+CMGD=0", 314)):
        stick.deliver_sms(SENDER, "Stuck on the SIM for a moment")
        await until(hass, lambda: len(received) == 1)
        await settle(hass)
    assert "could not delete SMS 0" in caplog.text
    assert len(stick.stored_messages()) == 1

    stick.replug()
    await fire_timers(hass, timedelta(seconds=6))
    await until(hass, lambda: not stick.stored_messages())
    assert len(received) == 1
