"""USB listing and modeswitch with real libusb, a recorded stick played to it by umockdev."""

from __future__ import annotations

import ctypes.util
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import usb

from custom_components.huawei_modem.modem.usb import DEFAULT_MESSAGE

from .fake_usb import CSW, HILINK_MESSAGE

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
