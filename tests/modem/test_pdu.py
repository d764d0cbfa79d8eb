"""SMS PDU codec: published PDUs, PDUs built field by field, every error path."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from custom_components.huawei_modem.modem.errors import InvalidNumberError, PduError
from custom_components.huawei_modem.modem.gsm7 import encode_gsm7, pack_septets
from custom_components.huawei_modem.modem.inbox_rules import join_parts
from custom_components.huawei_modem.modem.pdu import (
    Concat,
    MessageWaiting,
    OutgoingPdu,
    SmsDeliver,
    SmsStatusReport,
    SmsSubmit,
    concat_header,
    decode_pdu,
    encode_address,
    encode_sms,
    encode_smsc,
    encode_timestamp,
    encode_user_data,
    normalize_number,
    split_text,
)

TZ_PLUS_2 = timezone(timedelta(hours=2))
WHEN = datetime(2024, 5, 17, 13, 45, 30, tzinfo=TZ_PLUS_2)


def deliver_pdu(
    text: str = "hi",
    *,
    sender: str = "+4915112345678",
    encoding: str = "gsm7",
    dcs: int | None = None,
    header: bytes = b"",
    when: datetime = WHEN,
    smsc: str | None = "+491710760000",
) -> str:
    """An SMS-DELIVER built from the codec's primitives, as the emulator builds them."""
    first_octet = 0x04 | (0x40 if header else 0x00)
    if dcs is None:
        dcs = 0x08 if encoding == "ucs2" else 0x00
    length, user_data = encode_user_data(text, encoding, header)
    tpdu = (
        bytes((first_octet,))
        + encode_address(sender)
        + bytes((0x00, dcs))
        + encode_timestamp(when)
        + bytes((length,))
        + user_data
    )
    return (encode_smsc(smsc) + tpdu).hex().upper()


def decode_submit(pdu: str) -> SmsSubmit:
    message = decode_pdu(pdu)
    assert isinstance(message, SmsSubmit)
    return message


def fields(message: object, **expected: Any) -> dict[str, Any]:
    return {name: getattr(message, name) for name in expected}


# --- published PDUs -----------------------------------------------------------------------------

PUBLISHED = [
    pytest.param(
        # The classic SMS-DELIVER of the GSM 03.40 tutorials (dreamfabric): type of number 0xC8.
        "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37",
        SmsDeliver,
        {
            "number": "27838890001",
            "smsc": "+27381000015",
            "text": "hellohello",
            "encoding": "gsm7",
            "timestamp": datetime(1999, 3, 29, 15, 16, 59, tzinfo=TZ_PLUS_2),
            "concat": None,
            "message_class": None,
        },
        id="dreamfabric-deliver",
    ),
    pytest.param(
        # Its SMS-SUBMIT counterpart, with a relative validity period of 0xAA (4 days).
        "0011000B916407281553F80000AA0AE8329BFD4697D9EC37",
        SmsSubmit,
        {
            "number": "+46708251358",
            "text": "hellohello",
            "validity": timedelta(days=4),
            "message_reference": 0,
            "request_status_report": False,
            "smsc": None,
        },
        id="dreamfabric-submit",
    ),
    pytest.param(
        # developershome.com's SMS-DELIVER, zone +08:00 (0x23).
        "07915892000000F0040B915892214365F700007040213252242321493A283D0795C3F33C88FE06C9CB61"
        "32885EC6D341EDF27C1E3E97E72E",
        SmsDeliver,
        {
            "number": "+85291234567",
            "smsc": "+85290000000",
            "text": "It is easy to read text messages.",
            "timestamp": datetime(2007, 4, 12, 23, 25, 42, tzinfo=timezone(timedelta(hours=8))),
        },
        id="developershome-deliver",
    ),
    pytest.param(
        "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07",
        SmsDeliver,
        {
            "number": "+31641600986",
            "text": "How are you?",
            "timestamp": datetime(2002, 8, 26, 19, 37, 41, tzinfo=UTC),  # zone "-0"
        },
        id="how-are-you",
    ),
    pytest.param(
        # Alphanumeric sender (type 0xD0, 13 semi-octets -> 7 characters).
        "0791448720003023240DD0E474D81C0EBB010000111011315214000BE474D81C0EBB5DE3771B",
        SmsDeliver,
        {
            "number": "diafaan",
            "smsc": "+447802000332",
            "text": "diafaan.com",
            "timestamp": datetime(2011, 1, 11, 13, 25, 41, tzinfo=UTC),
        },
        id="alphanumeric-sender",
    ),
    pytest.param(
        "07914306073011F0040B914316709807F2000880604290224080084E2D5174901A8BAF",
        SmsDeliver,
        {"number": "+34610789702", "text": "中兴通讯", "encoding": "ucs2"},
        id="ucs2-chinese",
    ),
    pytest.param(
        "0791947106004034040C9194715455247500002150118142134005C8329BFD06",
        SmsDeliver,
        {
            "number": "+491745554257",
            "smsc": "+491760000443",
            "text": "Hello",
            "timestamp": datetime(2012, 5, 11, 18, 24, 31, tzinfo=timezone(timedelta(hours=1))),
        },
        id="german-hello",
    ),
    pytest.param(
        "0006D60B911326880736F4111011719551401110117195714000",
        SmsStatusReport,
        {
            "reference": 0xD6,
            "number": "+31628870634",
            "timestamp": datetime(2011, 1, 11, 17, 59, 15, tzinfo=timezone(timedelta(hours=1))),
            "discharge_time": datetime(
                2011, 1, 11, 17, 59, 17, tzinfo=timezone(timedelta(hours=1))
            ),
            "status": 0,
            "delivered": True,
            "smsc": None,
            "text": "",
        },
        id="status-report-delivered",
    ),
]


@pytest.mark.parametrize(("pdu", "kind", "expected"), PUBLISHED)
def test_published_pdus(pdu: str, kind: type, expected: dict[str, Any]) -> None:
    message = decode_pdu(pdu)
    assert type(message) is kind
    assert fields(message, **expected) == expected


def test_decode_without_smsc_and_from_bytes() -> None:
    tpdu = "11000B916407281553F80000AA0AE8329BFD4697D9EC37"
    assert decode_pdu(tpdu, smsc_included=False).text == "hellohello"
    assert decode_pdu(bytes.fromhex("00" + tpdu)).text == "hellohello"
    assert decode_pdu("00 " + tpdu.lower()).text == "hellohello"


# --- encoding -----------------------------------------------------------------------------------


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


# --- splitting and concatenation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "lengths"),
    [
        ("", "gsm7", [0]),
        ("x" * 160, "gsm7", [160]),
        ("x" * 161, "gsm7", [153, 8]),
        ("x" * 306, "gsm7", [153, 153]),
        ("x" * 307, "gsm7", [153, 153, 1]),
        ("€" * 80, "gsm7", [80]),  # 160 septets
        ("€" * 81, "gsm7", [76, 5]),  # 153 septets would cut an escape: 152 then
        ("x" + "€" * 80, "gsm7", [77, 4]),  # exactly 153 septets fit
        ("ж" * 70, "ucs2", [70]),
        ("ж" * 71, "ucs2", [67, 4]),
        ("😀" * 35, "ucs2", [35]),  # 70 UTF-16 units
        ("😀" * 36, "ucs2", [33, 3]),  # 67 units would split an emoji: 66
        ("x" + "😀" * 40, "ucs2", [34, 7]),  # 1 + 33 * 2 = 67 units fit
    ],
)
def test_split_text(text: str, encoding: str, lengths: list[int]) -> None:
    chosen, parts = split_text(text)
    assert chosen == encoding
    assert [len(part) for part in parts] == lengths
    assert "".join(parts) == text


def test_split_text_forced_encoding() -> None:
    assert split_text("abc", "ucs2") == ("ucs2", ["abc"])
    with pytest.raises(PduError, match="unknown encoding"):
        split_text("abc", "8bit")


@pytest.mark.parametrize("reference", [0, 7, 255, 256, 0xBEEF])
@pytest.mark.parametrize(
    "text",
    ["G" * 400, "[]{}€" * 70, "ж" * 150, "😀 ok " * 40, "x" * 150 + "€" + "y" * 20],
)
def test_multipart_round_trip(reference: int, text: str) -> None:
    pdus = encode_sms("+4917012345", text, reference=reference)
    assert len(pdus) > 1
    messages = [decode_submit(pdu.pdu) for pdu in pdus]
    for sequence, message in enumerate(messages, start=1):
        assert message.concat == Concat(reference, len(pdus), sequence)
        assert pdus[sequence - 1].tpdu_length == len(pdus[sequence - 1].pdu) // 2 - 1
    joined = join_parts(reversed(messages))
    assert joined.text == text
    assert joined.concat is None


def test_user_data_never_exceeds_140_octets() -> None:
    for text in ("x" * 1000, "€" * 500, "ж" * 500, "😀" * 300):
        for reference in (1, 1000):
            for pdu in encode_sms("+4917012345", text, reference=reference):
                tpdu = bytes.fromhex(pdu.pdu)[1:]
                assert len(tpdu) - 12 <= 140  # header: fo, MR, 7-octet DA, PID, DCS, UDL


def test_references_count_up_when_not_given() -> None:
    first = decode_pdu(encode_sms("+4917012345", "x" * 200)[0].pdu)
    second = decode_pdu(encode_sms("+4917012345", "x" * 200)[0].pdu)
    assert first.concat is not None
    assert second.concat is not None
    assert second.concat.reference == (first.concat.reference + 1) % 256


HEADER_CASES = [
    pytest.param(concat_header(9, 2, 1), 1, id="8-bit-reference-fill-1"),
    pytest.param(concat_header(0x1234, 2, 1, sixteen_bit=True), 0, id="16-bit-reference-no-fill"),
    pytest.param(concat_header(9, 2, 1) + b"\x05\x04\x0b\x84\x23\xf0", 2, id="with-port-ie"),
    pytest.param(b"\x24\x01\x01", 3, id="national-language-ie-only"),
    pytest.param(bytes((0x70, 0)), 4, id="empty-ie"),
    pytest.param(b"\x0a\x05abcde", 6, id="fill-6"),
]


@pytest.mark.parametrize(("header", "fill"), HEADER_CASES)
def test_fill_bits_for_any_header_length(header: bytes, fill: int) -> None:
    text = "Hello first character"
    length, user_data = encode_user_data(text, "gsm7", header)
    udh_octets = len(header) + 1
    assert (7 - udh_octets % 7) % 7 == fill
    # The text starts `fill` bits into the octet after the header, packed independently here.
    assert user_data[udh_octets:] == pack_septets(encode_gsm7(text), fill)
    assert length == (udh_octets * 8 + fill) // 7 + len(text)
    message = decode_pdu(deliver_pdu(text, header=header))
    assert message.text == text
    kept = b"".join(bytes((iei, len(value))) + value for iei, value in message.udh)
    assert kept == header


@pytest.mark.parametrize("encoding", ["gsm7", "ucs2"])
def test_concat_ie_found_after_other_elements(encoding: str) -> None:
    header = b"\x24\x01\x01" + concat_header(42, 3, 2)
    message = decode_pdu(deliver_pdu("part two", header=header, encoding=encoding))
    assert message.concat == Concat(42, 3, 2)
    assert message.udh == ((0x24, b"\x01"), (0x00, bytes((42, 3, 2))))
    assert message.text == "part two"


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(b"\x00\x03\x01\x02\x00", id="sequence-0"),
        pytest.param(b"\x00\x03\x01\x02\x03", id="sequence-above-total"),
        pytest.param(b"\x00\x02\x01\x02", id="wrong-length-8"),
        pytest.param(b"\x08\x03\x01\x02\x01", id="wrong-length-16"),
    ],
)
def test_invalid_concat_elements_are_ignored(header: bytes) -> None:
    message = decode_pdu(deliver_pdu("still readable", header=header))
    assert message.concat is None
    assert message.text == "still readable"


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((7, 3, 1), {}, "0003070301"),
        ((0xABCD, 3, 2), {"sixteen_bit": True}, "0804ABCD0302"),
        ((5, 255, 255), {}, "000305FFFF"),
    ],
)
def test_concat_header(args: tuple[int, int, int], kwargs: dict[str, bool], expected: str) -> None:
    assert concat_header(*args, **kwargs).hex().upper() == expected


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((256, 2, 1), {}), ((1, 2, 0), {}), ((1, 2, 3), {}), ((1, 256, 1), {}), ((-1, 2, 1), {})],
)
def test_concat_header_errors(args: tuple[int, int, int], kwargs: dict[str, bool]) -> None:
    with pytest.raises(PduError):
        concat_header(*args, **kwargs)


def test_encode_user_data_unknown_encoding() -> None:
    with pytest.raises(PduError, match="unknown encoding"):
        encode_user_data("x", "8bit")


def test_join_parts_pairs_an_emoji_split_by_the_sender() -> None:
    # Another phone cut a surrogate pair between two parts: each part alone shows a half.
    smile = "😀".encode("utf-16-be")
    header_1, header_2 = concat_header(5, 2, 1), concat_header(5, 2, 2)
    part_1 = _deliver_raw_ucs2("ab".encode("utf-16-be") + smile[:2], header_1)
    part_2 = _deliver_raw_ucs2(smile[2:] + "cd".encode("utf-16-be"), header_2)
    first, second = decode_pdu(part_1), decode_pdu(part_2)
    assert first.text == "ab\ud83d"
    assert second.text == "\ude00cd"
    assert isinstance(first, SmsDeliver)
    assert isinstance(second, SmsDeliver)
    assert join_parts([second, first]).text == "ab😀cd"


def test_join_parts_replaces_halves_that_stay_alone() -> None:
    part = _deliver_raw_ucs2("x".encode("utf-16-be") + b"\xd8\x3d", concat_header(6, 2, 1))
    other = _deliver_raw_ucs2(b"\x00y", concat_header(6, 2, 2))
    first, second = decode_pdu(part), decode_pdu(other)
    assert isinstance(first, SmsDeliver)
    assert isinstance(second, SmsDeliver)
    assert join_parts([first, second]).text == "x\ufffdy"


@pytest.mark.parametrize(
    ("payload", "text"),
    [
        (b"\xd8\x3d\x00a", "\ufffda"),  # high half in the middle
        (b"\x00a\xde\x00", "a\ufffd"),  # low half at the end
        (b"\xde\x00\x00a\xd8\x3d", "\ufffda\ufffd"),
        (b"\x00a\x00", "a"),  # odd octet count: the trailing octet is dropped
    ],
)
def test_lone_surrogates_in_single_messages(payload: bytes, text: str) -> None:
    assert decode_pdu(_deliver_raw_ucs2(payload, b"")).text == text


def _deliver_raw_ucs2(payload: bytes, header: bytes) -> str:
    udh = bytes((len(header),)) + header if header else b""
    first_octet = 0x44 if header else 0x04
    tpdu = (
        bytes((first_octet,))
        + encode_address("+4917012345")
        + b"\x00\x08"
        + encode_timestamp(WHEN)
        + bytes((len(udh) + len(payload),))
        + udh
        + payload
    )
    return "00" + tpdu.hex()


# --- data coding scheme -------------------------------------------------------------------------

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


# --- status reports -----------------------------------------------------------------------------

STATUS_CASES = [
    (0x00, True, True),
    (0x01, True, True),
    (0x02, True, True),  # replaced by the service centre
    (0x03, True, True),  # reserved, still "transaction completed"
    (0x1F, True, True),  # specific to the service centre, completed
    (0x20, False, False),  # congestion: still trying
    (0x30, False, False),
    (0x40, False, True),  # failed for good
    (0x65, False, True),
]


def status_report(status: int, tail: str = "", smsc: str = "00") -> str:
    scts = encode_timestamp(WHEN).hex()
    discharge = encode_timestamp(WHEN + timedelta(seconds=9)).hex()
    address = encode_address("+4917012345").hex()
    return f"{smsc}062A{address}{scts}{discharge}{status:02X}{tail}"


@pytest.mark.parametrize(("status", "delivered", "final"), STATUS_CASES)
def test_status_report_statuses(status: int, delivered: bool, final: bool) -> None:
    report = decode_pdu(status_report(status))
    assert isinstance(report, SmsStatusReport)
    assert (report.reference, report.number, report.status) == (0x2A, "+4917012345", status)
    assert (report.delivered, report.final) == (delivered, final)
    assert report.timestamp == WHEN
    assert report.discharge_time == WHEN + timedelta(seconds=9)


@pytest.mark.parametrize(
    ("tail", "text", "encoding"),
    [
        ("00", "", "gsm7"),  # parameter indicator with nothing set
        ("FF", "", "gsm7"),  # reserved bits: padding, not parameters
        ("0100", "", "gsm7"),  # protocol identifier only
        ("030000", "", "gsm7"),  # PID and DCS, no user data
        ("060003C8F71D", "How", "gsm7"),
        ("0700080400480069", "Hi", "ucs2"),
    ],
)
def test_status_report_optional_parameters(tail: str, text: str, encoding: str) -> None:
    report = decode_pdu(status_report(0, tail, smsc="0791947101670000"))
    assert isinstance(report, SmsStatusReport)
    assert (report.text, report.encoding) == (text, encoding)
    assert report.smsc == "+491710760000"


# --- malformed input ----------------------------------------------------------------------------

GOOD = deliver_pdu("hello")
MALFORMED = [
    ("", "ends before the SMSC field"),
    ("zz", "not hexadecimal"),
    ("0", "not hexadecimal"),
    ("00", "ends before the first octet"),
    ("0003", "reserved"),
    ("07914306", "ends inside the SMSC field"),
    ("0004", "ends before the originating address"),
    ("00040B91", "ends inside the originating address"),
    ("0004038121F300", "ends before the data coding scheme"),
    ("0004038121F30000", "ends before the service centre timestamp"),
    ("0004038121F30000AA5001413254", "ends inside the service centre timestamp"),
    ("0004038121F30000" + "42507131540380", "ends before the user data length"),
    ("0004038121F30000" + "42507131540380" + "05C8F7", "fewer than the 5 septets"),
    ("0004038121F30008" + "42507131540380" + "04004800", "fewer than the 4 octets"),
    ("0044038121F30000" + "42507131540380" + "02", "header is longer"),
    ("0044038121F30000" + "42507131540380" + "0105", "header is longer"),
    ("0044038121F30000" + "42507131540380" + "020100", "header ends inside"),
    ("0044038121F30000" + "42507131540380" + "0403000201", "overruns"),
    ("0044038121F30000" + "42507131540380" + "01050003000201", "fewer than the 1 septets"),
    ("0044038121F30008" + "42507131540380" + "01050003000201", "fewer than the 1 octets"),
    ("0004038121F30000" + "4A507131540380" + "00", "not decimal"),
    ("0004038121F30000" + "42517131540380" + "00", "not a valid date"),
    ("0001000381", "ends inside the destination address"),
    ("001100038121430000", "ends before the validity period"),
    ("000900038121430000", "ends before the validity period"),
    ("00090003812143000001", "ends inside the validity period"),
    ("00190003812143000000", "ends inside the validity period"),
    ("0002", "ends before the message reference"),
    ("00022A0381214342507131540380", "ends before the discharge time"),
    ("00022A038121434250713154038042", "ends inside the discharge time"),
    ("00022A038121434250713154038042507131540380", "ends before the status"),
    (status_report(0, "01"), "ends before the protocol identifier"),
    (status_report(0, "02"), "ends before the data coding scheme"),
    (status_report(0, "04"), "ends before the user data length"),
]


@pytest.mark.parametrize(("pdu", "message"), MALFORMED)
def test_malformed_pdus(pdu: str, message: str) -> None:
    with pytest.raises(PduError, match=message):
        decode_pdu(pdu)


def test_truncating_a_good_pdu_always_raises_pdu_error() -> None:
    for end in range(0, len(GOOD) - 2, 2):
        with pytest.raises(PduError):
            decode_pdu(GOOD[:end])


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="not hexadecimal"):
        decode_pdu("xyz")


def test_messages_are_frozen() -> None:
    message = decode_pdu(GOOD)
    with pytest.raises(FrozenInstanceError):
        message.text = "changed"  # type: ignore[misc]
