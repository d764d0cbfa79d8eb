"""SMS PDU codec: encoding SMS-SUBMIT, addresses, validity periods, what cannot be sent."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from custom_components.huawei_modem.modem.errors import InvalidNumberError, PduError
from custom_components.huawei_modem.modem.pdu import (
    OutgoingPdu,
    SmsSubmit,
    decode_pdu,
    encode_address,
    encode_sms,
    encode_smsc,
    encode_timestamp,
    normalize_number,
)

from .pdu_helpers import WHEN, deliver_pdu


def test_encode_reproduces_the_published_submit() -> None:
    [pdu] = encode_sms("+46708251358", "hellohello", validity=timedelta(days=4))
    assert pdu == OutgoingPdu("0011000B916407281553F80000AA0AE8329BFD4697D9EC37", 23)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "0001000A81103254769800000AE8329BFD4697D9EC37"),
        ({"request_status_report": True}, "0021000A81103254769800000AE8329BFD4697D9EC37"),
        ({"flash": True}, "0001000A81103254769800100AE8329BFD4697D9EC37"),
        (
            {"encoding": "ucs2"},
            "0001000A81103254769800081400680065006C006C006F00680065006C006C006F",
        ),
        ({"smsc": "+491710760000"}, "079194710167000001000A81103254769800000AE8329BFD4697D9EC37"),
        ({"validity": timedelta(hours=1)}, "0011000A81103254769800000B0AE8329BFD4697D9EC37"),
    ],
)
def test_encode_options(kwargs: dict[str, Any], expected: str) -> None:
    [pdu] = encode_sms("0123456789", "hellohello", **kwargs)
    assert pdu.pdu == expected
    smsc_octets = int(expected[:2], 16) + 1
    assert pdu.tpdu_length == len(expected) // 2 - smsc_octets


@pytest.mark.parametrize(
    ("kwargs", "message_class", "encoding"),
    [
        ({"flash": True}, 0, "gsm7"),
        ({"flash": True, "encoding": "ucs2"}, 0, "ucs2"),
        ({}, None, "gsm7"),
        ({"encoding": "auto"}, None, "gsm7"),
    ],
)
def test_flash_is_class_zero(
    kwargs: dict[str, Any], message_class: int | None, encoding: str
) -> None:
    [pdu] = encode_sms("+4917012345", "Alarm!", **kwargs)
    message = decode_pdu(pdu.pdu)
    assert isinstance(message, SmsSubmit)
    assert (message.message_class, message.encoding, message.text) == (
        message_class,
        encoding,
        "Alarm!",
    )


@pytest.mark.parametrize(
    ("validity", "octet"),
    [
        (timedelta(minutes=1), 0x00),
        (timedelta(minutes=5), 0x00),
        (timedelta(minutes=6), 0x01),
        (timedelta(hours=12), 143),
        (timedelta(hours=12, minutes=1), 144),
        (timedelta(hours=24), 167),
        (timedelta(days=2), 168),
        (timedelta(days=30), 196),
        (timedelta(days=31), 197),
        (timedelta(weeks=63), 255),
        (timedelta(weeks=100), 255),
    ],
)
def test_relative_validity_encoding(validity: timedelta, octet: int) -> None:
    [pdu] = encode_sms("+4917012345", "x", validity=validity)
    tpdu = bytes.fromhex(pdu.pdu)[1:]
    assert tpdu[0] & 0x18 == 0x10
    assert tpdu[11] == octet  # after first octet, MR, 7-octet address, PID, DCS


@pytest.mark.parametrize(
    ("octet", "validity"),
    [
        (0, timedelta(minutes=5)),
        (143, timedelta(hours=12)),
        (144, timedelta(hours=12, minutes=30)),
        (167, timedelta(hours=24)),
        (168, timedelta(days=2)),
        (196, timedelta(days=30)),
        (197, timedelta(weeks=5)),
        (255, timedelta(weeks=63)),
    ],
)
def test_relative_validity_decoding(octet: int, validity: timedelta) -> None:
    message = decode_pdu(f"00110004812143 0000 {octet:02X} 0141")
    assert isinstance(message, SmsSubmit)
    assert (message.validity, message.text) == (validity, "A")


@pytest.mark.parametrize(
    ("first_octet", "field", "validity", "valid_until"),
    [
        (0x09, "01AD0000000000", timedelta(days=7), None),  # enhanced, relative octet
        (0x09, "021E0000000000", timedelta(seconds=30), None),  # enhanced, seconds
        (0x09, "03103254000000", timedelta(hours=1, minutes=23, seconds=45), None),  # hh mm ss
        (0x09, "07000000000000", None, None),  # enhanced, reserved format
        (0x09, "03AA0000000000", None, None),  # enhanced hh mm ss, not decimal
        (0x19, encode_timestamp(WHEN).hex(), None, WHEN),  # absolute
    ],
)
def test_enhanced_and_absolute_validity(
    first_octet: int, field: str, validity: timedelta | None, valid_until: datetime | None
) -> None:
    message = decode_pdu(f"00{first_octet:02X}00 04812143 0000 {field} 0141")
    assert isinstance(message, SmsSubmit)
    assert (message.validity, message.valid_until, message.text) == (validity, valid_until, "A")


@pytest.mark.parametrize(
    ("number", "address"),
    [
        ("+46708251358", "0B916407281553F8"),
        ("0123456789", "0A811032547698"),
        ("+49 170 123-45 (6)", "0B919471103254F6"),
        ("*100#", "05811A00FB"),
        ("12", "028121"),
    ],
)
def test_numeric_addresses(number: str, address: str) -> None:
    assert encode_address(number).hex().upper() == address
    assert decode_pdu(deliver_pdu(sender=number)).number == normalize_number(number)


@pytest.mark.parametrize(
    ("name", "address"),
    [("diafaan", "0DD0E474D81C0EBB01"), ("Vodafone", "0ED0D637396C7EBBCB"), ("", "0081")],
)
def test_alphanumeric_addresses(name: str, address: str) -> None:
    assert encode_address(name).hex().upper() == address
    assert decode_pdu(deliver_pdu(sender=name)).number == name


def test_alphanumeric_address_too_long() -> None:
    with pytest.raises(PduError, match="longer than 11"):
        encode_address("A very long sender")


@pytest.mark.parametrize(
    ("smsc", "field"),
    [(None, "00"), ("", "00"), ("+491710760000", "0791947101670000"), ("112", "038111F2")],
)
def test_smsc_field(smsc: str | None, field: str) -> None:
    assert encode_smsc(smsc).hex().upper() == field


def test_odd_smsc_digit_count_is_padded() -> None:
    assert encode_smsc("+27381000015").hex().upper() == "07917283010010F5"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "empty"),
        ("+", "empty"),
        ("  ", "empty"),
        ("+49 170 CALL ME", "only hold digits"),
        ("0170/12345x", "only hold digits"),
        ("49+170", "only hold digits"),
        ("١٢٣", "only hold digits"),  # Arabic-Indic digits are not dialable in an SMS address
        ("+" + "1" * 21, "has 21 digits"),
    ],
)
def test_invalid_numbers_are_refused(number: str, message: str) -> None:
    with pytest.raises(InvalidNumberError, match=message):
        normalize_number(number)
    with pytest.raises(InvalidNumberError, match=message):
        encode_sms(number, "hello")


def test_alphanumeric_destination_is_refused() -> None:
    with pytest.raises(InvalidNumberError):
        encode_sms("Vodafone", "hi")


def test_longest_number_is_accepted() -> None:
    [pdu] = encode_sms("+" + "9" * 20, "x")
    assert decode_pdu(pdu.pdu).number == "+" + "9" * 20


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"encoding": "gsm7", "text": "emoji 😀"}, "not in the GSM 7-bit alphabet"),
        ({"encoding": "latin1", "text": "x"}, "unknown encoding"),
        ({"encoding": "ucs2", "text": "half \ud83d"}, "lone surrogate"),
        ({"text": "x" * 153 * 256}, "at most 255"),
        ({"text": "x" * 200, "reference": 70000}, "outside 0..65535"),
        ({"text": "x" * 200, "reference": -1}, "outside 0..255"),
    ],
)
def test_encode_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(PduError, match=message):
        encode_sms("+4917012345", **kwargs)
