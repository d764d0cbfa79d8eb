"""The send_ussd action against the emulated stick: answers, menus and the network's refusals."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from emulator import EmulatedStick

from .helpers import coordinator_of, device_id_of, rendered, service_response, until


async def send_ussd(hass: HomeAssistant, entry: MockConfigEntry, code: str) -> dict[str, Any]:
    return await service_response(
        hass, "send_ussd", {"device_id": device_id_of(hass, entry), "code": code}
    )


async def test_a_balance_check_answers_with_the_networks_text(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    assert await send_ussd(hass, loaded_entry, "*100#") == {
        "text": "Ihr Guthaben: 12,34 EUR",
        "needs_reply": False,
    }
    stick.set_ussd_answer("*135#", "Ihre Rufnummer: +4915112345678")
    assert (await send_ussd(hass, loaded_entry, "*135#"))["text"] == (
        "Ihre Rufnummer: +4915112345678"
    )


async def test_a_menu_is_answered_by_the_next_code(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    menu = await send_ussd(hass, loaded_entry, "*101#")
    assert menu == {"text": "1 Guthaben\n2 Tarif", "needs_reply": True}

    assert await send_ussd(hass, loaded_entry, "2") == {
        "text": "Tarif: Prepaid S",
        "needs_reply": False,
    }


async def test_a_code_the_network_does_not_know_is_an_error(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    with pytest.raises(HomeAssistantError) as raised:
        await send_ussd(hass, loaded_entry, "*999#")

    assert raised.value.translation_key == "ussd_no_answer"
    assert rendered(raised.value) == (
        "The network ended the USSD session of *999# without an answer."
    )


@pytest.mark.parametrize(
    ("unsolicited", "key"), [("+CUSD: 4", "ussd_not_supported"), ("+CUSD: 5", "ussd_timeout")]
)
async def test_the_network_saying_no_is_an_error(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    unsolicited: str,
    key: str,
) -> None:
    stick.device.ussd_delay = 3600  # the emulator's own answer never comes
    asking = asyncio.ensure_future(send_ussd(hass, loaded_entry, "*100#"))
    await asyncio.sleep(0.1)
    stick.send_unsolicited(unsolicited)

    with pytest.raises(HomeAssistantError) as raised:
        await asking

    assert raised.value.translation_key == key


async def test_no_answer_in_time_is_a_timeout(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    coordinator = coordinator_of(hass, loaded_entry)
    coordinator.modem._ussd_timeout = 0.2
    stick.device.ussd_delay = 3600

    with pytest.raises(HomeAssistantError) as raised:
        await send_ussd(hass, loaded_entry, "*100#")

    assert raised.value.translation_key == "ussd_timeout"
    assert rendered(raised.value) == "The network did not answer the USSD code *100# in time."


async def test_a_code_outside_the_gsm_alphabet_is_refused(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await send_ussd(hass, loaded_entry, "*100#😀")

    assert raised.value.translation_key == "invalid_ussd_code"


async def test_an_unplugged_stick_is_not_ready(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    coordinator = coordinator_of(hass, loaded_entry)
    stick.unplug()
    await until(hass, lambda: not coordinator.last_update_success)

    with pytest.raises(ServiceValidationError) as raised:
        await send_ussd(hass, loaded_entry, "*100#")

    assert raised.value.translation_key == "stick_not_ready"
