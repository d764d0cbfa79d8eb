"""The periodic unsolicited lines a Huawei stick sends on its PCUI port."""

from __future__ import annotations

from . import network as net
from .device import Device


def rssi_report(device: Device) -> str:
    network = device.effective_network()
    value = 99 if network.access_tech == "NOSERVICE" else net.csq_value(device.signal.rssi_dbm)
    return f"^RSSI:{value}"


def hcsq_report(device: Device) -> str:
    return net.hcsq_line(device.effective_network().access_tech, device.signal)


def mode_report(device: Device) -> str:
    sysinfoex = device.model.supports("^SYSINFOEX")
    return net.mode_line(device.effective_network(), sysinfoex=sysinfoex)


def boot_report(device: Device) -> str:
    return f"^BOOT:{device.rng.randrange(10000, 99999)},0,0,0,77"


def dsflowrpt_report(device: Device) -> str:
    fields = [device.rng.randrange(0, 1 << 16) for _ in range(5)] + [0x3E800, 0x3E800]
    return "^DSFLOWRPT:" + ",".join(f"{value:08X}" for value in fields)


_KINDS = (rssi_report, hcsq_report, mode_report, boot_report, dsflowrpt_report)


def noise_line(device: Device) -> str:
    """One line of the flood, picked with the device's seeded random generator."""
    kinds = [kind for kind in _KINDS if kind is not hcsq_report or device.model.supports("^HCSQ")]
    return device.rng.choice(kinds)(device)
