"""Finding a stick's AT (PCUI) port among the serial ports of the same USB device.

A stick shows several ttys: modem, PCUI, diag, sometimes GPS. Whichever of them a person picks,
``candidates_for`` gathers its siblings and ``find_at_port`` probes them all at once: the diag
port never answers, so every probe has a short timeout. Among the ports that answer ``AT``, the
PCUI is told by its USB interface protocol (0x02 / 0x12) or by ``AT^GETPORTMODE``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from serialx import SerialPortInfo

from .at import AtChannel
from .errors import (
    AtCommandError,
    AtTimeoutError,
    ConnectionLostError,
    ModemError,
    UnexpectedReplyError,
)
from .huawei_replies import parse_getportmode
from .models import PortLayout
from .replies import value_of

_LOGGER = logging.getLogger(__name__)

PROBE_TIMEOUT: Final = 1.5
"""Seconds a port gets to answer ``AT``; a diag port never does."""
PCUI_PROTOCOLS: Final = frozenset({0x02, 0x12})
"""``bInterfaceProtocol`` of the 3G and 4G PCUI interfaces (vendor class 0xff)."""
SYSFS_TTY: Final = Path("/sys/class/tty")

# /dev/serial/by-id/usb-<vendor>_<product>[_<serial>]-if<NN>-port<N>
_BY_ID_INTERFACE = re.compile(r"^(?P<stem>.+)-if(?P<interface>[0-9a-fA-F]{2})-port\d+$")


@dataclass(frozen=True, slots=True)
class PortCandidate:
    """A tty that may be the AT port: its (stable) path and, when known, its USB interface."""

    path: str
    interface: int | None = None
    protocol: int | None = None
    """``bInterfaceProtocol`` of its USB interface."""


@dataclass(frozen=True, slots=True)
class _Probe:
    candidate: PortCandidate
    opened: bool
    answered: bool = False
    layout: PortLayout | None = None


def is_network_port(device: str) -> bool:
    """``socket://host:port`` and the other serial URLs: no tty, no siblings."""
    return "://" in device


def by_id_parts(path: str) -> tuple[str, int] | None:
    """The stem shared by a stick's by-id names and the interface number of this one."""
    match = _BY_ID_INTERFACE.match(os.path.basename(path))
    if match is None:
        return None
    return match["stem"], int(match["interface"], 16)


# --- siblings (blocking: call in an executor) ---------------------------------------------------


def candidates_for(
    device: str, ports: Sequence[SerialPortInfo], *, sysfs: Path = SYSFS_TTY
) -> list[PortCandidate]:
    """``device`` and the ttys of the same USB device, by interface number. Blocking.

    Siblings are the listed ports with the same vid:pid and serial number, and the by-id names
    in ``device``'s folder that share its stem. Listed ports go by their stable name.
    """
    if is_network_port(device):
        return [PortCandidate(device)]
    real = os.path.realpath(device)
    picked = next((port for port in ports if _real_path(port) == real), None)
    paths = {real: picked.device if picked else device}
    if picked is not None:
        paths |= {_real_path(port): port.device for port in ports if _same_stick(port, picked)}
    paths |= {os.path.realpath(path): path for path in _by_id_siblings(paths[real])}
    interfaces = {port.device: port.interface_num for port in ports}
    candidates = [
        PortCandidate(
            path,
            interfaces.get(path, _interface_in_name(path)),
            interface_protocol(real_path, sysfs=sysfs),
        )
        for real_path, path in paths.items()
    ]
    return sorted(candidates, key=_by_interface)


def interface_protocol(device: str, *, sysfs: Path = SYSFS_TTY) -> int | None:
    """``bInterfaceProtocol`` of the USB interface behind a tty, from sysfs. Blocking."""
    tty = sysfs / os.path.basename(os.path.realpath(device)) / "device"
    try:
        interface = tty.resolve(strict=True).parent
        return int((interface / "bInterfaceProtocol").read_text(encoding="ascii").strip(), 16)
    except (OSError, ValueError):
        return None


def _real_path(port: SerialPortInfo) -> str:
    return os.path.realpath(port.resolved_device or port.device)


def _same_stick(port: SerialPortInfo, picked: SerialPortInfo) -> bool:
    if port.vid is None or (port.vid, port.pid) != (picked.vid, picked.pid):
        return False
    if port.serial_number and picked.serial_number:
        return port.serial_number == picked.serial_number
    mine, theirs = by_id_parts(port.device), by_id_parts(picked.device)
    return mine is not None and theirs is not None and mine[0] == theirs[0]


def _by_id_siblings(path: str) -> list[str]:
    parts = by_id_parts(path)
    if parts is None:
        return []
    folder = os.path.dirname(path)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [
        os.path.join(folder, name)
        for name in sorted(names)
        if (other := by_id_parts(name)) is not None and other[0] == parts[0]
    ]


def _interface_in_name(path: str) -> int | None:
    parts = by_id_parts(path)
    return parts[1] if parts else None


def _by_interface(candidate: PortCandidate) -> tuple[bool, int, str]:
    interface = candidate.interface
    return interface is None, interface or 0, candidate.path


# --- probing ------------------------------------------------------------------------------------


async def find_at_port(
    candidates: Sequence[PortCandidate], *, probe_timeout: float = PROBE_TIMEOUT
) -> PortCandidate | None:
    """The PCUI port among ``candidates``; None if none answers AT.

    Without an interface protocol or ``^GETPORTMODE`` to tell, the last port that answers is
    taken: Huawei puts the modem port first (interface 0) and the PCUI after it.

    Every candidate is probed at the same time. Raises ConnectionLostError when none could be
    opened.
    """
    probes = await asyncio.gather(*(_probe(candidate, probe_timeout) for candidate in candidates))
    if not any(probe.opened for probe in probes):
        raise ConnectionLostError(f"cannot open any of {[c.path for c in candidates]}")
    answering = [probe for probe in probes if probe.answered]
    if not answering:
        return None
    return _pcui(answering)


def _pcui(answering: list[_Probe]) -> PortCandidate:
    for probe in answering:
        if probe.candidate.protocol in PCUI_PROTOCOLS:
            return probe.candidate
    for probe in answering:
        pcui = probe.layout.pcui_interface if probe.layout else None
        found = next((p.candidate for p in answering if p.candidate.interface == pcui), None)
        if pcui is not None and found is not None:
            return found
    return answering[-1].candidate


async def _probe(candidate: PortCandidate, probe_timeout: float) -> _Probe:
    channel = AtChannel(candidate.path, timeout=probe_timeout, settle=0)
    try:
        await channel.open()
    except ConnectionLostError as err:
        _LOGGER.debug("%s: %s", candidate.path, err)
        return _Probe(candidate, opened=False)
    try:
        await channel.command("AT")
        return _Probe(candidate, opened=True, answered=True, layout=await _layout(channel))
    except ModemError as err:
        _LOGGER.debug("%s does not answer AT: %s", candidate.path, err)
        return _Probe(candidate, opened=True)
    finally:
        await channel.close()


async def _layout(channel: AtChannel) -> PortLayout | None:
    try:
        return parse_getportmode(value_of(await channel.command("AT^GETPORTMODE"), "^GETPORTMODE"))
    except (AtCommandError, AtTimeoutError, UnexpectedReplyError):
        return None
