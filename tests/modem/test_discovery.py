"""Finding the AT (PCUI) port among a stick's ttys, against the emulated stick."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from serialx import SerialPortInfo

from custom_components.huawei_modem.modem.discovery import (
    PortCandidate,
    by_id_parts,
    candidates_for,
    find_at_port,
    interface_protocol,
    is_network_port,
)
from custom_components.huawei_modem.modem.errors import ConnectionLostError
from emulator import EmulatedStick

MODELS = ("E3372", "E3131", "E303")
TIMEOUT = 0.5


def listed_ports(stick: EmulatedStick, *, by_id: bool = True) -> list[SerialPortInfo]:
    """The stick's ttys as serialx lists them (by-id names, or bare ttys without udev)."""
    usb = stick.usb
    assert usb is not None
    ports = []
    for role, pty in stick.ports.items():
        interface = usb.interface_of(role)
        assert interface is not None
        device = str(stick.stable_paths[role]) if by_id else pty
        ports.append(port_info(device, pty, usb.vid, usb.pid, usb.serial, interface.number))
    return ports


def port_info(
    device: str,
    resolved: str,
    vid: int | None,
    pid: int | None,
    serial: str | None = None,
    interface: int | None = None,
) -> SerialPortInfo:
    return SerialPortInfo(
        device=device,
        resolved_device=resolved,
        vid=vid,
        pid=pid,
        serial_number=serial,
        manufacturer="HUAWEI",
        product="HUAWEI Mobile",
        bcd_device=None,
        interface_description=None,
        interface_num=interface,
    )


@pytest.fixture(params=MODELS)
async def stick(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[EmulatedStick]:
    async with EmulatedStick(request.param, link_dir=tmp_path) as emulated:
        yield emulated


@pytest.mark.parametrize("picked", ["modem", "pcui", "diag"])
async def test_any_port_of_the_stick_leads_to_its_pcui(stick: EmulatedStick, picked: str) -> None:
    candidates = candidates_for(str(stick.stable_paths[picked]), [])

    assert [c.path for c in candidates] == [
        str(path) for path in sorted(stick.stable_paths.values())
    ]
    found = await find_at_port(candidates, probe_timeout=TIMEOUT)
    assert found is not None
    assert found.path == str(stick.stable_paths["pcui"])


async def test_listed_ports_go_by_their_stable_names(stick: EmulatedStick) -> None:
    foreign = port_info("/dev/serial/by-id/usb-FTDI_FT232R-if00-port0", "/dev/ttyUSB9", 0x0403, 1)
    ports = [*listed_ports(stick), foreign]

    candidates = candidates_for(stick.ports["diag"], ports)

    usb = stick.usb
    assert usb is not None
    expected = {
        str(stick.stable_paths[role]): usb.interface_of(role) for role in stick.stable_paths
    }
    assert {c.path: c.interface for c in candidates} == {
        path: iface.number for path, iface in expected.items() if iface is not None
    }


async def test_bare_ttys_of_one_stick_are_told_by_vid_pid_and_serial(tmp_path: Path) -> None:
    async with EmulatedStick("E3372", usb_serial="0123456789ABCDEF") as stick:
        ports = listed_ports(stick, by_id=False)
        other = replace(ports[0], device="/dev/ttyUSB7", resolved_device="/dev/ttyUSB7")
        ports.append(replace(other, serial_number="FEDCBA9876543210"))

        candidates = candidates_for(stick.ports["modem"], ports)

        assert sorted(c.path for c in candidates) == sorted(stick.ports.values())
        found = await find_at_port(candidates, probe_timeout=TIMEOUT)
        assert found is not None
        assert found.path == stick.ports["pcui"]


async def test_the_interface_protocol_names_the_pcui_first() -> None:
    async with EmulatedStick("E3372") as stick:
        # Told by the USB interface protocol, the modem port would be taken: it wins over
        # ^GETPORTMODE, because it is read without asking the stick.
        candidates = [
            PortCandidate(stick.ports["modem"], 0, 0x12),
            PortCandidate(stick.ports["pcui"], 1, 0x10),
        ]
        found = await find_at_port(candidates, probe_timeout=TIMEOUT)
        assert found == candidates[0]


async def test_a_diag_port_alone_is_not_an_at_port() -> None:
    async with EmulatedStick("E3372") as stick:
        diag = PortCandidate(stick.ports["diag"])
        assert await find_at_port([diag], probe_timeout=TIMEOUT) is None


async def test_ports_that_cannot_be_opened(tmp_path: Path) -> None:
    with pytest.raises(ConnectionLostError):
        await find_at_port([PortCandidate(str(tmp_path / "ttyUSB0"))], probe_timeout=TIMEOUT)


@pytest.mark.usefixtures("socket_enabled")
async def test_a_network_port_has_no_siblings() -> None:
    async with EmulatedStick("E3372", tcp_port=0) as stick:
        assert stick.tcp_url is not None
        assert is_network_port(stick.tcp_url)

        candidates = candidates_for(stick.tcp_url, [])

        assert candidates == [PortCandidate(stick.tcp_url)]
        assert await find_at_port(candidates, probe_timeout=TIMEOUT) == candidates[0]


def test_by_id_names() -> None:
    assert by_id_parts("/dev/serial/by-id/usb-HUAWEI_MOBILE_HUAWEI_MOBILE-if02-port0") == (
        "usb-HUAWEI_MOBILE_HUAWEI_MOBILE",
        2,
    )
    assert by_id_parts("/dev/ttyUSB0") is None


def test_a_missing_by_id_folder_has_no_siblings(tmp_path: Path) -> None:
    path = str(tmp_path / "gone" / "usb-HUAWEI_Mobile-if00-port0")
    assert candidates_for(path, []) == [PortCandidate(path, 0)]


def test_interface_protocol_from_sysfs(tmp_path: Path) -> None:
    interface = tmp_path / "devices" / "1-1:1.2"
    (interface / "ttyUSB2").mkdir(parents=True)
    (interface / "bInterfaceProtocol").write_text("12\n")
    tty = tmp_path / "class" / "tty" / "ttyUSB2"
    tty.mkdir(parents=True)
    os.symlink(interface / "ttyUSB2", tty / "device")

    sysfs = tmp_path / "class" / "tty"
    assert interface_protocol("/dev/ttyUSB2", sysfs=sysfs) == 0x12
    assert interface_protocol("/dev/ttyUSB3", sysfs=sysfs) is None
