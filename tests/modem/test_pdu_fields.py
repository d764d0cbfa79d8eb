"""SMS PDU codec: the data coding scheme and timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from custom_components.huawei_modem.modem.errors import PduError
from custom_components.huawei_modem.modem.pdu import (
    MessageWaiting,
    SmsDeliver,
    decode_pdu,
    encode_address,
    encode_timestamp,
)

from .pdu_helpers import TZ_PLUS_2, WHEN, deliver_pdu

DCS_CASES = [
    (0x00, "gsm7", None, None),
    (0x04, "8bit", None, None),
    (0x08, "ucs2", None, None),
    (0x0C, "gsm7", None, None),  # reserved alphabet: GSM 7-bit
    (0x10, "gsm7", 0, None),
    (0x11, "gsm7", 1, None),
    (0x16, "8bit", 2, None),
    (0x1B, "ucs2", 3, None),
    (0x40, "gsm7", None, None),  # marked for automatic deletion
    (0x48, "ucs2", None, None),
    (0x52, "gsm7", 2, None),
    (0x80, "gsm7", None, None),  # reserved coding groups
    (0xB8, "gsm7", None, None),
    (0xC0, "gsm7", None, MessageWaiting(kind=0, active=False, store=False)),
    (0xC8, "gsm7", None, MessageWaiting(kind=0, active=True, store=False)),
    (0xD9, "gsm7", None, MessageWaiting(kind=1, active=True, store=True)),
    (0xD0, "gsm7", None, MessageWaiting(kind=0, active=False, store=True)),
    (0xEA, "ucs2", None, MessageWaiting(kind=2, active=True, store=True)),
    (0xE3, "ucs2", None, MessageWaiting(kind=3, active=False, store=True)),
    (0xF0, "gsm7", 0, None),
    (0xF1, "gsm7", 1, None),
    (0xF6, "8bit", 2, None),
    (0xF7, "8bit", 3, None),
]


@pytest.mark.parametrize(("dcs", "encoding", "message_class", "waiting"), DCS_CASES)
def test_data_coding_groups(
    dcs: int, encoding: str, message_class: int | None, waiting: MessageWaiting | None
) -> None:
    text = "Voicemail: 2 new"
    if encoding == "8bit":
        tpdu_text = deliver_pdu(text, encoding="ucs2", dcs=dcs)
        expected_text = text.encode("utf-16-be").decode("latin-1")
    else:
        tpdu_text = deliver_pdu(text, encoding=encoding, dcs=dcs)
        expected_text = text
    message = decode_pdu(tpdu_text)
    assert isinstance(message, SmsDeliver)
    assert (message.encoding, message.message_class, message.message_waiting) == (
        encoding,
        message_class,
        waiting,
    )
    assert message.text == expected_text


@pytest.mark.parametrize("dcs", [0x20, 0x24, 0x30, 0x60])
def test_compressed_text_is_refused(dcs: int) -> None:
    with pytest.raises(PduError, match="compressed"):
        decode_pdu(deliver_pdu(dcs=dcs))


def test_eight_bit_data_with_port_header() -> None:
    # A WAP push style message: 8-bit data after an application port header.
    header = b"\x05\x04\x0b\x84\x23\xf0"
    udh = bytes((len(header),)) + header
    payload = bytes(range(0x80, 0x90))
    tpdu = (
        b"\x44"
        + encode_address("+4917012345")
        + b"\x00\x04"
        + encode_timestamp(WHEN)
        + bytes((len(udh) + len(payload),))
        + udh
        + payload
    )
    message = decode_pdu("00" + tpdu.hex())
    assert message.encoding == "8bit"
    assert message.text.encode("latin-1") == payload
    assert message.udh == ((0x05, b"\x0b\x84\x23\xf0"),)


# --- timestamps ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "octets"),
    [
        (datetime(2024, 5, 17, 13, 45, 30, tzinfo=TZ_PLUS_2), "42507131540380"),
        (datetime(2024, 12, 31, 23, 59, 59, tzinfo=UTC), "42211332959500"),
        (datetime(2023, 1, 2, 3, 4, 5, tzinfo=timezone(-timedelta(hours=5))), "3210203040500A"),
        (
            datetime(2023, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=5, minutes=45))),
            "32102030405032",
        ),
        (
            datetime(2023, 1, 2, 3, 4, 5, tzinfo=timezone(-timedelta(hours=9, minutes=30))),
            "3210203040508B",
        ),
    ],
)
def test_timestamps_both_ways(when: datetime, octets: str) -> None:
    assert encode_timestamp(when).hex().upper() == octets
    message = decode_pdu(deliver_pdu(when=when))
    assert isinstance(message, SmsDeliver)
    assert message.timestamp == when
    assert message.timestamp.utcoffset() == when.utcoffset()


@pytest.mark.parametrize(
    ("zone_octet", "offset"),
    [
        (0x08, timedelta(0)),  # "-0"
        (0x48, -timedelta(hours=1)),
        (0xA0, timedelta(hours=2, minutes=30)),  # units nibble 0xA read as 10 quarters
        (0xF3, timedelta(hours=11, minutes=15)),  # 3 tens + 15 units = 45 quarters
        (0xFF, -timedelta(hours=21, minutes=15)),
    ],
)
def test_broken_zone_nibbles_are_tolerated(zone_octet: int, offset: timedelta) -> None:
    pdu = bytearray.fromhex(deliver_pdu(when=WHEN, smsc=None))
    timestamp_start = 1 + 1 + len(encode_address("+4915112345678")) + 2
    pdu[timestamp_start + 6] = zone_octet
    message = decode_pdu(pdu.hex())
    assert isinstance(message, SmsDeliver)
    assert message.timestamp.replace(tzinfo=None) == WHEN.replace(tzinfo=None)
    assert message.timestamp.utcoffset() == offset


def test_year_pivot() -> None:
    for when in (datetime(1999, 1, 1, tzinfo=UTC), datetime(2068, 1, 1, tzinfo=UTC)):
        message = decode_pdu(deliver_pdu(when=when))
        assert isinstance(message, SmsDeliver)
        assert message.timestamp == when


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (datetime(2024, 1, 1), "timezone-aware"),
        (datetime(2024, 1, 1, tzinfo=timezone(timedelta(minutes=10))), "quarter hours"),
        (datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=20))), "quarter hours"),
    ],
)
def test_encode_timestamp_errors(when: datetime, message: str) -> None:
    with pytest.raises(PduError, match=message):
        encode_timestamp(when)
