"""Parsers of Huawei's own replies (^HCSQ, ^SYSINFOEX, ^CPIN, ^SETPORT, USSD), fed with real
reply strings (odd forms included)."""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.call_models import CallEndCause, CallEnded
from custom_components.huawei_modem.modem.errors import UnexpectedReplyError
from custom_components.huawei_modem.modem.gsm7 import encode_gsm7, pack_septets
from custom_components.huawei_modem.modem.huawei_replies import (
    decode_ussd,
    encode_ussd,
    parse_call_id,
    parse_cend,
    parse_cusd,
    parse_cvoice,
    parse_getportmode,
    parse_hcsq,
    parse_huawei_cpin,
    parse_port_profile,
    parse_rssi,
    parse_setport_supported,
    parse_sysinfo,
    parse_sysinfoex,
)
from custom_components.huawei_modem.modem.models import (
    AccessTechnology,
    PortProfile,
    SignalQuality,
    SimState,
    SimStatus,
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


# --- calls --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("1,0", 1), ("3", 3), (" 7 , 0", 7)])
def test_call_id(value: str, expected: int) -> None:
    assert parse_call_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected", "reason"),
    [
        ("1,0,104,16", CallEnded(1, 0, 16, 104), CallEndCause.NORMAL_CLEARING),
        ("2,0,29,17", CallEnded(2, 0, 17, 29), CallEndCause.USER_BUSY),
        ("3,0,29,19", CallEnded(3, 0, 19, 29), CallEndCause.NO_ANSWER),
        ("4,0,104,21", CallEnded(4, 0, 21, 104), CallEndCause.CALL_REJECTED),
        ("5,42,29,31", CallEnded(5, 42, 31, 29), CallEndCause.OTHER),
        ("6,12,29", CallEnded(6, 12, None, 29), CallEndCause.OTHER),
    ],
)
def test_cend(value: str, expected: CallEnded, reason: CallEndCause) -> None:
    assert parse_cend(value) == expected
    assert parse_cend(value).reason is reason


@pytest.mark.parametrize("value", ["1", "x,0,29,16", ""])
def test_unreadable_cend(value: str) -> None:
    with pytest.raises(UnexpectedReplyError):
        parse_cend(value)


@pytest.mark.parametrize(("value", "voice"), [("0,8000,16,20", True), ("1,8000,16,20", False)])
def test_cvoice(value: str, voice: bool) -> None:
    assert parse_cvoice(value) is voice
