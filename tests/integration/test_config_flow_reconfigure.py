"""The flows of a configured stick: reauth (the PIN), reconfigure (the port) and the options.

Every error path ends by recovering to an updated entry.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import (
    CONF_ASSIST_COMMANDS_PER_DAY,
    CONF_DELETE_RECEIVED,
    CONF_DEVICE,
    CONF_MAX_PARTS_PER_HOUR,
    CONF_MAX_PARTS_PER_MESSAGE,
    CONF_PIN,
    CONF_REJECT_CALLS_AFTER,
    CONF_SCAN_INTERVAL,
    CONF_SHOW_SMS_TEXT,
    DOMAIN,
)
from emulator import EmulatedStick

from .helpers import PIN, enter_pin, pick, stick_entry, suggested_port

pytestmark = pytest.mark.usefixtures("_flow_machine")


# --- reauth -------------------------------------------------------------------------------------


async def start_reauth(hass: HomeAssistant, entry: MockConfigEntry) -> ConfigFlowResult:
    entry.async_start_reauth(hass)
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    return flows[0]


@pytest.mark.parametrize("stick_pin", [PIN])
async def test_reauth_asks_for_the_pin_and_keeps_it(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    entry = stick_entry(hass, str(stick.stable_paths["pcui"]))
    flow = await start_reauth(hass, entry)
    flow_id = flow["flow_id"]
    result = await hass.config_entries.flow.async_configure(flow_id)
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["attempts_left"] == "3"

    result = await enter_pin(hass, flow_id, "0000")
    assert result["errors"] == {"base": "wrong_pin"}
    assert result["description_placeholders"]["attempts_left"] == "2"

    result = await enter_pin(hass, flow_id, PIN)
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data == {CONF_DEVICE: str(stick.stable_paths["pcui"]), CONF_PIN: PIN}


async def test_reauth_without_the_stick_then_with_it(
    hass: HomeAssistant, stick: EmulatedStick, tmp_path: Path
) -> None:
    port = tmp_path / "usb-HUAWEI_MOBILE_HUAWEI_MOBILE-if01-port0"
    entry = stick_entry(hass, str(port))
    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_PIN: "0000"})
    flow_id = (await start_reauth(hass, entry))["flow_id"]
    result = await hass.config_entries.flow.async_configure(flow_id)
    assert result["description_placeholders"]["attempts_left"] == "?"

    result = await enter_pin(hass, flow_id, PIN)
    assert result["errors"] == {"base": "cannot_connect"}

    os.symlink(stick.ports["pcui"], port)
    result = await enter_pin(hass, flow_id, PIN)
    assert result["reason"] == "reauth_successful"
    assert entry.data == {CONF_DEVICE: str(port)}  # the SIM asked for no PIN: none is kept


# --- reconfigure --------------------------------------------------------------------------------


async def start_reconfigure(hass: HomeAssistant, entry: MockConfigEntry) -> ConfigFlowResult:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": "reconfigure", "entry_id": entry.entry_id}
    )
    assert result["type"] == FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    return result


async def test_reconfigure_moves_the_entry_to_the_stick_s_at_port(
    hass: HomeAssistant, stick: EmulatedStick, tmp_path: Path
) -> None:
    entry = stick_entry(hass, "/dev/ttyUSB2")
    result = await start_reconfigure(hass, entry)
    assert suggested_port(result) == "/dev/ttyUSB2"

    result = await pick(hass, result["flow_id"], str(tmp_path / "ttyUSB7"))
    assert result["errors"] == {"base": "cannot_connect"}

    result = await pick(hass, result["flow_id"], str(stick.stable_paths["diag"]))
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {CONF_DEVICE: str(stick.stable_paths["pcui"])}


async def test_reconfigure_keeps_a_port_of_the_same_stick(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    modem_port = str(stick.stable_paths["modem"])
    entry = stick_entry(hass, modem_port)
    result = await start_reconfigure(hass, entry)
    result = await pick(hass, result["flow_id"], str(stick.stable_paths["pcui"]))
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {CONF_DEVICE: modem_port}


async def test_reconfigure_to_another_stick_is_refused(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    entry = stick_entry(hass, "/dev/ttyUSB2", unique_id="866000000000000")
    result = await start_reconfigure(hass, entry)
    result = await pick(hass, result["flow_id"], str(stick.stable_paths["pcui"]))
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "wrong_device"


# --- options ------------------------------------------------------------------------------------


async def test_options(hass: HomeAssistant) -> None:
    entry = stick_entry(hass, "/dev/ttyUSB2")
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] == FlowResultType.FORM
    assert result["data_schema"]({}) == {
        CONF_SCAN_INTERVAL: 30,
        CONF_DELETE_RECEIVED: True,
        CONF_SHOW_SMS_TEXT: True,
        CONF_REJECT_CALLS_AFTER: 0,
        CONF_MAX_PARTS_PER_MESSAGE: 10,
        CONF_MAX_PARTS_PER_HOUR: 60,
        CONF_ASSIST_COMMANDS_PER_DAY: 20,
    }

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_SCAN_INTERVAL: 120.0,
            CONF_DELETE_RECEIVED: False,
            CONF_SHOW_SMS_TEXT: False,
            CONF_REJECT_CALLS_AFTER: 2.0,
            CONF_MAX_PARTS_PER_MESSAGE: 4,
            CONF_MAX_PARTS_PER_HOUR: 30,
            CONF_ASSIST_COMMANDS_PER_DAY: 5.0,
        },
    )

    assert result["type"] == FlowResultType.CREATE_ENTRY
    assert entry.options == {
        CONF_SCAN_INTERVAL: 120,
        CONF_DELETE_RECEIVED: False,
        CONF_SHOW_SMS_TEXT: False,
        CONF_REJECT_CALLS_AFTER: 2,
        CONF_MAX_PARTS_PER_MESSAGE: 4,
        CONF_MAX_PARTS_PER_HOUR: 30,
        CONF_ASSIST_COMMANDS_PER_DAY: 5,
    }
