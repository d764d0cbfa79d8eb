"""Logbook entries of a stick's SMS and call events: who and how long, never an SMS's text; and
of the commands to Assist by SMS: who, the command (never the passphrase) and the answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook.const import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .const import (
    ATTR_DEVICE_ID,
    DOMAIN,
    EVENT_ASSIST,
    EVENT_CALL,
    EVENT_SMS_DELIVERED,
    EVENT_SMS_RECEIVED,
)
from .phone import UNKNOWN, WITHHELD

FALLBACK_NAME = "Huawei USB Modem"

DescribeEvent = Callable[[str, str, Callable[[Event], dict[str, str]]], None]


def received_message(data: Mapping[str, Any]) -> str:
    """``received an SMS from +49170... (160 characters in 2 parts)``."""
    sender, parts = data.get("sender"), data.get("parts", 1)
    size = f"{len(data.get('text', ''))} characters"
    if data.get("incomplete"):
        size = f"{size}, {parts} of {data.get('parts_expected')} parts"
        return f"received an incomplete SMS from {sender} ({size})"
    if parts > 1:
        size = f"{size} in {parts} parts"
    kind = "a flash SMS" if data.get("flash") else "an SMS"
    return f"received {kind} from {sender} ({size})"


def delivered_message(data: Mapping[str, Any]) -> str:
    """``delivered an SMS to +49170...`` or ``could not deliver an SMS to +49170...``."""
    if data.get("delivered"):
        return f"delivered an SMS to {data.get('recipient')}"
    return f"could not deliver an SMS to {data.get('recipient')}"


CALLERS = {WITHHELD: "a withheld number", UNKNOWN: "an unknown number"}


def call_message(data: Mapping[str, Any]) -> str:
    """``is ringing: a call from +49170... (ring 1)``, ``missed a call from ...``, ..."""
    caller = CALLERS.get(data.get("caller", UNKNOWN), data.get("caller"))
    rings = data.get("ring_count", 0)
    counted = "1 ring" if rings == 1 else f"{rings} rings"
    match data.get("state"):
        case "ringing":
            return f"is ringing: a call from {caller} (ring {rings})"
        case "missed":
            return f"missed a call from {caller} ({counted})"
        case "rejected":
            return f"rejected a call from {caller} after {counted}"
        case _:
            return f"lost a call from {caller} when the stick went away"


REFUSALS = {
    "incomplete": "parts of it are missing",
    "no_passphrase": "it does not start with the passphrase",
    "no_command": "there is no command after the passphrase",
    "sender_limit": "{limit} commands in the last hour are this sender's limit",
    "daily_limit": "{limit} commands in the last 24 hours are the limit of the stick",
}


def assist_message(data: Mapping[str, Any]) -> str:
    """``+49170... asked Assist: "turn on the light"; answered: "Turned on the light"``, ..."""
    sender = data.get("sender")
    asked = f'{sender} asked Assist: "{data.get("command")}"'
    match data.get("outcome"):
        case "answered":
            return f'{asked}; answered: "{data.get("answer")}"'
        case "not_sent":
            return f'{asked}; the answer "{data.get("answer")}" was not sent: {data.get("error")}'
        case "failed":
            return f"{asked}; Assist failed: {data.get('error')}"
        case _:
            why = REFUSALS.get(data.get("reason", ""), "refused").format(limit=data.get("limit"))
            return f"did not pass an SMS from {sender} to Assist: {why}"


DESCRIPTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    EVENT_SMS_RECEIVED: received_message,
    EVENT_SMS_DELIVERED: delivered_message,
    EVENT_CALL: call_message,
    EVENT_ASSIST: assist_message,
}


@callback
def async_describe_events(hass: HomeAssistant, async_describe_event: DescribeEvent) -> None:
    """Describe the SMS and call events of the sticks."""

    @callback
    def describe(event: Event) -> dict[str, str]:
        return {
            LOGBOOK_ENTRY_NAME: stick_name(hass, event.data.get(ATTR_DEVICE_ID)),
            LOGBOOK_ENTRY_MESSAGE: DESCRIPTIONS[str(event.event_type)](event.data),
        }

    for event_type in DESCRIPTIONS:
        async_describe_event(DOMAIN, event_type, describe)


def stick_name(hass: HomeAssistant, device_id: str | None) -> str:
    """The name the user gave the stick's device, else its own, else the integration's."""
    device = dr.async_get(hass).async_get(device_id) if device_id else None
    if device is None:
        return FALLBACK_NAME
    return device.name_by_user or device.name or FALLBACK_NAME
