"""Parsers of Huawei replies, fed with real reply strings (odd forms included)."""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.errors import UnexpectedReplyError
from custom_components.huawei_modem.modem.gsm7 import encode_gsm7, pack_septets
from custom_components.huawei_modem.modem.models import (
    AccessTechnology,
    MessageStatus,
    PortProfile,
    Registration,
    RegistrationState,
    SignalQuality,
    SimState,
    SimStatus,
    StorageUsage,
)
from custom_components.huawei_modem.modem.replies import (
    after_prefix,
    best_registration,
    decode_ussd,
    encode_ussd,
    parse_cmgl,
    parse_cmgr,
    parse_cnum,
    parse_cops,
    parse_cpin,
    parse_cpms,
    parse_csq,
    parse_cusd,
    parse_getportmode,
    parse_hcsq,
    parse_huawei_cpin,
    parse_memory_index,
    parse_port_profile,
    parse_registration,
    parse_rssi,
    parse_setport_supported,
    parse_sysinfo,
    parse_sysinfoex,
    plain_value,
    split_fields,
    value_of,
)

LTE = AccessTechnology.LTE
WCDMA = AccessTechnology.WCDMA
GSM = AccessTechnology.GSM


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            '"LTE",30,19,66,0',
            SignalQuality(LTE, rssi_dbm=-91, rsrp_dbm=-122, sinr_db=-7.0, rsrq_db=-20.0),
        ),
        (
            '"LTE",50,46,161,24',
            SignalQuality(LTE, rssi_dbm=-71, rsrp_dbm=-95, sinr_db=12.0, rsrq_db=-8.0),
        ),
        ('"WCDMA",36,36,52', SignalQuality(WCDMA, rssi_dbm=-85, rscp_dbm=-85, ecio_db=-6.5)),
        ('"GSM",40', SignalQuality(GSM, rssi_dbm=-81)),
        ("LTE,255,255,255,255", SignalQuality(LTE)),
        ('"NOSERVICE"', SignalQuality(AccessTechnology.NONE)),
        ('"CDMA",40', SignalQuality(AccessTechnology.UNKNOWN)),
    ],
)
def test_hcsq(value: str, expected: SignalQuality) -> None:
    assert parse_hcsq(value) == expected


@pytest.mark.parametrize(("value", "expected"), [("20,99", 20), ("99,99", None), ("0,0", 0)])
def test_csq(value: str, expected: int | None) -> None:
    assert parse_csq(value) == expected


def test_csq_garbage_is_unexpected() -> None:
    with pytest.raises(UnexpectedReplyError):
        parse_csq("x,99")


def test_rssi_push() -> None:
    signal = parse_rssi("21")
    assert (signal.csq, signal.rssi_dbm) == (21, -71)
    assert parse_rssi("99") == SignalQuality()


def test_sysinfoex() -> None:
    info = parse_sysinfoex('2,3,0,1,,3,"WCDMA",41,"HSPA+"')
    assert (info.service_status, info.service_domain, info.roaming) == (2, 3, False)
    assert (info.sim_valid, info.sim_missing, info.in_service) == (True, False, True)
    assert (info.access_technology, info.mode_name, info.submode_name) == (WCDMA, "WCDMA", "HSPA+")


def test_sysinfoex_unquoted_roaming_lte() -> None:
    info = parse_sysinfoex("2,3,1,1,,6,LTE,101,LTE")
    assert (info.roaming, info.access_technology, info.mode_name) == (True, LTE, "LTE")


def test_sysinfoex_no_service_and_no_sim() -> None:
    info = parse_sysinfoex('0,0,0,255,,0,"NO SERVICE",0,"NO SERVICE"')
    assert (info.in_service, info.sim_missing, info.sim_valid) == (False, True, False)
    assert info.access_technology is AccessTechnology.NONE


def test_sysinfoex_short_form() -> None:
    info = parse_sysinfoex("2,3,0,1,,3")
    assert (info.access_technology, info.mode_name) == (WCDMA, None)
    with pytest.raises(UnexpectedReplyError):
        parse_sysinfoex("2,3,0")


@pytest.mark.parametrize(
    ("value", "technology", "submode"),
    [
        ("2,3,0,5,1,,4", WCDMA, "WCDMA"),
        ("2,3,0,5,1,,9", WCDMA, "HSPA+"),
        ("2,3,0,3,1,,3", GSM, "EDGE"),
        ("0,0,0,0,1,,0", AccessTechnology.NONE, None),
        ("2,3,0,42,1", AccessTechnology.UNKNOWN, None),
    ],
)
def test_sysinfo(value: str, technology: AccessTechnology, submode: str | None) -> None:
    info = parse_sysinfo(value)
    assert (info.access_technology, info.submode_name) == (technology, submode)


def test_sysinfo_too_short() -> None:
    with pytest.raises(UnexpectedReplyError):
        parse_sysinfo("2,3,0")


@pytest.mark.parametrize(
    ("value", "state"),
    [
        ("READY", SimState.READY),
        ("SIM PIN", SimState.PIN_REQUIRED),
        (" SIM PUK", SimState.PUK_REQUIRED),
        ('"SIM PIN"', SimState.PIN_REQUIRED),
        ("SIM PIN2", SimState.OTHER),
        ("PH-NET PIN", SimState.OTHER),
    ],
)
def test_cpin(value: str, state: SimState) -> None:
    assert parse_cpin(value) is state


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SIM PIN,3,10,3,10,3", SimStatus(SimState.PIN_REQUIRED, 3, 10)),
        ("SIM PIN,2,10,2,10,3", SimStatus(SimState.PIN_REQUIRED, 2, 10)),
        ("SIM PUK,10,10,0,10,3", SimStatus(SimState.PUK_REQUIRED, 0, 10)),
        ("READY,,10,3,10,3", SimStatus(SimState.READY, 3, 10)),
        ("SIM PUK,0,0,0,10,3", SimStatus(SimState.FAILURE, 0, 0)),
    ],
)
def test_huawei_cpin(value: str, expected: SimStatus) -> None:
    assert parse_huawei_cpin(value) == expected


def test_huawei_cpin_too_short() -> None:
    with pytest.raises(UnexpectedReplyError):
        parse_huawei_cpin("READY")


@pytest.mark.parametrize(
    ("value", "name", "technology"),
    [
        ('0,0,"Telekom.de",7', "Telekom.de", LTE),
        ("0,0,Telekom.de,2", "Telekom.de", WCDMA),
        ('0,2,"26201",0', "26201", GSM),
        ('1,0,"o2 - de"', "o2 - de", AccessTechnology.UNKNOWN),
        ('0,0,"X",9', "X", AccessTechnology.UNKNOWN),
    ],
)
def test_cops(value: str, name: str, technology: AccessTechnology) -> None:
    operator = parse_cops(value)
    assert operator is not None
    assert (operator.name, operator.access_technology) == (name, technology)


@pytest.mark.parametrize("value", ["0", "0,0,", "2"])
def test_cops_without_operator(value: str) -> None:
    assert parse_cops(value) is None


@pytest.mark.parametrize(
    ("value", "solicited", "expected"),
    [
        ("0,1", True, Registration(RegistrationState.HOME)),
        (
            '2,5,"1A2B","01C3D4E5",7',
            True,
            Registration(RegistrationState.ROAMING, "1A2B", "01C3D4E5"),
        ),
        ("1", False, Registration(RegistrationState.HOME)),
        ('1,"1A2B","01C3D4E5"', False, Registration(RegistrationState.HOME, "1A2B", "01C3D4E5")),
        ('1,"1A2B","01C3D4E5"', True, Registration(RegistrationState.HOME, "1A2B", "01C3D4E5")),
        ("2", True, Registration(RegistrationState.SEARCHING)),
        ("0,3", True, Registration(RegistrationState.DENIED)),
        ("0,9", True, Registration(RegistrationState.UNKNOWN)),
    ],
)
def test_registration(value: str, solicited: bool, expected: Registration) -> None:
    assert parse_registration(value, solicited=solicited) == expected


def test_registration_flags() -> None:
    assert Registration(RegistrationState.ROAMING).registered
    assert not Registration(RegistrationState.SEARCHING).registered


def test_best_registration() -> None:
    home, searching = (
        Registration(RegistrationState.HOME),
        Registration(RegistrationState.SEARCHING),
    )
    assert best_registration([searching, home]) is RegistrationState.HOME
    assert best_registration([searching]) is RegistrationState.SEARCHING
    assert best_registration([]) is RegistrationState.UNKNOWN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A1,A2;12,1,16,A1,A2", PortProfile(("A1", "A2"), ("12", "1", "16", "A1", "A2"))),
        ('"FF;10,12"', PortProfile(("FF",), ("10", "12"))),
        ("ff; 10 , 12,", PortProfile(("FF",), ("10", "12"))),
    ],
)
def test_port_profile(text: str, expected: PortProfile) -> None:
    profile = parse_port_profile(text)
    assert profile == expected
    assert profile.has_pcui


def test_port_profile_helpers() -> None:
    profile = parse_port_profile("A1,A2;1,3,16,A1,A2")
    assert not profile.has_pcui
    assert str(profile) == "A1,A2;1,3,16,A1,A2"
    assert parse_port_profile("FF;10,12").codes == {"10", "12"}


@pytest.mark.parametrize("text", ["10,12", "FF;", ";10,12", ""])
def test_port_profile_refused(text: str) -> None:
    with pytest.raises(UnexpectedReplyError):
        parse_port_profile(text)


def test_setport_supported_with_odd_line_ends() -> None:
    lines = [
        "^SETPORT:A1: CDROM",
        "^SETPORT:A2: SD",
        "^SETPORT:10: 4G MODEM",
        "^SETPORT:12: 4G PCUI",
    ]
    lines += ["", "^SETPORT:16: NCM", "^SETPORT: broken"]
    assert parse_setport_supported(lines) == {
        "A1": "CDROM",
        "A2": "SD",
        "10": "4G MODEM",
        "12": "4G PCUI",
        "16": "NCM",
    }


def test_getportmode() -> None:
    layout = parse_getportmode("TYPE: WCDMA: huawei,MDM:0,PCUI:1,NDIS:2,CDROM:3,SD:4,")
    assert layout.mode == "WCDMA: huawei"
    assert layout.ports == {"mdm": 0, "pcui": 1, "ndis": 2, "cdrom": 3, "sd": 4}
    assert layout.pcui_interface == 1
    assert parse_getportmode("MODEM:0,DIAG:1").pcui_interface is None


def test_cpms() -> None:
    assert parse_cpms('"SM",3,30,"SM",3,30,"ME",0,100') == [
        StorageUsage("SM", 3, 30),
        StorageUsage("SM", 3, 30),
        StorageUsage("ME", 0, 100),
    ]
    with pytest.raises(UnexpectedReplyError):
        parse_cpms('"SM"')
    with pytest.raises(UnexpectedReplyError):
        parse_cpms('"SM",a,30')


DELIVER = "07919471060040340404D0E474D8FC09000062403121000080054A4EA3C301"


def test_cmgl_keeps_each_pdu_with_its_header() -> None:
    lines = [
        "+CMGL: 0,1,,24",
        DELIVER,
        "+CMGL: 3,0,,24",
        "\x00\xff garbage",
        DELIVER.lower(),
        "",
    ]
    entries = parse_cmgl(lines)
    assert [(e.index, e.status, e.pdu) for e in entries] == [
        (0, MessageStatus.READ, DELIVER),
        (3, MessageStatus.UNREAD, DELIVER),
    ]
    assert parse_cmgl([]) == []


def test_cmgl_header_without_pdu() -> None:
    with pytest.raises(UnexpectedReplyError):
        parse_cmgl(["+CMGL: 0,1,,24"])
    with pytest.raises(UnexpectedReplyError):
        parse_cmgl(["+CMGL: 0,7,,24", DELIVER])


def test_cmgr() -> None:
    entry = parse_cmgr(["+CMGR: 1,,24", DELIVER])
    assert (entry.index, entry.status, entry.pdu) == (None, MessageStatus.READ, DELIVER)
    with pytest.raises(UnexpectedReplyError):
        parse_cmgr(["OK"])


def test_memory_index() -> None:
    assert parse_memory_index('"SM",3') == ("SM", 3)
    assert parse_memory_index("ME,12") == ("ME", 12)
    with pytest.raises(UnexpectedReplyError):
        parse_memory_index('"SM"')


def test_cnum() -> None:
    assert parse_cnum(['+CNUM: "","+491701234567",145']) == "+491701234567"
    assert parse_cnum(['+CNUM: "Own",,129']) is None
    assert parse_cnum([]) is None


@pytest.mark.parametrize(
    ("code", "packed"),
    [
        ("*100#", "AA180C3602"),
        ("*101#", "AA182C3602"),
        ("1234567", "31D98C56B3DD1A"),  # 7 septets: padded with CR
        ("12345678", "31D98C56B3DD70"),  # 8 septets: no spare bits, no padding
        ("1234567@", "31D98C56B3DD00"),  # a real "@" on the octet boundary
        ("1234567\r", "31D98C56B3DD1A0D"),  # a wanted CR on the boundary: one more CR
    ],
)
def test_ussd_code_is_packed(code: str, packed: str) -> None:
    assert encode_ussd(code) == packed


# USSD padding (TS 23.038 §6.1.2.3.1), checked against the septets read bit by bit from the hex.
_DIGITS = "12345678901234567890"  # the digits have their ASCII values in GSM 7-bit


def _wire_septets(packed_hex: str) -> bytes:
    """Every septet the octets hold, LSB first, read apart from gsm7's packing code."""
    bits = "".join(f"{octet:08b}"[::-1] for octet in bytes.fromhex(packed_hex))
    return bytes(int(bits[start : start + 7][::-1], 2) for start in range(0, len(bits) - 6, 7))


@pytest.mark.parametrize("length", range(1, 21))
def test_ussd_round_trip_pads_7_spare_bits_with_cr(length: int) -> None:
    text = _DIGITS[:length]
    packed = encode_ussd(text)
    padding = b"\r" if length % 8 == 7 else b""
    assert _wire_septets(packed) == text.encode() + padding
    assert decode_ussd(packed, 15) == text


@pytest.mark.parametrize("length", range(1, 21))
def test_ussd_keeps_a_trailing_at_sign(length: int) -> None:
    text = _DIGITS[: length - 1] + "@"
    packed = encode_ussd(text)
    assert _wire_septets(packed)[length - 1] == 0x00  # "@", then the padding CR if any
    assert decode_ussd(packed, 15) == text


@pytest.mark.parametrize("length", range(1, 21))
def test_ussd_trailing_carriage_return(length: int) -> None:
    text = _DIGITS[: length - 1] + "\r"
    packed = encode_ussd(text)
    added = "\r" if length % 8 in (0, 7) else ""  # the padding CR, or the wanted CR once more
    assert _wire_septets(packed) == (text + added).encode()
    # A wanted CR ending on an octet boundary goes out twice and the receiver shows both.
    shown = text + "\r" if length % 8 == 0 else text
    assert decode_ussd(packed, 15) == shown


@pytest.mark.parametrize("length", [8, 16, 24])
def test_ussd_of_8n_septets_has_no_padding(length: int) -> None:
    text = (_DIGITS * 2)[:length]
    packed = encode_ussd(text)
    assert len(packed) == 2 * 7 * length // 8
    assert decode_ussd(packed, 15) == text


def test_ussd_answers() -> None:
    balance = encode_ussd("Balance: 5.00 EUR")
    assert parse_cusd(f'0,"{balance}",15').text == "Balance: 5.00 EUR"
    ucs2 = "Guthaben €".encode("utf-16-be").hex().upper()
    assert parse_cusd(f'1,"{ucs2}",72').text == "Guthaben €"
    assert parse_cusd(f'1,"{ucs2}",72').needs_reply
    assert parse_cusd('0,"plain text",15').text == "plain text"
    assert (parse_cusd("2").text, parse_cusd("2").dcs) == ("", None)
    assert decode_ussd("4142", 0x44) == "AB"
    assert decode_ussd("4142", 0xF4) == "AB"
    assert decode_ussd(encode_ussd("hi"), 0xF0) == "hi"
    assert decode_ussd("00410042", 0x11) == "AB"
    assert decode_ussd("4142", None) == "4142"
    # 7 spare bits a sender left as zero read as "@": only a CR is padding (§6.1.2.3.1).
    unpadded = pack_septets(encode_gsm7("Guthabe")).hex()
    assert decode_ussd(unpadded, 15) == "Guthabe@"


def test_field_helpers() -> None:
    assert split_fields('1,"a,b", c ,') == ["1", "a,b", "c", ""]
    assert after_prefix("+CSQ: 20,99", "+csq") == "20,99"
    assert after_prefix("+CSQX: 1", "+CSQ") is None
    assert value_of(["x", '^HCSQ:"GSM",40'], "^HCSQ") == '"GSM",40'
    with pytest.raises(UnexpectedReplyError):
        value_of([], "+CSQ")
    assert plain_value(["", "866123456789012"]) == "866123456789012"
    assert plain_value(["+CGSN: 866123456789012"], "+CGSN") == "866123456789012"
    assert plain_value(['"huawei"'], "+CGMI") == "huawei"
    with pytest.raises(UnexpectedReplyError):
        plain_value([" "])
