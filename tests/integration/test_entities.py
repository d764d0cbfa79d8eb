"""The entities of each emulated model: registry entries and states, as snapshots."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion
from syrupy.location import PyTestLocation

from emulator import EmulatedStick

from .helpers import HASS_RELEASE, device_of

RADIO_DETAILS = {"rsrp", "rsrq", "sinr", "rscp", "ecio"}
CELL_DETAILS = {"area_code", "cell_id", "network_time", "packet_attached"}
"""Location data and the like: disabled by default like the radio details."""


class SnapshotsOfThisRelease(HomeAssistantSnapshotExtension):
    """Registry entries and states as the installed release stores and prints them.

    Each release adds fields (2025.4 over 2024.x: ``config_subentry_id``, ``last_reported``,
    ``model_id``; 2026.10: ``config_entry_id``, ``object_id_base``, ``suggested_object_id``, lists
    for aliases) and prints state attribute keys its own way (enum members in 2026.10), so each
    release keeps its own file in ``snapshots-<release>/`` (beside ``snapshots/``, where syrupy
    would count the other releases' files as unused). What the integration decides (names,
    translation keys, classes, units, options, states) is the same in every one of them.
    """

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return f"{super().dirname(test_location=test_location)}-{HASS_RELEASE}"


@pytest.fixture(name="snapshot")
def snapshot_fixture(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(SnapshotsOfThisRelease)


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
    assert device_of(hass, loaded_entry) == snapshot(name="device")
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
        assert (registered.disabled_by is not None) == (key in RADIO_DETAILS | CELL_DETAILS)


async def test_radio_details_appear_when_the_stick_reports_them_later(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    stick.set_network("WCDMA")
    await asyncio.sleep(0.05)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=31))
    await hass.async_block_till_done()

    assert keys_of(hass, loaded_entry) >= {"rsrp", "rsrq", "sinr", "rscp", "ecio"}
