"""SMS PDU codec: splitting long texts, concatenation headers, fill bits, UCS-2 surrogates."""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.errors import PduError
from custom_components.huawei_modem.modem.gsm7 import encode_gsm7, pack_septets
from custom_components.huawei_modem.modem.inbox_rules import join_parts
from custom_components.huawei_modem.modem.pdu import (
    Concat,
    SmsDeliver,
    concat_header,
    decode_pdu,
    encode_address,
    encode_sms,
    encode_timestamp,
    encode_user_data,
    split_text,
)

from .pdu_helpers import WHEN, decode_submit, deliver_pdu


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
