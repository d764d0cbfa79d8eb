"""The Huawei sticks on the fake USB bus: their descriptors, in the field names pyusb reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
