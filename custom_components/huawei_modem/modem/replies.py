"""Parsers of the standard 3GPP replies (27.007 / 27.005) that Huawei sticks give, and the field
helpers every parser shares (``huawei_replies`` reads Huawei's own ``^`` replies with them).

Every parser is pure: it takes the lines of a reply (or one line) and returns a frozen dataclass
from ``models``. A reply that cannot be read raises ``UnexpectedReplyError``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone

from .call_models import Caller, CliValidity
from .errors import UnexpectedReplyError
from .models import (
    AccessTechnology,
    MessageStatus,
    Operator,
    Registration,
    RegistrationState,
    SimState,
    StorageUsage,
    StoredPdu,
)
from .radio_models import NetworkTime

CSQ_UNKNOWN = 99
_HEX_LINE = re.compile(r"^(?:[0-9A-Fa-f]{2})+$")

# --- fields -------------------------------------------------------------------------------------


def split_fields(value: str) -> list[str]:
    """Comma-separated fields, commas inside quotes kept, quotes and blanks removed."""
    return [unquote(field) for field in split_raw_fields(value)]


def split_raw_fields(value: str) -> list[str]:
    """Comma-separated fields with their quotes, blanks around them removed."""
    fields: list[str] = []
    current: list[str] = []
    quoted = False
    for char in value:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            fields.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    fields.append("".join(current).strip())
    return fields


def unquote(field: str) -> str:
    if len(field) >= 2 and field[0] == field[-1] == '"':
        return field[1:-1]
    return field


def after_prefix(line: str, prefix: str) -> str | None:
    """What follows ``<prefix>:`` in ``line`` (case-insensitive), or None for another line."""
    head, colon, rest = line.partition(":")
    if colon and head.strip().upper() == prefix.upper():
        return rest.strip()
    return None


def values_of(lines: Sequence[str], prefix: str) -> list[str]:
    """The values of every ``<prefix>:`` line of a reply, in order."""
    return [value for line in lines if (value := after_prefix(line, prefix)) is not None]


def value_of(lines: Sequence[str], prefix: str) -> str:
    """The value of the first ``<prefix>:`` line; UnexpectedReplyError if there is none."""
    values = values_of(lines, prefix)
    if not values:
        raise UnexpectedReplyError(f"no {prefix} line in {list(lines)!r}")
    return values[0]


def plain_value(lines: Sequence[str], prefix: str | None = None) -> str:
    """A bare reply (``AT+CGSN`` → ``866...``), tolerating the ``+CGSN: 866...`` form."""
    for line in lines:
        text = line.strip()
        if not text:
            continue
        prefixed = after_prefix(text, prefix) if prefix else None
        return unquote(prefixed if prefixed is not None else text)
    raise UnexpectedReplyError(f"empty reply {list(lines)!r}")


def parse_int(field: str, what: str) -> int:
    try:
        return int(field)
    except ValueError:
        raise UnexpectedReplyError(f"{what}: {field!r} is not a number") from None


def optional_int(fields: Sequence[str], index: int) -> int | None:
    """The number in ``fields[index]``; None where there is none (or more digits than int()
    reads from a string)."""
    if index >= len(fields) or not fields[index].strip().isdecimal():
        return None
    try:
        return int(fields[index])
    except ValueError:
        return None


def optional_text(fields: Sequence[str], index: int) -> str | None:
    return fields[index] if index < len(fields) and fields[index] else None


# --- signal -------------------------------------------------------------------------------------


def csq_to_dbm(csq: int | None) -> float | None:
    return None if csq is None else -113 + 2 * csq


def parse_csq(value: str) -> int | None:
    """``20,99`` → 20; 99 (unknown) → None."""
    rssi = parse_int(split_fields(value)[0], "+CSQ")
    return None if rssi == CSQ_UNKNOWN else rssi


# --- SIM ----------------------------------------------------------------------------------------

_SIM_STATES = {
    "READY": SimState.READY,
    "SIM PIN": SimState.PIN_REQUIRED,
    "SIM PUK": SimState.PUK_REQUIRED,
}


def parse_cpin(value: str) -> SimState:
    """``READY``, ``SIM PIN``, ``SIM PUK``, ... (the part after ``+CPIN:``)."""
    return _SIM_STATES.get(unquote(value.strip()).upper(), SimState.OTHER)


# --- network ------------------------------------------------------------------------------------

_COPS_ACT = {
    0: AccessTechnology.GSM,
    1: AccessTechnology.GSM,
    2: AccessTechnology.WCDMA,
    3: AccessTechnology.GSM,
    4: AccessTechnology.WCDMA,
    5: AccessTechnology.WCDMA,
    6: AccessTechnology.WCDMA,
    7: AccessTechnology.LTE,
}


def cops_technology(act: int | None) -> AccessTechnology:
    return AccessTechnology.UNKNOWN if act is None else _COPS_ACT.get(act, AccessTechnology.UNKNOWN)


def parse_cops(value: str) -> Operator | None:
    """``0,0,"Telekom.de",7`` (names may come unquoted); ``0`` alone: no operator."""
    fields = split_fields(value)
    if len(fields) < 3 or not fields[2]:
        return None
    return Operator(name=fields[2], access_technology=cops_technology(optional_int(fields, 3)))


def parse_registration(value: str, *, solicited: bool = True) -> Registration:
    """+CREG/+CGREG/+CEREG: ``<n>,<stat>[,<lac>,<ci>[,<act>]]`` as a reply to ``?``;
    ``<stat>[,<lac>,<ci>...]`` when pushed. ``solicited`` tells which form is expected, and a
    reply to ``?`` that only has one field is read as the pushed form."""
    raw = split_raw_fields(value)
    if solicited and len(raw) >= 2 and raw[1].isdigit():
        raw = raw[1:]
    fields = [unquote(field) for field in raw]
    stat = parse_int(fields[0], "registration state")
    try:
        state = RegistrationState(stat)
    except ValueError:
        state = RegistrationState.UNKNOWN
    return Registration(
        state=state,
        area_code=optional_text(fields, 1),
        cell_id=optional_text(fields, 2),
    )


def parse_cgatt(value: str) -> bool:
    """``+CGATT: <state>``: 1 attached to the packet domain, 0 detached."""
    return parse_int(split_fields(value)[0], "+CGATT") == 1


_ZONE = re.compile(r"^([+-])(\d{1,2})$")
_CLOCK = re.compile(r"^(\d\d)/(\d\d)/(\d\d),(\d\d):(\d\d):(\d\d)([+-]\d{1,2})$")


def utc_offset(zone: str, what: str) -> timedelta:
    """``+04`` / ``-08``: a time zone in quarter hours (27.007 <tz>)."""
    match = _ZONE.match(zone.strip())
    if match is None:
        raise UnexpectedReplyError(f"{what}: {zone!r} is not a time zone")
    quarters = int(match[2]) * (-1 if match[1] == "-" else 1)
    return timedelta(minutes=15 * quarters)


def network_clock(clock: str, what: str) -> tuple[datetime, timedelta]:
    """``yy/mm/dd,hh:mm:ss+tz``: the network's local time (aware) and its zone."""
    match = _CLOCK.match(clock.strip())
    if match is None:
        raise UnexpectedReplyError(f"{what}: {clock!r} is not a date and time")
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    offset = utc_offset(match[7], what)
    try:
        local = datetime(2000 + year, month, day, hour, minute, second, tzinfo=timezone(offset))
    except ValueError:
        raise UnexpectedReplyError(f"{what}: {clock!r} is no date") from None
    return local, offset


def parse_ctzv(value: str) -> NetworkTime:
    """``+CTZV: <tz>`` (27.007, after ``AT+CTZR=1``): the network's time zone only."""
    return NetworkTime(time=None, utc_offset=utc_offset(split_fields(value)[0], "+CTZV"))


def best_registration(registrations: Sequence[Registration]) -> RegistrationState:
    """Registered (home before roaming) wins over the other states of CS, PS and EPS."""
    ranking = (
        RegistrationState.HOME,
        RegistrationState.ROAMING,
        RegistrationState.DENIED,
        RegistrationState.SEARCHING,
        RegistrationState.NOT_REGISTERED,
    )
    states = {registration.state for registration in registrations}
    return next((state for state in ranking if state in states), RegistrationState.UNKNOWN)


# --- SMS ----------------------------------------------------------------------------------------


def parse_cpms(value: str) -> list[StorageUsage]:
    """``"SM",3,30,"SM",3,30,"SM",3,30`` → one entry per memory role."""
    fields = split_fields(value)
    usages: list[StorageUsage] = []
    for start in range(0, len(fields) - 2, 3):
        name, used, total = fields[start : start + 3]
        usages.append(
            StorageUsage(name, parse_int(used, "+CPMS used"), parse_int(total, "+CPMS total"))
        )
    if not usages:
        raise UnexpectedReplyError(f"+CPMS: nothing to read in {value!r}")
    return usages


def is_pdu_line(line: str) -> bool:
    return bool(_HEX_LINE.match(line.strip()))


def _pdu_after(lines: Iterator[str]) -> str:
    """The next hex line; lines that landed in between (garbage) are skipped."""
    for line in lines:
        if is_pdu_line(line):
            return line.strip().upper()
    raise UnexpectedReplyError("a message header without its PDU line")


def _message_status(field: str) -> MessageStatus:
    try:
        return MessageStatus(parse_int(field, "message status"))
    except ValueError:
        raise UnexpectedReplyError(f"unknown message status {field!r}") from None


def parse_cmgl(lines: Sequence[str]) -> list[StoredPdu]:
    """``+CMGL: <index>,<stat>,[<alpha>],<length>`` each followed by its PDU line."""
    entries: list[StoredPdu] = []
    remaining = iter(lines)
    for line in remaining:
        header = after_prefix(line, "+CMGL")
        if header is None:
            continue
        fields = split_fields(header)
        index = parse_int(fields[0], "+CMGL index")
        status = _message_status(fields[1] if len(fields) > 1 else "")
        entries.append(StoredPdu(index, status, _pdu_after(remaining)))
    return entries


def parse_cmgr(lines: Sequence[str]) -> StoredPdu:
    """``+CMGR: <stat>,[<alpha>],<length>`` followed by its PDU line."""
    remaining = iter(lines)
    for line in remaining:
        header = after_prefix(line, "+CMGR")
        if header is not None:
            status = _message_status(split_fields(header)[0])
            return StoredPdu(None, status, _pdu_after(remaining))
    raise UnexpectedReplyError(f"no +CMGR line in {list(lines)!r}")


def parse_memory_index(value: str) -> tuple[str, int]:
    """``"SM",3`` of ``+CMTI`` / ``+CDSI``."""
    fields = split_fields(value)
    if len(fields) < 2:
        raise UnexpectedReplyError(f"no memory index in {value!r}")
    return fields[0], parse_int(fields[1], "message index")


def parse_cnum(lines: Sequence[str]) -> str | None:
    """``+CNUM: "","+491701234567",145``: the first number, None when the SIM has none."""
    for value in values_of(lines, "+CNUM"):
        fields = split_fields(value)
        if len(fields) > 1 and fields[1]:
            return fields[1]
    return None


# --- calls --------------------------------------------------------------------------------------


def parse_clip(value: str) -> Caller:
    """``+CLIP: "<number>",<type>[,<subaddr>,<satype>,<alpha>,<CLI validity>]``.

    A number is only kept when shown (validity 0, or no validity and a number given).
    """
    fields = split_fields(value)
    number_type = optional_int(fields, 1) or 129
    validity_code = optional_int(fields, 5)
    if validity_code is None:
        validity_code = CliValidity.SHOWN if fields[0] else CliValidity.UNAVAILABLE
    try:
        validity = CliValidity(validity_code)
    except ValueError:
        raise UnexpectedReplyError(f"+CLIP: unknown CLI validity in {value!r}") from None
    number = fields[0] if validity is CliValidity.SHOWN and fields[0] else None
    return Caller(number, number_type, validity)


def parse_cring(value: str) -> str:
    """``+CRING: VOICE``: the type of the call that rings (VOICE, FAX, ...)."""
    return value.strip().upper() or "VOICE"
