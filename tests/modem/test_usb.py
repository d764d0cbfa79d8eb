"""USB stick listing and modeswitch, against a fake pyusb backend that plays a Huawei stick."""

from __future__ import annotations

import ctypes.util
import errno
import json
import os
import shutil
import subprocess
import threading
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import usb.backend.libusb0
import usb.backend.libusb1
import usb.backend.openusb
import usb.core
from usb.backend import IBackend

from custom_components.huawei_modem.modem import usb as stick_usb
from custom_components.huawei_modem.modem.errors import (
    InvalidSwitchMessageError,
    ModemError,
    ModeswitchTimeoutError,
    NotInStorageModeError,
    NoUsbBackendError,
    StickNotFoundError,
    UnexpectedModeError,
    UsbError,
    UsbPermissionError,
)
from custom_components.huawei_modem.modem.usb import (
    DEFAULT_MESSAGE,
    UDEV_RULE,
    StickMode,
    UsbStick,
    async_list_huawei_devices,
    async_modeswitch,
    list_huawei_devices,
    mode_of,
    modeswitch,
    parse_switch_message,
)

HILINK_MESSAGE = "55534243123456780000000000000a11062000000000000100000000000000"
CSW = bytes.fromhex("55534253123456780000000000")
"""The 13-byte status a mass-storage device answers a command with ("USBS", tag, residue, ok)."""

BULK = 0x02
STORAGE_CLASS = 0x08
VENDOR_CLASS = 0xFF


# --- descriptors ------------------------------------------------------------------------------


@dataclass
class Endpoint:
    bEndpointAddress: int  # noqa: N815 (pyusb reads the USB field names)
    bmAttributes: int = BULK  # noqa: N815
    bLength: int = 7  # noqa: N815
    bDescriptorType: int = 5  # noqa: N815
    wMaxPacketSize: int = 512  # noqa: N815
    bInterval: int = 0  # noqa: N815
    bRefresh: int = 0  # noqa: N815
    bSynchAddress: int = 0  # noqa: N815
    extra_descriptors: tuple[int, ...] = ()


@dataclass
class Interface:
    bInterfaceNumber: int  # noqa: N815
    bInterfaceClass: int  # noqa: N815
    endpoints: list[Endpoint]
    bInterfaceSubClass: int = 0  # noqa: N815
    bInterfaceProtocol: int = 0  # noqa: N815
    bAlternateSetting: int = 0  # noqa: N815
    bLength: int = 9  # noqa: N815
    bDescriptorType: int = 4  # noqa: N815
    iInterface: int = 0  # noqa: N815
    extra_descriptors: tuple[int, ...] = ()

    @property
    def bNumEndpoints(self) -> int:  # noqa: N802
        return len(self.endpoints)


@dataclass
class Configuration:
    interfaces: list[Interface]
    bConfigurationValue: int = 1  # noqa: N815
    bLength: int = 9  # noqa: N815
    bDescriptorType: int = 2  # noqa: N815
    wTotalLength: int = 32  # noqa: N815
    iConfiguration: int = 0  # noqa: N815
    bmAttributes: int = 0x80  # noqa: N815
    bMaxPower: int = 250  # noqa: N815
    extra_descriptors: tuple[int, ...] = ()

    @property
    def bNumInterfaces(self) -> int:  # noqa: N802
        return len(self.interfaces)


def storage_interface(endpoints: list[Endpoint] | None = None) -> Interface:
    """Interface 0 of a stick in CD-ROM mode: mass storage, SCSI, bulk-only."""
    if endpoints is None:
        endpoints = [Endpoint(0x81), Endpoint(0x01)]
    return Interface(0, STORAGE_CLASS, endpoints, bInterfaceSubClass=0x06, bInterfaceProtocol=0x50)


def serial_interfaces() -> list[Interface]:
    return [
        Interface(number, VENDOR_CLASS, [Endpoint(0x81 + number), Endpoint(0x01 + number)])
        for number in range(3)
    ]


@dataclass
class Device:
    """A device on the fake bus: its device descriptor fields plus what pyusb asks about it."""

    idProduct: int  # noqa: N815
    config: Configuration
    address: int
    idVendor: int = 0x12D1  # noqa: N815
    bus: int = 1
    strings: dict[int, str] = field(default_factory=lambda: {2: "HUAWEI Mobile", 3: "0123456789"})
    kernel_driver_active: bool = True
    gone: bool = False
    bLength: int = 18  # noqa: N815
    bDescriptorType: int = 1  # noqa: N815
    bcdUSB: int = 0x0200  # noqa: N815
    bDeviceClass: int = 0  # noqa: N815
    bDeviceSubClass: int = 0  # noqa: N815
    bDeviceProtocol: int = 0  # noqa: N815
    bMaxPacketSize0: int = 64  # noqa: N815
    bcdDevice: int = 0x0102  # noqa: N815
    iManufacturer: int = 1  # noqa: N815
    iProduct: int = 2  # noqa: N815
    iSerialNumber: int = 3  # noqa: N815
    bNumConfigurations: int = 1  # noqa: N815
    port_number: int | None = None
    port_numbers: tuple[int, ...] | None = None
    speed: int | None = None


def storage_stick(pid: int = 0x1F01, address: int = 5, **kwargs: Any) -> Device:
    return Device(pid, Configuration([storage_interface(kwargs.pop("endpoints", None))]), address)


def modem_stick(pid: int = 0x1001, address: int = 6) -> Device:
    return Device(pid, Configuration(serial_interfaces()), address)


def usb_error(number: int, text: str = "fake") -> usb.core.USBError:
    return usb.core.USBError(text, errno=number)


# --- the backend ------------------------------------------------------------------------------


class FakeBackend(IBackend):  # type: ignore[misc]  # pyusb is untyped
    """A USB bus with Huawei sticks on it, as pyusb's ``usb.core.find`` and ``Device`` see it.

    It records what was done to the devices in ``events``. Written bytes go to ``written``; a
    write when ``switch_to`` is set makes the stick drop off the bus (unless ``vanish_on_write``
    is False: then it stays, stale) and, ``appear_after`` enumerations later, come back as
    ``switch_to``. ``fail`` makes a backend method raise.
    """

    def __init__(self, *devices: Device) -> None:
        self.devices = list(devices)
        self.events: list[tuple[Any, ...]] = []
        self.written: list[tuple[int, int, bytes]] = []
        self.fail: dict[str, usb.core.USBError | Exception] = {}
        self.status_reply: bytes | None = CSW
        self.short_write = False
        self.switch_to: Device | None = None
        self.appear_after = 1
        self.vanish_on_write = True
        self._arriving: Device | None = None

    def _maybe_fail(self, name: str, device: Device) -> None:
        if device.gone:
            raise usb_error(errno.ENODEV, "No such device (it may have been disconnected)")
        if name in self.fail:
            raise self.fail[name]

    def enumerate_devices(self) -> list[Device]:
        if self._arriving is not None:
            self.appear_after -= 1
            if self.appear_after <= 0:
                self.devices.append(self._arriving)
                self._arriving = None
        return list(self.devices)

    def get_device_descriptor(self, dev: Device) -> Device:
        return dev

    def get_configuration_descriptor(self, dev: Device, config: int) -> Configuration:
        return dev.config

    def get_interface_descriptor(self, dev: Device, intf: int, alt: int, config: int) -> Interface:
        if alt > 0:
            raise IndexError("no alternate setting")
        return dev.config.interfaces[intf]

    def get_endpoint_descriptor(
        self, dev: Device, ep: int, intf: int, alt: int, config: int
    ) -> Endpoint:
        return dev.config.interfaces[intf].endpoints[ep]

    def open_device(self, dev: Device) -> Device:
        self._maybe_fail("open", dev)
        self.events.append(("open", dev.idProduct))
        return dev

    def close_device(self, dev_handle: Device) -> None:
        self.events.append(("close", dev_handle.idProduct))

    def get_configuration(self, dev_handle: Device) -> int:
        self._maybe_fail("get_configuration", dev_handle)
        return int(dev_handle.config.bConfigurationValue)

    def is_kernel_driver_active(self, dev_handle: Device, intf: int) -> bool:
        self._maybe_fail("is_kernel_driver_active", dev_handle)
        return dev_handle.kernel_driver_active

    def detach_kernel_driver(self, dev_handle: Device, intf: int) -> None:
        self._maybe_fail("detach_kernel_driver", dev_handle)
        dev_handle.kernel_driver_active = False
        self.events.append(("detach", intf))

    def claim_interface(self, dev_handle: Device, intf: int) -> None:
        self._maybe_fail("claim_interface", dev_handle)
        self.events.append(("claim", intf))

    def release_interface(self, dev_handle: Device, intf: int) -> None:
        self._maybe_fail("release_interface", dev_handle)
        self.events.append(("release", intf))

    def bulk_write(
        self, dev_handle: Device, ep: int, intf: int, data: array[int], timeout: int
    ) -> int:
        if dev_handle.gone:
            raise usb_error(errno.ENODEV)
        self.events.append(("write", ep))
        self.written.append((ep, intf, data.tobytes()))
        if self.switch_to is not None:
            self._re_enumerate(dev_handle, self.switch_to)
        if "bulk_write" in self.fail:
            raise self.fail["bulk_write"]
        return len(data) - 1 if self.short_write else len(data)

    def _re_enumerate(self, old: Device, new: Device) -> None:
        if self.vanish_on_write:
            old.gone = True
            self.devices.remove(old)
        self._arriving = new

    def bulk_read(
        self, dev_handle: Device, ep: int, intf: int, buff: array[int], timeout: int
    ) -> int:
        self.events.append(("read", ep, len(buff)))
        self._maybe_fail("bulk_read", dev_handle)
        if self.status_reply is None:
            raise usb.core.USBTimeoutError("Operation timed out", errno=errno.ETIMEDOUT)
        buff[: len(self.status_reply)] = array("B", self.status_reply)
        return len(self.status_reply)

    def ctrl_transfer(
        self,
        dev_handle: Device,
        bmRequestType: int,  # noqa: N803
        bRequest: int,  # noqa: N803
        wValue: int,  # noqa: N803
        wIndex: int,  # noqa: N803
        data: array[int],
        timeout: int,
    ) -> int:
        # Only GET_DESCRIPTOR(string) is asked for: index 0 lists the languages (en-US).
        index = wValue & 0xFF
        payload = b"\x09\x04" if index == 0 else dev_handle.strings[index].encode("utf-16-le")
        descriptor = bytes([len(payload) + 2, 3]) + payload
        data[: len(descriptor)] = array("B", descriptor)
        return len(descriptor)


def switch(backend: FakeBackend, **options: Any) -> UsbStick:
    """``modeswitch`` of 12d1:1f01 with test-friendly waits."""
    options.setdefault("reappear_timeout", 0.5)
    options.setdefault("poll_interval", 0.001)
    return modeswitch(0x12D1, options.pop("pid", 0x1F01), backend=backend, **options)


def stick_names(backend: FakeBackend) -> list[str]:
    return [stick.usb_id for stick in list_huawei_devices(backend=backend)]


# --- the vid:pid table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vid", "pid", "mode"),
    [
        (0x12D1, 0x1F01, StickMode.STORAGE),
        (0x12D1, 0x14FE, StickMode.STORAGE),
        (0x12D1, 0x1C0B, StickMode.STORAGE),
        (0x12D1, 0x14DB, StickMode.HILINK),
        (0x12D1, 0x14DC, StickMode.HILINK),
        (0x12D1, 0x1001, StickMode.SERIAL_MODEM),
        (0x12D1, 0x1506, StickMode.SERIAL_MODEM),
        (0x12D1, 0x155E, StickMode.SERIAL_MODEM),
        (0x12D1, 0x1C05, StickMode.SERIAL_MODEM),
        (0x12D1, 0x9999, StickMode.UNKNOWN),
        (0x19D2, 0x1F01, StickMode.UNKNOWN),
    ],
)
def test_mode_of(vid: int, pid: int, mode: StickMode) -> None:
    assert mode_of(vid, pid) is mode


def test_the_table_holds_every_id_of_the_reference_once() -> None:
    table = stick_usb.KNOWN_PIDS
    assert len(stick_usb.STORAGE_PIDS) == 14
    assert {0x14DB, 0x14DC} == stick_usb.HILINK_PIDS
    assert len(stick_usb.SERIAL_MODEM_PIDS) == 7
    assert len(table) == 14 + 2 + 7
    assert stick_usb.SERIAL_MODEM_PIDS.isdisjoint(stick_usb.STORAGE_PIDS | stick_usb.HILINK_PIDS)


# --- switch messages --------------------------------------------------------------------------


def test_the_default_message_is_the_serial_modem_one() -> None:
    data = parse_switch_message(DEFAULT_MESSAGE)
    assert data == bytes.fromhex("55534243123456780000000000000011062000000100000000000000000000")
    assert data[15:17] == b"\x11\x06"  # Huawei's switch command, host type 0x20 (Linux) next
    assert data[17] == 0x20


@pytest.mark.parametrize(
    "message",
    [
        HILINK_MESSAGE,
        HILINK_MESSAGE.upper(),
        " ".join(HILINK_MESSAGE[i : i + 2] for i in range(0, 62, 2)),
        bytes.fromhex(HILINK_MESSAGE),
        bytearray.fromhex(HILINK_MESSAGE),
    ],
)
def test_a_custom_message_is_accepted_as_hex_or_bytes(message: str | bytes) -> None:
    assert parse_switch_message(message) == bytes.fromhex(HILINK_MESSAGE)


@pytest.mark.parametrize(
    ("message", "complaint"),
    [
        ("5553424312345678zz", "not hex"),
        ("55534243", "has 4 bytes"),
        (DEFAULT_MESSAGE + "00", "has 32 bytes"),
        (b"USBC" + bytes(26), "has 30 bytes"),
        ("00" + DEFAULT_MESSAGE[2:], "does not start with 55534243"),
        (b"", "has 0 bytes"),
    ],
)
def test_an_invalid_message_is_refused_before_anything_is_sent(
    message: str | bytes, complaint: str
) -> None:
    backend = FakeBackend(storage_stick())
    with pytest.raises(InvalidSwitchMessageError, match=complaint) as caught:
        switch(backend, message=message)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, ModemError)
    assert backend.events == []


# --- listing ----------------------------------------------------------------------------------


def test_list_huawei_devices() -> None:
    other_vendor = Device(0x5678, Configuration([]), address=2, idVendor=0x1234)
    backend = FakeBackend(other_vendor, storage_stick(), modem_stick(0x1506, address=7))
    backend.devices[2].strings = {2: "HUAWEI Mobile Broadband", 3: "ABCDEF"}

    assert list_huawei_devices(backend=backend) == [
        UsbStick(0x12D1, 0x1F01, StickMode.STORAGE, 1, 5, "0123456789", "HUAWEI Mobile"),
        UsbStick(0x12D1, 0x1506, StickMode.SERIAL_MODEM, 1, 7, "ABCDEF", "HUAWEI Mobile Broadband"),
    ]
    assert ("open", 0x5678) not in backend.events


def test_listing_without_permission_leaves_the_strings_out() -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["open"] = usb_error(errno.EACCES, "Access denied (insufficient permissions)")

    (stick,) = list_huawei_devices(backend=backend)

    assert stick == UsbStick(0x12D1, 0x1F01, StickMode.STORAGE, 1, 5)
    assert str(stick) == "12d1:1f01 (storage) on bus 1 address 5"


def test_a_device_without_strings() -> None:
    stick = storage_stick()
    stick.iSerialNumber = stick.iProduct = 0
    (listed,) = list_huawei_devices(backend=FakeBackend(stick))
    assert (listed.serial_number, listed.product) == (None, None)


def test_no_usb_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    # pyusb's own search for a backend, finding none of libusb 1.0, OpenUSB and libusb 0.1.
    for module in (usb.backend.libusb1, usb.backend.openusb, usb.backend.libusb0):
        monkeypatch.setattr(module, "get_backend", lambda *args, **kwargs: None)

    with pytest.raises(NoUsbBackendError, match="libusb-1.0"):
        list_huawei_devices()
    with pytest.raises(NoUsbBackendError):
        modeswitch(0x12D1, 0x1F01)


# --- modeswitch -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoints", "bulk_out", "bulk_in"),
    [
        ([Endpoint(0x81), Endpoint(0x01)], 0x01, 0x81),
        # Another layout: an interrupt endpoint first, bulk-OUT at 0x0f. Nothing may assume 0x01.
        ([Endpoint(0x83, bmAttributes=0x03), Endpoint(0x0F), Endpoint(0x8E)], 0x0F, 0x8E),
    ],
)
def test_modeswitch_to_a_serial_modem(
    endpoints: list[Endpoint], bulk_out: int, bulk_in: int
) -> None:
    backend = FakeBackend(storage_stick(endpoints=endpoints))
    backend.switch_to = modem_stick(0x1001, address=6)
    backend.appear_after = 3

    became = switch(backend)

    assert backend.written == [(bulk_out, 0, bytes.fromhex(DEFAULT_MESSAGE))]
    assert backend.events == [
        ("open", 0x1F01),
        ("detach", 0),
        ("claim", 0),
        ("write", bulk_out),
        ("read", bulk_in, 13),
        ("close", 0x1F01),
        ("open", 0x1001),  # to read its serial number and product name
        ("close", 0x1001),
    ]
    assert became == UsbStick(
        0x12D1, 0x1001, StickMode.SERIAL_MODEM, 1, 6, "0123456789", "HUAWEI Mobile"
    )


def test_interface_zero_is_released_and_the_device_closed() -> None:
    # This stick stays on the bus until after the status reply, then re-enumerates.
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick(0x1506)
    backend.vanish_on_write = False

    became = switch(backend)

    assert backend.events[3:7] == [
        ("write", 0x01),
        ("read", 0x81, 13),
        ("release", 0),
        ("close", 0x1F01),
    ]
    assert became.pid == 0x1506


def test_a_custom_message_is_written_as_given() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()
    custom = "55534243123456780000000000000011063000000000010000000000000000"

    switch(backend, message=custom)

    assert backend.written == [(0x01, 0, bytes.fromhex(custom))]


def test_no_kernel_driver_to_detach() -> None:
    stick = storage_stick()
    stick.kernel_driver_active = False
    backend = FakeBackend(stick)
    backend.switch_to = modem_stick()

    switch(backend)

    assert not any(event[0] == "detach" for event in backend.events)
    assert ("claim", 0) in backend.events


@pytest.mark.parametrize(
    "refusal",
    [NotImplementedError("is_kernel_driver_active"), usb_error(errno.ENOSYS, "Not supported")],
)
def test_a_backend_without_kernel_drivers(refusal: Exception) -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["is_kernel_driver_active"] = refusal
    backend.switch_to = modem_stick()

    assert switch(backend).mode is StickMode.SERIAL_MODEM
    assert backend.written


def test_picks_the_stick_at_the_given_address() -> None:
    first, second = storage_stick(address=5), storage_stick(address=9)
    backend = FakeBackend(first, second)
    backend.switch_to = modem_stick(address=10)

    switch(backend, bus=1, address=9)

    assert (first.gone, second.gone) == (False, True)


def test_a_status_reply_is_optional() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()
    backend.status_reply = None  # the read times out

    assert switch(backend).pid == 0x1001


def test_the_status_reply_can_be_skipped() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()

    switch(backend, read_status=False)

    assert not any(event[0] == "read" for event in backend.events)


def test_an_interface_without_bulk_in() -> None:
    backend = FakeBackend(storage_stick(endpoints=[Endpoint(0x02)]))
    backend.switch_to = modem_stick()

    switch(backend)

    assert backend.written[0][0] == 0x02
    assert not any(event[0] == "read" for event in backend.events)


def test_an_interface_without_bulk_out_is_not_written_to() -> None:
    backend = FakeBackend(storage_stick(endpoints=[Endpoint(0x81), Endpoint(0x02, 0x03)]))

    with pytest.raises(UsbError, match="no bulk-OUT endpoint"):
        switch(backend)
    assert backend.written == []


@pytest.mark.parametrize("number", [errno.ENODEV, errno.EPIPE, errno.EIO])
def test_vanishing_during_the_write_counts_as_switching(number: int) -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()
    backend.fail["bulk_write"] = usb_error(number)

    assert switch(backend).pid == 0x1001


def test_a_write_that_times_out_is_an_error() -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["bulk_write"] = usb.core.USBTimeoutError("Operation timed out", errno=110)

    with pytest.raises(UsbError, match="did not take the switch message"):
        switch(backend)
    assert ("close", 0x1F01) in backend.events


def test_a_short_write_is_an_error() -> None:
    backend = FakeBackend(storage_stick())
    backend.short_write = True

    with pytest.raises(UsbError, match="took 30 of the 31 bytes"):
        switch(backend)


# --- refusals and errors ----------------------------------------------------------------------


@pytest.mark.parametrize("stick", [modem_stick(0x14DC), modem_stick(0x1001), modem_stick(0x1506)])
def test_a_stick_not_in_storage_mode_is_not_switched(stick: Device) -> None:
    backend = FakeBackend(stick)

    with pytest.raises(NotInStorageModeError, match="not in mass-storage") as caught:
        switch(backend, pid=stick.idProduct)

    assert (caught.value.vid, caught.value.pid) == (0x12D1, stick.idProduct)
    assert backend.events == []  # not even opened


def test_an_unknown_product_id_is_switched_if_it_shows_mass_storage() -> None:
    backend = FakeBackend(storage_stick(pid=0x1234))
    backend.switch_to = modem_stick()

    assert switch(backend, pid=0x1234).pid == 0x1001


def test_an_unknown_product_id_without_mass_storage_is_not_switched() -> None:
    backend = FakeBackend(modem_stick(pid=0x1234))

    with pytest.raises(NotInStorageModeError):
        switch(backend, pid=0x1234)
    assert backend.written == []
    assert not any(event[0] in {"detach", "claim"} for event in backend.events)


def test_no_such_stick() -> None:
    backend = FakeBackend(modem_stick())

    with pytest.raises(StickNotFoundError, match="No USB device 12d1:1f01$"):
        switch(backend)
    with pytest.raises(StickNotFoundError, match="12d1:1001 on bus 2 address 6"):
        switch(backend, pid=0x1001, bus=2, address=6)


def test_no_permission_names_the_udev_rule() -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["open"] = usb_error(errno.EACCES, "Access denied (insufficient permissions)")

    with pytest.raises(UsbPermissionError) as caught:
        switch(backend)

    assert UDEV_RULE in str(caught.value)
    assert caught.value.udev_rule == UDEV_RULE
    assert UDEV_RULE == 'SUBSYSTEM=="usb", ATTR{idVendor}=="12d1", MODE="0660", GROUP="dialout"'
    assert "12d1:1f01" in str(caught.value)
    assert backend.written == []


def test_no_permission_to_detach_the_storage_driver() -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["detach_kernel_driver"] = usb_error(errno.EPERM)

    with pytest.raises(UsbPermissionError):
        switch(backend)


def test_the_stick_is_gone_before_the_write() -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["claim_interface"] = usb_error(errno.ENODEV)

    with pytest.raises(StickNotFoundError, match="went away before the switch message"):
        switch(backend)
    assert backend.written == []


def test_interface_zero_is_busy() -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["claim_interface"] = usb_error(errno.EBUSY, "Resource busy")

    with pytest.raises(UsbError, match="Cannot prepare 12d1:1f01 .*Resource busy"):
        switch(backend)
    assert ("close", 0x1F01) in backend.events


def test_timeout_waiting_for_the_stick() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()
    backend.appear_after = 10**9

    with pytest.raises(ModeswitchTimeoutError, match="within 0.05 s") as caught:
        switch(backend, reappear_timeout=0.05)
    assert caught.value.timeout == 0.05


def test_another_stick_already_in_modem_mode_is_not_taken_for_the_switched_one() -> None:
    backend = FakeBackend(modem_stick(address=2), storage_stick(address=5))
    backend.appear_after = 10**9
    backend.switch_to = modem_stick(address=6)

    with pytest.raises(ModeswitchTimeoutError):
        switch(backend, reappear_timeout=0.01)


def test_a_stick_on_another_bus_is_not_taken_for_the_switched_one() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()
    backend.switch_to.bus = 2

    with pytest.raises(ModeswitchTimeoutError):
        switch(backend, reappear_timeout=0.01)


def test_came_back_as_hilink() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick(0x14DC)

    with pytest.raises(UnexpectedModeError, match="came back as 12d1:14dc \\(hilink\\)") as caught:
        switch(backend, message=HILINK_MESSAGE)
    assert (caught.value.vid, caught.value.pid) == (0x12D1, 0x14DC)


def test_came_back_still_in_storage_mode() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = storage_stick(address=6)

    with pytest.raises(UnexpectedModeError, match="came back as 12d1:1f01 \\(storage\\)"):
        switch(backend, reappear_timeout=0.02)


# --- async wrappers ---------------------------------------------------------------------------


async def test_async_wrappers_run_in_the_executor() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()
    threads: set[threading.Thread] = set()
    enumerate_devices = backend.enumerate_devices

    def enumerate_and_record() -> list[Device]:
        threads.add(threading.current_thread())
        return enumerate_devices()

    backend.enumerate_devices = enumerate_and_record  # type: ignore[method-assign]

    before = await async_list_huawei_devices(backend=backend)
    became = await async_modeswitch(0x12D1, 0x1F01, backend=backend, poll_interval=0.001)
    after = await async_list_huawei_devices(backend=backend)

    assert [stick.pid for stick in before] == [0x1F01]
    assert became.pid == 0x1001
    assert after == [became]
    assert threads
    assert threading.current_thread() not in threads


# --- real libusb under umockdev ---------------------------------------------------------------

UMOCKDEV_DATA = Path(__file__).parent / "data" / "usb"
SYSTEM_PYTHON = "/usr/bin/python3"


def umockdev_missing() -> str | None:
    """Why the umockdev tests cannot run here, or None."""
    if shutil.which("umockdev-wrapper") is None:
        return "umockdev is not installed (apt-get install umockdev)"
    if ctypes.util.find_library("usb-1.0") is None:
        return "libusb 1.0 is not installed (apt-get install libusb-1.0-0)"
    probe = "import gi; gi.require_version('UMockdev', '1.0'); from gi.repository import UMockdev"
    if (
        not Path(SYSTEM_PYTHON).exists()
        or subprocess.run([SYSTEM_PYTHON, "-c", probe], capture_output=True, check=False).returncode
    ):
        return (
            f"{SYSTEM_PYTHON} cannot import UMockdev "
            "(apt-get install python3-gi gir1.2-umockdev-1.0 libumockdev0)"
        )
    return None


needs_umockdev = pytest.mark.skipif(bool(umockdev_missing()), reason=str(umockdev_missing()))


def run_under_umockdev(ioctl: Path, reappear_timeout: float) -> dict[str, Any]:
    """The stick of data/usb played to real libusb; see umockdev_switch.py."""
    pyusb_home = Path(usb.__file__).parents[1]
    done = subprocess.run(
        [
            "umockdev-wrapper",
            SYSTEM_PYTHON,
            str(UMOCKDEV_DATA / "umockdev_switch.py"),
            str(ioctl),
            str(reappear_timeout),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "PYTHONPATH": str(pyusb_home)},
    )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


@needs_umockdev
def test_real_libusb_lists_and_switches_the_stick() -> None:
    result = run_under_umockdev(UMOCKDEV_DATA / "e3131_switch.ioctl", reappear_timeout=10)

    assert result["listed"] == [{"usb_id": "12d1:1f01", "mode": "storage", "address": 5}]
    assert result.get("error") is None
    assert result["became"] == {"usb_id": "12d1:1001", "mode": "serial_modem", "address": 6}
    assert f"Status reply to the switch message: {CSW.hex()}" in result["log"]


@needs_umockdev
def test_real_libusb_another_message_is_not_what_the_stick_expects(tmp_path: Path) -> None:
    # The recording expects the default message; umockdev refuses any other bytes on bulk-OUT.
    recorded = (UMOCKDEV_DATA / "e3131_switch.ioctl").read_text()
    assert DEFAULT_MESSAGE.upper() in recorded
    ioctl = tmp_path / "other.ioctl"
    ioctl.write_text(recorded.replace(DEFAULT_MESSAGE.upper(), HILINK_MESSAGE.upper()))

    result = run_under_umockdev(ioctl, reappear_timeout=0.2)

    assert result["error"].startswith("ModeswitchTimeoutError")
    assert not any(line.startswith("Status reply") for line in result["log"])
