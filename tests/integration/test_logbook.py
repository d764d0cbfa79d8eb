"""Logbook entries of the SMS events: sender or recipient and length, never the text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import (
    DOMAIN,
    EVENT_CALL,
    EVENT_SMS_DELIVERED,
    EVENT_SMS_RECEIVED,
)
from custom_components.huawei_modem.logbook import async_describe_events

Describe = Callable[[Event], dict[str, str]]
RECEIVED = {"sender": "+491701234567", "text": "The door code is 4711", "parts": 1}


@pytest.fixture(name="describers")
def describers_fixture(hass: HomeAssistant) -> dict[str, Describe]:
    """What the integration tells the logbook, by event type."""
    found: dict[str, Describe] = {}

    def describe_event(domain: str, event_type: str, describe: Describe) -> None:
        assert domain == DOMAIN
        found[event_type] = describe

    async_describe_events(hass, describe_event)
    return found


def stick_device(hass: HomeAssistant, name_by_user: str | None = None) -> str:
    entry = MockConfigEntry(domain=DOMAIN)
    entry.add_to_hass(hass)
    registry = dr.async_get(hass)
    device = registry.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, "866123045678901")}, name="E3372"
    )
    registry.async_update_device(device.id, name_by_user=name_by_user)
    return device.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (RECEIVED, "received an SMS from +491701234567 (21 characters)"),
        (
            {**RECEIVED, "text": "x" * 300, "parts": 2},
            "received an SMS from +491701234567 (300 characters in 2 parts)",
        ),
        ({**RECEIVED, "flash": True}, "received a flash SMS from +491701234567 (21 characters)"),
        (
            {**RECEIVED, "parts": 2, "parts_expected": 3, "incomplete": True},
            "received an incomplete SMS from +491701234567 (21 characters, 2 of 3 parts)",
        ),
    ],
)
async def test_received_sms_shows_sender_and_length_not_the_text(
    hass: HomeAssistant, describers: dict[str, Describe], data: dict[str, Any], message: str
) -> None:
    device_id = stick_device(hass)
    entry = describers[EVENT_SMS_RECEIVED](
        Event(EVENT_SMS_RECEIVED, {"device_id": device_id, **data})
    )
    assert entry == {"name": "E3372", "message": message}
    assert data["text"] not in entry["message"]


@pytest.mark.parametrize(
    ("delivered", "message"),
    [(True, "delivered an SMS to +4930123456"), (False, "could not deliver an SMS to +4930123456")],
)
async def test_delivery_reports_say_whether_it_arrived(
    hass: HomeAssistant, describers: dict[str, Describe], delivered: bool, message: str
) -> None:
    device_id = stick_device(hass, name_by_user="Garage modem")
    data = {"device_id": device_id, "recipient": "+4930123456", "delivered": delivered}
    entry = describers[EVENT_SMS_DELIVERED](Event(EVENT_SMS_DELIVERED, data))
    assert entry == {"name": "Garage modem", "message": message}


async def test_an_unknown_device_is_named_after_the_integration(
    hass: HomeAssistant, describers: dict[str, Describe]
) -> None:
    entry = describers[EVENT_SMS_RECEIVED](
        Event(EVENT_SMS_RECEIVED, {"device_id": "gone", **RECEIVED})
    )
    assert entry["name"] == "Huawei USB Modem"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"caller": "+491701234567", "ring_count": 1, "state": "ringing"},
            "is ringing: a call from +491701234567 (ring 1)",
        ),
        (
            {"caller": "+491701234567", "ring_count": 1, "state": "missed"},
            "missed a call from +491701234567 (1 ring)",
        ),
        (
            {"caller": "withheld", "ring_count": 3, "state": "missed"},
            "missed a call from a withheld number (3 rings)",
        ),
        (
            {"caller": "unknown", "ring_count": 2, "state": "rejected"},
            "rejected a call from an unknown number after 2 rings",
        ),
        (
            {"caller": "030123456", "ring_count": 4, "state": "ended"},
            "lost a call from 030123456 when the stick went away",
        ),
    ],
)
async def test_calls_name_the_caller(
    hass: HomeAssistant, describers: dict[str, Describe], data: dict[str, Any], message: str
) -> None:
    device_id = stick_device(hass)
    event = Event(EVENT_CALL, {"device_id": device_id, "time": "2026-12-01T12:00:00+00:00", **data})
    assert describers[EVENT_CALL](event) == {"name": "E3372", "message": message}
