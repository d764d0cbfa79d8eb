"""Setting a stick up and taking it down: ready, not ready, PIN handling, options."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest.mock import MagicMock, patch

import pytest
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.huawei_modem.const import (
    CONF_DEVICE,
    CONF_PIN,
    CONF_SCAN_INTERVAL,
    DOMAIN,
    EVENT_SMS_RECEIVED,
)
from emulator import EmulatedStick

from .helpers import change_options, coordinator_of, device_of, until
from .test_send import send_sms

PIN = "1234"


@pytest.fixture(name="start_reauth")
def start_reauth_fixture() -> Iterator[MagicMock]:
    """Home Assistant's reauth trigger, recorded (the reauth flow itself is the config flow's)."""
    with patch.object(ConfigEntry, "async_start_reauth", autospec=True) as start_reauth:
        yield start_reauth


def reauth_started_for(start_reauth: MagicMock, entry: MockConfigEntry) -> bool:
    return any(call.args[0] is entry for call in start_reauth.call_args_list)


async def test_entry_loads_with_its_device_and_unloads(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    coordinator = coordinator_of(hass, loaded_entry)
    assert coordinator.modem.is_open
    device = device_of(hass, loaded_entry)
    assert (device.manufacturer, device.model) == ("Huawei", "E3372")

    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()

    assert loaded_entry.state is ConfigEntryState.NOT_LOADED
    assert not coordinator.modem.is_open
    assert hass.data.get(DOMAIN, {}) == {}


async def test_unplugged_stick_is_not_ready_then_set_up_once_back(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry
) -> None:
    stick.unplug()

    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert f"The stick does not answer at {entry.data[CONF_DEVICE]}" in (entry.reason or "")

    stick.replug()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=30))
    # The retried setup opens the port for real (the serial library waits after opening it).
    await until(hass, lambda: entry.state is ConfigEntryState.LOADED)


async def test_options_change_reloads_with_the_new_interval(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    before = coordinator_of(hass, loaded_entry)

    await change_options(hass, loaded_entry, **{CONF_SCAN_INTERVAL: 120})

    after = coordinator_of(hass, loaded_entry)
    assert after is not before
    assert after.update_interval == timedelta(seconds=120)
    assert not before.modem.is_open


@pytest.mark.parametrize(("stick_pin", "entry_pin"), [(PIN, PIN)])
async def test_stored_pin_unlocks_the_sim(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    assert hass.states.get("sensor.e3372_sim_state").state == "ready"
    assert loaded_entry.data[CONF_PIN] == PIN
    assert stick.device.sim.pin_tries == 3


@pytest.mark.parametrize(("stick_pin", "entry_pin"), [(PIN, "4321")])
async def test_refused_pin_is_forgotten_and_never_sent_again(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry, start_reauth: MagicMock
) -> None:
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert CONF_PIN not in entry.data
    assert stick.device.sim.pin_tries == 2
    assert reauth_started_for(start_reauth, entry)

    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert stick.device.sim.pin_tries == 2


@pytest.mark.parametrize("stick_pin", [PIN])
async def test_sim_asking_for_a_pin_without_one_stored_starts_reauth(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry, start_reauth: MagicMock
) -> None:
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert reauth_started_for(start_reauth, entry)
    assert stick.device.sim.pin_tries == 3


async def test_another_stick_at_the_port_is_an_error(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(entry, unique_id="350000000000000")

    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_ERROR


@pytest.mark.parametrize(("stick_pin", "entry_pin"), [(PIN, "4321")])
async def test_refused_pin_ends_in_the_reauth_flow_which_brings_the_entry_back(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry
) -> None:
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    flows = [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_REAUTH
    ]
    assert len(flows) == 1

    result = await hass.config_entries.flow.async_configure(flows[0]["flow_id"], {CONF_PIN: PIN})
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_PIN] == PIN
    assert entry.state is ConfigEntryState.LOADED
    assert stick.device.sim.pin_tries == 3


async def test_removing_the_entry_removes_what_its_inbox_and_outbox_kept(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
) -> None:
    other_stick = {"version": 1, "data": {"waiting": [], "fired": []}}
    hass_storage["huawei_modem.inbox.866000000000000"] = other_stick
    stick.sms.status_report_delay = 3600  # the outbox keeps the message until its report
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)
    stick.deliver_sms("+491701234567", "Kept by the inbox")
    await until(hass, lambda: len(received) == 1)
    await send_sms(hass, loaded_entry, number="+491701234567", message="Hi", delivery_report=True)
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)  # flushes the outbox
    kept = {f"huawei_modem.{box}.866123045678901" for box in ("inbox", "outbox")}
    assert kept <= hass_storage.keys()

    await hass.config_entries.async_remove(loaded_entry.entry_id)
    await hass.async_block_till_done()

    assert not kept & hass_storage.keys()
    assert hass_storage["huawei_modem.inbox.866000000000000"] == other_stick
