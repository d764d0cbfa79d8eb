"""Stick management actions against the emulated stick: port profile, reset, modeswitch, admin."""

from __future__ import annotations

from functools import partial
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError, Unauthorized
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import CONF_DEVICE, DOMAIN
from custom_components.huawei_modem.modem.errors import (
    AtTimeoutError,
    UsbError,
)
from custom_components.huawei_modem.modem.modem import Modem
from custom_components.huawei_modem.modem.usb import DEFAULT_MESSAGE, StickMode, UsbStick
from emulator import EmulatedStick

from . import helpers
from .helpers import SWITCH_ERRORS, coordinator_of, device_id_of, later, state_of

ACTIONS = "custom_components.huawei_modem.actions.stick"
SWITCH = "custom_components.huawei_modem.modeswitch"
SIGNAL = "sensor.e3372_signal_strength"
DEFAULT_E3372 = "A1,A2;10,12,13,16,A1,A2"
STORAGE_STICK = UsbStick(0x12D1, 0x1F01, StickMode.STORAGE, 1, 4, None, "HUAWEI Mobile")
MODEM_STICK = UsbStick(0x12D1, 0x1506, StickMode.SERIAL_MODEM, 1, 5, "0123456789", "HUAWEI Mobile")


until = partial(helpers.until, limit=5.0)  # a switch and a restart take their time


async def call(
    hass: HomeAssistant,
    service: str,
    data: dict[str, Any],
    *,
    response: bool = False,
    context: Context | None = None,
) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response, context=context
    )


async def set_profile(
    hass: HomeAssistant, stick: EmulatedStick, profile: str, **extra: Any
) -> dict[str, Any]:
    data = {"device_id": device_id_of(hass), "profile": profile, **extra}
    result: dict[str, Any] = await call(hass, "set_port_profile", data, response=True)
    return result


async def back_after_reset(hass: HomeAssistant, stick: EmulatedStick) -> None:
    """The stick restarts, the entities go away, the coordinator reconnects."""
    await until(hass, lambda: state_of(hass, SIGNAL) == STATE_UNAVAILABLE)
    await stick.wait_plugged()
    await later(hass, 6)
    await until(hass, lambda: state_of(hass, SIGNAL) == "-71")


# --- port profile ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "pcui_interface"),
    [
        ("FF;12,10", "if00"),  # the old PCUI name now belongs to the modem port (answers AT too)
        ("FF;16,12", "if02"),  # NCM first: the PCUI moves to interface 2, the old name is gone
        ("FF;10,12", "if01"),  # same PCUI name, the CD-ROM phase and diag port gone
    ],
)
async def test_new_profile_resets_and_the_integration_follows_the_at_port(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    profile: str,
    pcui_interface: str,
) -> None:
    response = await set_profile(hass, stick, profile)

    assert response == {"previous": DEFAULT_E3372, "profile": profile, "reset": True}
    await back_after_reset(hass, stick)
    assert str(stick.device.active_profile) == profile
    pcui = str(stick.stable_paths["pcui"])
    assert pcui.endswith(f"-{pcui_interface}-port0")
    assert loaded_entry.data[CONF_DEVICE] == pcui
    assert coordinator_of(hass, loaded_entry).modem.url == pcui


async def test_the_previous_profile_can_be_restored(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    first = await set_profile(hass, stick, "FF;12,10")
    await back_after_reset(hass, stick)

    second = await set_profile(hass, stick, first["previous"])
    await back_after_reset(hass, stick)

    assert second["previous"] == "FF;12,10"
    assert str(stick.device.active_profile) == DEFAULT_E3372
    assert loaded_entry.data[CONF_DEVICE] == str(stick.stable_paths["pcui"])
    assert loaded_entry.data[CONF_DEVICE].endswith("-if01-port0")


async def test_without_reset_the_profile_is_stored_for_the_next_start(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    response = await set_profile(hass, stick, "FF;12,10", reset=False)

    assert response == {"previous": DEFAULT_E3372, "profile": "FF;12,10", "reset": False}
    assert str(stick.device.stored_profile) == "FF;12,10"
    assert str(stick.device.active_profile) == DEFAULT_E3372
    await later(hass, 31)
    assert state_of(hass, SIGNAL) == "-71"

    stick.replug()  # the next start: the new layout, found by the coordinator
    await later(hass, 6)
    await until(hass, lambda: loaded_entry.data[CONF_DEVICE].endswith("-if00-port0"))
    await until(hass, lambda: state_of(hass, SIGNAL) == "-71")


@pytest.mark.parametrize(
    ("stick_model", "profile", "key"),
    [
        ("E3372", "FF;10,13,16", "port_profile_without_at_port"),
        ("E3372", "A1,A2;10,16", "port_profile_without_at_port"),
        ("E3131", "FF;1,2,14", "port_profile_codes_not_listed"),
        ("E3372", "FF;10,12,99", "port_profile_codes_not_listed"),
        ("E3372", "10,12", "invalid_port_profile"),
        ("E303", "FF;1,3,2", "port_profiles_not_supported"),
    ],
)
async def test_unsafe_or_impossible_profiles_are_refused_before_anything_is_sent(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    profile: str,
    key: str,
) -> None:
    stored = stick.device.stored_profile

    with pytest.raises(ServiceValidationError) as raised:
        await set_profile(hass, stick, profile)

    assert raised.value.translation_domain == DOMAIN
    assert raised.value.translation_key == key
    assert stick.device.stored_profile == stored
    assert stick.plugged


async def test_a_profile_change_the_stick_refuses_is_reported_translated(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    refuse = AtTimeoutError('AT^SETPORT="FF;10,12"', 10)
    with (
        patch.object(Modem, "set_port_profile", autospec=True, side_effect=refuse),
        pytest.raises(HomeAssistantError) as raised,
    ):
        await set_profile(hass, stick, "FF;10,12")

    assert raised.value.translation_key == "port_profile_failed"
    assert state_of(hass, SIGNAL) == "-71"


async def test_the_stick_is_asked_for_its_port_codes_once_per_action(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    with patch.object(Modem, "_command", autospec=True, side_effect=Modem._command) as command:
        await set_profile(hass, stick, "FF;10,12", reset=False)

    asked = [call.args[1] for call in command.call_args_list]
    assert asked.count("AT^SETPORT=?") == 1


# --- reset ----------------------------------------------------------------------------------------


async def test_reset_action_brings_the_stick_back(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    before = loaded_entry.data[CONF_DEVICE]

    await call(hass, "reset", {"device_id": device_id_of(hass)})

    await back_after_reset(hass, stick)
    assert loaded_entry.data[CONF_DEVICE] == before


async def test_actions_need_a_loaded_stick(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    device_id = device_id_of(hass)
    await hass.config_entries.async_unload(loaded_entry.entry_id)

    with pytest.raises(ServiceValidationError) as not_loaded:
        await call(hass, "reset", {"device_id": device_id})
    with pytest.raises(ServiceValidationError) as unknown:
        await call(hass, "reset", {"device_id": "no-such-device"})

    assert not_loaded.value.translation_key == "stick_not_ready"
    assert unknown.value.translation_key == "unknown_device"


# --- admin only -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("set_port_profile", {"profile": "FF;12,10"}),
        ("reset", {}),
        ("modeswitch", {}),
    ],
)
async def test_management_actions_are_for_admins_only(
    hass: HomeAssistant,
    hass_read_only_user: Any,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    service: str,
    data: dict[str, Any],
) -> None:
    if service != "modeswitch":
        data = {**data, "device_id": device_id_of(hass)}
    switch = AsyncMock()

    with (
        patch(f"{SWITCH}.async_modeswitch", switch),
        pytest.raises(Unauthorized),
    ):
        await call(hass, service, data, context=Context(user_id=hass_read_only_user.id))

    switch.assert_not_called()
    assert str(stick.device.stored_profile) == DEFAULT_E3372
    assert state_of(hass, SIGNAL) == "-71"


async def test_an_admin_may_call_them(
    hass: HomeAssistant, hass_admin_user: Any, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    data = {"device_id": device_id_of(hass), "profile": "FF;10,12", "reset": False}

    result = await call(
        hass, "set_port_profile", data, response=True, context=Context(user_id=hass_admin_user.id)
    )

    assert result["profile"] == "FF;10,12"


# --- modeswitch -----------------------------------------------------------------------------------


async def test_modeswitch_finds_the_stick_in_cdrom_mode_and_returns_what_came_back(
    hass: HomeAssistant,
) -> None:
    switch = AsyncMock(return_value=MODEM_STICK)
    with (
        patch(f"{ACTIONS}.async_list_huawei_devices", AsyncMock(return_value=[STORAGE_STICK])),
        patch(f"{SWITCH}.async_modeswitch", switch),
    ):
        await _setup(hass)
        result = await call(hass, "modeswitch", {}, response=True)

    assert result == {"vid": "12d1", "pid": "1506", "mode": "serial_modem"}
    switch.assert_awaited_once_with(0x12D1, 0x1F01, message=DEFAULT_MESSAGE, bus=1, address=4)


async def test_modeswitch_with_ids_and_message(hass: HomeAssistant) -> None:
    message = "55534243123456780000000000000011063000000000010000000000000000"
    switch = AsyncMock(return_value=MODEM_STICK)
    await _setup(hass)
    with patch(f"{SWITCH}.async_modeswitch", switch):
        await call(hass, "modeswitch", {"vid": "12D1", "pid": "0x14fe", "message": message})

    switch.assert_awaited_once_with(0x12D1, 0x14FE, message=message, bus=None, address=None)


@pytest.mark.parametrize(("error", "key"), SWITCH_ERRORS)
async def test_modeswitch_errors_are_translated(
    hass: HomeAssistant, error: UsbError, key: str
) -> None:
    await _setup(hass)
    with (
        patch(f"{SWITCH}.async_modeswitch", AsyncMock(side_effect=error)),
        pytest.raises(HomeAssistantError) as raised,
    ):
        await call(hass, "modeswitch", {"pid": "1f01"})

    assert raised.value.translation_key == key
    assert not isinstance(raised.value, ServiceValidationError)


@pytest.mark.parametrize(
    ("data", "sticks", "key"),
    [
        ({"message": "5553"}, [STORAGE_STICK], "invalid_switch_message"),
        ({}, [MODEM_STICK], "no_stick_in_storage_mode"),
    ],
)
async def test_modeswitch_refuses_before_touching_the_bus(
    hass: HomeAssistant, data: dict[str, Any], sticks: list[UsbStick], key: str
) -> None:
    switch = AsyncMock()
    await _setup(hass)
    with (
        patch(f"{ACTIONS}.async_list_huawei_devices", AsyncMock(return_value=sticks)),
        patch(f"{SWITCH}.async_modeswitch", switch),
        pytest.raises(ServiceValidationError) as raised,
    ):
        await call(hass, "modeswitch", data)

    assert raised.value.translation_key == key
    switch.assert_not_called()


async def _setup(hass: HomeAssistant) -> None:
    """The integration without a stick: its actions only."""
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
