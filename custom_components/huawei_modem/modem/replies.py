"""Parsers of the replies of Huawei sticks: the 3GPP commands they share and Huawei's own.

Every parser is pure: it takes the lines of a reply (or one line) and returns a frozen dataclass
from ``models``. A reply that cannot be read raises ``UnexpectedReplyError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .errors import UnexpectedReplyError
from .gsm7 import pack_ussd, unpack_ussd
from .models import (
    AccessTechnology,
    MessageStatus,
    Operator,
    PortLayout,
    PortProfile,
    Registration,
    RegistrationState,
    SignalQuality,
    SimState,
    SimStatus,
    StorageUsage,
    StoredPdu,
    SystemInfo,
    UssdResponse,
)

INVALID = 255
CSQ_UNKNOWN = 99
_HEX_LINE = re.compile(r"^(?:[0-9A-Fa-f]{2})+$")

# --- fields -------------------------------------------------------------------------------------


def split_fields(value: str) -> list[str]:
    """Comma-separated fields, commas inside quotes kept, quotes and blanks removed."""
    return [_unquote(field) for field in split_raw_fields(value)]


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


def _unquote(field: str) -> str:
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
        return _unquote(prefixed if prefixed is not None else text)
    raise UnexpectedReplyError(f"empty reply {list(lines)!r}")


def _int(field: str, what: str) -> int:
    try:
        return int(field)
    except ValueError:
        raise UnexpectedReplyError(f"{what}: {field!r} is not a number") from None


def _optional_int(fields: Sequence[str], index: int) -> int | None:
    if index >= len(fields) or not fields[index].strip().isdigit():
        return None
    return int(fields[index])


# --- signal -------------------------------------------------------------------------------------

_Scale = Callable[[int], float]
_HCSQ_FIELDS: dict[str, tuple[tuple[str, _Scale], ...]] = {
    "LTE": (
        ("rssi_dbm", lambda v: -121 + v),
        ("rsrp_dbm", lambda v: -141 + v),
        ("sinr_db", lambda v: round(-20.2 + v / 5, 1)),
        ("rsrq_db", lambda v: -20 + v / 2),
    ),
    "WCDMA": (
        ("rssi_dbm", lambda v: -121 + v),
        ("rscp_dbm", lambda v: -121 + v),
        ("ecio_db", lambda v: -32.5 + v / 2),
    ),
    "GSM": (("rssi_dbm", lambda v: -121 + v),),
}
_TECH_BY_NAME = {
    "GSM": AccessTechnology.GSM,
    "WCDMA": AccessTechnology.WCDMA,
    "TD-SCDMA": AccessTechnology.WCDMA,
    "LTE": AccessTechnology.LTE,
    "NOSERVICE": AccessTechnology.NONE,
    "NO SERVICE": AccessTechnology.NONE,
}


def technology_named(name: str) -> AccessTechnology:
    return _TECH_BY_NAME.get(name.strip().upper(), AccessTechnology.UNKNOWN)


def parse_hcsq(value: str) -> SignalQuality:
    """``"LTE",30,19,66,0`` (the part after ``^HCSQ:``); 255 means invalid."""
    fields = split_fields(value)
    mode = fields[0].upper()
    values: dict[str, Any] = {}
    for (name, scale), raw in zip(_HCSQ_FIELDS.get(mode, ()), fields[1:], strict=False):
        number = _optional_int([raw], 0)
        values[name] = None if number is None or number == INVALID else scale(number)
    return SignalQuality(access_technology=technology_named(mode), **values)


def csq_to_dbm(csq: int | None) -> float | None:
    return None if csq is None else -113 + 2 * csq


def parse_csq(value: str) -> int | None:
    """``20,99`` → 20; 99 (unknown) → None."""
    rssi = _int(split_fields(value)[0], "+CSQ")
    return None if rssi == CSQ_UNKNOWN else rssi


def parse_rssi(value: str) -> SignalQuality:
    """The unsolicited ``^RSSI:<0-31|99>``."""
    csq = parse_csq(value)
    return SignalQuality(csq=csq, rssi_dbm=csq_to_dbm(csq))


# --- system information -------------------------------------------------------------------------

_SYSINFOEX_MODES = {
    0: AccessTechnology.NONE,
    1: AccessTechnology.GSM,
    3: AccessTechnology.WCDMA,
    4: AccessTechnology.WCDMA,
    6: AccessTechnology.LTE,
}
_SYSINFO_MODES = {
    0: AccessTechnology.NONE,
    3: AccessTechnology.GSM,
    5: AccessTechnology.WCDMA,
    7: AccessTechnology.WCDMA,
    15: AccessTechnology.WCDMA,
}
_SYSINFO_SUBMODES = {
    1: "GSM",
    2: "GPRS",
    3: "EDGE",
    4: "WCDMA",
    5: "HSDPA",
    6: "HSUPA",
    7: "HSPA",
    8: "TD-SCDMA",
    9: "HSPA+",
    17: "HSPA+ (64QAM)",
    18: "HSPA+ (MIMO)",
}
SIM_VALID = 1
SIM_MISSING = 255


def sysinfoex_technology(mode: int) -> AccessTechnology:
    return _SYSINFOEX_MODES.get(mode, AccessTechnology.UNKNOWN)


def sysinfo_technology(mode: int) -> AccessTechnology:
    return _SYSINFO_MODES.get(mode, AccessTechnology.UNKNOWN)


def _name_or_none(fields: Sequence[str], index: int) -> str | None:
    return fields[index] if index < len(fields) and fields[index] else None


def parse_sysinfoex(value: str) -> SystemInfo:
    """``2,3,0,1,,3,"WCDMA",41,"HSPA+"``: srv, domain, roam, sim, lock, mode, name, sub, name."""
    fields = split_fields(value)
    if len(fields) < 6:
        raise UnexpectedReplyError(f"^SYSINFOEX: too few fields in {value!r}")
    return _system_info(
        fields,
        sim=_int(fields[3], "SIM state"),
        technology=sysinfoex_technology(_optional_int(fields, 5) or 0),
        mode_name=_name_or_none(fields, 6),
        submode_name=_name_or_none(fields, 8),
    )


def parse_sysinfo(value: str) -> SystemInfo:
    """``2,3,0,5,1,,4``: srv, domain, roam, sys_mode, sim, lock, sub_mode."""
    fields = split_fields(value)
    if len(fields) < 5:
        raise UnexpectedReplyError(f"^SYSINFO: too few fields in {value!r}")
    technology = sysinfo_technology(_optional_int(fields, 3) or 0)
    sim = _int(fields[4], "SIM state")
    submode = _optional_int(fields, 6)
    return _system_info(
        fields,
        sim=sim,
        technology=technology,
        mode_name=None if technology is AccessTechnology.UNKNOWN else technology.value,
        submode_name=_SYSINFO_SUBMODES.get(submode) if submode is not None else None,
    )


def _system_info(
    fields: Sequence[str],
    *,
    sim: int,
    technology: AccessTechnology,
    mode_name: str | None,
    submode_name: str | None,
) -> SystemInfo:
    """What ^SYSINFO and ^SYSINFOEX share: service status and domain, roaming, the SIM's state."""
    return SystemInfo(
        service_status=_int(fields[0], "service status"),
        service_domain=_int(fields[1], "service domain"),
        roaming=fields[2] == "1",
        sim_valid=sim == SIM_VALID,
        sim_missing=sim == SIM_MISSING,
        access_technology=technology,
        mode_name=mode_name,
        submode_name=submode_name,
    )


# --- SIM ----------------------------------------------------------------------------------------

_SIM_STATES = {
    "READY": SimState.READY,
    "SIM PIN": SimState.PIN_REQUIRED,
    "SIM PUK": SimState.PUK_REQUIRED,
}


def parse_cpin(value: str) -> SimState:
    """``READY``, ``SIM PIN``, ``SIM PUK``, ... (the part after ``+CPIN:``)."""
    return _SIM_STATES.get(_unquote(value.strip()).upper(), SimState.OTHER)


def parse_huawei_cpin(value: str) -> SimStatus:
    """``SIM PIN,3,10,3,10,3``: code, times, PUK tries, PIN tries, PUK2 tries, PIN2 tries."""
    fields = split_fields(value)
    if len(fields) < 4:
        raise UnexpectedReplyError(f"^CPIN: too few fields in {value!r}")
    puk_attempts_left = _optional_int(fields, 2)
    state = parse_cpin(fields[0])
    if puk_attempts_left == 0 and state is not SimState.READY:
        state = SimState.FAILURE  # no PUK tries left: the SIM is blocked for good
    return SimStatus(
        state=state,
        pin_attempts_left=_optional_int(fields, 3),
        puk_attempts_left=puk_attempts_left,
    )


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
    return Operator(name=fields[2], access_technology=cops_technology(_optional_int(fields, 3)))


def parse_registration(value: str, *, solicited: bool = True) -> Registration:
    """+CREG/+CGREG/+CEREG: ``<n>,<stat>[,<lac>,<ci>[,<act>]]`` as a reply to ``?``;
    ``<stat>[,<lac>,<ci>...]`` when pushed. ``solicited`` tells which form is expected, and a
    reply to ``?`` that only has one field is read as the pushed form."""
    raw = split_raw_fields(value)
    if solicited and len(raw) >= 2 and raw[1].isdigit():
        raw = raw[1:]
    fields = [_unquote(field) for field in raw]
    stat = _int(fields[0], "registration state")
    try:
        state = RegistrationState(stat)
    except ValueError:
        state = RegistrationState.UNKNOWN
    return Registration(
        state=state,
        area_code=_name_or_none(fields, 1),
        cell_id=_name_or_none(fields, 2),
    )


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


# --- port profile -------------------------------------------------------------------------------


def _codes(part: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in part.split(",") if code.strip())


def parse_port_profile(text: str) -> PortProfile:
    """``A1,A2;12,1,16,A1,A2`` (``^SETPORT?`` value, or the argument of ``AT^SETPORT=``)."""
    first, separator, second = _unquote(text.strip()).partition(";")
    if not separator or not _codes(second) or not _codes(first):
        raise UnexpectedReplyError(f"not a port profile: {text!r}")
    return PortProfile(plug_in=_codes(first), composition=_codes(second))


def parse_setport_supported(lines: Sequence[str]) -> dict[str, str]:
    """``^SETPORT:10: 4G MODEM`` lines of ``AT^SETPORT=?`` → {"10": "4G MODEM"}."""
    supported: dict[str, str] = {}
    for value in values_of(lines, "^SETPORT"):
        code, colon, name = value.partition(":")
        if colon:
            supported[code.strip().upper()] = name.strip()
    return supported


def parse_getportmode(value: str) -> PortLayout:
    """``TYPE: WCDMA: huawei,MDM:0,PCUI:1,NDIS:2,CDROM:3,SD:4,``."""
    mode: str | None = None
    ports: dict[str, int] = {}
    for entry in split_fields(value):
        name, colon, number = entry.rpartition(":")
        if colon and number.strip().isdigit():
            ports[name.strip().lower()] = int(number)
        elif entry.upper().startswith("TYPE:"):
            mode = entry.partition(":")[2].strip() or None
    return PortLayout(mode=mode, ports=ports)


# --- SMS ----------------------------------------------------------------------------------------


def parse_cpms(value: str) -> list[StorageUsage]:
    """``"SM",3,30,"SM",3,30,"SM",3,30`` → one entry per memory role."""
    fields = split_fields(value)
    usages: list[StorageUsage] = []
    for start in range(0, len(fields) - 2, 3):
        name, used, total = fields[start : start + 3]
        usages.append(StorageUsage(name, _int(used, "+CPMS used"), _int(total, "+CPMS total")))
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
        return MessageStatus(_int(field, "message status"))
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
        index = _int(fields[0], "+CMGL index")
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
    return fields[0], _int(fields[1], "message index")


def parse_cnum(lines: Sequence[str]) -> str | None:
    """``+CNUM: "","+491701234567",145``: the first number, None when the SIM has none."""
    for value in values_of(lines, "+CNUM"):
        fields = split_fields(value)
        if len(fields) > 1 and fields[1]:
            return fields[1]
    return None


# --- USSD ---------------------------------------------------------------------------------------


def encode_ussd(code: str) -> str:
    """A USSD code as Huawei wants it: GSM 7-bit packed with its CR padding, hex."""
    return pack_ussd(code).hex().upper()


def _ussd_charset(dcs: int) -> str:
    """The alphabet of a CBS data coding scheme (TS 23.038 §5)."""
    if dcs == 0x11:
        return "ucs2"
    if dcs & 0xC0 == 0x40:
        return ("gsm7", "8bit", "ucs2", "gsm7")[(dcs >> 2) & 0x03]
    if dcs & 0xF0 == 0xF0:
        return "8bit" if dcs & 0x04 else "gsm7"
    return "gsm7"


_USSD_DECODERS: dict[str, Callable[[bytes], str]] = {
    "gsm7": unpack_ussd,
    "ucs2": lambda raw: raw.decode("utf-16-be", errors="replace"),
    "8bit": lambda raw: raw.decode("latin-1"),
}


def decode_ussd(text: str, dcs: int | None) -> str:
    """Huawei returns USSD text as hex (packed 7-bit or UCS-2); plain text passes through."""
    if dcs is None or not is_pdu_line(text):
        return text
    return _USSD_DECODERS[_ussd_charset(dcs)](bytes.fromhex(text))


def parse_cusd(value: str) -> UssdResponse:
    """``0,"<hex>",15`` → the decoded answer."""
    fields = split_fields(value)
    status = _int(fields[0], "+CUSD status")
    dcs = _optional_int(fields, 2)
    text = fields[1] if len(fields) > 1 else ""
    return UssdResponse(status=status, text=decode_ussd(text, dcs), dcs=dcs)
