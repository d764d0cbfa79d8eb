"""The config flow started by USB discovery: one flow for all the ttys of a stick, moved sticks.

Every error path ends by recovering to a created (or updated) entry.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from unittest.mock import patch

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.huawei_modem.const import CONF_DEVICE, CONF_PIN
from custom_components.huawei_modem.modem.modem import Modem
from emulator import EmulatedStick

from .helpers import PIN, assert_entry, discover, enter_pin, stick_entry

pytestmark = pytest.mark.usefixtures("_flow_machine")


# --- USB discovery ------------------------------------------------------------------------------


@pytest.mark.parametrize("stick_pin", [PIN])
async def test_every_tty_of_a_stick_is_discovered_into_one_flow(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    results = await asyncio.gather(*(discover(hass, tty) for tty in stick.ports.values()))

    forms = [result for result in results if result["type"] == FlowResultType.FORM]
    assert len(forms) == 1
    assert sorted(result.get("reason", "") for result in results) == [
        "",
        "already_in_progress",
        "already_in_progress",
    ]
    assert forms[0]["step_id"] == "usb_confirm"
    assert forms[0]["description_placeholders"] == {
        "name": "Huawei E3372",
        "device": str(stick.stable_paths["pcui"]),
    }
    flow_id = forms[0]["flow_id"]
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["step_id"] == "pin"
    result = await enter_pin(hass, flow_id, PIN)
    assert_entry(result, stick, **{CONF_PIN: PIN})


async def test_a_moved_stick_updates_its_entry(hass: HomeAssistant, stick: EmulatedStick) -> None:
    entry = stick_entry(hass, "/dev/serial/by-id/usb-HUAWEI_old-if02-port0")
    result = await discover(hass, stick.ports["diag"])
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_DEVICE] == str(stick.stable_paths["pcui"])


async def test_the_port_of_a_configured_stick_is_left_alone(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    stick_entry(hass, str(stick.stable_paths["pcui"]))
    with patch.object(Modem, "open") as opened:
        result = await discover(hass, stick.ports["modem"])
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    opened.assert_not_called()


@pytest.mark.parametrize("serial_ports", [[]])
async def test_discovery_errors_abort(
    hass: HomeAssistant, stick: EmulatedStick, tmp_path: Path
) -> None:
    result = await discover(hass, stick.ports["diag"])
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "not_at_port"

    result = await discover(hass, str(tmp_path / "ttyUSB0"))
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"

    result = await discover(hass, stick.ports["pcui"])
    assert result["step_id"] == "usb_confirm"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] == FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_DEVICE: stick.ports["pcui"]}
