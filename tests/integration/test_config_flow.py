"""The config flow against the emulated stick: the port pick, sticks without an AT port, the PIN.

Every error path ends by recovering to a created entry. USB discovery: test_config_flow_usb.py;
reauth, reconfigure and options: test_config_flow_reconfigure.py.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from homeassistant import config_entries
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import selector
from serialx import SerialPortInfo

from custom_components.huawei_modem import modeswitch, ports
from custom_components.huawei_modem.const import CONF_DEVICE, CONF_PIN, DOMAIN
from custom_components.huawei_modem.modem.errors import (
    AtTimeoutError,
    ConnectionLostError,
    NoUsbBackendError,
    PinError,
)
from custom_components.huawei_modem.modem.models import SimState, SimStatus
from custom_components.huawei_modem.modem.modem import Modem
from custom_components.huawei_modem.modem.usb import StickMode, UsbStick
from emulator import EmulatedStick

from .helpers import (
    HASS_LISTS_SERIAL_PORTS,
    OTHER_PORT,
    PIN,
    SERIAL_STICK,
    assert_entry,
    discover,
    enter_pin,
    pick,
    start_user_flow,
    stick_entry,
    suggested_port,
)

pytestmark = pytest.mark.usefixtures("_flow_machine")

PORTS = "custom_components.huawei_modem.ports"
STORAGE_STICK = UsbStick(0x12D1, 0x1F01, StickMode.STORAGE, 1, 4, None, "HUAWEI Mobile")
# The real listings, before the _flow_machine fixture replaces them.
LIST_SERIAL_PORTS = ports.async_list_serial_ports
LIST_USB_STICKS = ports.async_list_usb_sticks


def port_options(result: ConfigFlowResult) -> list[str]:
    selector = result["data_schema"].schema[CONF_DEVICE]
    return [option["value"] for option in selector.config["options"]]


# --- user step ----------------------------------------------------------------------------------


async def test_any_port_of_the_stick_adds_it_by_its_at_port(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    port_selector = result["data_schema"].schema[CONF_DEVICE]
    if HASS_LISTS_SERIAL_PORTS:  # Home Assistant's selector: the frontend lists the ports
        assert isinstance(port_selector, selector.SerialPortSelector)
    else:  # our list: the stick's ports first
        options = port_options(result)
        assert options[:3] == sorted(str(path) for path in stick.stable_paths.values())
        assert options[3:] == [OTHER_PORT.device]

    result = await pick(hass, result["flow_id"], str(stick.stable_paths["diag"]))

    assert_entry(result, stick)


async def test_a_typed_tty_path_is_stored_by_the_stable_name(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    flow_id = await start_user_flow(hass)
    result = await pick(hass, flow_id, f" {stick.ports['modem']} ")
    assert_entry(result, stick)


@pytest.mark.usefixtures("socket_enabled")
async def test_a_stick_on_the_network(hass: HomeAssistant) -> None:
    async with EmulatedStick("E3372", tcp_port=0) as networked:
        assert networked.tcp_url is not None
        flow_id = await start_user_flow(hass)
        result = await pick(hass, flow_id, networked.tcp_url)
    assert result["type"] == FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_DEVICE: networked.tcp_url}


@pytest.mark.parametrize("serial_ports", [[OTHER_PORT]])
async def test_errors_are_shown_and_the_next_try_adds_the_stick(
    hass: HomeAssistant, stick: EmulatedStick, tmp_path: Path
) -> None:
    flow_id = await start_user_flow(hass)

    result = await pick(hass, flow_id, OTHER_PORT.device)  # listed, but not on this machine
    assert result["errors"] == {"base": "cannot_connect"}

    result = await pick(hass, flow_id, "usb:not-a-usb-id")  # typed, not picked
    assert result["errors"] == {"base": "cannot_connect"}

    result = await pick(hass, flow_id, stick.ports["diag"])  # answers, but not AT
    assert result["errors"] == {"base": "not_at_port"}
    assert suggested_port(result) == stick.ports["diag"]

    with patch.object(Modem, "identify", side_effect=AtTimeoutError("AT+CGMI", 5)):
        result = await pick(hass, flow_id, stick.ports["pcui"])
    assert result["errors"] == {"base": "cannot_connect"}

    with patch.object(Modem, "identify", side_effect=RuntimeError("bug")):
        result = await pick(hass, flow_id, stick.ports["pcui"])
    assert result["errors"] == {"base": "unknown"}

    result = await pick(hass, flow_id, str(stick.stable_paths["pcui"]))
    assert_entry(result, stick)


async def test_a_configured_stick_is_not_added_twice(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    entry = stick_entry(hass, "/dev/ttyUSB2")
    flow_id = await start_user_flow(hass)
    result = await pick(hass, flow_id, str(stick.stable_paths["modem"]))
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_DEVICE] == str(stick.stable_paths["pcui"])


# --- sticks without an AT port ------------------------------------------------------------------


@pytest.mark.parametrize("usb_sticks", [[STORAGE_STICK, SERIAL_STICK]])
async def test_a_stick_in_cdrom_mode_is_listed_and_offered_the_switch(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert port_options(result)[-1] == "usb:12d1:1f01"

    result = await pick(hass, result["flow_id"], "usb:12d1:1f01")

    # The switch itself: test_config_flow_modeswitch.py
    assert result["type"] == FlowResultType.FORM
    assert result["step_id"] == "modeswitch"


async def test_a_hilink_tty_is_explained(
    hass: HomeAssistant, serial_ports: list[SerialPortInfo]
) -> None:
    hilink = replace(OTHER_PORT, device="/dev/ttyACM0", vid=0x12D1, pid=0x14DC)
    serial_ports.append(hilink)
    flow_id = await start_user_flow(hass)
    result = await pick(hass, flow_id, "/dev/ttyACM0")
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "hilink_mode"


@pytest.mark.parametrize(("pid", "reason"), [("1F01", "storage_mode"), ("14DC", "hilink_mode")])
async def test_a_discovered_stick_without_at_port_is_explained(
    hass: HomeAssistant, pid: str, reason: str
) -> None:
    result = await discover(hass, "/dev/ttyUSB0", pid)
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == reason


# --- SIM ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("stick_pin", [PIN])
async def test_the_pin_step_shows_attempts_and_keeps_the_pin_that_worked(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    flow_id = await start_user_flow(hass)
    result = await pick(hass, flow_id, str(stick.stable_paths["pcui"]))
    assert result["step_id"] == "pin"
    assert result["description_placeholders"]["attempts_left"] == "3"

    result = await enter_pin(hass, flow_id, "12")
    assert result["errors"] == {"base": "invalid_pin"}
    assert stick.device.sim.pin_tries == 3

    result = await enter_pin(hass, flow_id, "0000")
    assert result["errors"] == {"base": "wrong_pin"}
    assert result["description_placeholders"]["attempts_left"] == "2"
    assert stick.device.sim.pin_tries == 2  # sent once, not retried

    with patch.object(Modem, "unlock", side_effect=ConnectionLostError("gone")):
        result = await enter_pin(hass, flow_id, PIN)
    assert result["errors"] == {"base": "cannot_connect"}

    result = await enter_pin(hass, flow_id, PIN)
    assert_entry(result, stick, **{CONF_PIN: PIN})


@pytest.mark.parametrize("stick_pin", [PIN])
async def test_the_last_wrong_pin_ends_the_flow_with_the_puk_explained(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    stick.device.sim.pin_tries = 1
    flow_id = await start_user_flow(hass)
    await pick(hass, flow_id, str(stick.stable_paths["pcui"]))
    result = await enter_pin(hass, flow_id, "0000")
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "puk_required"


@pytest.mark.parametrize("stick_pin", [PIN])
async def test_a_pin_refused_for_another_reason_ends_the_flow(
    hass: HomeAssistant, stick: EmulatedStick
) -> None:
    flow_id = await start_user_flow(hass)
    await pick(hass, flow_id, str(stick.stable_paths["pcui"]))
    with patch.object(Modem, "unlock", side_effect=PinError("PH-SIM PIN")):
        result = await enter_pin(hass, flow_id, PIN)
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "sim_not_ready"


@pytest.mark.parametrize(
    ("prepare", "reason"),
    [
        (lambda stick: setattr(stick.device.sim, "pin_tries", 0), "puk_required"),
        (EmulatedStick.remove_sim, "sim_missing"),
        (lambda stick: setattr(stick.device.sim, "puk_tries", 0), "sim_failure"),
    ],
)
async def test_a_sim_that_cannot_be_unlocked_is_explained(
    hass: HomeAssistant, stick: EmulatedStick, prepare: Any, reason: str
) -> None:
    prepare(stick)
    flow_id = await start_user_flow(hass)
    result = await pick(hass, flow_id, str(stick.stable_paths["pcui"]))
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == reason


async def test_a_busy_sim_is_explained(hass: HomeAssistant, stick: EmulatedStick) -> None:
    flow_id = await start_user_flow(hass)
    busy = AsyncMock(return_value=SimStatus(SimState.BUSY))
    with patch.object(Modem, "sim_status", busy):
        result = await pick(hass, flow_id, str(stick.stable_paths["pcui"]))
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "sim_not_ready"


# --- listing -------------------------------------------------------------------------------------


async def test_listing_ports_and_usb_sticks() -> None:
    with patch("serialx.async_list_serial_ports", AsyncMock(return_value=[OTHER_PORT])):
        assert await LIST_SERIAL_PORTS() == [OTHER_PORT]
    with patch(f"{PORTS}.async_list_huawei_devices", AsyncMock(return_value=[STORAGE_STICK])):
        assert await LIST_USB_STICKS() == [STORAGE_STICK]
    with patch(f"{PORTS}.async_list_huawei_devices", side_effect=NoUsbBackendError("no libusb")):
        assert await LIST_USB_STICKS() == []


@pytest.mark.parametrize(
    ("port_serial", "stick_serial", "belongs"),
    [("ABC", "ABC", True), ("ABC", "XYZ", False), (None, "XYZ", True), ("ABC", None, True)],
)
def test_a_port_belongs_to_a_switched_stick_by_ids_and_serial(
    port_serial: str | None, stick_serial: str | None, belongs: bool
) -> None:
    port = replace(OTHER_PORT, vid=0x12D1, pid=0x1506, serial_number=port_serial)
    stick = replace(SERIAL_STICK, serial_number=stick_serial)
    assert modeswitch.belongs_to(port, stick) is belongs
    assert not modeswitch.belongs_to(replace(port, pid=0x1001), stick)
