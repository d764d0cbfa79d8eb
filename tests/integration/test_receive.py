"""Receiving SMS against the emulated stick: assembled, kept, fired once, then deleted."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.huawei_modem.const import (
    CONF_DELETE_RECEIVED,
    DOMAIN,
    EVENT_SMS_RECEIVED,
    MULTIPART_TIMEOUT,
)
from custom_components.huawei_modem.inbox import InboxRecord
from custom_components.huawei_modem.modem.errors import CmsError
from custom_components.huawei_modem.modem.inbox_rules import FIRED_KEYS_KEPT, Incoming
from custom_components.huawei_modem.modem.modem import Modem
from custom_components.huawei_modem.modem.pdu import SmsDeliver, decode_pdu
from emulator import EmulatedStick
from emulator.sms import Pdu, compose_deliver
from emulator.storage import REC_UNREAD, StoredMessage

from .conftest import DeleteTrap
from .helpers import change_options, device_id_of, until

SENDER = "+491701234567"
SENT_AT = datetime(2024, 5, 17, 13, 45, 30, tzinfo=UTC)
LONG_GSM = "Dies ist eine lange Nachricht mit Umlauten und €-Zeichen. " * 6  # 3 parts, 7-bit
LONG_UCS2 = "Привет! Встреча завтра в десять, не забудь отчёт. " * 4  # 3 parts, UCS-2
LONG_EMOJI = "Party 🎉🚀 tonight 😀👍 " * 8  # UCS-2 with surrogate pairs across part borders


async def settle(hass: HomeAssistant) -> None:
    """Let every pending read, write and delete finish (bytes cross real ptys)."""
    for _ in range(5):
        await asyncio.sleep(0.02)
        await hass.async_block_till_done()


async def later(hass: HomeAssistant, delta: timedelta) -> None:
    async_fire_time_changed(hass, dt_util.utcnow() + delta)
    await hass.async_block_till_done()


def parts_of(stick: EmulatedStick, text: str, sender: str = SENDER, **kwargs: Any) -> list[Pdu]:
    """The SMS-DELIVER parts the network would hand the stick, not delivered yet."""
    return compose_deliver(
        smsc=stick.device.smsc, sender=sender, text=text, timestamp=SENT_AT, reference=77, **kwargs
    )


def arrive(stick: EmulatedStick, pdu: Pdu) -> None:
    """One part lands in the SIM and the stick announces it (as the network would)."""
    index = stick.device.storage.memories["SM"].store(
        StoredMessage(pdu.hex, pdu.length, REC_UNREAD)
    )
    stick.send_unsolicited(f'+CMTI: "SM",{index}')


def text_of(pdu: Pdu) -> str:
    message = decode_pdu(pdu.hex)
    assert isinstance(message, SmsDeliver)
    return message.text


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload and set the entry up again: a new inbox reads its record from the storage."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


@pytest.fixture(name="ready_entry")
async def ready_entry_fixture(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> MockConfigEntry:
    """The stick's entry, set up, with the first listing of the SIM done."""
    await settle(hass)
    return loaded_entry


@pytest.fixture(name="received")
def received_fixture(hass: HomeAssistant) -> list[Event]:
    return async_capture_events(hass, EVENT_SMS_RECEIVED)


@pytest.fixture(name="keeping")
def keeping_fixture(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """The entry with deletion off: received messages stay on the SIM."""
    hass.config_entries.async_update_entry(entry, options={CONF_DELETE_RECEIVED: False})
    return entry


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
    await later(hass, timedelta(seconds=6))
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
    await later(hass, timedelta(seconds=6))
    await settle(hass)

    assert [event.data["text"] for event in received] == ["Keep me", LONG_UCS2]
    assert len(stick.stored_messages()) == 4


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
    await later(hass, timedelta(seconds=6))
    await until(hass, lambda: not stick.stored_messages())
    assert len(received) == 1


# --- parts that never complete --------------------------------------------------------------------


async def test_an_incomplete_message_is_delivered_after_the_timeout(
    hass: HomeAssistant, stick: EmulatedStick, ready_entry: MockConfigEntry, received: list[Event]
) -> None:
    first, second, third = parts_of(stick, LONG_GSM)
    arrive(stick, third)
    arrive(stick, first)
    await until(hass, lambda: not stick.stored_messages())

    await later(hass, MULTIPART_TIMEOUT - timedelta(minutes=1))
    await settle(hass)
    assert received == []
    await later(hass, MULTIPART_TIMEOUT + timedelta(minutes=1))
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
    await later(hass, MULTIPART_TIMEOUT + timedelta(minutes=1))
    await until(hass, lambda: len(received) == 1)
    assert received[0].data["incomplete"] is True

    await restart(hass, ready_entry)  # delivered means done: never fired again
    await later(hass, MULTIPART_TIMEOUT * 2)
    await settle(hass)
    assert len(received) == 1


# --- storage full ---------------------------------------------------------------------------------


def storage_issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"sms_storage_full_{entry.entry_id}")


async def test_a_full_storage_raises_a_repair_issue_that_clears_itself(
    hass: HomeAssistant, stick: EmulatedStick, keeping: MockConfigEntry, received: list[Event]
) -> None:
    stick.device.storage.memories["SM"].capacity = 3
    assert await hass.config_entries.async_setup(keeping.entry_id)
    for number in range(4):  # the fourth waits at the network
        stick.deliver_sms(SENDER, f"Message {number}")
    await until(hass, lambda: len(received) == 3)
    await later(hass, timedelta(seconds=31))  # the next status poll

    issue = storage_issue(hass, keeping)
    assert issue is not None
    assert issue.translation_key == "sms_storage_full_keeping"
    assert issue.translation_placeholders == {"title": "E3372", "used": "3", "total": "3"}

    await change_options(hass, keeping, **{CONF_DELETE_RECEIVED: True})
    # reloaded: the inbox deletes, the network delivers
    await until(hass, lambda: len(received) == 4 and not stick.stored_messages())
    await later(hass, timedelta(seconds=31))

    assert storage_issue(hass, keeping) is None
    assert received[3].data["text"] == "Message 3"


async def test_the_stick_saying_its_storage_is_full_raises_the_issue_at_once(
    hass: HomeAssistant, stick: EmulatedStick, keeping: MockConfigEntry, received: list[Event]
) -> None:
    stick.device.storage.memories["SM"].capacity = 3
    assert await hass.config_entries.async_setup(keeping.entry_id)
    for number in range(3):
        stick.deliver_sms(SENDER, f"Message {number}")
    await until(hass, lambda: len(received) == 3)
    assert storage_issue(hass, keeping) is None

    stick.deliver_sms(SENDER, "Message 3")  # does not fit: the stick says ^SMMEMFULL: "SM"
    await until(hass, lambda: storage_issue(hass, keeping) is not None)  # long before a poll

    issue = storage_issue(hass, keeping)
    assert issue is not None
    assert issue.translation_placeholders == {"title": "E3372", "used": "3", "total": "3"}


@pytest.mark.parametrize(
    ("notice", "sim_full"),
    [("^SMMEMFULL", True), ('^SMMEMFULL: "ME"', False)],
    ids=["memory-not-named", "another-memory"],
)
async def test_a_full_notice_naming_no_or_another_memory_asks_the_stick(
    hass: HomeAssistant,
    stick: EmulatedStick,
    ready_entry: MockConfigEntry,
    notice: str,
    sim_full: bool,
) -> None:
    memory = stick.device.storage.memories["SM"]
    memory.capacity = 2
    if sim_full:  # sent messages, which the inbox does not delete; no notice of them
        for _ in range(2):
            memory.store(StoredMessage("0011000B919471103254F60000AA0141", 15, 3))

    stick.send_unsolicited(notice)
    await settle(hass)

    assert (storage_issue(hass, ready_entry) is not None) is sim_full


async def test_a_full_storage_while_deleting_says_the_other_cause(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry
) -> None:
    memory = stick.device.storage.memories["SM"]
    memory.capacity = 2
    for _ in range(2):  # sent messages, which the inbox does not delete
        memory.store(StoredMessage("0011000B919471103254F60000AA0141", 15, 3))

    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)

    issue = storage_issue(hass, entry)
    assert issue is not None
    assert issue.translation_key == "sms_storage_full"


# --- the record -------------------------------------------------------------------------------


async def test_the_record_of_fired_messages_is_bounded_and_kept(hass: HomeAssistant) -> None:
    messages = [
        SmsDeliver(number=SENDER, text=str(number), encoding="gsm7", timestamp=SENT_AT)
        for number in range(FIRED_KEYS_KEPT + 1)
    ]
    record = InboxRecord(hass, "huawei_modem.inbox.test")
    for message in messages:
        assert record.accept(Incoming(message, ""), dt_util.utcnow()) is not None
    await record.async_save()

    reloaded = InboxRecord(hass, "huawei_modem.inbox.test")
    await reloaded.async_load()
    assert not reloaded.knows(messages[0])  # the oldest is forgotten first
    assert reloaded.knows(messages[1])
    assert reloaded.knows(messages[-1])
