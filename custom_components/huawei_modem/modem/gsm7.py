"""GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1), septet packing.

Septets are handled as ``bytes`` holding one septet value (0..127) per byte. Everything here is
table driven or done with whole-integer shifts: no per-bit Python loops.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import PduError

ESCAPE: int = 0x1B

# Position = septet value. 0x1B (the escape) decodes to itself here and is resolved afterwards.
_DEFAULT_ALPHABET = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_EXTENSION = {
    0x0A: "\f",
    0x14: "^",
    0x28: "{",
    0x29: "}",
    0x2F: "\\",
    0x3C: "[",
    0x3D: "~",
    0x3E: "]",
    0x40: "|",
    0x65: "€",
}

# Marks a character with no GSM 7-bit representation after str.translate: it is not ASCII.
_UNREPRESENTABLE = "\x80"


def _build_encode_table() -> dict[int, str]:
    table: dict[int, str] = {code: _UNREPRESENTABLE for code in range(128)}
    for septet, char in enumerate(_DEFAULT_ALPHABET):
        if septet != ESCAPE:
            table[ord(char)] = chr(septet)
    for code, char in _EXTENSION.items():
        table[ord(char)] = chr(ESCAPE) + chr(code)
    return table


def _build_decode_table() -> dict[int, str]:
    # Values 128..255 cannot be septets; they are read modulo 128 rather than rejected.
    return {value: _DEFAULT_ALPHABET[value & 0x7F] for value in range(256)}


_ENCODE_TABLE = _build_encode_table()
_DECODE_TABLE = _build_decode_table()
_GSM7_CHARACTERS = frozenset(_DEFAULT_ALPHABET.replace("\x1b", "")) | frozenset(_EXTENSION.values())
_EXTENSION_CHARACTERS = frozenset(_EXTENSION.values())
# After the default table is applied, an escape is followed by the default character of its code.
_ESCAPED_DECODE = {_DEFAULT_ALPHABET[code]: char for code, char in _EXTENSION.items()}
_SEPTET_MASK = bytes(value & 0x7F for value in range(256))
_ESCAPE_SEQUENCE = re.compile("\x1b(.?)", re.DOTALL)


def is_gsm7(text: str) -> bool:
    """Tell whether every character of ``text`` exists in the GSM default or extension table."""
    return _GSM7_CHARACTERS.issuperset(text)


def encode_gsm7(text: str) -> bytes:
    """Encode text as septet values, extension characters as ``0x1B`` + code.

    Raises PduError naming the first character that has no GSM 7-bit representation.
    """
    translated = text.translate(_ENCODE_TABLE)
    if not translated.isascii() or _UNREPRESENTABLE in translated:
        bad = next(char for char in text if char not in _GSM7_CHARACTERS)
        raise PduError(f"character {bad!r} (U+{ord(bad):04X}) is not in the GSM 7-bit alphabet")
    return translated.encode("ascii")


def _resolve_escape(match: re.Match[str]) -> str:
    following = match.group(1)
    if following in ("", "\x1b"):
        # A lone trailing escape, or the escape to a further (unsupported) table: show a space.
        return " "
    # Unknown extension codes show the default character (TS 23.038 §6.2.1.1).
    return _ESCAPED_DECODE.get(following, following)


def decode_gsm7(septets: bytes) -> str:
    """Decode septet values to text; tolerant: never raises, whatever the values."""
    text = septets.decode("latin-1").translate(_DECODE_TABLE)
    if "\x1b" in text:
        text = _ESCAPE_SEQUENCE.sub(_resolve_escape, text)
    return text


def septet_length(text: str) -> int:
    """Count the septets ``text`` needs in GSM 7-bit: extension characters count two."""
    return len(text) + sum(map(text.count, _EXTENSION_CHARACTERS))


@lru_cache(maxsize=32)
def _lane_masks(lanes: int) -> tuple[int, int, int, int, int, int]:
    """Masks for moving septets inside 64-bit lanes (eight septets <-> seven octets)."""

    def repeat(lane_mask: int) -> int:
        return int.from_bytes(lane_mask.to_bytes(8, "little") * lanes, "little")

    return (
        repeat(0x007F_007F_007F_007F),  # low septet of each 16-bit group
        repeat(0x7F00_7F00_7F00_7F00),  # high septet of each 16-bit group
        repeat(0x0000_3FFF_0000_3FFF),  # low 14 bits of each 32-bit group
        repeat(0x3FFF_0000_3FFF_0000),  # high 14 bits of each 32-bit group
        repeat(0x0000_0000_0FFF_FFFF),  # low 28 bits of each lane
        repeat(0x0FFF_FFFF_0000_0000),  # high 28 bits of each lane
    )


def pack_septets(septets: bytes, fill_bits: int = 0) -> bytes:
    """Pack septets LSB first into octets, after ``fill_bits`` zero bits (0..6).

    Only the low seven bits of each value are used.
    """
    septets = septets.translate(_SEPTET_MASK)
    count = len(septets)
    lanes = (count + 7) // 8
    lo7, hi7, lo14, hi14, lo28, hi28 = _lane_masks(lanes)
    value = int.from_bytes(septets, "little")
    value = (value & lo7) | ((value & hi7) >> 1)
    value = (value & lo14) | ((value & hi14) >> 2)
    value = (value & lo28) | ((value & hi28) >> 4)
    lane_bytes = bytearray(value.to_bytes(8 * lanes, "little"))
    del lane_bytes[7::8]  # the eighth octet of every lane is empty now
    bit_count = fill_bits + 7 * count
    packed = int.from_bytes(lane_bytes, "little") << fill_bits
    return packed.to_bytes((bit_count + 7) // 8, "little")


def unpack_septets(data: bytes, count: int, fill_bits: int = 0) -> bytes:
    """Read ``count`` septets packed LSB first in ``data``, skipping ``fill_bits`` leading bits.

    Missing trailing bits read as zero; callers check the length they expect.
    """
    lanes = (count + 7) // 8
    lo7, hi7, lo14, hi14, lo28, hi28 = _lane_masks(lanes)
    value = (int.from_bytes(data, "little") >> fill_bits) & ((1 << (7 * count)) - 1)
    packed = value.to_bytes(7 * lanes, "little")
    spread = bytearray(8 * lanes)
    for offset in range(7):
        spread[offset::8] = packed[offset::7]
    value = int.from_bytes(spread, "little")
    value = (value & lo28) | ((value << 4) & hi28)
    value = (value & lo14) | ((value << 2) & hi14)
    value = (value & lo7) | ((value << 1) & hi7)
    return value.to_bytes(8 * lanes, "little")[:count]
