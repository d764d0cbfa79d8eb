"""Fixtures for the tests that run inside Home Assistant's test harness."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from unittest.mock import AsyncMock, patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from serialx import SerialPortInfo
from syrupy.assertion import SnapshotAssertion

from custom_components.huawei_modem.const import (
    CONF_DELETE_RECEIVED,
    CONF_DEVICE,
    CONF_PIN,
    DOMAIN,
    EVENT_SMS_RECEIVED,
)
from custom_components.huawei_modem.modem.discovery import find_at_port
from custom_components.huawei_modem.modem.modem import Modem
from custom_components.huawei_modem.modem.usb import UsbStick
from emulator import EmulatedStick

from .helpers import CONSOLE_PORT, OTHER_PORT, SERIAL_STICK, listed_port, machine_listing, settle

PROBE = "custom_components.huawei_modem.probe"


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


# --- the config flow (test_config_flow*.py use _flow_machine) ------------------------------------


@pytest.fixture(name="serial_ports")
def serial_ports_fixture(stick: EmulatedStick) -> list[SerialPortInfo]:
    """What the port listing returns: the console, a foreign USB port, then the stick's ttys."""
    return [CONSOLE_PORT, OTHER_PORT, *(listed_port(stick, role) for role in stick.ports)]


@pytest.fixture(name="usb_sticks")
def usb_sticks_fixture() -> list[UsbStick]:
    """Huawei devices on the USB bus (for the ones without a tty)."""
    return [SERIAL_STICK]


@pytest.fixture
def _flow_machine(serial_ports: list[SerialPortInfo], usb_sticks: list[UsbStick]) -> Iterator[None]:
    """The ports and USB devices the flow sees, short probes, no coordinator."""
    with (
        machine_listing(AsyncMock(return_value=serial_ports), AsyncMock(return_value=usb_sticks)),
        patch(f"{PROBE}.find_at_port", partial(find_at_port, probe_timeout=0.3)),
        patch("custom_components.huawei_modem.async_setup_entry", return_value=True),
        patch("custom_components.huawei_modem.async_unload_entry", return_value=True),
    ):
        yield


# --- receiving (test_receive*.py) ----------------------------------------------------------------


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
