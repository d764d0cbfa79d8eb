"""Helpers the integration tests share: waiting on the event loop, states, devices, actions."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant import config_entries
from homeassistant.config_entries import ConfigEntry, ConfigEntryState, ConfigFlowResult
from homeassistant.const import MAJOR_VERSION, MINOR_VERSION
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import selector
from homeassistant.helpers.service_info.usb import UsbServiceInfo
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from serialx import SerialPortInfo

from custom_components.huawei_modem.const import CONF_DEVICE, CONF_PIN, DOMAIN
from custom_components.huawei_modem.coordinator import HuaweiModemCoordinator
from custom_components.huawei_modem.modem.errors import (
    ModeswitchTimeoutError,
    NoUsbBackendError,
    StickNotFoundError,
    UnexpectedModeError,
    UsbError,
    UsbPermissionError,
)
from custom_components.huawei_modem.modem.usb import StickMode, UsbStick
from custom_components.huawei_modem.runtime import runtime_of
from emulator import EmulatedStick
from emulator.sms import Pdu, compose_deliver
from emulator.storage import REC_UNREAD, StoredMessage

SWITCH_ERRORS: list[tuple[UsbError, str]] = [
    (UsbPermissionError("denied", "rule"), "usb_permission"),
    (NoUsbBackendError("no libusb"), "usb_no_backend"),
    (StickNotFoundError("gone"), "usb_stick_gone"),
    (ModeswitchTimeoutError("late", 20), "usb_switch_timeout"),
    (UnexpectedModeError("came back as HiLink", 0x12D1, 0x14DC), "usb_unexpected_mode"),
    (UsbError("libusb error"), "usb_failed"),
]
"""Each way a modeswitch can fail, and the translation key that explains it."""

HASS_RELEASE = f"{MAJOR_VERSION}.{MINOR_VERSION}"
"""The installed Home Assistant release, e.g. ``2025.4``."""

HASS_LISTS_SERIAL_PORTS = hasattr(selector, "SerialPortSelector")
"""Whether the installed release has the serial port selector (the frontend lists the ports)."""

STRINGS = Path(__file__).parents[2] / "custom_components" / "huawei_modem" / "strings.json"


async def until(hass: HomeAssistant, condition: Callable[[], bool], limit: float = 3.0) -> None:
    """Let the ptys and the event loop run until ``condition`` holds (bytes cross real ptys)."""
    async with asyncio.timeout(limit):
        while not condition():
            await asyncio.sleep(0.01)
            await hass.async_block_till_done()


async def later(hass: HomeAssistant, seconds: float) -> None:
    """Fire the timers due within ``seconds`` (polls, reconnect attempts) and let them run.

    A coordinator runs its timed refresh as a background task: waited for too.
    """
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
    await hass.async_block_till_done(wait_background_tasks=True)


def off_the_event_loop(
    switch: Callable[..., Awaitable[UsbStick]],
) -> Callable[..., Coroutine[Any, Any, UsbStick]]:
    """A fake modeswitch that, like the real one (libusb in an executor), yields to the event
    loop before it ends: a flow shows its progress before the switch is done."""

    async def switch_off_the_loop(*args: Any, **kwargs: Any) -> UsbStick:
        await asyncio.sleep(0)
        return await switch(*args, **kwargs)

    return switch_off_the_loop


async def change_options(hass: HomeAssistant, entry: ConfigEntry, **changes: Any) -> None:
    """Change options as the user does, through the options flow (which reloads the stick)."""
    flow = await hass.config_entries.options.async_init(entry.entry_id)
    defaults = {key.schema: key.default() for key in flow["data_schema"].schema}
    result = await hass.config_entries.options.async_configure(
        flow["flow_id"], {**defaults, **entry.options, **changes}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def coordinator_of(hass: HomeAssistant, entry: MockConfigEntry) -> HuaweiModemCoordinator:
    return runtime_of(entry).coordinator


def device_of(hass: HomeAssistant, entry: ConfigEntry | None = None) -> dr.DeviceEntry:
    """The device of the stick of ``entry`` (by default the only entry of the integration)."""
    if entry is None:
        (entry,) = hass.config_entries.async_entries(DOMAIN)
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    (device,) = (device for device in devices if (DOMAIN, entry.unique_id) in device.identifiers)
    return device


def device_id_of(hass: HomeAssistant, entry: ConfigEntry | None = None) -> str:
    return device_of(hass, entry).id


async def service_response(
    hass: HomeAssistant, service: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Call one of the integration's actions and return its response."""
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


def rendered(error: HomeAssistantError) -> str:
    """The English message of a translated error, as the frontend shows it."""
    assert error.translation_domain == DOMAIN
    exceptions = json.loads(STRINGS.read_text(encoding="utf-8"))["exceptions"]
    template: str = exceptions[error.translation_key]["message"]
    return template.format(**(error.translation_placeholders or {}))


def listed_port(stick: EmulatedStick, role: str) -> SerialPortInfo:
    """One of the stick's ttys as serialx lists it: by its stable name."""
    usb = stick.usb
    assert usb is not None
    interface = usb.interface_of(role)
    assert interface is not None
    return SerialPortInfo(
        device=str(stick.stable_paths[role]),
        resolved_device=stick.ports[role],
        vid=usb.vid,
        pid=usb.pid,
        serial_number=usb.serial,
        manufacturer="HUAWEI",
        product="HUAWEI Mobile",
        bcd_device=None,
        interface_description=None,
        interface_num=interface.number,
    )


LISTING_USERS = (
    "custom_components.huawei_modem.config_flow",
    "custom_components.huawei_modem.modeswitch",
)
"""The modules that list the machine's serial ports and USB sticks (ports.py's listings)."""


@contextmanager
def machine_listing(
    serial_ports: AsyncMock | None, usb_sticks: AsyncMock | None = None
) -> Iterator[None]:
    """The flows see these serial ports and USB sticks (None: the listing stays as it is)."""
    listings = {"async_list_serial_ports": serial_ports, "async_list_usb_sticks": usb_sticks}
    with ExitStack() as stack:
        for module in LISTING_USERS:
            for name, fake in listings.items():
                if fake is not None:
                    stack.enter_context(patch(f"{module}.{name}", fake))
        yield


# --- the config flow (test_config_flow*.py) ------------------------------------------------------

PIN = "1234"
IMEI = "866123045678901"
SERIAL_STICK = UsbStick(0x12D1, 0x1506, StickMode.SERIAL_MODEM, 1, 5, None, "HUAWEI Mobile")
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


# --- receiving (test_receive*.py) ----------------------------------------------------------------

SENDER = "+491701234567"
SENT_AT = datetime(2024, 5, 17, 13, 45, 30, tzinfo=UTC)
LONG_GSM = "Dies ist eine lange Nachricht mit Umlauten und €-Zeichen. " * 6  # 3 parts, 7-bit


async def settle(hass: HomeAssistant) -> None:
    """Let every pending read, write and delete finish (bytes cross real ptys)."""
    for _ in range(5):
        await asyncio.sleep(0.02)
        await hass.async_block_till_done()


async def fire_timers(hass: HomeAssistant, delta: timedelta) -> None:
    """Fire the timers due within ``delta`` and let them run (unlike ``later``, without waiting
    for background tasks)."""
    async_fire_time_changed(hass, dt_util.utcnow() + delta)
    await hass.async_block_till_done()


def parts_of(stick: EmulatedStick, text: str, sender: str = SENDER, **kwargs: Any) -> list[Pdu]:
    """The SMS-DELIVER parts the network would hand the stick, not delivered yet."""
    return compose_deliver(
        smsc=stick.device.smsc, sender=sender, text=text, timestamp=SENT_AT, reference=77, **kwargs
    )


def arrive(stick: EmulatedStick, pdu: Pdu) -> None:
    """One part lands in the SIM and the stick announces it (as the network would)."""
    index = stick.device.storage.memories["SM"].store(
        StoredMessage(pdu.hex, pdu.length, REC_UNREAD)
    )
    stick.send_unsolicited(f'+CMTI: "SM",{index}')


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload and set the entry up again: a new inbox reads its record from the storage."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
