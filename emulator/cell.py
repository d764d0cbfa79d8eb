"""Cell, attach state and the network's clock: what moves when the stick hops cells or registers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from . import network as net

if TYPE_CHECKING:
    from .device import Device


def time_zone_lines(device: Device) -> list[str]:
    """Pushed once registered: ``^NWTIME`` where the firmware has it, else 3GPP ``+CTZV``."""
    if device.model.supports("^NWTIME"):
        return [f"^NWTIME: {net.network_time_fields(datetime.now(UTC), device.radio)}"]
    return [net.ctzv_line(device.radio)]


def move_cell(device: Device, lac: int | None, cell_id: int | None, tac: int | None) -> None:
    """Camp on another cell; +CREG/+CGREG/+CEREG in mode 2 report it (mode 1 only a new stat)."""
    network = device.network
    network.lac = network.lac if lac is None else lac
    network.cell_id = network.cell_id if cell_id is None else cell_id
    network.tac = network.tac if tac is None else tac
    for command, mode in device.settings.registration_urc.items():
        if mode == 2 and device.registration_applies(command):
            device.emit([f"{command}: {device.registration_fields(command, with_location=True)}"])


def cell_state(device: Device) -> dict[str, str]:
    network = device.network
    cell = {"lac": f"{network.lac:04X}", "ci": f"{network.cell_id:08X}"}
    return cell | {"tac": f"{network.tac:04X}"}
