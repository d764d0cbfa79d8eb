"""What the stick pushes, as typed events: one builder per unsolicited line."""

from __future__ import annotations

import logging
from collections.abc import Callable

from .at import Unsolicited
from .call_models import CallAlerting, CallConnected, CallDialling
from .errors import PduError, UnexpectedReplyError
from .huawei_replies import (
    parse_call_id,
    parse_cend,
    parse_cusd,
    parse_hcsq,
    parse_nwtime,
    parse_rssi,
    sysinfo_technology,
    sysinfoex_technology,
)
from .models import (
    Capabilities,
    Message,
    MessageReceived,
    ModeChanged,
    ModemEvent,
    NewMessageStored,
    SignalChanged,
    SimStateChanged,
    StatusReportReceived,
    StorageFull,
    UssdReceived,
)
from .pdu import SmsStatusReport, decode_pdu
from .radio_models import CellChanged
from .replies import (
    optional_int,
    parse_ctzv,
    parse_int,
    parse_memory_index,
    parse_registration,
    split_fields,
)

_LOGGER = logging.getLogger(__name__)


def event_of(unsolicited: Unsolicited, capabilities: Capabilities) -> ModemEvent | None:
    """The event a pushed line means; None for lines no event stands for, or unreadable ones."""
    build = _BUILDERS.get(unsolicited.name)
    if build is None:
        return None
    try:
        return build(unsolicited, capabilities)
    except (UnexpectedReplyError, PduError) as err:
        _LOGGER.debug("unreadable %s: %s", unsolicited, err)
        return None


def decode_or_none(pdu: str) -> Message | None:
    try:
        return decode_pdu(pdu)
    except PduError as err:
        _LOGGER.debug("undecodable PDU %s: %s", pdu, err)
        return None


def _new_message(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    memory, index = parse_memory_index(unsolicited.value)
    return NewMessageStored(memory, index)


def _delivered_message(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    pdu = unsolicited.pdu or ""
    return MessageReceived(decode_or_none(pdu), pdu)


def _status_report(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    report = decode_or_none(unsolicited.pdu or "")
    return StatusReportReceived(report if isinstance(report, SmsStatusReport) else None)


def _stored_status_report(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    memory, index = parse_memory_index(unsolicited.value)
    return StatusReportReceived(memory=memory, index=index)


def _storage_full(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    return StorageFull(split_fields(unsolicited.value)[0] or None)


def _ussd(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    return UssdReceived(parse_cusd(unsolicited.value))


def _hcsq(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    return SignalChanged(parse_hcsq(unsolicited.value))


def _rssi(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    return SignalChanged(parse_rssi(unsolicited.value))


def _mode(unsolicited: Unsolicited, capabilities: Capabilities) -> ModemEvent:
    fields = split_fields(unsolicited.value)
    mode = parse_int(fields[0], "^MODE mode")
    submode = optional_int(fields, 1)
    technology = sysinfoex_technology(mode) if capabilities.sysinfoex else sysinfo_technology(mode)
    return ModeChanged(technology, mode, submode)


def _sim_state(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    return SimStateChanged(parse_int(split_fields(unsolicited.value)[0], "^SIMST state"))


def _cell(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    """``+CREG: <stat>[,<lac>,<ci>[,<AcT>]]``: the pushed form (no ``<n>`` in front)."""
    registration = parse_registration(unsolicited.value, solicited=False)
    return CellChanged(unsolicited.name, registration)


def _network_time(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    return parse_nwtime(unsolicited.value)


def _time_zone(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    return parse_ctzv(unsolicited.value)


def _call_step(
    kind: type[CallDialling | CallAlerting | CallConnected],
) -> Callable[[Unsolicited, Capabilities], ModemEvent]:
    """The builder of ``^ORIG``, ``^CONF`` or ``^CONN``: the call id, as a ``kind``."""

    def build(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
        return kind(parse_call_id(unsolicited.value))

    return build


def _ended(unsolicited: Unsolicited, _: Capabilities) -> ModemEvent:
    return parse_cend(unsolicited.value)


_BUILDERS: dict[str, Callable[[Unsolicited, Capabilities], ModemEvent]] = {
    "+CMTI": _new_message,
    "+CMT": _delivered_message,
    "+CDS": _status_report,
    "+CDSI": _stored_status_report,
    "^SMMEMFULL": _storage_full,
    "+CUSD": _ussd,
    "^HCSQ": _hcsq,
    "^RSSI": _rssi,
    "^MODE": _mode,
    "^SIMST": _sim_state,
    "^ORIG": _call_step(CallDialling),
    "^CONF": _call_step(CallAlerting),
    "^CONN": _call_step(CallConnected),
    "^CEND": _ended,
    "+CREG": _cell,
    "+CGREG": _cell,
    "+CEREG": _cell,
    "^NWTIME": _network_time,
    "+CTZV": _time_zone,
}
"""RING, +CRING and +CLIP are paired by ``calls.RingPairing``: one event stands for both."""
