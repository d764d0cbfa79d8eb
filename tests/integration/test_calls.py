"""Calls on the Home Assistant side: the call event, the call event entity, rejecting, dialling."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from homeassistant.components.event import ATTR_EVENT_TYPE, ATTR_EVENT_TYPES
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.huawei_modem.const import (
    CONF_REJECT_CALLS_AFTER,
    DOMAIN,
    EVENT_CALL,
    EVENT_SMS_RECEIVED,
)
from emulator import EmulatedStick

from .helpers import change_options, device_id_of, rendered, service_response, state_of, until

CALLER = "+491701234567"
CALL_EVENT = "event.e3372_call"


@pytest.fixture(name="calls")
def calls_fixture(hass: HomeAssistant) -> list[Event]:
    return async_capture_events(hass, EVENT_CALL)


@pytest.fixture(autouse=True)
def _quick_calls(stick: EmulatedStick) -> None:
    stick.device.calls.hurry()


def states(calls: list[Event]) -> list[tuple[str, int]]:
    return [(event.data["state"], event.data["ring_count"]) for event in calls]


async def ended(hass: HomeAssistant, calls: list[Event]) -> None:
    await until(hass, lambda: bool(calls) and calls[-1].data["state"] != "ringing")


# --- calls that ring here -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "caller"),
    [
        ({"number": CALLER}, CALLER),
        ({"number": "01701234567"}, "01701234567"),
        ({"number": CALLER, "withheld": True}, "withheld"),
        ({"number": CALLER, "unavailable": True}, "unknown"),
    ],
)
async def test_caller_id(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    calls: list[Event],
    options: dict[str, Any],
    caller: str,
) -> None:
    stick.device.calls.incoming(rings=1, **options)
    await ended(hass, calls)
    assert states(calls) == [("ringing", 1), ("missed", 1)]
    assert {event.data["caller"] for event in calls} == {caller}
    assert {event.data["device_id"] for event in calls} == {device_id_of(hass)}


async def test_a_missed_call_counts_its_rings(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry, calls: list[Event]
) -> None:
    stick.device.calls.incoming(CALLER, rings=3)
    await ended(hass, calls)
    assert states(calls) == [("ringing", 1), ("ringing", 2), ("ringing", 3), ("missed", 3)]
    assert all(event.data["time"] for event in calls)


async def test_the_call_event_entity(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry, calls: list[Event]
) -> None:
    state = hass.states.get(CALL_EVENT)
    assert state is not None
    assert state.state == "unknown"
    assert state.attributes[ATTR_EVENT_TYPES] == ["ringing", "missed", "rejected", "ended"]
    stick.device.calls.incoming(CALLER, rings=1)
    await ended(hass, calls)
    await hass.async_block_till_done()
    attributes = hass.states.get(CALL_EVENT).attributes  # type: ignore[union-attr]
    assert attributes[ATTR_EVENT_TYPE] == "missed"
    assert attributes["caller"] == CALLER
    assert "device_id" not in attributes


@pytest.mark.parametrize("rings", [1, 3])
async def test_calls_are_rejected_after_the_rings_set(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    calls: list[Event],
    rings: int,
) -> None:
    await change_options(hass, loaded_entry, **{CONF_REJECT_CALLS_AFTER: rings})
    stick.device.calls.incoming(CALLER, rings=None)
    await ended(hass, calls)
    assert calls[-1].data["state"] == "rejected"
    assert calls[-1].data["ring_count"] in (rings, rings + 1)  # a ring may cross the hang-up
    assert stick.device.calls.current is None


async def test_calls_ring_on_by_default(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry, calls: list[Event]
) -> None:
    stick.device.calls.incoming(CALLER, rings=None)
    await until(hass, lambda: len(calls) >= 5)
    assert stick.device.calls.current is not None
    assert {event.data["state"] for event in calls} == {"ringing"}
    stick.device.calls.current = None


async def test_the_hang_up_action_rejects_a_ringing_call(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry, calls: list[Event]
) -> None:
    stick.device.calls.incoming(CALLER, rings=None)
    await until(hass, lambda: bool(calls))
    await hass.services.async_call(
        DOMAIN, "hang_up", {"device_id": device_id_of(hass)}, blocking=True
    )
    await ended(hass, calls)
    assert calls[-1].data["state"] == "rejected"
    assert stick.device.calls.current is None


async def test_a_ringing_call_ends_when_the_stick_is_unplugged(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry, calls: list[Event]
) -> None:
    stick.device.calls.incoming(CALLER, rings=None)
    await until(hass, lambda: bool(calls))
    stick.unplug()
    await ended(hass, calls)
    assert calls[-1].data["state"] == "ended"
    count = len(calls)
    await asyncio.sleep(0.2)
    await hass.async_block_till_done()
    assert len(calls) == count
    assert hass.states.get(CALL_EVENT).attributes[ATTR_EVENT_TYPE] == "ended"  # type: ignore[union-attr]


async def test_sms_flow_while_a_call_rings(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry, calls: list[Event]
) -> None:
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)
    stick.device.calls.incoming(CALLER, rings=None)
    await until(hass, lambda: bool(calls))
    stick.deliver_sms(CALLER, "Klingelt es?")
    response = await service_response(
        hass,
        "send_sms",
        {"device_id": device_id_of(hass), "number": CALLER, "message": "Ja, es klingelt"},
    )
    await until(hass, lambda: bool(received))
    assert received[0].data["text"] == "Klingelt es?"
    assert len(response["messages"]) == 1
    assert stick.device.calls.current is not None  # still ringing
    assert {event.data["state"] for event in calls} == {"ringing"}
    assert [event.data["ring_count"] for event in calls] == list(range(1, len(calls) + 1))
    stick.device.calls.current = None


# --- alarm calls ----------------------------------------------------------------------------------


async def call(hass: HomeAssistant, number: str = CALLER, **fields: Any) -> dict[str, Any]:
    data = {"device_id": device_id_of(hass), "number": number, "ring_seconds": 5, **fields}
    return await service_response(hass, "call", data)


async def test_an_answered_alarm_call(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    answer = await call(hass, "+49 170 1234567", talk_seconds=1)
    assert answer == {"number": CALLER, "outcome": "answered", "duration": 1}
    assert stick.device.calls.current is None


@pytest.mark.parametrize(
    ("far_end", "outcome"),
    [
        ("reject", "rejected"),
        ("busy", "busy"),
        ("never_answer", "no_answer"),
        ("no_network", "no_network"),
    ],
)
async def test_an_alarm_call_nobody_answers(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    far_end: str,
    outcome: str,
) -> None:
    stick.device.calls.far_end.mode = far_end
    answer = await call(hass)
    assert answer == {"number": CALLER, "outcome": outcome, "duration": 0}
    assert state_of(hass, "sensor.e3372_signal_strength") not in ("unavailable", "unknown")


@pytest.mark.parametrize("stick_model", ["E3131"])
async def test_an_alarm_call_on_a_stick_without_voice(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    answer = await call(hass)
    assert answer["outcome"] == "not_supported"
    assert stick.device.calls.current is None


async def test_a_bad_number_is_refused_before_dialling(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as refused:
        await call(hass, "+49 170 CALLME")
    assert rendered(refused.value).startswith('"+49 170 CALLME" is not a phone number the stick')
    assert stick.device.calls.current is None


async def test_an_alarm_call_cut_by_an_unplug(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    task = asyncio.create_task(call(hass, talk_seconds=30))
    await until(hass, lambda: stick.device.calls.current is not None)
    stick.unplug()
    with pytest.raises(HomeAssistantError) as failed:
        await task
    assert rendered(failed.value).startswith(f"The call to {CALLER} failed:")
