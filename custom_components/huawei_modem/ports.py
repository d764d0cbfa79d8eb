"""The port step's choices: the serial ports of this machine and the sticks without one."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final

import serialx
from homeassistant.helpers.selector import (
    SelectOptionDict,
    Selector,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
from serialx import SerialPortInfo

from .compat import serial_port_selector
from .const import MANUFACTURER
from .modem.errors import UsbError
from .modem.usb import HUAWEI_VID, StickMode, UsbStick, async_list_huawei_devices

_LOGGER = logging.getLogger(__name__)

USB_CHOICE_PREFIX: Final = "usb:"
"""Port list value of a stick without a tty (CD-ROM or HiLink mode): ``usb:12d1:1f01``."""
NO_AT_PORT_MODES: Final = frozenset({StickMode.STORAGE, StickMode.HILINK})


async def async_list_serial_ports() -> list[SerialPortInfo]:
    """The serial ports of this machine, by stable name where udev gives one."""
    return await serialx.async_list_serial_ports()


async def async_list_usb_sticks() -> list[UsbStick]:
    """Huawei sticks on the USB bus, to tell about the ones without a tty (CD-ROM, HiLink)."""
    try:
        return await async_list_huawei_devices()
    except UsbError as err:
        _LOGGER.debug("Cannot list USB devices: %s", err)
        return []


def port_selector(
    ports: Sequence[SerialPortInfo], without_tty: Sequence[UsbStick]
) -> Selector[Any]:
    """Home Assistant's serial port selector where the release has one, else our own list.

    Home Assistant's lists the ports (recommending those of the sticks in the manifest's USB
    matchers) and accepts serial-proxy URLs. A stick without a serial port (CD-ROM or HiLink
    mode) is in no port list: while one is on the bus, our list offers it.
    """
    if not without_tty and (selector := serial_port_selector()) is not None:
        return selector
    return port_list(ports, without_tty)


def port_list(ports: Sequence[SerialPortInfo], without_tty: Sequence[UsbStick]) -> SelectSelector:
    """The USB serial ports, Huawei's first, then the sticks without one; any value can be typed.

    A stick is always on USB; built-in UARTs (the console /dev/ttyS0 among them) are left out of
    the list, where a stray pick would write AT commands to them. They can be typed.
    """
    usb_ports = [port for port in ports if port.vid is not None]
    huawei_first = sorted(usb_ports, key=lambda port: (port.vid != HUAWEI_VID, port.device))
    options = [SelectOptionDict(value=p.device, label=_port_label(p)) for p in huawei_first]
    options += [
        SelectOptionDict(value=f"{USB_CHOICE_PREFIX}{stick.usb_id}", label=_stick_label(stick))
        for stick in without_tty
    ]
    return SelectSelector(
        SelectSelectorConfig(options=options, custom_value=True, mode=SelectSelectorMode.DROPDOWN)
    )


def chosen_ids(device: str, ports: Sequence[SerialPortInfo]) -> tuple[int, int] | None:
    """vid and pid of what was picked in the port step: a stick without a tty, or a port."""
    return choice_ids(device) if device.startswith(USB_CHOICE_PREFIX) else port_ids(device, ports)


def choice_ids(choice: str) -> tuple[int, int] | None:
    """vid and pid of a ``usb:12d1:1f01`` choice (None if typed wrong)."""
    vid, _, pid = choice.removeprefix(USB_CHOICE_PREFIX).partition(":")
    try:
        return int(vid, 16), int(pid, 16)
    except ValueError:
        return None


def port_ids(device: str, ports: Sequence[SerialPortInfo]) -> tuple[int, int] | None:
    """vid and pid of a listed serial port (None for one not listed or not on USB)."""
    port = next((port for port in ports if port.device == device), None)
    if port is None or port.vid is None or port.pid is None:
        return None
    return port.vid, port.pid


def _port_label(port: SerialPortInfo) -> str:
    ids = f"{port.vid:04x}:{port.pid:04x}" if port.vid is not None and port.pid else None
    details = ", ".join(part for part in (port.manufacturer, port.product, ids) if part)
    return f"{port.device} ({details})" if details else port.device


def _stick_label(stick: UsbStick) -> str:
    return f"{stick.product or MANUFACTURER} ({stick.usb_id}, {stick.mode.value}: no serial port)"
