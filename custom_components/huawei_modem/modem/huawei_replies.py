"""Parsers of Huawei's own replies: ``^HCSQ``, ``^RSSI``, ``^SYSINFO(EX)``, ``^CPIN``,
``^SETPORT``, ``^GETPORTMODE``, and USSD the way Huawei carries it (hex, packed 7-bit or UCS-2).

Pure like ``replies`` (the 3GPP parsers), whose field helpers they use; a reply that cannot be
read raises ``UnexpectedReplyError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .call_models import CallEnded
from .errors import UnexpectedReplyError, UnsafePortProfileError
from .gsm7 import pack_ussd, unpack_ussd
from .models import (
    AccessTechnology,
    PortLayout,
    PortProfile,
    SignalQuality,
    SimState,
    SimStatus,
    SystemInfo,
    UssdResponse,
)
from .radio_models import NetworkTime
from .replies import (
    csq_to_dbm,
    is_pdu_line,
    network_clock,
    optional_int,
    optional_text,
    parse_cpin,
    parse_csq,
    parse_int,
    split_fields,
    unquote,
    values_of,
)

INVALID = 255

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
        number = optional_int([raw], 0)
        values[name] = None if number is None or number == INVALID else scale(number)
    return SignalQuality(access_technology=technology_named(mode), **values)


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


def parse_sysinfoex(value: str) -> SystemInfo:
    """``2,3,0,1,,3,"WCDMA",41,"HSPA+"``: srv, domain, roam, sim, lock, mode, name, sub, name."""
    fields = split_fields(value)
    if len(fields) < 6:
        raise UnexpectedReplyError(f"^SYSINFOEX: too few fields in {value!r}")
    return _system_info(
        fields,
        sim=parse_int(fields[3], "SIM state"),
        technology=sysinfoex_technology(optional_int(fields, 5) or 0),
        mode_name=optional_text(fields, 6),
        submode_name=optional_text(fields, 8),
    )


def parse_sysinfo(value: str) -> SystemInfo:
    """``2,3,0,5,1,,4``: srv, domain, roam, sys_mode, sim, lock, sub_mode."""
    fields = split_fields(value)
    if len(fields) < 5:
        raise UnexpectedReplyError(f"^SYSINFO: too few fields in {value!r}")
    technology = sysinfo_technology(optional_int(fields, 3) or 0)
    sim = parse_int(fields[4], "SIM state")
    submode = optional_int(fields, 6)
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
        service_status=parse_int(fields[0], "service status"),
        service_domain=parse_int(fields[1], "service domain"),
        roaming=fields[2] == "1",
        sim_valid=sim == SIM_VALID,
        sim_missing=sim == SIM_MISSING,
        access_technology=technology,
        mode_name=mode_name,
        submode_name=submode_name,
    )


# --- network mode -------------------------------------------------------------------------------

_GROUP = re.compile(r"\(([^()]*)\)")
SYSCFG_TEST_WITHOUT_LISTS = "(2,13,14,16),(0-3)"
"""What 2G/3G firmware that answers ``AT^SYSCFG=?`` with nothing accepts (ModemManager's
Huawei plugin assumes the same for such sticks)."""


def _listed_groups(value: str, what: str, count: int) -> list[str]:
    """The first ``count`` innermost ``(...)`` lists of a ``=?`` reply."""
    groups = _GROUP.findall(value)
    if len(groups) < count:
        raise UnexpectedReplyError(f"{what}: too few lists in {value!r}")
    return groups[:count]


_WIDEST_RANGE = 256
"""Modes and orders are small numbers: a wider range is garbage (and would fill the memory)."""


def _numbers(listed: str, what: str) -> frozenset[int]:
    """``2,13,14,16`` or ``0-3`` (ranges allowed) as a set of numbers."""
    numbers: set[int] = set()
    for item in split_fields(listed):
        first, _, last = item.partition("-")
        low, high = parse_int(first, what), parse_int(last or first, what)
        if high - low >= _WIDEST_RANGE:
            raise UnexpectedReplyError(f"{what}: range {item!r} is too wide")
        numbers.update(range(low, high + 1))
    return frozenset(numbers)


def parse_syscfgex_orders(value: str) -> tuple[str, ...]:
    """The acquisition orders of ``AT^SYSCFGEX=?`` (``("00","03","02","01","99"),...``)."""
    (orders,) = _listed_groups(value, "^SYSCFGEX", 1)
    return tuple(order.upper() for order in split_fields(orders) if order)


def parse_syscfg_choices(value: str) -> tuple[frozenset[int], frozenset[int]]:
    """The modes and acquisition orders of ``AT^SYSCFG=?`` (``(2,13,14,16),(0-3),...``)."""
    modes, orders = _listed_groups(value or SYSCFG_TEST_WITHOUT_LISTS, "^SYSCFG", 2)
    return _numbers(modes, "^SYSCFG mode"), _numbers(orders, "^SYSCFG order")


def parse_syscfgex(value: str) -> tuple[str, str, str]:
    """``"00",3FFFFFFF,1,2,7FFFFFFFFFFFFFFF``: the order, the 2G/3G bands, the LTE bands
    (empty on firmware without LTE)."""
    fields = split_fields(value)
    if len(fields) < 2 or not fields[0]:
        raise UnexpectedReplyError(f"^SYSCFGEX: unreadable {value!r}")
    return fields[0].upper(), fields[1], optional_text(fields, 4) or ""


def parse_syscfg(value: str) -> tuple[int, int]:
    """``2,0,3FFFFFFF,1,2``: the mode and the acquisition order."""
    fields = split_fields(value)
    if len(fields) < 2:
        raise UnexpectedReplyError(f"^SYSCFG: too few fields in {value!r}")
    return parse_int(fields[0], "^SYSCFG mode"), parse_int(fields[1], "^SYSCFG order")


def parse_nwtime(value: str) -> NetworkTime:
    """``14/08/05,04:00:21+40,00``: local time, zone in quarter hours, daylight saving hours."""
    fields = split_fields(value)
    if len(fields) < 2:
        raise UnexpectedReplyError(f"^NWTIME: too few fields in {value!r}")
    local, offset = network_clock(f"{fields[0]},{fields[1]}", "^NWTIME")
    return NetworkTime(time=local, utc_offset=offset, daylight_saving_hours=optional_int(fields, 2))


# --- SIM ----------------------------------------------------------------------------------------


def parse_huawei_cpin(value: str) -> SimStatus:
    """``SIM PIN,3,10,3,10,3``: code, times, PUK tries, PIN tries, PUK2 tries, PIN2 tries."""
    fields = split_fields(value)
    if len(fields) < 4:
        raise UnexpectedReplyError(f"^CPIN: too few fields in {value!r}")
    puk_attempts_left = optional_int(fields, 2)
    state = parse_cpin(fields[0])
    if puk_attempts_left == 0 and state is not SimState.READY:
        state = SimState.FAILURE  # no PUK tries left: the SIM is blocked for good
    return SimStatus(
        state=state,
        pin_attempts_left=optional_int(fields, 3),
        puk_attempts_left=puk_attempts_left,
    )


# --- port profile -------------------------------------------------------------------------------


def _codes(part: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in part.split(",") if code.strip())


def parse_port_profile(text: str) -> PortProfile:
    """``A1,A2;12,1,16,A1,A2`` (``^SETPORT?`` value, or the argument of ``AT^SETPORT=``)."""
    first, separator, second = unquote(text.strip()).partition(";")
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
        port = optional_int([number], 0)
        if colon and port is not None:
            ports[name.strip().lower()] = port
        elif entry.upper().startswith("TYPE:"):
            mode = entry.partition(":")[2].strip() or None
    return PortLayout(mode=mode, ports=ports)


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
    return _USSD_DECODERS[_ussd_charset(dcs)](bytes.fromhex(text.strip()))


def parse_cusd(value: str) -> UssdResponse:
    """``0,"<hex>",15`` → the decoded answer."""
    fields = split_fields(value)
    status = parse_int(fields[0], "+CUSD status")
    dcs = optional_int(fields, 2)
    text = fields[1] if len(fields) > 1 else ""
    return UssdResponse(status=status, text=decode_ussd(text, dcs), dcs=dcs)


# --- calls --------------------------------------------------------------------------------------


def parse_call_id(value: str) -> int:
    """The call id of ``^ORIG:<id>,<type>``, ``^CONF:<id>`` and ``^CONN:<id>,<type>``."""
    return parse_int(split_fields(value)[0], "call id")


def parse_cend(value: str) -> CallEnded:
    """``^CEND:<id>,<duration>,<end status>[,<cc cause>]``."""
    fields = split_fields(value)
    if len(fields) < 2:
        raise UnexpectedReplyError(f"^CEND: too few fields in {value!r}")
    return CallEnded(
        call_id=parse_int(fields[0], "^CEND id"),
        duration=parse_int(fields[1], "^CEND duration"),
        cause=optional_int(fields, 3),
        end_status=optional_int(fields, 2),
    )


def parse_cvoice(value: str) -> bool:
    """``^CVOICE: <mode>,<rate>,<bits>,<period>``: whether voice is on (mode 0)."""
    return parse_int(split_fields(value)[0], "^CVOICE mode") == 0


def as_port_profile(profile: PortProfile | str) -> PortProfile:
    """A port profile to store: as given, or read from its text (UnsafePortProfileError when
    it cannot be read: nothing unreadable is ever stored)."""
    if isinstance(profile, PortProfile):
        return profile
    try:
        return parse_port_profile(profile)
    except UnexpectedReplyError as err:
        raise UnsafePortProfileError(str(err), profile) from None
