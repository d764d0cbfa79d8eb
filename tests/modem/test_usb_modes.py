"""USB stick modes: the vid:pid table, the switch messages, the listing (on a fake backend)."""

from __future__ import annotations

import errno

import pytest
import usb.backend.libusb0
import usb.backend.libusb1
import usb.backend.openusb

from custom_components.huawei_modem.modem import usb as stick_usb
from custom_components.huawei_modem.modem.errors import (
    InvalidSwitchMessageError,
    ModemError,
    NoUsbBackendError,
)
from custom_components.huawei_modem.modem.usb import (
    DEFAULT_MESSAGE,
    StickMode,
    UsbStick,
    list_huawei_devices,
    mode_of,
    modeswitch,
    parse_switch_message,
)

from .fake_usb import HILINK_MESSAGE, FakeBackend, switch, usb_error
from .fake_usb_devices import Configuration, Device, modem_stick, storage_stick

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
