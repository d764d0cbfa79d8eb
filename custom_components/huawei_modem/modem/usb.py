"""Huawei sticks on the USB bus: which mode each one is in, and the modeswitch out of CD-ROM mode.

Everything here that touches the bus (``list_huawei_devices``, ``modeswitch``) blocks: call it in
an executor, or use the ``async_`` wrappers, which do that themselves.

Every function takes an optional pyusb ``backend`` (an ``usb.backend.IBackend``); None lets pyusb
pick libusb. Tests hand in a fake one.
"""

from __future__ import annotations

import asyncio
import enum
import errno
import functools
import logging
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ParamSpec, TypeVar

import usb.core
import usb.util

from .errors import (
    InvalidSwitchMessageError,
    ModeswitchTimeoutError,
    NotInStorageModeError,
    NoUsbBackendError,
    StickNotFoundError,
    UnexpectedModeError,
    UsbError,
    UsbPermissionError,
)

_LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")
_P = ParamSpec("_P")

HUAWEI_VID = 0x12D1


class StickMode(enum.Enum):
    """What a Huawei stick is doing, as told by its USB product id."""

    STORAGE = "storage"
    """Mass storage ("ZeroCD" CD-ROM with the Windows installer): needs a modeswitch."""
    HILINK = "hilink"
    """A network adapter with a router inside: no AT port; Home Assistant's huawei_lte serves it."""
    SERIAL_MODEM = "serial_modem"
    """Serial ports with an AT port: what this integration works with."""
    UNKNOWN = "unknown"


STORAGE_PIDS = frozenset(
    {0x1F01, 0x14FE, 0x1446, 0x1505, 0x15CA, 0x15CD, 0x15CF, 0x157D, 0x151A, 0x15CE, 0x15D0}
    | {0x156A, 0x157C, 0x1C0B}
)
HILINK_PIDS = frozenset({0x14DB, 0x14DC})
SERIAL_MODEM_PIDS = frozenset({0x1001, 0x1003, 0x1436, 0x1442, 0x155E, 0x1C05, 0x1506})

KNOWN_PIDS = MappingProxyType(
    {pid: StickMode.STORAGE for pid in STORAGE_PIDS}
    | {pid: StickMode.HILINK for pid in HILINK_PIDS}
    | {pid: StickMode.SERIAL_MODEM for pid in SERIAL_MODEM_PIDS}
)
"""Huawei product id -> mode (reference/huawei-at.md, section 1)."""

DEFAULT_MESSAGE = "55534243123456780000000000000011062000000100000000000000000000"
"""The switch message that leads to the serial modem layout (12d1:1001 on an E3135).

Not usb_modeswitch's Huawei default, which usually ends in HiLink.
"""

UDEV_RULE = 'SUBSYSTEM=="usb", ATTR{idVendor}=="12d1", MODE="0660", GROUP="dialout"'
"""A udev rule that lets the dialout group (Home Assistant's user) open Huawei USB devices."""

MESSAGE_LENGTH = 31
MESSAGE_SIGNATURE = b"USBC"
STATUS_LENGTH = 13
MASS_STORAGE_CLASS = 0x08
WRITE_TIMEOUT_MS = 1000
STATUS_TIMEOUT_MS = 1000

# What libusb reports when the stick drops off the bus to re-enumerate.
_VANISHED_ERRNOS = frozenset({errno.ENODEV, errno.ENOENT, errno.EPIPE, errno.EIO})
_DENIED_ERRNOS = frozenset({errno.EACCES, errno.EPERM})


@dataclass(frozen=True)
class UsbStick:
    """A Huawei device on the USB bus. The strings are None when they cannot be read."""

    vid: int
    pid: int
    mode: StickMode
    bus: int | None
    address: int | None
    serial_number: str | None = None
    product: str | None = None

    @property
    def usb_id(self) -> str:
        """``12d1:1f01``."""
        return f"{self.vid:04x}:{self.pid:04x}"

    def __str__(self) -> str:
        return f"{self.usb_id} ({self.mode.value}) on bus {self.bus} address {self.address}"


def mode_of(vid: int, pid: int) -> StickMode:
    """The mode a stick with this vendor and product id is in."""
    if vid != HUAWEI_VID:
        return StickMode.UNKNOWN
    return KNOWN_PIDS.get(pid, StickMode.UNKNOWN)


def parse_switch_message(message: str | bytes) -> bytes:
    """The 31 bytes of a switch message given as hex (spaces allowed) or as bytes."""
    if isinstance(message, str):
        try:
            data = bytes.fromhex(message)
        except ValueError as err:
            raise InvalidSwitchMessageError(f"Switch message is not hex: {message!r}") from err
    else:
        data = bytes(message)
    if len(data) != MESSAGE_LENGTH:
        raise InvalidSwitchMessageError(
            f"Switch message has {len(data)} bytes, a USB mass-storage command has {MESSAGE_LENGTH}"
        )
    if not data.startswith(MESSAGE_SIGNATURE):
        raise InvalidSwitchMessageError("Switch message does not start with 55534243 (USBC)")
    return data


def list_huawei_devices(*, backend: object | None = None) -> list[UsbStick]:
    """Every Huawei device on the bus with its mode. Blocking."""
    return [_describe(device, with_strings=True) for device in _huawei_devices(backend)]


def modeswitch(
    vid: int,
    pid: int,
    *,
    message: str | bytes = DEFAULT_MESSAGE,
    bus: int | None = None,
    address: int | None = None,
    reappear_timeout: float = 20.0,
    poll_interval: float = 0.5,
    read_status: bool = True,
    backend: object | None = None,
) -> UsbStick:
    """Switch a stick out of mass-storage mode and wait until it is back as a serial modem.

    ``bus``/``address`` pick one of several sticks with the same ids. Returns the stick as it came
    back. Blocking (up to ``reappear_timeout`` seconds after the message was sent).
    """
    data = parse_switch_message(message)
    device = _find_device(vid, pid, bus, address, backend)
    origin = _describe(device, with_strings=False)
    if origin.mode in (StickMode.HILINK, StickMode.SERIAL_MODEM):
        raise _not_in_storage_mode(origin)
    present = frozenset(_location(other) for other in _huawei_devices(backend))
    _send_message(device, origin, data, read_status=read_status)
    return _wait_for_modem(origin, present, reappear_timeout, poll_interval, backend)


def _in_executor(blocking: Callable[_P, _T]) -> Callable[_P, Coroutine[Any, Any, _T]]:
    """The async twin of a blocking function: the same call, run in the default executor."""

    @functools.wraps(blocking)
    async def in_executor(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        call = functools.partial(blocking, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(None, call)

    return in_executor


async_list_huawei_devices = _in_executor(list_huawei_devices)
"""``list_huawei_devices`` in the default executor."""

async_modeswitch = _in_executor(modeswitch)
"""``modeswitch`` in the default executor."""


# pyusb is untyped: its objects stay inside the helpers below.
_Device = Any


def _devices(vid: int, backend: object | None) -> list[_Device]:
    try:
        return list(usb.core.find(find_all=True, idVendor=vid, backend=backend))
    except usb.core.NoBackendError as err:
        raise NoUsbBackendError(
            "No USB backend: pyusb found no usable libusb-1.0. Install it (e.g. the libusb-1.0-0 "
            "package) and, in a container, pass the USB bus (/dev/bus/usb) through"
        ) from err


def _huawei_devices(backend: object | None) -> list[_Device]:
    return _devices(HUAWEI_VID, backend)


def _location(device: _Device) -> tuple[int | None, int | None]:
    return device.bus, device.address


def _describe(device: _Device, *, with_strings: bool) -> UsbStick:
    vid, pid = int(device.idVendor), int(device.idProduct)
    serial_number = product = None
    if with_strings:
        serial_number, product = _read_strings(device)
    return UsbStick(vid, pid, mode_of(vid, pid), device.bus, device.address, serial_number, product)


def _read_strings(device: _Device) -> tuple[str | None, str | None]:
    """Serial number and product name; reading them opens the device, which may be refused."""
    try:
        return _read_string(device, "serial_number"), _read_string(device, "product")
    finally:
        _close(device)


def _read_string(device: _Device, name: str) -> str | None:
    try:
        value = getattr(device, name)
    except (usb.core.USBError, ValueError, NotImplementedError) as err:
        # Without permission pyusb raises, or finds no string language (ValueError).
        _LOGGER.debug(
            "Cannot read the %s of %04x:%04x: %s", name, device.idVendor, device.idProduct, err
        )
        return None
    return None if value is None else str(value)


def _close(device: _Device) -> None:
    with suppress(usb.core.USBError):
        usb.util.dispose_resources(device)


def _find_device(
    vid: int, pid: int, bus: int | None, address: int | None, backend: object | None
) -> _Device:
    for device in _devices(vid, backend):
        if (
            device.idProduct == pid
            and bus in (None, device.bus)
            and address in (None, device.address)
        ):
            return device
    where = "" if bus is None and address is None else f" on bus {bus} address {address}"
    raise StickNotFoundError(f"No USB device {vid:04x}:{pid:04x}{where}")


def _send_message(device: _Device, origin: UsbStick, data: bytes, *, read_status: bool) -> None:
    """Hand the message to interface 0; return once the stick took it (or vanished taking it)."""
    try:
        with _errors_before_write(origin):
            interface = _interface_zero(device, origin)
            bulk_out = _bulk_endpoint(interface, usb.util.ENDPOINT_OUT)
            if bulk_out is None:
                raise UsbError(f"Interface 0 of {origin} has no bulk-OUT endpoint")
            _detach_kernel_driver(device)
            usb.util.claim_interface(device, 0)
        if _write(device, bulk_out, data, origin) and read_status:
            _read_status(device, interface)
    finally:
        _close(device)


@contextmanager
def _errors_before_write(origin: UsbStick) -> Iterator[None]:
    try:
        yield
    except usb.core.USBError as err:
        if err.errno in _DENIED_ERRNOS:
            raise UsbPermissionError(
                f"No permission to open the USB device {origin}. Run Home Assistant as root or add "
                f"the udev rule {UDEV_RULE} (e.g. in /etc/udev/rules.d/99-huawei-modem.rules), "
                "then run 'udevadm control --reload-rules && udevadm trigger' and replug the stick",
                UDEV_RULE,
            ) from err
        if err.errno in _VANISHED_ERRNOS:
            raise StickNotFoundError(
                f"{origin} went away before the switch message was sent"
            ) from err
        raise UsbError(f"Cannot prepare {origin} for the switch: {err}") from err


def _interface_zero(device: _Device, origin: UsbStick) -> Any:
    interface = usb.util.find_descriptor(
        device.get_active_configuration(), bInterfaceNumber=0, bAlternateSetting=0
    )
    # A product id missing from the table is switched only if it shows a mass-storage interface.
    if interface is None or (
        origin.mode is StickMode.UNKNOWN and interface.bInterfaceClass != MASS_STORAGE_CLASS
    ):
        raise _not_in_storage_mode(origin)
    return interface


def _not_in_storage_mode(origin: UsbStick) -> NotInStorageModeError:
    return NotInStorageModeError(
        f"{origin} is not in mass-storage (CD-ROM) mode; it is not switched", origin.vid, origin.pid
    )


def _bulk_endpoint(interface: Any, direction: int) -> Any:
    def matches(endpoint: Any) -> bool:
        address, attributes = endpoint.bEndpointAddress, endpoint.bmAttributes
        return bool(
            usb.util.endpoint_direction(address) == direction
            and usb.util.endpoint_type(attributes) == usb.util.ENDPOINT_TYPE_BULK
        )

    return usb.util.find_descriptor(interface, custom_match=matches)


def _detach_kernel_driver(device: _Device) -> None:
    # Backends without kernel drivers to detach (Windows, macOS) say "not supported".
    try:
        if device.is_kernel_driver_active(0):
            device.detach_kernel_driver(0)
    except NotImplementedError:
        return
    except usb.core.USBError as err:
        if err.errno != errno.ENOSYS:
            raise


def _write(device: _Device, bulk_out: Any, data: bytes, origin: UsbStick) -> bool:
    """Write the message; False when the stick vanished during the write (a switch, most likely)."""
    try:
        written = device.write(bulk_out.bEndpointAddress, data, timeout=WRITE_TIMEOUT_MS)
    except usb.core.USBError as err:
        if err.errno in _VANISHED_ERRNOS:
            _LOGGER.debug("%s vanished while taking the switch message: %s", origin, err)
            return False
        raise UsbError(f"{origin} did not take the switch message: {err}") from err
    if written != len(data):
        raise UsbError(f"{origin} took {written} of the {len(data)} bytes of the switch message")
    return True


def _read_status(device: _Device, interface: Any) -> None:
    # The status reply is optional: a stick that switches at once never sends it.
    bulk_in = _bulk_endpoint(interface, usb.util.ENDPOINT_IN)
    if bulk_in is None:
        return
    try:
        status = device.read(bulk_in.bEndpointAddress, STATUS_LENGTH, timeout=STATUS_TIMEOUT_MS)
    except usb.core.USBError as err:
        _LOGGER.debug("No status reply to the switch message: %s", err)
        return
    _LOGGER.debug("Status reply to the switch message: %s", bytes(status).hex())


def _wait_for_modem(
    origin: UsbStick,
    present: frozenset[tuple[int | None, int | None]],
    timeout: float,
    poll_interval: float,
    backend: object | None,
) -> UsbStick:
    """The stick that appears on the switched stick's bus, once it is a serial modem."""
    deadline = time.monotonic() + timeout
    last_seen: UsbStick | None = None
    while True:
        for device in _huawei_devices(backend):
            if _location(device) in present or device.bus != origin.bus:
                continue
            stick = _describe(device, with_strings=False)
            if stick.mode is StickMode.SERIAL_MODEM:
                return _describe(device, with_strings=True)
            if stick.mode is StickMode.HILINK:
                raise _unexpected(origin, stick)
            last_seen = stick
        if time.monotonic() >= deadline:
            break
        time.sleep(poll_interval)
    if last_seen is not None:
        raise _unexpected(origin, last_seen)
    raise ModeswitchTimeoutError(
        f"{origin} did not come back as a serial modem within {timeout:g} s", timeout
    )


def _unexpected(origin: UsbStick, stick: UsbStick) -> UnexpectedModeError:
    return UnexpectedModeError(
        f"{origin.usb_id} came back as {stick}, not as a serial modem: try another switch message",
        stick.vid,
        stick.pid,
    )
