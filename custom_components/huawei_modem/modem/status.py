"""The status query: which commands to ask, and the ``ModemStatus`` their replies make."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Final, TypeVar

from .errors import UnexpectedReplyError
from .huawei_replies import parse_hcsq, parse_sysinfo, parse_sysinfoex
from .models import (
    AccessTechnology,
    Capabilities,
    ModemStatus,
    Operator,
    Registration,
    RegistrationState,
    SignalQuality,
    SystemInfo,
)
from .replies import (
    best_registration,
    csq_to_dbm,
    parse_cgatt,
    parse_cops,
    parse_cpms,
    parse_csq,
    parse_registration,
    values_of,
)

_LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")

REGISTRATION_COMMANDS: Final = ("+CREG", "+CGREG", "+CEREG")


def status_commands(capabilities: Capabilities) -> list[str]:
    """The commands (without ``AT``) whose replies make the status of this stick."""
    commands = ["+CSQ"]
    if capabilities.hcsq:
        commands.append("^HCSQ?")
    if capabilities.sysinfoex:
        commands.append("^SYSINFOEX")
    elif capabilities.sysinfo:
        commands.append("^SYSINFO")
    commands.append("+COPS?")
    commands += [f"{command}?" for command in capabilities.registration_commands]
    commands.append("+CGATT?")  # 27.007's packet attach: every stick with a data port has it
    commands.append("+CPMS?")
    return commands


def read_status(lines: Sequence[str]) -> ModemStatus:
    """The status in the reply lines of ``status_commands`` (refused ones left out)."""
    system_info = _system_info(lines)
    operator = _first(lines, "+COPS", parse_cops)
    registrations = {
        command: parse_registration(value)
        for command in REGISTRATION_COMMANDS
        for value in values_of(lines, command)[:1]
    }
    state = best_registration(list(registrations.values()))
    storage = _first(lines, "+CPMS", parse_cpms)
    signal = _signal(lines)
    return ModemStatus(
        signal=signal,
        operator=operator,
        access_technology=_technology(system_info, operator, signal),
        registration=state,
        roaming=_roaming(state, system_info),
        sms_storage=storage[0] if storage else None,
        system_info=system_info,
        registrations=registrations,
        packet_attached=_first(lines, "+CGATT", parse_cgatt),
    )


def with_registration(status: ModemStatus, command: str, registration: Registration) -> ModemStatus:
    """``status`` after a pushed registration report (``CellChanged``)."""
    registrations = {**status.registrations, command: registration}
    state = best_registration(list(registrations.values()))
    return replace(
        status,
        registrations=registrations,
        registration=state,
        roaming=_roaming(state, status.system_info),
    )


def _roaming(state: RegistrationState, system_info: SystemInfo | None) -> bool:
    return state is RegistrationState.ROAMING or bool(system_info and system_info.roaming)


def _first(lines: Sequence[str], prefix: str, parse: Callable[[str], _T]) -> _T | None:
    """The first ``prefix`` line that reads well (garbage may look like one)."""
    for value in values_of(lines, prefix):
        try:
            return parse(value)
        except UnexpectedReplyError as err:
            _LOGGER.debug("skipped an unreadable line: %s", err)
    return None


def _signal(lines: Sequence[str]) -> SignalQuality:
    csq = _first(lines, "+CSQ", parse_csq)
    huawei = _first(lines, "^HCSQ", parse_hcsq) or SignalQuality()
    rssi = huawei.rssi_dbm if huawei.rssi_dbm is not None else csq_to_dbm(csq)
    return replace(huawei, csq=csq, rssi_dbm=rssi)


def _system_info(lines: Sequence[str]) -> SystemInfo | None:
    return _first(lines, "^SYSINFOEX", parse_sysinfoex) or _first(lines, "^SYSINFO", parse_sysinfo)


def _technology(
    system_info: SystemInfo | None, operator: Operator | None, signal: SignalQuality
) -> AccessTechnology:
    """The radio in use: ^SYSINFO(EX) knows best, then +COPS, then ^HCSQ."""
    candidates = (
        system_info.access_technology if system_info else AccessTechnology.UNKNOWN,
        operator.access_technology if operator else AccessTechnology.UNKNOWN,
        signal.access_technology,
    )
    return next(
        (tech for tech in candidates if tech is not AccessTechnology.UNKNOWN), candidates[0]
    )
