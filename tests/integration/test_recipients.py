"""Recipients: a stick's contacts as config subentries, each a notify entity that sends SMS.

Every refused input ends by recovering to a recipient; every recipient is checked by what the
emulated stick sent.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER, ConfigSubentry
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import SUBENTRY_RECIPIENT
from emulator import EmulatedStick

from .helpers import STRINGS, rendered

ANNA = {"name": "Anna", "number": "+49 170 1234567", "flash": False, "delivery_report": False}
ANNA_NUMBER = "+491701234567"
ANNA_ENTITY = "notify.e3372_anna"  # the stick's device (named after the entry) and her name
BEN = {"name": "Ben", "number": "+491517654321", "flash": False, "delivery_report": False}


@pytest.fixture(autouse=True)
def _nothing_in_the_log(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Home Assistant reports deprecated use as warnings naming the integration: none here."""
    yield
    warnings = [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.WARNING
        and "huawei_modem" in record.getMessage()
        and "has not been tested by Home Assistant" not in record.getMessage()
    ]
    assert warnings == []


def form_error(key: str) -> str:
    """The English text of a recipient form's error (a key without one fails)."""
    strings = json.loads(STRINGS.read_text(encoding="utf-8"))
    text: str = strings["config_subentries"][SUBENTRY_RECIPIENT]["error"][key]
    return text


async def start_adding(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_RECIPIENT), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return str(result["flow_id"])


async def enter(hass: HomeAssistant, flow_id: str, fields: dict[str, Any]) -> Any:
    return await hass.config_entries.subentries.async_configure(flow_id, fields)


async def add_recipient(
    hass: HomeAssistant, entry: MockConfigEntry, fields: dict[str, Any]
) -> ConfigSubentry:
    result = await enter(hass, await start_adding(hass, entry), fields)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    return next(s for s in entry.subentries.values() if s.title == fields["name"].strip())


async def start_changing(hass: HomeAssistant, entry: MockConfigEntry, subentry_id: str) -> Any:
    return await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_RECIPIENT),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": subentry_id},
    )


async def send(hass: HomeAssistant, entity_id: str, message: str, **extra: Any) -> None:
    await hass.services.async_call(
        "notify", "send_message", {"entity_id": entity_id, "message": message, **extra}, True
    )


def sent(stick: EmulatedStick) -> list[tuple[str, str]]:
    return [(message.number, message.text) for message in stick.sent]


def device_of_entity(hass: HomeAssistant, entity_id: str) -> dr.DeviceEntry:
    registered = er.async_get(hass).async_get(entity_id)
    assert registered is not None
    assert registered.device_id is not None
    device = dr.async_get(hass).async_get(registered.device_id)
    assert device is not None
    return device


def suggested(result: Any, field: str) -> Any:
    key = next(key for key in result["data_schema"].schema if key == field)
    return key.description["suggested_value"]


# --- adding a recipient ---------------------------------------------------------------------------


async def test_a_recipient_is_a_notify_entity_that_sends_to_its_number(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    anna = await add_recipient(hass, loaded_entry, ANNA)

    assert dict(anna.data) == {"number": ANNA_NUMBER, "flash": False, "delivery_report": False}
    registered = er.async_get(hass).async_get(ANNA_ENTITY)
    assert registered is not None
    assert (registered.config_entry_id, registered.config_subentry_id) == (
        loaded_entry.entry_id,
        anna.subentry_id,
    )
    assert device_of_entity(hass, ANNA_ENTITY).name == "E3372 Anna"  # a device of her own
    assert hass.states.get(ANNA_ENTITY).state == STATE_UNKNOWN  # nothing sent yet

    await send(hass, ANNA_ENTITY, "Die Waschmaschine ist fertig 🎉", title="not sent")

    assert sent(stick) == [(ANNA_NUMBER, "Die Waschmaschine ist fertig 🎉")]
    assert hass.states.get(ANNA_ENTITY).state != STATE_UNKNOWN  # when it was last notified


async def test_a_recipient_s_sms_are_flash_and_ask_for_a_report_if_chosen(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    stick.sms.status_report_delay = 3600
    await add_recipient(hass, loaded_entry, ANNA | {"flash": True, "delivery_report": True})

    await send(hass, ANNA_ENTITY, "Alarm")

    [message] = stick.sent
    assert (message.message_class, message.status_report_requested) == (0, True)


async def test_each_recipient_is_its_own_entity(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    await add_recipient(hass, loaded_entry, ANNA)
    await add_recipient(hass, loaded_entry, BEN)

    await send(hass, "notify.e3372_ben", "Hallo Ben")
    await send(hass, ANNA_ENTITY, "Hallo Anna")

    assert sent(stick) == [("+491517654321", "Hallo Ben"), (ANNA_NUMBER, "Hallo Anna")]


@pytest.mark.parametrize(
    ("mistake", "field", "key"),
    [
        ({"number": "Mama"}, "number", "invalid_number"),
        ({"number": "+49 170 12345678901234567890"}, "number", "invalid_number"),
        ({"name": "   "}, "name", "no_name"),
    ],
)
async def test_a_mistake_is_explained_and_can_be_corrected(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    mistake: dict[str, str],
    field: str,
    key: str,
) -> None:
    flow_id = await start_adding(hass, loaded_entry)

    result = await enter(hass, flow_id, ANNA | mistake)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: key}
    assert form_error(key)
    assert loaded_entry.subentries == {}
    result = await enter(hass, flow_id, ANNA)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    await send(hass, ANNA_ENTITY, "Doch")
    assert sent(stick) == [(ANNA_NUMBER, "Doch")]


async def test_a_number_is_a_recipient_of_a_stick_once(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    await add_recipient(hass, loaded_entry, ANNA)
    flow_id = await start_adding(hass, loaded_entry)

    # the same number written another way
    result = await enter(hass, flow_id, BEN | {"number": "+491701234567"})

    assert result["errors"] == {"number": "number_taken"}
    assert form_error("number_taken")
    result = await enter(hass, flow_id, BEN)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(loaded_entry.subentries) == 2


# --- changing and removing -----------------------------------------------------------------------


async def test_changing_a_recipient_sends_to_the_new_number_under_the_same_entity_id(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    anna = await add_recipient(hass, loaded_entry, ANNA)
    await add_recipient(hass, loaded_entry, BEN)

    result = await start_changing(hass, loaded_entry, anna.subentry_id)
    assert result["step_id"] == "reconfigure"
    assert (suggested(result, "name"), suggested(result, "number")) == ("Anna", ANNA_NUMBER)
    result = await enter(hass, result["flow_id"], ANNA | {"number": BEN["number"]})
    assert result["errors"] == {"number": "number_taken"}  # Ben's
    result = await enter(
        hass, result["flow_id"], ANNA | {"name": "Anna (work)", "number": "0301234567"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()

    await send(hass, ANNA_ENTITY, "Neue Nummer")

    assert anna.title == "Anna (work)"
    assert sent(stick) == [("0301234567", "Neue Nummer")]
    assert hass.states.get(ANNA_ENTITY).name == "E3372 Anna (work)"
    assert device_of_entity(hass, ANNA_ENTITY).name == "E3372 Anna (work)"


async def test_a_recipient_may_keep_its_own_number(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    anna = await add_recipient(hass, loaded_entry, ANNA)

    result = await start_changing(hass, loaded_entry, anna.subentry_id)
    result = await enter(hass, result["flow_id"], ANNA | {"flash": True})

    assert result["reason"] == "reconfigure_successful"
    await send(hass, ANNA_ENTITY, "Blitz")
    [message] = stick.sent
    assert (message.number, message.message_class) == (ANNA_NUMBER, 0)


async def test_removing_a_recipient_removes_its_entity(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    anna = await add_recipient(hass, loaded_entry, ANNA)
    await add_recipient(hass, loaded_entry, BEN)
    anna_device = device_of_entity(hass, ANNA_ENTITY)

    assert hass.config_entries.async_remove_subentry(loaded_entry, anna.subentry_id)
    await hass.async_block_till_done()

    assert hass.states.get(ANNA_ENTITY) is None
    assert er.async_get(hass).async_get(ANNA_ENTITY) is None
    assert dr.async_get(hass).async_get(anna_device.id) is None
    await send(hass, "notify.e3372_ben", "Noch da")
    assert sent(stick) == [("+491517654321", "Noch da")]


# --- a stored recipient, a refused text ---------------------------------------------------------


async def test_stored_recipients_are_there_after_a_restart(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    entry = MockConfigEntry(
        domain="huawei_modem",
        unique_id=stick.device.identity.imei,
        title=stick.model.name,
        data={"device": str(stick.stable_paths["pcui"])},
        subentries_data=[
            {
                "data": {"number": ANNA_NUMBER, "flash": False, "delivery_report": False},
                "subentry_type": SUBENTRY_RECIPIENT,
                "title": "Anna",
                "unique_id": None,
            }
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    await send(hass, ANNA_ENTITY, "Guten Morgen")

    assert sent(stick) == [(ANNA_NUMBER, "Guten Morgen")]
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def test_a_text_too_long_for_an_sms_is_refused_as_by_send_sms(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    await add_recipient(hass, loaded_entry, ANNA)

    with pytest.raises(ServiceValidationError) as raised:
        await send(hass, ANNA_ENTITY, "x" * 160 * 256)

    assert raised.value.translation_key == "invalid_message"
    assert rendered(raised.value)
    assert stick.sent == []
