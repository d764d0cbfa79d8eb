"""GSM 7-bit default alphabet, extension table and septet packing (TS 23.038 §6)."""

from __future__ import annotations

import random

import pytest

from custom_components.huawei_modem.modem.errors import PduError
from custom_components.huawei_modem.modem.gsm7 import (
    ESCAPE,
    decode_gsm7,
    encode_gsm7,
    is_gsm7,
    pack_septets,
    septet_length,
    unpack_septets,
)

# The default alphabet as printed in TS 23.038 §6.2.1, row by row (0x1B is the escape).
DEFAULT_ALPHABET = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = {"\f": 0x0A, "^": 0x14, "{": 0x28, "}": 0x29, "\\": 0x2F, "[": 0x3C, "~": 0x3D}
EXTENSION |= {"]": 0x3E, "|": 0x40, "€": 0x65}


def reference_pack(septets: bytes, fill_bits: int = 0) -> bytes:
    """Straightforward bit-by-bit packing to check the table-driven one against."""
    bits = [0] * fill_bits
    for septet in septets:
        bits.extend((septet >> bit) & 1 for bit in range(7))
    bits.extend([0] * (-len(bits) % 8))
    return bytes(
        sum(bits[start + bit] << bit for bit in range(8)) for start in range(0, len(bits), 8)
    )


@pytest.mark.parametrize(("septet", "char"), list(enumerate(DEFAULT_ALPHABET)))
def test_default_alphabet_both_ways(septet: int, char: str) -> None:
    if septet == ESCAPE:
        assert not is_gsm7(char)
        return
    assert encode_gsm7(char) == bytes((septet,))
    assert decode_gsm7(bytes((septet,))) == char
    assert septet_length(char) == 1


@pytest.mark.parametrize(("char", "code"), EXTENSION.items())
def test_extension_table_both_ways(char: str, code: int) -> None:
    assert encode_gsm7(char) == bytes((ESCAPE, code))
    assert decode_gsm7(bytes((ESCAPE, code))) == char
    assert septet_length(char) == 2
    assert is_gsm7(char)


@pytest.mark.parametrize(
    ("text", "septets"),
    [
        ("", b""),
        ("hello", b"hello"),
        ("Price: 5€", b"Price: 5\x1b\x65"),
        ("{x}", b"\x1b\x28x\x1b\x29"),
        ("@£$", b"\x00\x01\x02"),
        ("ÄÖÑÜ§äöñüà", bytes([0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x7B, 0x7C, 0x7D, 0x7E, 0x7F])),
    ],
)
def test_encode_decode_text(text: str, septets: bytes) -> None:
    assert encode_gsm7(text) == septets
    assert decode_gsm7(septets) == text
    assert septet_length(text) == len(septets)


@pytest.mark.parametrize(
    ("text", "bad"),
    [("back`tick", "`"), ("smile 😀", "😀"), ("ç", "ç"), ("tab\t", "\t"), ("esc\x1b", "\x1b")],
)
def test_unrepresentable_characters(text: str, bad: str) -> None:
    assert not is_gsm7(text)
    with pytest.raises(PduError, match=f"U\\+{ord(bad):04X}"):
        encode_gsm7(text)


@pytest.mark.parametrize(
    ("septets", "text"),
    [
        (b"a\x1b", "a "),  # a lone escape at the end shows a space
        (b"\x1b\x1bA", " A"),  # escape to a further table: a space, then the next character
        (b"\x1b\x41", "A"),  # unknown extension code: the default character
        (b"\x1b\x0d", "\r"),
        (bytes([0xC1, 0x80]), "A@"),  # values above 127 are read modulo 128
    ],
)
def test_decode_is_tolerant(septets: bytes, text: str) -> None:
    assert decode_gsm7(septets) == text


def test_decode_never_raises_on_any_value() -> None:
    every_value = bytes(range(256))
    # 0x1B and 0x9B (read as 0x1B) each join the following value into one character.
    assert len(decode_gsm7(every_value)) == 254


def test_full_alphabet_round_trip() -> None:
    text = DEFAULT_ALPHABET.replace("\x1b", "") + "".join(EXTENSION)
    assert decode_gsm7(encode_gsm7(text)) == text
    assert septet_length(text) == 127 + 2 * len(EXTENSION)


def test_classic_hellohello_packing() -> None:
    # The worked example of TS 23.038 / the GSM 03.38 tutorials.
    packed = pack_septets(encode_gsm7("hellohello"))
    assert packed.hex().upper() == "E8329BFD4697D9EC37"
    assert decode_gsm7(unpack_septets(packed, 10)) == "hellohello"


@pytest.mark.parametrize("fill_bits", range(7))
@pytest.mark.parametrize("count", [0, 1, 7, 8, 9, 15, 16, 17, 153, 160, 161, 300])
def test_pack_matches_bitwise_reference(count: int, fill_bits: int) -> None:
    rng = random.Random(count * 7 + fill_bits)
    septets = bytes(rng.randrange(128) for _ in range(count))
    packed = pack_septets(septets, fill_bits)
    assert packed == reference_pack(septets, fill_bits)
    assert unpack_septets(packed, count, fill_bits) == septets


def test_pack_uses_only_seven_bits() -> None:
    assert pack_septets(b"\xff\x80") == pack_septets(b"\x7f\x00")


def test_fill_bits_are_zero() -> None:
    assert pack_septets(b"\x7f", 3) == bytes([0x7F << 3 & 0xFF, 0x7F >> 5])


def test_unpack_reads_short_data_as_zeros() -> None:
    assert unpack_septets(b"\x41", 3) == b"\x41\x00\x00"
