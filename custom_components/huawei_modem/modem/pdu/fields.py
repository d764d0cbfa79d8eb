"""The fixed fields of a TPDU: semi-octets, addresses, timestamps, the data coding scheme."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from ..errors import InvalidNumberError, PduError
from ..gsm7 import decode_gsm7, encode_gsm7, pack_septets, unpack_septets
from .messages import MessageWaiting

MAX_NUMBER_DIGITS = 20
MAX_ALPHANUMERIC_LENGTH = 11

# First octet flags
UDHI = 0x40
STATUS_REPORT_REQUEST = 0x20

_TOA_INTERNATIONAL = 0x91
_TOA_NATIONAL = 0x81
_TOA_ALPHANUMERIC = 0xD0
_TON_MASK = 0x70
_TON_INTERNATIONAL = 0x10
_TON_ALPHANUMERIC = 0x50


_SWAP_NIBBLES = bytes(((value & 0x0F) << 4) | (value >> 4) for value in range(256))
# On the hex digits as ASCII: bytes.translate is far cheaper than str.translate with a dict.
_BCD_TO_TEXT = bytes.maketrans(b"abcde", b"*#abc")
_BCD_FILLER = b"f"
_TEXT_TO_BCD = str.maketrans({"*": "A", "#": "B"})


def _bcd_digits(raw: bytes, length: int) -> str:
    # An odd number ends in an F filling its last octet (the SMSC length counts it, too).
    digits = raw.translate(_SWAP_NIBBLES).hex()[:length].removesuffix("f")
    if digits.isdigit():
        return digits
    return digits.encode("ascii").translate(_BCD_TO_TEXT, _BCD_FILLER).decode("ascii")


def _bcd_octets(digits: str) -> bytes:
    if len(digits) % 2:
        digits += "F"
    return bytes.fromhex(digits.translate(_TEXT_TO_BCD)).translate(_SWAP_NIBBLES)


_DIALABLE = re.compile(r"\+?[0-9*#]+")
_NUMBER_SEPARATORS = str.maketrans("", "", " \t-()/.")


def normalize_number(number: str) -> str:
    """Validate a destination phone number and drop separators (spaces, dashes, brackets).

    Raises InvalidNumberError for an empty number, letters or other symbols, or more than 20
    digits.
    """
    cleaned = number.translate(_NUMBER_SEPARATORS)
    digits = cleaned.removeprefix("+")
    if not digits:
        raise InvalidNumberError(f"the phone number {number!r} is empty")
    if not _DIALABLE.fullmatch(cleaned):
        raise InvalidNumberError(
            f"the phone number {number!r} may only hold digits, * and #, after an optional +"
        )
    if len(digits) > MAX_NUMBER_DIGITS:
        raise InvalidNumberError(
            f"the phone number {number!r} has {len(digits)} digits, at most "
            f"{MAX_NUMBER_DIGITS} fit in an SMS"
        )
    return cleaned


def _numeric_address(number: str) -> tuple[int, bytes]:
    """(type of address, BCD value) of a number already normalised."""
    if number.startswith("+"):
        return _TOA_INTERNATIONAL, _bcd_octets(number[1:])
    return _TOA_NATIONAL, _bcd_octets(number)


def encode_smsc(number: str | None) -> bytes:
    """The SMSC field, its octet-length byte first; ``b"\\x00"`` (the stored centre) for None."""
    if not number:
        return b"\x00"
    type_of_address, value = _numeric_address(normalize_number(number))
    return bytes((len(value) + 1, type_of_address)) + value


def encode_address(number: str) -> bytes:
    """A TP-DA / TP-OA field: digit count, type of address, value.

    Numbers give 0x91 (with "+") or 0x81; anything else is an alphanumeric sender (0xD0, up to
    11 GSM 7-bit characters, the length counted in semi-octets). An empty string gives an empty
    address.
    """
    if not number:
        return bytes((0, _TOA_NATIONAL))
    try:
        cleaned = normalize_number(number)
    except InvalidNumberError:
        return _alphanumeric_address(number)
    type_of_address, value = _numeric_address(cleaned)
    return bytes((len(cleaned.removeprefix("+")), type_of_address)) + value


def _alphanumeric_address(name: str) -> bytes:
    septets = encode_gsm7(name)
    if len(septets) > MAX_ALPHANUMERIC_LENGTH:
        raise PduError(
            f"the sender name {name!r} is longer than {MAX_ALPHANUMERIC_LENGTH} GSM characters"
        )
    semi_octets = (len(septets) * 7 + 3) // 4
    return bytes((semi_octets, _TOA_ALPHANUMERIC)) + pack_septets(septets)


def decode_address_value(length: int, type_of_address: int, value: bytes) -> str:
    if type_of_address & _TON_MASK == _TON_ALPHANUMERIC:
        return decode_gsm7(unpack_septets(value, length * 4 // 7))
    digits = _bcd_digits(value, length)
    if digits and type_of_address & _TON_MASK == _TON_INTERNATIONAL:
        return "+" + digits
    return digits


@lru_cache(maxsize=8)
def smsc_number(field: bytes) -> str:
    """The SMSC of a field without its length octet: one centre sends every message."""
    return decode_address_value(2 * len(field) - 2, field[0], field[1:])


def _zone(octet: int) -> timezone:
    # A units nibble above 9 is seen in the wild; it is read as its value (0xA = 10 quarters).
    quarters = (octet & 0x07) * 10 + (octet >> 4)
    return timezone(timedelta(minutes=-15 * quarters if octet & 0x08 else 15 * quarters))


_ZONES = tuple(_zone(octet) for octet in range(256))


_NOT_DECIMAL = 0xFF


def _bcd_value(octet: int) -> int:
    """The two swapped decimal digits of a semi-octet pair, or 0xFF when one is not decimal."""
    tens, units = octet & 0x0F, octet >> 4
    return tens * 10 + units if tens <= 9 and units <= 9 else _NOT_DECIMAL


BCD_VALUES = bytes(_bcd_value(octet) for octet in range(256))


def decode_timestamp(raw: bytes) -> datetime:
    values = raw[:6].translate(BCD_VALUES)
    if _NOT_DECIMAL in values:
        raise PduError(f"timestamp {raw.hex().upper()} is not decimal")
    year, month, day, hour, minute, second = values
    # The strptime %y pivot: 69-99 are 1969-1999 (phones with a reset clock send those).
    year += 1900 if year >= 69 else 2000
    try:
        # Positional tzinfo: a keyword argument makes this call twice as slow.
        return datetime(year, month, day, hour, minute, second, 0, _ZONES[raw[6]])
    except ValueError as err:
        raise PduError(f"timestamp {raw.hex().upper()} is not a valid date: {err}") from err


def encode_timestamp(when: datetime) -> bytes:
    """A 7-octet TP-SCTS of an aware datetime, its zone in quarter hours (years 2000-2099)."""
    offset = when.utcoffset()
    if offset is None:
        raise PduError("a timestamp needs a timezone-aware datetime")
    quarters, remainder = divmod(abs(offset), timedelta(minutes=15))
    if remainder or quarters > 79:
        raise PduError(f"time zone {offset} is not a whole number of quarter hours up to 19:45")
    digits = f"{when.year % 100:02}{when:%m%d%H%M%S}{quarters:02}"
    raw = bytearray(bytes.fromhex(digits).translate(_SWAP_NIBBLES))
    if offset < timedelta(0):
        raw[6] |= 0x08
    return bytes(raw)


@dataclass(frozen=True, slots=True)
class Coding:
    encoding: str
    message_class: int | None = None
    message_waiting: MessageWaiting | None = None
    compressed: bool = False


_GENERAL_ALPHABETS = ("gsm7", "8bit", "ucs2", "gsm7")  # 0b11 is reserved: read as GSM 7-bit


def _interpret_dcs(dcs: int) -> Coding:
    group = dcs >> 4
    if group <= 0x7:  # general data coding, 0x4-0x7 marked for automatic deletion
        message_class = dcs & 0x03 if dcs & 0x10 else None
        return Coding(_GENERAL_ALPHABETS[(dcs >> 2) & 0x03], message_class, None, bool(dcs & 0x20))
    if group <= 0xB:  # reserved groups: TS 23.038 says to assume the GSM 7-bit alphabet
        return Coding("gsm7")
    if group <= 0xE:  # message waiting: discard (0xC), store (0xD), store as UCS-2 (0xE)
        waiting = MessageWaiting(kind=dcs & 0x03, active=bool(dcs & 0x08), store=group != 0xC)
        return Coding("ucs2" if group == 0xE else "gsm7", None, waiting)
    return Coding("8bit" if dcs & 0x04 else "gsm7", dcs & 0x03)


CODINGS = tuple(_interpret_dcs(dcs) for dcs in range(256))
