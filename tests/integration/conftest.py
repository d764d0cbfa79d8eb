"""Fixtures for the tests that run inside Home Assistant's test harness."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.huawei_modem.const import CONF_DEVICE, CONF_PIN, DOMAIN
from custom_components.huawei_modem.modem.modem import Modem
from emulator import EmulatedStick


@pytest.fixture(autouse=True)
def _auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from this checkout."""


@pytest.fixture(name="snapshot")
def snapshot_fixture(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots as Home Assistant writes them (registry entries, states), in ``snapshots/``.

    The harness offers the same fixture, but depending on plugin order syrupy's own plain one
    can win (it does with the 2025.4 harness).
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture(name="stick_model")
def stick_model_fixture() -> str:
    """The emulated model; override in a module or parametrize indirectly."""
    return "E3372"


@pytest.fixture(name="stick_pin")
def stick_pin_fixture() -> str | None:
    """The emulated SIM's PIN (None: PIN check off); override to test the PIN step."""
    return None


@pytest.fixture(name="stick")
async def stick_fixture(
    tmp_path: Path, stick_model: str, stick_pin: str | None
) -> AsyncIterator[EmulatedStick]:
    """An emulated stick plugged in, with by-id style links in a temporary folder."""
    link_dir = tmp_path / "by-id"
    link_dir.mkdir(exist_ok=True)
    stick = EmulatedStick(stick_model, pin=stick_pin, link_dir=link_dir, reset_delay=0.2)
    async with stick:
        yield stick


@pytest.fixture(name="entry_pin")
def entry_pin_fixture() -> str | None:
    """The PIN stored in the config entry (None: none stored)."""
    return None


@pytest.fixture(name="entry")
async def entry_fixture(
    hass: HomeAssistant, stick: EmulatedStick, entry_pin: str | None
) -> AsyncIterator[MockConfigEntry]:
    """A config entry for the emulated stick, added to Home Assistant but not set up.

    Unloaded after the test, so no port, task or timer outlives it.
    """
    data = {CONF_DEVICE: str(stick.stable_paths["pcui"])}
    if entry_pin is not None:
        data[CONF_PIN] = entry_pin
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=stick.device.identity.imei, title=stick.model.name, data=data
    )
    entry.add_to_hass(hass)
    yield entry
    if entry.state in (ConfigEntryState.LOADED, ConfigEntryState.SETUP_RETRY):
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


@pytest.fixture(name="loaded_entry")
async def loaded_entry_fixture(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """The stick's config entry, set up."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


@dataclass
class DeleteTrap:
    """Deletes die with Home Assistant (cancelled) while ``armed``; the indexes tried."""

    armed: bool = True
    tried: list[int] = field(default_factory=list)


@pytest.fixture(name="crash_on_delete")
def crash_on_delete_fixture() -> Iterator[DeleteTrap]:
    trap = DeleteTrap()
    delete = Modem.delete_sms

    async def crash(modem: Modem, index: int) -> None:
        trap.tried.append(index)
        if trap.armed:
            raise asyncio.CancelledError
        await delete(modem, index)

    with patch.object(Modem, "delete_sms", autospec=True, side_effect=crash):
        yield trap
