"""GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1), septet packing.

Septets are handled as ``bytes`` holding one septet value (0..127) per byte. Everything here is
table driven or done with whole-integer shifts: no per-bit Python loops.
"""

from __future__ import annotations

import codecs
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


def _build_decode_table() -> str:
    # Values 128..255 cannot be septets; they are read modulo 128 rather than rejected.
    return "".join(_DEFAULT_ALPHABET[value & 0x7F] for value in range(256))


_ENCODE_TABLE = _build_encode_table()
_DECODE_TABLE = _build_decode_table()
_GSM7_CHARACTERS = frozenset(_DEFAULT_ALPHABET.replace("\x1b", "")) | frozenset(_EXTENSION.values())
_EXTENSION_CHARACTERS = frozenset(_EXTENSION.values())
# After the default table is applied, an escape is followed by the default character of its code.
_ESCAPED_DECODE = {_DEFAULT_ALPHABET[code]: char for code, char in _EXTENSION.items()}
_SEPTET_MASK = bytes(value & 0x7F for value in range(256))
_ESCAPE_SEQUENCE = re.compile("\x1b(.?)", re.DOTALL)
_ESCAPE_BYTE = bytes((ESCAPE,))
_DOUBLE_ESCAPE = _ESCAPE_BYTE * 2
# A value marked with bit 7 (0x80 + code) followed an escape: the table's upper half gives the
# extension character of the code, or its default character when the code is unknown.
_ESCAPE_MARKS = bytes(0x80 if value == ESCAPE else 0 for value in range(256))
_ESCAPED_DECODE_TABLE = _DEFAULT_ALPHABET + "".join(
    _EXTENSION.get(code, _DEFAULT_ALPHABET[code]) for code in range(128)
)


def is_gsm7(text: str) -> bool:
    """Tell whether every character of ``text`` exists in the GSM default or extension table."""
    return _GSM7_CHARACTERS.issuperset(text)


def encode_gsm7(text: str) -> bytes:
    """Encode text as septet values, extension characters as ``0x1B`` + code.

    Raises PduError naming the first character that has no GSM 7-bit representation.
    """
    translated = text.translate(_ENCODE_TABLE)
    if not translated.isascii() or _UNREPRESENTABLE in translated:
        bad = min(set(text) - _GSM7_CHARACTERS, key=text.index)
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
    # CPython takes a decoding table of characters here (as its cp125x codecs do); typeshed
    # only knows the dict form, which is seven times slower.
    text = codecs.charmap_decode(septets, "strict", _DECODE_TABLE)[0]  # type: ignore[arg-type]
    if "\x1b" in text:
        text = _decode_escaped(septets.translate(_SEPTET_MASK))
    return text


def _charmap(septets: bytes, table: str) -> str:
    return codecs.charmap_decode(septets, "strict", table)[0]  # type: ignore[arg-type]


def _decode_escaped(septets: bytes) -> str:
    """Decode septet values (0..127) holding escapes."""
    if _DOUBLE_ESCAPE in septets:  # an escape may pair with the next escape: match pair by pair
        return _ESCAPE_SEQUENCE.sub(_resolve_escape, _charmap(septets, _DECODE_TABLE))
    if septets.endswith(_ESCAPE_BYTE):  # a lone trailing escape shows a space
        septets = septets[:-1] + b" "
    # Every escape now pairs with the value after it: mark all those values at once, by
    # shifting the escapes' marks one octet up, then drop the escapes.
    marks = int.from_bytes(septets.translate(_ESCAPE_MARKS), "little") << 8
    marked = (int.from_bytes(septets, "little") | marks).to_bytes(len(septets), "little")
    return _charmap(marked.replace(_ESCAPE_BYTE, b""), _ESCAPED_DECODE_TABLE)


def septet_length(text: str) -> int:
    """Count the septets ``text`` needs in GSM 7-bit: extension characters count two."""
    return len(text) + sum(map(text.count, _EXTENSION_CHARACTERS))


# Septet k sits at bit 7k when packed and at bit 8k (its own octet) when unpacked. Both
# directions move every septet at once on one big integer: step b shifts, by 2**b bits, the
# septets whose index has bit b set (Hacker's Delight 7-4, compress/expand).


def _septet_masks(capacity_bits: int, *, packed_below: bool) -> tuple[tuple[int, int], ...]:
    steps = []
    for bit in range(capacity_bits):
        shift = 1 << bit
        mask = 0
        for index in range(shift, 1 << capacity_bits):
            if index & shift:
                if packed_below:  # bits below b already moved: the septet is at 8k - (k mod 2**b)
                    position = 8 * index - (index & (shift - 1))
                else:  # bits above b already moved: the septet is at 7k + (k without bits 0..b)
                    position = 7 * index + (index & ~((shift << 1) - 1))
                mask |= 0x7F << position
        steps.append((mask, shift))
    return tuple(steps)


@lru_cache(maxsize=16)
def _gather_steps(capacity_bits: int) -> tuple[tuple[int, int], ...]:
    """(mask, right shift) steps from bit 8k to bit 7k, for up to 2**capacity_bits septets."""
    return _septet_masks(capacity_bits, packed_below=True)


@lru_cache(maxsize=16)
def _spread_steps(capacity_bits: int) -> tuple[tuple[int, int], ...]:
    """(mask, left shift) steps from bit 7k to bit 8k, for up to 2**capacity_bits septets."""
    return tuple(reversed(_septet_masks(capacity_bits, packed_below=False)))


def _capacity_bits(count: int) -> int:
    return (count - 1).bit_length() if count else 0


def pack_septets(septets: bytes, fill_bits: int = 0) -> bytes:
    """Pack septets LSB first into octets, after ``fill_bits`` zero bits (0..6).

    Only the low seven bits of each value are used.
    """
    count = len(septets)
    value = int.from_bytes(septets.translate(_SEPTET_MASK), "little")
    for mask, shift in _gather_steps(_capacity_bits(count)):
        moving = value & mask
        value ^= moving
        value |= moving >> shift
    return (value << fill_bits).to_bytes((fill_bits + 7 * count + 7) // 8, "little")


def unpack_septets(data: bytes, count: int, fill_bits: int = 0) -> bytes:
    """Read ``count`` septets packed LSB first in ``data``, skipping ``fill_bits`` leading bits.

    Missing trailing bits read as zero; callers check the length they expect.
    """
    value = (int.from_bytes(data, "little") >> fill_bits) & ((1 << 7 * count) - 1)
    for mask, shift in _spread_steps(_capacity_bits(count)):
        moving = value & mask
        value ^= moving
        value |= moving << shift
    return value.to_bytes(count, "little")


# USSD and cell broadcast strings carry no septet count: the receiver reads as many septets as
# the octets hold, so 7 spare bits at the end would read as one more septet, "@" (0x00). The
# sender fills them with a CR instead, and the receiver drops a final CR that ends on an octet
# boundary; a wanted final CR that ends there is therefore sent twice (TS 23.038 §6.1.2.3.1).
CARRIAGE_RETURN: int = 0x0D
_PADDING = bytes((CARRIAGE_RETURN,))


def _needs_padding_cr(septets: bytes) -> bool:
    spare_septet = len(septets) % 8 == 7
    wanted_cr_on_boundary = len(septets) % 8 == 0 and septets.endswith(_PADDING)
    return spare_septet or wanted_cr_on_boundary


def pack_ussd(text: str) -> bytes:
    """Pack ``text`` as a USSD string: GSM 7-bit, a CR in 7 spare bits (TS 23.038 §6.1.2.3.1).

    A text of 8n septets ending in CR gets a second CR, which the receiver shows as well.
    Raises PduError for a character with no GSM 7-bit representation.
    """
    septets = encode_gsm7(text)
    if _needs_padding_cr(septets):
        septets += _PADDING
    return pack_septets(septets)


def unpack_ussd(packed: bytes) -> str:
    """Unpack a USSD string: a final CR ending on an octet boundary is the padding and goes.

    Any other final septet is text, a trailing "@" included; never raises.
    """
    septets = unpack_septets(packed, len(packed) * 8 // 7)
    if len(septets) % 8 == 0 and septets.endswith(_PADDING):
        septets = septets[:-1]
    return decode_gsm7(septets)
