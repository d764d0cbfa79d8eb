"""The radio: network mode (``^SYSCFGEX`` on LTE sticks, ``^SYSCFG`` on older ones), cell
reports and the network's clock.

Which of the two mode commands a stick has is found out on first use (``network_modes()``),
not at open: only the network-mode select needs it. Bands, roaming and service domain are
never changed: ``^SYSCFG`` is sent Huawei's "no change" values for them (40000000, 2, 4, as
ModemManager's Huawei plugin sends), ``^SYSCFGEX`` the bands it reported itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from .errors import AtCommandError, CmeError, CmsError, CommandNotSupportedError
from .errors import NetworkModeNotOfferedError as NotOfferedError
from .huawei_replies import (
    parse_syscfg,
    parse_syscfg_choices,
    parse_syscfgex,
    parse_syscfgex_orders,
)
from .models import Capabilities, Registration
from .radio_models import NetworkMode, ServingCell
from .replies import value_of, values_of
from .session import AtSession

_LOGGER = logging.getLogger(__name__)

SYSCFGEX_ORDERS: Final = {
    "00": NetworkMode.AUTOMATIC,
    "03": NetworkMode.LTE_ONLY,
    "02": NetworkMode.WCDMA_ONLY,
    "01": NetworkMode.GSM_ONLY,
    "030201": NetworkMode.LTE_PREFERRED,
    "0302": NetworkMode.LTE_WCDMA,
    "0201": NetworkMode.WCDMA_PREFERRED,
    "0102": NetworkMode.GSM_PREFERRED,
}
"""``^SYSCFGEX`` acquisition orders: 01 GSM, 02 WCDMA, 03 LTE, in the order tried; 00 auto."""
SYSCFG_MODES: Final = {
    (2, 0): NetworkMode.AUTOMATIC,
    (2, 1): NetworkMode.GSM_PREFERRED,
    (2, 2): NetworkMode.WCDMA_PREFERRED,
    (13, 0): NetworkMode.GSM_ONLY,
    (14, 0): NetworkMode.WCDMA_ONLY,
}
"""``^SYSCFG`` mode (2 auto, 13 GSM only, 14 WCDMA only) and order (0 auto, 1 GSM, 2 WCDMA)."""
_SYSCFG_ONLY: Final = {13: NetworkMode.GSM_ONLY, 14: NetworkMode.WCDMA_ONLY}
CELL_REPORTS: Final = 2
"""``+CREG=2`` (and +CGREG, +CEREG): the stick pushes state, area and cell on every change."""


@dataclass(frozen=True, slots=True)
class _ModeCommand:
    """One of the two mode commands: how its lists, its setting and a change are written."""

    name: str
    offered: Callable[[str], tuple[NetworkMode, ...]]
    current: Callable[[str], NetworkMode | None]
    change: Callable[[NetworkMode, str], str]
    """The arguments that set a mode, given the current setting (the ``?`` value)."""


def _syscfgex_offered(value: str) -> tuple[NetworkMode, ...]:
    orders = parse_syscfgex_orders(value)
    return tuple(SYSCFGEX_ORDERS[order] for order in orders if order in SYSCFGEX_ORDERS)


def _syscfgex_change(mode: NetworkMode, current: str) -> str:
    order = next(code for code, named in SYSCFGEX_ORDERS.items() if named is mode)
    _, bands, lte_bands = parse_syscfgex(current)
    return f'"{order}",{bands},2,4,{lte_bands},,'


def _syscfg_offered(value: str) -> tuple[NetworkMode, ...]:
    modes, orders = parse_syscfg_choices(value)
    return tuple(
        named for (mode, order), named in SYSCFG_MODES.items() if mode in modes and order in orders
    )


def _syscfg_current(value: str) -> NetworkMode | None:
    mode, order = parse_syscfg(value)
    return _SYSCFG_ONLY.get(mode) or SYSCFG_MODES.get((mode, order))


def _syscfg_change(mode: NetworkMode, _: str) -> str:
    code, order = next(pair for pair, named in SYSCFG_MODES.items() if named is mode)
    return f"{code},{order},40000000,2,4"


MODE_COMMANDS: Final = (
    _ModeCommand(
        "^SYSCFGEX",
        _syscfgex_offered,
        lambda value: SYSCFGEX_ORDERS.get(parse_syscfgex(value)[0]),
        _syscfgex_change,
    ),
    _ModeCommand("^SYSCFG", _syscfg_offered, _syscfg_current, _syscfg_change),
)
"""Asked in this order: a stick with ``^SYSCFGEX`` may still answer the older command."""


@dataclass(frozen=True, slots=True)
class _OfferedModes:
    command: _ModeCommand
    modes: tuple[NetworkMode, ...]


class RadioSession(AtSession):
    """The radio side of ``Modem``: network mode, cell reports and the network's clock."""

    _capabilities: Capabilities
    _offered: _OfferedModes | None = None
    """What ``network_modes()`` found (a stick's firmware does not change while it is open)."""

    async def network_modes(self) -> tuple[NetworkMode, ...]:
        """The network modes this stick's firmware lists (asked once, then remembered).

        Raises CommandNotSupportedError when it has neither ``^SYSCFGEX`` nor ``^SYSCFG``.
        """
        return (await self._offered_modes()).modes

    async def network_mode(self) -> NetworkMode | None:
        """The current network mode (None: a setting this layer has no name for)."""
        command = (await self._offered_modes()).command
        return command.current(await self._mode_setting(command))

    async def set_network_mode(self, mode: NetworkMode) -> NetworkMode | None:
        """Set ``mode`` (bands and roaming stay) and return the mode the stick reads back.

        Raises NetworkModeNotOfferedError (nothing sent) for a mode the stick does not list.
        """
        offered = await self._offered_modes()
        if mode not in offered.modes:
            raise NotOfferedError(mode.value, tuple(named.value for named in offered.modes))
        command = offered.command
        change = command.change(mode, await self._mode_setting(command))
        await self._command(f"AT{command.name}={change}")
        return command.current(await self._mode_setting(command))

    async def _mode_setting(self, command: _ModeCommand) -> str:
        return value_of(await self._command(f"AT{command.name}?"), command.name)

    async def _offered_modes(self) -> _OfferedModes:
        if self._offered is None:
            self._offered = await self._ask_offered_modes()
        return self._offered

    async def _ask_offered_modes(self) -> _OfferedModes:
        if self._capabilities.huawei:
            for command in MODE_COMMANDS:
                try:
                    lines = await self._command(f"AT{command.name}=?")
                except (CmeError, CmsError):
                    raise  # the command exists; the SIM or the stick is not ready
                except AtCommandError as err:
                    _LOGGER.debug("%s: %s", self.url, err)
                    continue
                listed = next(iter(values_of(lines, command.name)), "")
                return _OfferedModes(command, command.offered(listed))
        raise CommandNotSupportedError("AT^SYSCFGEX=?", "no ^SYSCFGEX or ^SYSCFG")

    async def _enable_cell_reports(self) -> None:
        """Mode 2 of the registration reports the stick knows: one line, each on its own if
        the firmware refuses the line."""
        names = self._capabilities.registration_commands
        await self._together([f"{name}={CELL_REPORTS}" for name in names])

    async def ask_network_time(self) -> None:
        """Ask for the network's time (``AT^NWTIME?``) where the firmware has it.

        The answer comes as a ``NetworkTime`` event, like the pushed one: the channel
        takes every ``^NWTIME`` line for a pushed one.
        """
        if self._capabilities.huawei:
            await self._optional("AT^NWTIME?")


# --- cells --------------------------------------------------------------------------------------

_BY_PRECISION: Final = ("+CEREG", "+CGREG", "+CREG")
"""LTE's report first (its cell identity is the one in use on LTE), then packet, then circuit."""


def serving_cell(registrations: Mapping[str, Registration]) -> ServingCell | None:
    """The cell of the most precise registration that reports one (hex fields → numbers)."""
    for command in _BY_PRECISION:
        registration = registrations.get(command)
        if registration is None or not registration.registered:
            continue
        try:
            area = int(registration.area_code or "", 16)
            cell = int(registration.cell_id or "", 16)
        except ValueError:
            continue
        return ServingCell(area, cell, tracking_area=command == "+CEREG")
    return None
