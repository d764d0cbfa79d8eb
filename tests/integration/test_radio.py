"""The radio in Home Assistant: the network-mode select of each model, and the cell sensors
(disabled by default) that follow the stick from cell to cell."""

from __future__ import annotations

from dataclasses import replace
from unittest.mock import patch

import pytest
from homeassistant.components.select import DOMAIN as SELECT_DOMAIN
from homeassistant.components.select import SERVICE_SELECT_OPTION
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, ATTR_OPTION
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.modem.errors import AtTimeoutError, NetworkModeNotOfferedError
from custom_components.huawei_modem.modem.modem import Modem
from emulator import EmulatedStick
from emulator.cell import move_cell

from .helpers import restart, state_of, until

OFFERED = {
    "E3372": ["automatic", "lte_only", "wcdma_only", "gsm_only"],
    "E3131": ["automatic", "gsm_preferred", "wcdma_preferred", "gsm_only", "wcdma_only"],
    "E303": ["automatic", "gsm_preferred", "wcdma_preferred", "gsm_only", "wcdma_only"],
}
CELL_SENSORS = ("sensor.{}_area_code", "sensor.{}_cell_id", "binary_sensor.{}_packet_data_attached")


def select_of(stick: EmulatedStick) -> str:
    return f"select.{stick.model.name.lower()}_network_mode"


async def select_mode(hass: HomeAssistant, stick: EmulatedStick, option: str) -> None:
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: select_of(stick), ATTR_OPTION: option},
        blocking=True,
    )


async def enable(hass: HomeAssistant, entry: MockConfigEntry, *entity_ids: str) -> None:
    """Enable entities as a user does (Home Assistant adds them after a reload)."""
    registry = er.async_get(hass)
    for entity_id in entity_ids:
        registry.async_update_entity(entity_id, disabled_by=None)
    await restart(hass, entry)


@pytest.mark.parametrize("stick_model", ["E3372", "E3131", "E303"])
async def test_the_select_offers_what_the_firmware_lists(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    state = hass.states.get(select_of(stick))
    assert state is not None
    assert state.attributes["options"] == OFFERED[stick.model.name]
    assert state.state == "automatic"
    entry = er.async_get(hass).async_get(select_of(stick))
    assert entry is not None
    assert entry.translation_key == "network_mode"


RADIO_OF = {"wcdma_only": "wcdma", "gsm_only": "gsm", "gsm_preferred": "gsm"}


@pytest.mark.parametrize(
    ("stick_model", "option"),
    [
        ("E3372", "wcdma_only"),
        ("E3372", "gsm_only"),
        ("E3131", "gsm_only"),
        ("E303", "gsm_preferred"),
    ],
)
async def test_selecting_a_mode_changes_the_radio(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry, option: str
) -> None:
    radio = RADIO_OF[option]
    network_type = f"sensor.{stick.model.name.lower()}_network_type"
    assert state_of(hass, network_type) != radio
    await select_mode(hass, stick, option)
    assert state_of(hass, select_of(stick)) == option
    await until(hass, lambda: state_of(hass, network_type) == radio)


@pytest.mark.parametrize("stick_model", ["E303"])
async def test_an_older_stick_pushes_its_mode_in_its_own_codes(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    """The E303's ``^MODE`` uses ``^SYSINFO``'s codes: back to 3G shows 3G at once."""
    network_type = "sensor.e303_network_type"
    await select_mode(hass, stick, "gsm_only")
    await until(hass, lambda: state_of(hass, network_type) == "gsm")
    await select_mode(hass, stick, "automatic")
    await until(hass, lambda: state_of(hass, network_type) == "wcdma")


@pytest.mark.parametrize("stick_model", ["E303"])
async def test_no_select_without_syscfg_or_syscfgex(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry
) -> None:
    model = stick.device.model
    stick.device.model = replace(model, huawei_commands=model.huawei_commands - {"^SYSCFG"})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(select_of(stick)) is None
    assert hass.states.get("sensor.e303_network_type") is not None


async def test_a_stick_that_fails_to_list_its_modes_is_still_set_up(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry
) -> None:
    with patch.object(Modem, "network_modes", side_effect=AtTimeoutError("AT^SYSCFGEX=?", 1.0)):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(select_of(stick)) is None  # set up again later (not ready)
    assert hass.states.get("sensor.e3372_network_type") is not None


NOT_OFFERED = NetworkModeNotOfferedError("gsm_only", ())


@pytest.mark.parametrize(
    ("failure", "kind", "key"),
    [
        (NOT_OFFERED, ServiceValidationError, "network_mode_not_offered"),
        (AtTimeoutError("AT^SYSCFGEX?", 1.0), HomeAssistantError, "network_mode_failed"),
    ],
)
async def test_a_refused_change_is_a_translated_error(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    failure: Exception,
    kind: type[HomeAssistantError],
    key: str,
) -> None:
    with (
        patch.object(Modem, "set_network_mode", side_effect=failure),
        pytest.raises(kind) as raised,
    ):
        await select_mode(hass, stick, "gsm_only")
    assert raised.value.translation_key == key
    assert state_of(hass, select_of(stick)) == "automatic"


# --- cells --------------------------------------------------------------------------------------


@pytest.mark.parametrize("stick_model", ["E3372", "E3131", "E303"])
async def test_cell_sensors_start_disabled(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    registry = er.async_get(hass)
    for pattern in CELL_SENSORS:
        entity = registry.async_get(pattern.format(stick.model.name.lower()))
        assert entity is not None
        assert entity.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        assert hass.states.get(entity.entity_id) is None


@pytest.mark.parametrize(
    ("stick_model", "area_code"),
    [("E3372", 0x5E6F), ("E3131", 0x3C4D)],  # the E3372 is on LTE: its tracking area
)
async def test_enabled_cell_sensors_follow_the_stick(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry, area_code: int
) -> None:
    area, cell, attached = (pattern.format(stick.model.name.lower()) for pattern in CELL_SENSORS)
    await enable(hass, loaded_entry, area, cell, attached)
    assert state_of(hass, area) == str(0x1A2B)
    assert state_of(hass, cell) == str(0x01C3D4E5)
    assert state_of(hass, attached) == "on"

    move_cell(stick.device, 0x3C4D, 0x0000BEEF, 0x5E6F)  # pushed: no poll needed
    await until(hass, lambda: state_of(hass, cell) == str(0xBEEF))
    assert state_of(hass, area) == str(area_code)


@pytest.mark.parametrize("stick_model", ["E3372", "E3131"])
async def test_the_network_time_where_the_stick_tells_it(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    network_time = f"sensor.{stick.model.name.lower()}_network_time"
    await enable(hass, loaded_entry, network_time)
    told = dt_util.parse_datetime(state_of(hass, network_time))
    assert told is not None
    assert abs((dt_util.utcnow() - told).total_seconds()) < 60


@pytest.mark.parametrize("stick_model", ["E303"])
async def test_no_network_time_from_a_zone_alone(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    await select_mode(hass, stick, "gsm_only")  # registers again: +CTZV, a zone without a time
    await hass.async_block_till_done()
    assert er.async_get(hass).async_get("sensor.e303_network_time") is None
