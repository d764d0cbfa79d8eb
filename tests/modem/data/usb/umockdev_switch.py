"""Run under ``umockdev-wrapper`` by a Python with PyGObject and UMockdev's typelib.

Plays a 12d1:1f01 stick in CD-ROM mode to real libusb: its descriptors come from
``e3131_storage.umockdev``; its usbfs answers from ``e3131_switch.ioctl`` (the switch message on
bulk-OUT 0x01, then a status reply on bulk-IN 0x81; umockdev refuses an OUT transfer whose bytes
differ from the recording). Right after the message is written, the stick re-enumerates as
12d1:1001 (``e3131_modem.umockdev``), with uevents, as a real one does.

Arguments: the ioctl file, how long to wait for the stick to come back. Prints one JSON object:
what was listed before, what the switch returned (or its error), and the module's log lines.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
import types
from pathlib import Path
from typing import Any

import gi

gi.require_version("UMockdev", "1.0")
import usb.core  # noqa: E402
from gi.repository import UMockdev  # noqa: E402

DATA = Path(__file__).parent
INTEGRATION = DATA.parents[3] / "custom_components" / "huawei_modem"


def import_modem_package_only() -> None:
    """Import modem/ without the integration's __init__ (Home Assistant is not on this Python)."""
    for name, path in (
        ("custom_components", INTEGRATION.parent),
        ("custom_components.huawei_modem", INTEGRATION),
    ):
        package = types.ModuleType(name)
        package.__path__ = [str(path)]
        sys.modules[name] = package


import_modem_package_only()
stick_usb = importlib.import_module("custom_components.huawei_modem.modem.usb")
UsbError = importlib.import_module("custom_components.huawei_modem.modem.errors").UsbError
SYSPATH = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2"


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def re_enumerate_after_writes(testbed: Any) -> None:
    real_write = usb.core.Device.write

    def write(self: Any, *args: Any, **kwargs: Any) -> Any:
        written = real_write(self, *args, **kwargs)
        testbed.uevent(SYSPATH, "remove")
        testbed.remove_device(SYSPATH)
        testbed.add_from_string((DATA / "e3131_modem.umockdev").read_text())
        testbed.uevent(SYSPATH, "add")
        return written

    usb.core.Device.write = write


def describe(stick: Any) -> dict[str, Any]:
    return {"usb_id": stick.usb_id, "mode": stick.mode.value, "address": stick.address}


def main() -> None:
    testbed = UMockdev.Testbed.new()
    testbed.add_from_string((DATA / "e3131_storage.umockdev").read_text())
    testbed.load_ioctl("/dev/bus/usb/001/005", sys.argv[1])
    re_enumerate_after_writes(testbed)
    captured = Captured()
    logging.getLogger(stick_usb.__name__).addHandler(captured)
    logging.getLogger(stick_usb.__name__).setLevel(logging.DEBUG)

    result: dict[str, Any] = {
        "listed": [describe(stick) for stick in stick_usb.list_huawei_devices()]
    }
    try:
        result["became"] = describe(
            stick_usb.modeswitch(0x12D1, 0x1F01, reappear_timeout=float(sys.argv[2]))
        )
    except UsbError as err:
        result["error"] = f"{type(err).__name__}: {err}"
    result["log"] = captured.messages
    print(json.dumps(result))


if __name__ == "__main__":
    main()
