"""A full SMS storage: a repair issue raised from the stick's notice or a poll, cleared again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import CONF_DELETE_RECEIVED, DOMAIN
from emulator import EmulatedStick
from emulator.storage import StoredMessage

from .helpers import SENDER, change_options, fire_timers, settle, until

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
    await fire_timers(hass, timedelta(seconds=31))  # the next status poll

    issue = storage_issue(hass, keeping)
    assert issue is not None
    assert issue.translation_key == "sms_storage_full_keeping"
    assert issue.translation_placeholders == {"title": "E3372", "used": "3", "total": "3"}

    await change_options(hass, keeping, **{CONF_DELETE_RECEIVED: True})
    # reloaded: the inbox deletes, the network delivers
    await until(hass, lambda: len(received) == 4 and not stick.stored_messages())
    await fire_timers(hass, timedelta(seconds=31))

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
