"""A fake pyusb backend: a USB bus with Huawei sticks on it (see fake_usb_devices)."""

from __future__ import annotations

import errno
from array import array
from typing import Any

import usb.core
from usb.backend import IBackend

from custom_components.huawei_modem.modem.usb import UsbStick, list_huawei_devices, modeswitch

from .fake_usb_devices import Configuration, Device, Endpoint, Interface

HILINK_MESSAGE = "55534243123456780000000000000a11062000000000000100000000000000"
CSW = bytes.fromhex("55534253123456780000000000")
"""The 13-byte status a mass-storage device answers a command with ("USBS", tag, residue, ok)."""


# --- the backend ------------------------------------------------------------------------------


def usb_error(number: int, text: str = "fake") -> usb.core.USBError:
    return usb.core.USBError(text, errno=number)


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
