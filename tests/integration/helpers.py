"""Helpers the integration tests share: waiting on the event loop, states, devices, actions."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import MAJOR_VERSION, MINOR_VERSION
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import selector
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from serialx import SerialPortInfo

from custom_components.huawei_modem.const import DOMAIN
from custom_components.huawei_modem.coordinator import HuaweiModemCoordinator
from custom_components.huawei_modem.modem.errors import (
    ModeswitchTimeoutError,
    NoUsbBackendError,
    StickNotFoundError,
    UnexpectedModeError,
    UsbError,
    UsbPermissionError,
)
from custom_components.huawei_modem.modem.usb import UsbStick
from custom_components.huawei_modem.runtime import runtime_of
from emulator import EmulatedStick

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
