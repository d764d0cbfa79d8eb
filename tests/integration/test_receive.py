"""Receiving SMS against the emulated stick: assembled, kept, fired once, then deleted.

Crashes and restarts: test_receive_crashes.py; a full SIM: test_receive_storage.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.core import Event, HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import CONF_DELETE_RECEIVED, MULTIPART_TIMEOUT
from custom_components.huawei_modem.inbox import InboxRecord, SmsInbox
from custom_components.huawei_modem.modem.errors import AtTimeoutError
from custom_components.huawei_modem.modem.inbox_rules import FIRED_KEYS_KEPT, Incoming
from custom_components.huawei_modem.modem.modem import Modem
from custom_components.huawei_modem.modem.pdu import SmsDeliver, decode_pdu
from emulator import EmulatedStick
from emulator.sms import Pdu
from emulator.storage import StoredMessage

from .helpers import (
    LONG_GSM,
    SENDER,
    SENT_AT,
    arrive,
    device_id_of,
    fire_timers,
    parts_of,
    restart,
    settle,
    until,
)

LONG_UCS2 = "Привет! Встреча завтра в десять, не забудь отчёт. " * 4  # 3 parts, UCS-2
LONG_EMOJI = "Party 🎉🚀 tonight 😀👍 " * 8  # UCS-2 with surrogate pairs across part borders


def text_of(pdu: Pdu) -> str:
    message = decode_pdu(pdu.hex)
    assert isinstance(message, SmsDeliver)
    return message.text


# --- a message arrives ----------------------------------------------------------------------------


async def test_a_new_sms_fires_one_event_and_is_deleted(
    hass: HomeAssistant, stick: EmulatedStick, ready_entry: MockConfigEntry, received: list[Event]
) -> None:
    stick.deliver_sms(SENDER, "Hallo Welt", timestamp=SENT_AT)
    await until(hass, lambda: len(received) == 1 and not stick.stored_messages())

    assert received[0].data == {
        "device_id": device_id_of(hass),
        "sender": SENDER,
        "text": "Hallo Welt",
        "timestamp": "2024-05-17T13:45:30+00:00",
        "parts": 1,
        "parts_expected": 1,
        "incomplete": False,
        "flash": False,
    }


@pytest.mark.parametrize(
    ("sender", "text", "encoding", "part_order"),
    [
        (SENDER, LONG_GSM, "auto", None),
        (SENDER, LONG_UCS2, "auto", None),
        (SENDER, LONG_EMOJI, "auto", None),
        (SENDER, "Plain words sent as UCS-2 on purpose. " * 4, "ucs2", None),
        ("MyBank", "Your code is 4711. " * 10, "auto", None),
        ("Vodafone", LONG_UCS2, "auto", (3, 1, 2)),
        (SENDER, LONG_EMOJI, "auto", (3, 1, 2)),
    ],
    ids=["gsm7", "ucs2", "emoji", "forced-ucs2", "alphanumeric", "out-of-order", "emoji-shuffled"],
)
async def test_long_messages_are_assembled_first(
    hass: HomeAssistant,
    stick: EmulatedStick,
    ready_entry: MockConfigEntry,
    received: list[Event],
    sender: str,
    text: str,
    encoding: str,
    part_order: tuple[int, ...] | None,
) -> None:
    parts = len(stick.deliver_sms(sender, text, encoding=encoding, part_order=part_order))
    assert parts > 1
    await until(hass, lambda: len(received) == 1 and not stick.stored_messages())
    await settle(hass)

    assert len(received) == 1
    event = received[0].data
    assert (event["sender"], event["text"]) == (sender, text)
    assert (event["parts"], event["parts_expected"], event["incomplete"]) == (parts, parts, False)


async def test_flash_sms_says_so(
    hass: HomeAssistant, stick: EmulatedStick, ready_entry: MockConfigEntry, received: list[Event]
) -> None:
    stick.deliver_sms(SENDER, "Read me now", flash=True)
    await until(hass, lambda: len(received) == 1)
    assert received[0].data["flash"] is True


async def test_messages_on_the_sim_at_start_are_picked_up(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry, received: list[Event]
) -> None:
    stick.deliver_sms(SENDER, "Sent while Home Assistant was down")
    stick.deliver_sms("+4930123456", LONG_GSM)
    assert len(stick.stored_messages()) == 4

    assert await hass.config_entries.async_setup(entry.entry_id)
    await until(hass, lambda: len(received) == 2 and not stick.stored_messages())

    assert [event.data["text"] for event in received] == [
        "Sent while Home Assistant was down",
        LONG_GSM,
    ]


async def test_messages_missed_while_unplugged_are_picked_up_after_the_replug(
    hass: HomeAssistant, stick: EmulatedStick, ready_entry: MockConfigEntry, received: list[Event]
) -> None:
    stick.unplug()
    await settle(hass)
    stick.deliver_sms(SENDER, "Nobody heard the notice")
    stick.replug()
    await fire_timers(hass, timedelta(seconds=6))
    await until(hass, lambda: len(received) == 1 and not stick.stored_messages())

    assert received[0].data["text"] == "Nobody heard the notice"


async def test_pushed_messages_never_stored_on_the_stick_fire_too(
    hass: HomeAssistant, stick: EmulatedStick, ready_entry: MockConfigEntry, received: list[Event]
) -> None:
    for pdu in parts_of(stick, LONG_GSM):
        stick.send_unsolicited(f"+CMT: ,{pdu.length}", pdu.hex)
    await until(hass, lambda: len(received) == 1)
    assert received[0].data["text"] == LONG_GSM


async def test_what_is_not_a_received_sms_is_left_alone(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry, received: list[Event]
) -> None:
    memory = stick.device.storage.memories["SM"]
    memory.store(StoredMessage("0011000B919471103254F60000AA0141", 15, 2))  # a stored SUBMIT
    memory.store(StoredMessage("07911326040000F0040B911346610089F60000208062917314", 99, 0))

    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)

    assert received == []
    assert len(stick.stored_messages()) == 2


# --- deletion -------------------------------------------------------------------------------------


async def test_with_deletion_off_messages_stay_and_fire_once_across_restarts(
    hass: HomeAssistant, stick: EmulatedStick, keeping: MockConfigEntry, received: list[Event]
) -> None:
    assert await hass.config_entries.async_setup(keeping.entry_id)
    stick.deliver_sms(SENDER, "Keep me")
    stick.deliver_sms(SENDER, LONG_UCS2)
    await until(hass, lambda: len(received) == 2)

    await restart(hass, keeping)
    stick.replug()
    await fire_timers(hass, timedelta(seconds=6))
    await settle(hass)

    assert [event.data["text"] for event in received] == ["Keep me", LONG_UCS2]
    assert len(stick.stored_messages()) == 4


@pytest.fixture(name="deletes", params=[True, False], ids=["deleting", "keeping"])
def deletes_fixture(
    request: pytest.FixtureRequest, hass: HomeAssistant, entry: MockConfigEntry
) -> bool:
    """The entry, deleting received SMS from the SIM or keeping them there."""
    deletes: bool = request.param
    hass.config_entries.async_update_entry(entry, options={CONF_DELETE_RECEIVED: deletes})
    return deletes


async def test_two_identical_sms_in_the_same_second_are_two_messages(
    hass: HomeAssistant,
    stick: EmulatedStick,
    entry: MockConfigEntry,
    received: list[Event],
    deletes: bool,
) -> None:
    """Twice "Tür auf" from one sender, same time stamp: two events, and none again later."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    stick.deliver_sms(SENDER, "Tür auf", timestamp=SENT_AT)
    await until(hass, lambda: len(received) == 1)
    await settle(hass)
    stick.deliver_sms(SENDER, "Tür auf", timestamp=SENT_AT)  # where the first was, if deleted
    stick.deliver_sms(SENDER, "Tür auf", timestamp=SENT_AT)
    await until(hass, lambda: len(received) == 3)

    await restart(hass, entry)
    await settle(hass)
    assert [event.data["text"] for event in received] == ["Tür auf"] * 3
    assert len(stick.stored_messages()) == (0 if deletes else 3)


# --- parts that never complete --------------------------------------------------------------------


async def test_an_incomplete_message_is_delivered_after_the_timeout(
    hass: HomeAssistant, stick: EmulatedStick, ready_entry: MockConfigEntry, received: list[Event]
) -> None:
    first, second, third = parts_of(stick, LONG_GSM)
    arrive(stick, third)
    arrive(stick, first)
    await until(hass, lambda: not stick.stored_messages())

    await fire_timers(hass, MULTIPART_TIMEOUT - timedelta(minutes=1))
    await settle(hass)
    assert received == []
    await fire_timers(hass, MULTIPART_TIMEOUT + timedelta(minutes=1))
    await until(hass, lambda: len(received) == 1)

    event = received[0].data
    assert (event["parts"], event["parts_expected"], event["incomplete"]) == (2, 3, True)
    assert event["text"] == text_of(first) + text_of(third)
    assert LONG_GSM.startswith(text_of(first))
    assert LONG_GSM.endswith(text_of(third))


async def test_the_timeout_survives_a_restart(
    hass: HomeAssistant, stick: EmulatedStick, ready_entry: MockConfigEntry, received: list[Event]
) -> None:
    first, _ = parts_of(stick, "Zwei Teile. " * 20)
    arrive(stick, first)
    await until(hass, lambda: not stick.stored_messages())

    await restart(hass, ready_entry)
    await fire_timers(hass, MULTIPART_TIMEOUT + timedelta(minutes=1))
    await until(hass, lambda: len(received) == 1)
    assert received[0].data["incomplete"] is True

    await restart(hass, ready_entry)  # delivered means done: never fired again
    await fire_timers(hass, MULTIPART_TIMEOUT * 2)
    await settle(hass)
    assert len(received) == 1


# --- the record -------------------------------------------------------------------------------


async def test_the_record_of_fired_messages_is_bounded_and_kept(hass: HomeAssistant) -> None:
    messages = [
        SmsDeliver(number=SENDER, text=str(number), encoding="gsm7", timestamp=SENT_AT)
        for number in range(FIRED_KEYS_KEPT + 1)
    ]
    record = InboxRecord(hass, "huawei_modem.inbox.test")
    for index, message in enumerate(messages):
        assert record.accept(Incoming(message, "", index), dt_util.utcnow()) is not None
    await record.async_save()

    reloaded = InboxRecord(hass, "huawei_modem.inbox.test")
    await reloaded.async_load()
    assert not reloaded.knows(Incoming(messages[0], "", 0))  # the oldest is forgotten first
    assert reloaded.knows(Incoming(messages[1], "", 1))
    assert reloaded.knows(Incoming(messages[-1], "", FIRED_KEYS_KEPT))


async def test_a_listing_that_failed_is_tried_again_after_the_next_update(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry, received: list[Event]
) -> None:
    """A message left on the SIM is not forgotten because the listing at start-up failed."""
    stick.deliver_sms(SENDER, "Waiting since before the start")
    list_sms = Modem.list_sms
    failures = [AtTimeoutError("AT+CMGL=4", 10)]

    async def fail_once(modem: Modem, *args: Any) -> Any:
        if failures:
            raise failures.pop()
        return await list_sms(modem, *args)

    with patch.object(Modem, "list_sms", fail_once):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await settle(hass)
        assert received == []
        assert not failures
        await fire_timers(hass, timedelta(seconds=31))  # the next poll
        await until(hass, lambda: len(received) == 1 and not stick.stored_messages())
    assert received[0].data["text"] == "Waiting since before the start"


async def test_an_sms_whose_notice_was_lost_is_found_at_the_next_poll(
    hass: HomeAssistant,
    stick: EmulatedStick,
    entry: MockConfigEntry,
    received: list[Event],
    deletes: bool,
) -> None:
    """The stick's ``+CMTI`` was garbled: the poll sees the SIM hold more, and lists it."""
    with patch.object(SmsInbox, "_on_new_message"):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await settle(hass)
        stick.deliver_sms(SENDER, "Nobody told you")
        await settle(hass)
        assert received == []
        await fire_timers(hass, timedelta(seconds=31))  # the next poll
        await until(hass, lambda: len(received) == 1)
    assert received[0].data["text"] == "Nobody told you"
    assert len(stick.stored_messages()) == (0 if deletes else 1)
    await fire_timers(hass, timedelta(seconds=31))
    await settle(hass)
    assert len(received) == 1
