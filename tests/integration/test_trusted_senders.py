"""Trusted senders: the subentry flow that adds and changes them, the passphrase rule, and what
the logbook says about their commands."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.assist_sms import command_of
from custom_components.huawei_modem.const import SUBENTRY_RECIPIENT, SUBENTRY_TRUSTED_SENDER
from custom_components.huawei_modem.logbook import assist_message

from .helpers import stick_entry

ANNA = {"name": "Anna", "number": "+49 170 1234567", "commands_per_hour": 5}


async def start(hass: HomeAssistant, entry: MockConfigEntry, subentry_type: str) -> str:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, subentry_type), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    return str(result["flow_id"])


async def enter(hass: HomeAssistant, flow_id: str, fields: dict[str, Any]) -> Any:
    return await hass.config_entries.subentries.async_configure(flow_id, fields)


@pytest.fixture(name="stick_entry")
def stick_entry_fixture(hass: HomeAssistant) -> MockConfigEntry:
    """A stick's entry (not set up: the flows need no stick)."""
    return stick_entry(hass, "/dev/ttyUSB2")


# --- the flow -------------------------------------------------------------------------------------


async def test_a_trusted_sender_keeps_its_number_normalised_and_its_settings(
    hass: HomeAssistant, stick_entry: MockConfigEntry
) -> None:
    flow_id = await start(hass, stick_entry, SUBENTRY_TRUSTED_SENDER)
    fields = ANNA | {"passphrase": "  Open Sesame ", "agent_id": "conversation.home_assistant"}

    result = await enter(hass, flow_id, fields | {"language": "de"})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Anna"
    assert result["data"] == {
        "number": "+491701234567",
        "passphrase": "Open Sesame",
        "commands_per_hour": 5,
        "agent_id": "conversation.home_assistant",
        "language": "de",
    }


async def test_no_passphrase_no_agent_and_no_language_are_the_defaults(
    hass: HomeAssistant, stick_entry: MockConfigEntry
) -> None:
    flow_id = await start(hass, stick_entry, SUBENTRY_TRUSTED_SENDER)

    result = await enter(hass, flow_id, ANNA)

    assert result["data"] == {"number": "+491701234567", "passphrase": "", "commands_per_hour": 5}


async def test_a_number_is_trusted_once_but_may_also_be_a_recipient(
    hass: HomeAssistant, stick_entry: MockConfigEntry
) -> None:
    recipient = ANNA | {"flash": False, "delivery_report": False}
    recipient.pop("commands_per_hour")
    await enter(hass, await start(hass, stick_entry, SUBENTRY_RECIPIENT), recipient)
    await enter(hass, await start(hass, stick_entry, SUBENTRY_TRUSTED_SENDER), ANNA)
    flow_id = await start(hass, stick_entry, SUBENTRY_TRUSTED_SENDER)

    taken = await enter(hass, flow_id, ANNA | {"number": "+491701234567"})
    invalid = await enter(hass, flow_id, ANNA | {"number": "Anna's phone", "name": " "})
    recovered = await enter(hass, flow_id, ANNA | {"name": "Ben", "number": "+491517654321"})

    assert taken["errors"] == {"number": "number_taken"}
    assert invalid["errors"] == {"number": "invalid_number", "name": "no_name"}
    assert recovered["type"] is FlowResultType.CREATE_ENTRY


async def test_changing_a_trusted_sender_shows_and_keeps_what_it_has(
    hass: HomeAssistant, stick_entry: MockConfigEntry
) -> None:
    fields = ANNA | {"passphrase": "Sesame"}
    await enter(hass, await start(hass, stick_entry, SUBENTRY_TRUSTED_SENDER), fields)
    [anna] = stick_entry.subentries.values()
    result = await hass.config_entries.subentries.async_init(
        (stick_entry.entry_id, SUBENTRY_TRUSTED_SENDER),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": anna.subentry_id},
    )
    shown = {
        key: (key.description or {}).get("suggested_value") for key in result["data_schema"].schema
    }
    assert shown["passphrase"] == "Sesame"

    result = await enter(hass, result["flow_id"], fields | {"commands_per_hour": 2.0})

    assert result["reason"] == "reconfigure_successful"
    assert dict(stick_entry.subentries[anna.subentry_id].data) == {
        "number": "+491701234567",
        "passphrase": "Sesame",
        "commands_per_hour": 2,
    }


# --- the passphrase -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "passphrase", "command"),
    [
        ("Sesame turn on the light", "Sesame", "turn on the light"),
        ("  sESAME:  turn on the light ", " Sesame ", "turn on the light"),
        ("open sesame, lights off", "Open Sesame", "lights off"),
        ("Sesame", "Sesame", ""),
        ("Sesameturn on the light", "Sesame", None),
        ("turn on the light", "Sesame", None),
        ("Hello, turn on the light", "Sesame", None),
        ("Sesam turn on the light", "Sesame", None),
        ("", "Sesame", None),
        (" turn on the light ", "", "turn on the light"),
        ("Straße: Licht an", "STRASSE", None),  # compared as typed, letter by letter
        ("Straße: Licht an", "straße", "Licht an"),
    ],
)
def test_the_command_is_what_follows_the_passphrase(
    text: str, passphrase: str, command: str | None
) -> None:
    assert command_of(text, passphrase) == command


# --- the logbook --------------------------------------------------------------------------------

SENDER = "+491701234567"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"outcome": "answered", "command": "lights on", "answer": "Turned on the light"},
            f'{SENDER} asked Assist: "lights on"; answered: "Turned on the light"',
        ),
        (
            {"outcome": "not_sent", "command": "lights on", "answer": "Done", "error": "away"},
            f'{SENDER} asked Assist: "lights on"; the answer "Done" was not sent: away',
        ),
        (
            {"outcome": "failed", "command": "lights on", "error": "Agent x not found"},
            f'{SENDER} asked Assist: "lights on"; Assist failed: Agent x not found',
        ),
        (
            {"outcome": "refused", "reason": "incomplete"},
            f"did not pass an SMS from {SENDER} to Assist: parts of it are missing",
        ),
        (
            {"outcome": "refused", "reason": "no_command"},
            f"did not pass an SMS from {SENDER} to Assist: "
            "there is no command after the passphrase",
        ),
        (
            {"outcome": "refused", "reason": "daily_limit", "limit": 20},
            f"did not pass an SMS from {SENDER} to Assist: "
            "20 commands in the last 24 hours are the limit of the stick",
        ),
    ],
)
def test_the_logbook_tells_the_command_and_the_answer(data: dict[str, Any], message: str) -> None:
    assert assist_message({"sender": SENDER} | data) == message
