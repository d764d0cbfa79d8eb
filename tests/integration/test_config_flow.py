"""The config flow against the emulated stick: port pick, PIN, USB discovery, reauth, reconfigure.

Every error path ends by recovering to a created (or updated) entry.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from homeassistant import config_entries
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import selector
from homeassistant.helpers.service_info.usb import UsbServiceInfo
from pytest_homeassistant_custom_component.common import MockConfigEntry
from serialx import SerialPortInfo

from custom_components.huawei_modem import modeswitch, ports
from custom_components.huawei_modem.const import (
    CONF_DELETE_RECEIVED,
    CONF_DEVICE,
    CONF_PIN,
    CONF_SCAN_INTERVAL,
    DOMAIN,
)
from custom_components.huawei_modem.modem.discovery import find_at_port
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

from .helpers import HASS_LISTS_SERIAL_PORTS, listed_port, machine_listing

PIN = "1234"
IMEI = "866123045678901"
PROBE = "custom_components.huawei_modem.probe"
PORTS = "custom_components.huawei_modem.ports"
STORAGE_STICK = UsbStick(0x12D1, 0x1F01, StickMode.STORAGE, 1, 4, None, "HUAWEI Mobile")
SERIAL_STICK = UsbStick(0x12D1, 0x1506, StickMode.SERIAL_MODEM, 1, 5, None, "HUAWEI Mobile")
# The real listings, before the autouse fixture below replaces them.
LIST_SERIAL_PORTS = ports.async_list_serial_ports
LIST_USB_STICKS = ports.async_list_usb_sticks
OTHER_PORT = SerialPortInfo(
    device="/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K1234-if00-port0",
    resolved_device="/dev/ttyUSB7",
    vid=0x0403,
    pid=0x6001,
    serial_number="A10K1234",
    manufacturer="FTDI",
    product="FT232R USB UART",
    bcd_device=None,
    interface_description=None,
    interface_num=None,
)


CONSOLE_PORT = SerialPortInfo(
    device="/dev/ttyS0",
    resolved_device="/dev/ttyS0",
    vid=None,
    pid=None,
    serial_number=None,
    manufacturer=None,
    product=None,
    bcd_device=None,
    interface_description=None,
    interface_num=None,
)


@pytest.fixture(name="serial_ports")
def serial_ports_fixture(stick: EmulatedStick) -> list[SerialPortInfo]:
    """What the port listing returns: the console, a foreign USB port, then the stick's ttys."""
    return [CONSOLE_PORT, OTHER_PORT, *(listed_port(stick, role) for role in stick.ports)]


@pytest.fixture(name="usb_sticks")
def usb_sticks_fixture() -> list[UsbStick]:
    """Huawei devices on the USB bus (for the ones without a tty)."""
    return [SERIAL_STICK]


@pytest.fixture(autouse=True)
def _machine(serial_ports: list[SerialPortInfo], usb_sticks: list[UsbStick]) -> Iterator[None]:
    """The ports and USB devices the flow sees, short probes, no coordinator."""
    with (
        machine_listing(AsyncMock(return_value=serial_ports), AsyncMock(return_value=usb_sticks)),
        patch(f"{PROBE}.find_at_port", partial(find_at_port, probe_timeout=0.3)),
        patch("custom_components.huawei_modem.async_setup_entry", return_value=True),
        patch("custom_components.huawei_modem.async_unload_entry", return_value=True),
    ):
        yield


async def start_user_flow(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] == FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return str(result["flow_id"])


async def pick(hass: HomeAssistant, flow_id: str, device: str) -> ConfigFlowResult:
    return await hass.config_entries.flow.async_configure(flow_id, {CONF_DEVICE: device})


async def enter_pin(hass: HomeAssistant, flow_id: str, pin: str) -> ConfigFlowResult:
    return await hass.config_entries.flow.async_configure(flow_id, {CONF_PIN: pin})


def assert_entry(result: ConfigFlowResult, stick: EmulatedStick, **extra: str) -> None:
    assert result["type"] == FlowResultType.CREATE_ENTRY
    assert result["title"] == "Huawei E3372"
    assert result["data"] == {CONF_DEVICE: str(stick.stable_paths["pcui"]), **extra}
    assert result["result"].unique_id == IMEI


def port_options(result: ConfigFlowResult) -> list[str]:
    selector = result["data_schema"].schema[CONF_DEVICE]
    return [option["value"] for option in selector.config["options"]]


def suggested_port(result: ConfigFlowResult) -> Any:
    key = next(key for key in result["data_schema"].schema if key == CONF_DEVICE)
    return key.description["suggested_value"]


def usb_discovery(device: str, pid: str = "1506") -> UsbServiceInfo:
    return UsbServiceInfo(
        device=device,
        vid="12D1",
        pid=pid,
        serial_number=None,
        manufacturer="HUAWEI",
        description="HUAWEI Mobile",
    )


async def discover(hass: HomeAssistant, device: str, pid: str = "1506") -> ConfigFlowResult:
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USB}, data=usb_discovery(device, pid)
    )


def stick_entry(hass: HomeAssistant, device: str, unique_id: str = IMEI) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=unique_id, title="Huawei E3372", data={CONF_DEVICE: device}
    )
    entry.add_to_hass(hass)
    return entry


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
    assert result["data_schema"]({}) == {CONF_SCAN_INTERVAL: 30, CONF_DELETE_RECEIVED: True}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 120.0, CONF_DELETE_RECEIVED: False}
    )

    assert result["type"] == FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_SCAN_INTERVAL: 120, CONF_DELETE_RECEIVED: False}


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
