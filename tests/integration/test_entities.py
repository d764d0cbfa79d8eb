"""The entities of each emulated model: registry entries and states, as snapshots."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from syrupy.assertion import SnapshotAssertion

from custom_components.huawei_modem.const import DOMAIN
from emulator import EmulatedStick

RADIO_DETAILS = {"rsrp", "rsrq", "sinr", "rscp", "ecio"}


def keys_of(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """The description keys of the entry's entities (unique id: <IMEI>_<key>)."""
    return {
        registered.unique_id.partition("_")[2]
        for registered in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }


@pytest.mark.parametrize("stick_model", ["E3372", "E3131", "E303"])
async def test_entities_of_each_model(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, "866123045678901")})
    assert device == snapshot(name="device")
    registry = er.async_get(hass)
    registered = er.async_entries_for_config_entry(registry, loaded_entry.entry_id)
    for entity in sorted(registered, key=lambda entity: entity.entity_id):
        assert entity == snapshot(name=f"{entity.entity_id}-entry")
        assert hass.states.get(entity.entity_id) == snapshot(name=f"{entity.entity_id}-state")


@pytest.mark.parametrize(
    ("stick_model", "details"),
    [("E3372", {"rsrp", "rsrq", "sinr"}), ("E3131", {"rscp", "ecio"}), ("E303", set())],
)
async def test_radio_details_exist_only_where_reported_and_start_disabled(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, details: set[str]
) -> None:
    assert keys_of(hass, loaded_entry) & RADIO_DETAILS == details
    registry = er.async_get(hass)
    for registered in er.async_entries_for_config_entry(registry, loaded_entry.entry_id):
        key = registered.unique_id.partition("_")[2]
        assert (registered.disabled_by is not None) == (key in RADIO_DETAILS)


async def test_radio_details_appear_when_the_stick_reports_them_later(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    stick.set_network("WCDMA")
    await asyncio.sleep(0.05)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=31))
    await hass.async_block_till_done()

    assert keys_of(hass, loaded_entry) >= {"rsrp", "rsrq", "sinr", "rscp", "ecio"}
