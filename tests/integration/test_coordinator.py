"""The coordinator against the emulated stick: pushes, polls, loss and reconnect, PIN after it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from unittest.mock import MagicMock, patch

import pytest
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import CONF_PIN, DOMAIN
from custom_components.huawei_modem.modem.errors import AtTimeoutError
from custom_components.huawei_modem.modem.models import NewMessageStored
from custom_components.huawei_modem.modem.modem import Modem
from emulator import EmulatedStick

from .helpers import coordinator_of, later, state_of, until

PIN = "1234"
SIGNAL = "sensor.e3372_signal_strength"
OPERATOR = "sensor.e3372_operator"
NETWORK_TYPE = "sensor.e3372_network_type"
SIM_STATE = "sensor.e3372_sim_state"
COORDINATOR_LOGGER = "custom_components.huawei_modem.coordinator"


def warnings_from_coordinator(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == COORDINATOR_LOGGER and record.levelno >= logging.WARNING
    ]


def recoveries(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == COORDINATOR_LOGGER and "recovered" in record.getMessage()
    ]


@pytest.fixture(name="start_reauth")
def start_reauth_fixture() -> Iterator[MagicMock]:
    """Home Assistant's reauth trigger, recorded (the reauth flow itself is the config flow's)."""
    with patch.object(ConfigEntry, "async_start_reauth", autospec=True) as start_reauth:
        yield start_reauth


async def test_pushed_signal_shows_without_waiting_for_a_poll(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    assert state_of(hass, SIGNAL) == "-71"
    stick.send_unsolicited("^BOOT:12345,0,0,0,77", "^DSFLOWRPT:00000001,0,0,0,0,0,0")

    stick.set_signal(rssi_dbm=-95, rsrp_dbm=-110)

    await until(hass, lambda: state_of(hass, SIGNAL) == "-95")
    signal = coordinator_of(hass, loaded_entry).data.status.signal
    assert (signal.rsrp_dbm, signal.csq) == (-110, 9)


async def test_pushed_mode_shows_the_new_network_type(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    assert state_of(hass, NETWORK_TYPE) == "lte"

    stick.set_network("WCDMA")

    await until(hass, lambda: state_of(hass, NETWORK_TYPE) == "wcdma")


async def test_pushes_do_not_hold_back_the_poll(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    stick.set_network(operator="Vodafone.de")  # pushes radio lines; the operator is only polled
    stick.set_signal(rssi_dbm=-80)
    await until(hass, lambda: state_of(hass, SIGNAL) == "-80")
    assert state_of(hass, OPERATOR) == "Telekom.de"

    await later(hass, 31)

    await until(hass, lambda: state_of(hass, OPERATOR) == "Vodafone.de")


async def test_unplugged_stick_is_unavailable_then_back_without_a_reload(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    coordinator = coordinator_of(hass, loaded_entry)

    stick.unplug()
    await until(hass, lambda: state_of(hass, SIGNAL) == STATE_UNAVAILABLE)
    for _ in range(3):  # reconnect attempts while the stick is away
        await later(hass, 6)
    assert len(warnings_from_coordinator(caplog)) == 1

    stick.replug()
    await later(hass, 6)
    await until(hass, lambda: state_of(hass, SIGNAL) == "-71")

    assert coordinator_of(hass, loaded_entry) is coordinator
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert len(warnings_from_coordinator(caplog)) == 1
    assert len(recoveries(caplog)) == 1
    assert coordinator.update_interval == coordinator.poll_interval


@pytest.mark.parametrize(("stick_pin", "entry_pin"), [(PIN, PIN)])
async def test_restart_button_brings_the_stick_back_unlocked_with_the_stored_pin(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    await hass.services.async_call(
        "button", "press", {ATTR_ENTITY_ID: "button.e3372_restart_stick"}, blocking=True
    )
    await until(hass, lambda: state_of(hass, SIGNAL) == STATE_UNAVAILABLE)

    await stick.wait_plugged()
    await later(hass, 6)
    await until(hass, lambda: state_of(hass, SIM_STATE) == "ready")

    assert stick.device.sim.pin_tries == 3
    assert loaded_entry.data[CONF_PIN] == PIN


@pytest.mark.parametrize(("stick_pin", "entry_pin"), [(PIN, PIN)])
async def test_pin_refused_after_a_replug_is_forgotten_and_not_sent_again(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    start_reauth: MagicMock,
) -> None:
    coordinator = coordinator_of(hass, loaded_entry)
    stick.device.sim.pin = "9999"  # changed in a phone meanwhile

    stick.replug()
    await until(hass, lambda: CONF_PIN not in loaded_entry.data)

    assert stick.device.sim.pin_tries == 2
    assert [call.args[0] for call in start_reauth.call_args_list] == [loaded_entry]
    assert state_of(hass, SIGNAL) == STATE_UNAVAILABLE
    stick.remove_sim()
    stick.insert_sim()  # SIM state pushes ask for a refresh: it must not send a PIN either
    for _ in range(3):
        await later(hass, 31)
    assert stick.device.sim.pin_tries == 2
    assert coordinator_of(hass, loaded_entry) is coordinator  # forgetting the PIN is no reload


async def test_missing_sim_raises_a_repair_issue_until_it_is_back(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    issue_id = f"sim_missing_{loaded_entry.entry_id}"
    issues = ir.async_get(hass)

    stick.remove_sim()
    await until(hass, lambda: state_of(hass, SIM_STATE) == "missing")
    assert issues.async_get_issue(DOMAIN, issue_id) is not None

    stick.insert_sim()
    await later(hass, 11)  # past the refresh debouncer's cooldown
    await until(hass, lambda: state_of(hass, SIM_STATE) == "ready")
    assert issues.async_get_issue(DOMAIN, issue_id) is None


@pytest.mark.parametrize(("stick_pin", "entry_pin"), [(PIN, PIN)])
async def test_pin_without_an_answer_is_forgotten_too(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry, start_reauth: MagicMock
) -> None:
    with patch.object(Modem, "unlock", autospec=True, side_effect=AtTimeoutError("AT+CPIN", 10)):
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert CONF_PIN not in entry.data
    assert [call.args[0] for call in start_reauth.call_args_list] == [entry]


async def test_restart_that_fails_is_reported_translated(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    with (
        patch.object(Modem, "reset", autospec=True, side_effect=AtTimeoutError("AT^RESET", 10)),
        pytest.raises(HomeAssistantError) as raised,
    ):
        await hass.services.async_call(
            "button", "press", {ATTR_ENTITY_ID: "button.e3372_restart_stick"}, blocking=True
        )

    assert raised.value.translation_domain == DOMAIN
    assert raised.value.translation_key == "restart_failed"
    assert state_of(hass, SIGNAL) == "-71"


async def test_restart_that_keeps_the_port_still_reconnects(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    async def close_instead(modem: Modem) -> None:
        await modem.close()

    with patch.object(Modem, "reset", autospec=True, side_effect=close_instead):
        await hass.services.async_call(
            "button", "press", {ATTR_ENTITY_ID: "button.e3372_restart_stick"}, blocking=True
        )
    await until(hass, lambda: state_of(hass, SIGNAL) == "-71")

    assert coordinator_of(hass, loaded_entry).modem.is_open


async def test_new_message_notices_reach_subscribers_across_a_replug(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    notices: list[NewMessageStored] = []
    coordinator = coordinator_of(hass, loaded_entry)
    unsubscribe = coordinator.modem.subscribe(NewMessageStored, notices.append)

    stick.deliver_sms("+491701234567", "Hallo")
    await until(hass, lambda: len(notices) == 1)
    stick.replug()
    await later(hass, 6)
    await until(hass, lambda: len(recoveries(caplog)) == 1)  # the immediate retry may do it
    stick.deliver_sms("+491701234567", "Wieder da")
    await until(hass, lambda: len(notices) == 2)

    unsubscribe()
    assert len(notices) == 2  # indexes may repeat: the inbox deletes each message once kept
