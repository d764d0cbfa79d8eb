"""Text your house: SMS from a trusted sender go to Assist, the answer goes back by SMS.

Against the emulated stick, with Home Assistant's own Assist (the conversation and homeassistant
integrations set up) and two test lamps, one exposed to Assist and one not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components.conversation import ConversationResult
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.components.light import ColorMode, LightEntity
from homeassistant.config_entries import SOURCE_USER, ConfigSubentry
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    setup_test_component_platform,
)

from custom_components.huawei_modem.const import (
    CONF_ASSIST_COMMANDS_PER_DAY,
    CONF_MAX_PARTS_PER_MESSAGE,
    EVENT_ASSIST,
    EVENT_SMS_RECEIVED,
    SUBENTRY_TRUSTED_SENDER,
)
from custom_components.huawei_modem.logbook import assist_message
from custom_components.huawei_modem.modem.pdu import split_text
from emulator import EmulatedStick

from .helpers import device_id_of, settle, state_of, until

ANNA = "+491701234567"
BEN = "+491517654321"
KITCHEN = "light.kitchen_lamp"
CELLAR = "light.cellar_lamp"
CONVERSE = "custom_components.huawei_modem.assist_sms.conversation.async_converse"


class Lamp(LightEntity):
    """A lamp that only switches."""

    _attr_color_mode = ColorMode.ONOFF
    _attr_supported_color_modes = {ColorMode.ONOFF}  # noqa: RUF012
    _attr_should_poll = False
    _attr_is_on = False

    def __init__(self, name: str) -> None:
        self._attr_name = name
        self._attr_unique_id = name.lower().replace(" ", "_")

    async def async_turn_on(self, **kwargs: Any) -> None:
        self._attr_is_on = True
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._attr_is_on = False
        self.async_write_ha_state()


@pytest.fixture(name="house")
async def _house_fixture(hass: HomeAssistant) -> None:
    """Assist, a kitchen lamp exposed to it and a cellar lamp that is not."""
    assert await async_setup_component(hass, "homeassistant", {})
    setup_test_component_platform(hass, "light", [Lamp("Kitchen lamp"), Lamp("Cellar lamp")])
    assert await async_setup_component(hass, "light", {"light": {"platform": "test"}})
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()
    async_expose_entity(hass, "conversation", KITCHEN, True)
    async_expose_entity(hass, "conversation", CELLAR, False)


@pytest.fixture(name="received")
def received_fixture(hass: HomeAssistant) -> list[Event]:
    return async_capture_events(hass, EVENT_SMS_RECEIVED)


async def trust(
    hass: HomeAssistant, entry: MockConfigEntry, number: str = ANNA, **settings: Any
) -> ConfigSubentry:
    """Add a trusted sender through its subentry flow, as the user does."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_TRUSTED_SENDER), context={"source": SOURCE_USER}
    )
    fields = {"name": "Anna", "number": number, "commands_per_hour": 5} | settings
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], fields)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    return next(iter(s for s in entry.subentries.values() if s.data["number"] == number))


async def set_up_with(hass: HomeAssistant, entry: MockConfigEntry, options: dict[str, Any]) -> None:
    """Set the stick up with these options."""
    hass.config_entries.async_update_entry(entry, options=options)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)


@dataclass
class Phones:
    """Phones that text the stick, and what the stick answered them."""

    hass: HomeAssistant
    stick: EmulatedStick
    events: list[Event]
    """The ``huawei_modem_assist`` events."""

    async def text(self, sender: str, message: str) -> Event:
        """An SMS arrives; the ``huawei_modem_assist`` event it ends in (when it is done)."""
        count = len(self.events)
        self.stick.deliver_sms(sender, message)
        await until(self.hass, lambda: len(self.events) > count, limit=10)
        await settle(self.hass)
        return self.events[-1]

    def answers(self) -> list[tuple[str, str]]:
        return [(message.number, message.text) for message in self.stick.sent]


@pytest.fixture(name="phones")
def phones_fixture(hass: HomeAssistant, stick: EmulatedStick) -> Phones:
    return Phones(hass, stick, async_capture_events(hass, EVENT_ASSIST))


pytestmark = pytest.mark.usefixtures("house")


# --- what the issue asks -------------------------------------------------------------------------


async def test_a_trusted_sender_with_the_passphrase_turns_on_an_exposed_light(
    hass: HomeAssistant, ready_entry: MockConfigEntry, phones: Phones
) -> None:
    await trust(hass, ready_entry, passphrase="Open Sesame")

    done = await phones.text(ANNA, "  open SESAME: turn on the kitchen lamp")

    assert state_of(hass, KITCHEN) == STATE_ON
    [(number, answer)] = phones.answers()
    assert (number, answer) == (ANNA, "Turned on the light")
    assert done.data["outcome"] == "answered"
    assert (done.data["command"], done.data["answer"]) == ("turn on the kitchen lamp", answer)
    logbook_line = assist_message(done.data)
    assert logbook_line == f'{ANNA} asked Assist: "turn on the kitchen lamp"; answered: "{answer}"'
    assert "sesame" not in str(done.data).casefold()


async def test_without_the_passphrase_nothing_is_passed_on(
    hass: HomeAssistant, ready_entry: MockConfigEntry, phones: Phones
) -> None:
    await trust(hass, ready_entry, passphrase="Sesame")

    refused = await phones.text(ANNA, "Please turn on the kitchen lamp")
    run_on = await phones.text(ANNA, "sesameturn on the kitchen lamp")

    assert state_of(hass, KITCHEN) == STATE_OFF
    assert phones.answers() == []
    assert refused.data["reason"] == run_on.data["reason"] == "no_passphrase"
    assert "command" not in refused.data  # what it said may hold a wrong guess
    assert assist_message(refused.data) == (
        f"did not pass an SMS from {ANNA} to Assist: it does not start with the passphrase"
    )


async def test_another_number_is_never_passed_on_nor_answered(
    hass: HomeAssistant, ready_entry: MockConfigEntry, phones: Phones, received: list[Event]
) -> None:
    phones.stick.deliver_sms(ANNA, "turn on the kitchen lamp")  # no trusted sender at all: off
    await until(hass, lambda: len(received) == 1)
    await trust(hass, ready_entry, passphrase="Sesame")
    for sender in (BEN, "Sesame"):  # another number; a name, as a bank sends from
        phones.stick.deliver_sms(sender, "Sesame turn on the kitchen lamp")
    await until(hass, lambda: len(received) == 3)
    await settle(hass)

    assert state_of(hass, KITCHEN) == STATE_OFF
    assert phones.answers() == []
    assert phones.events == []


async def test_past_the_rate_limit_nothing_is_passed_on_or_answered(
    hass: HomeAssistant, ready_entry: MockConfigEntry, phones: Phones
) -> None:
    await trust(hass, ready_entry, commands_per_hour=2)
    await phones.text(ANNA, "turn on the kitchen lamp")
    await phones.text(ANNA, "turn off the kitchen lamp")

    with patch(CONVERSE) as converse:
        refused = await phones.text(ANNA, "Please turn on the kitchen lamp")

    converse.assert_not_called()
    assert state_of(hass, KITCHEN) == STATE_OFF
    assert len(phones.answers()) == 2
    assert (refused.data["reason"], refused.data["limit"]) == ("sender_limit", 2)
    assert assist_message(refused.data).endswith(
        "2 commands in the last hour are this sender's limit"
    )


async def test_an_entity_not_exposed_to_assist_cannot_be_touched(
    hass: HomeAssistant, ready_entry: MockConfigEntry, phones: Phones
) -> None:
    await trust(hass, ready_entry)

    done = await phones.text(ANNA, "turn on the cellar lamp")

    assert state_of(hass, CELLAR) == STATE_OFF
    [(number, answer)] = phones.answers()  # Assist says why, as it does to a voice command
    assert (number, answer) == (ANNA, "Sorry, Cellar lamp is not exposed")
    assert done.data["answer"] == answer


# --- limits, follow-ups, answers -----------------------------------------------------------------


async def test_the_stick_has_a_daily_cap_over_all_senders(
    hass: HomeAssistant, entry: MockConfigEntry, phones: Phones
) -> None:
    await set_up_with(hass, entry, {CONF_ASSIST_COMMANDS_PER_DAY: 1})
    await trust(hass, entry)
    await trust(hass, entry, BEN, name="Ben")

    await phones.text(ANNA, "turn on the kitchen lamp")
    refused = await phones.text(BEN, "turn off the kitchen lamp")

    assert state_of(hass, KITCHEN) == STATE_ON
    assert [number for number, _ in phones.answers()] == [ANNA]
    assert (refused.data["reason"], refused.data["limit"]) == ("daily_limit", 1)


async def test_each_sender_has_a_conversation_of_its_own(
    hass: HomeAssistant, ready_entry: MockConfigEntry, phones: Phones
) -> None:
    await trust(hass, ready_entry)
    await trust(hass, ready_entry, BEN, name="Ben", language="en")
    with patch(CONVERSE, return_value=_result("Done")) as converse:
        for sender in (ANNA, ANNA, BEN):
            await phones.text(sender, "turn on the kitchen lamp")

    first, follow_up, other = (call.args[2] for call in converse.call_args_list)
    assert first == follow_up != other
    assert [call.kwargs["language"] for call in converse.call_args_list] == [None, None, "en"]
    assert [call.args[3].user_id for call in converse.call_args_list] == [None] * 3  # no user


@pytest.mark.parametrize(
    ("options", "parts"), [({}, 3), ({CONF_MAX_PARTS_PER_MESSAGE: 1}, 1)], ids=["3", "guard"]
)
async def test_a_long_answer_is_cut_after_a_word_to_three_parts_or_what_the_guard_allows(
    hass: HomeAssistant, entry: MockConfigEntry, phones: Phones, options: dict[str, Any], parts: int
) -> None:
    await set_up_with(hass, entry, options)
    await trust(hass, entry)
    long_answer = "The kitchen lamp is on and the heating runs at twenty one degrees. " * 12

    with patch(CONVERSE, return_value=_result(long_answer)):
        done = await phones.text(ANNA, "how is the house")

    [(_, answer)] = phones.answers()
    kept = answer.removesuffix("...")
    assert long_answer.startswith(kept)
    assert long_answer[len(kept)] == " "  # cut after a whole word
    assert len(split_text(answer)[1]) == parts
    assert done.data["answer"] == answer


async def test_an_agent_that_is_gone_is_logged_and_nothing_is_sent(
    hass: HomeAssistant, ready_entry: MockConfigEntry, phones: Phones
) -> None:
    await trust(hass, ready_entry, agent_id="conversation.removed_agent")

    failed = await phones.text(ANNA, "turn on the kitchen lamp")

    assert failed.data["outcome"] == "failed"
    assert "removed_agent" in failed.data["error"]
    assert phones.answers() == []
    assert state_of(hass, KITCHEN) == STATE_OFF


@pytest.mark.parametrize(
    ("data", "reason"),
    [({"incomplete": True}, "incomplete"), ({"text": " Sesame : "}, "no_command")],
)
async def test_incomplete_and_empty_commands_are_refused(
    hass: HomeAssistant,
    ready_entry: MockConfigEntry,
    phones: Phones,
    data: dict[str, Any],
    reason: str,
) -> None:
    await trust(hass, ready_entry, passphrase="sesame")
    sms = {"device_id": device_id_of(hass), "sender": ANNA, "text": "Sesame lamp on"}

    hass.bus.async_fire(EVENT_SMS_RECEIVED, sms | {"incomplete": False} | data)
    await hass.async_block_till_done()

    [refused] = phones.events
    assert refused.data["reason"] == reason


# --- helpers -------------------------------------------------------------------------------------


def _result(speech: str) -> ConversationResult:
    response = intent.IntentResponse(language="en")
    response.async_set_speech(speech)
    return ConversationResult(response=response, conversation_id="ignored")


@pytest.fixture(autouse=True)
def _no_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Nothing of this reaches the log as a warning naming the integration."""
    yield
    assert not [
        record.getMessage()
        for record in caplog.records
        if record.levelname in {"WARNING", "ERROR"} and "huawei_modem" in record.getMessage()
    ]
