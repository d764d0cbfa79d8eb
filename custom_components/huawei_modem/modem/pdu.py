"""SMS PDU codec (3GPP TS 23.040, alphabets of TS 23.038).

Encodes SMS-SUBMIT (``encode_sms``), decodes SMS-DELIVER, SMS-SUBMIT and SMS-STATUS-REPORT
(``decode_pdu``); the parts of a long message are joined by ``inbox_rules.join_parts``. Every
failure is a ``PduError``.
"""

from __future__ import annotations

import itertools
import random
import re
from codecs import utf_16_be_decode
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from .errors import InvalidNumberError, PduError
from .gsm7 import (
    ESCAPE,
    decode_gsm7,
    encode_gsm7,
    is_gsm7,
    pack_septets,
    unpack_septets,
)

IEI_CONCAT_8BIT = 0x00
IEI_CONCAT_16BIT = 0x08

ENCODINGS = ("gsm7", "ucs2")
MAX_PARTS = 255
MAX_NUMBER_DIGITS = 20
MAX_ALPHANUMERIC_LENGTH = 11

_MTI_SUBMIT = 1
_UDHI = 0x40
_STATUS_REPORT_REQUEST = 0x20
_VPF_RELATIVE = 0x10
_TOA_INTERNATIONAL = 0x91
_TOA_NATIONAL = 0x81
_TOA_ALPHANUMERIC = 0xD0
_TON_MASK = 0x70
_TON_INTERNATIONAL = 0x10
_TON_ALPHANUMERIC = 0x50

_SEPTETS_PER_PDU = 160
_OCTETS_PER_PDU = 140
_CONCAT_8BIT_HEADER_OCTETS = 6  # UDHL + IEI + IEDL + 3 octets


# --- public data ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutgoingPdu:
    """One SMS-SUBMIT ready for ``AT+CMGS=<tpdu_length>`` followed by ``pdu``."""

    pdu: str
    """Upper-case hex, the SMSC field first ("00" = the centre stored in the stick)."""
    tpdu_length: int
    """Octets after the SMSC field: the length ``AT+CMGS=`` expects."""


@dataclass(frozen=True, slots=True)
class Concat:
    """Concatenation information: part ``sequence`` (1-based) of ``total``."""

    reference: int
    total: int
    sequence: int


@dataclass(frozen=True, slots=True)
class MessageWaiting:
    """Message waiting indication carried in the data coding scheme (TS 23.038 §4)."""

    kind: int
    """0 voicemail, 1 fax, 2 electronic mail, 3 other."""
    active: bool
    store: bool
    """False for the "discard message" group: the text need not be kept."""


InformationElements = tuple[tuple[int, bytes], ...]


@dataclass(frozen=True, slots=True)
class SmsDeliver:
    """A received message (SMS-DELIVER)."""

    number: str
    text: str
    encoding: str
    timestamp: datetime
    concat: Concat | None = None
    smsc: str | None = None
    message_class: int | None = None
    udh: InformationElements = ()
    message_waiting: MessageWaiting | None = None


@dataclass(frozen=True, slots=True)
class SmsSubmit:
    """A message to be sent or stored as sent (SMS-SUBMIT)."""

    number: str
    text: str
    encoding: str
    concat: Concat | None = None
    message_reference: int = 0
    request_status_report: bool = False
    message_class: int | None = None
    validity: timedelta | None = None
    """Relative validity period; absolute ones are in ``valid_until``."""
    valid_until: datetime | None = None
    udh: InformationElements = ()
    smsc: str | None = None


@dataclass(frozen=True, slots=True)
class SmsStatusReport:
    """A delivery report (SMS-STATUS-REPORT) for the message sent with ``reference``."""

    reference: int
    number: str
    timestamp: datetime
    """When the service centre received the original message."""
    discharge_time: datetime
    status: int
    """TP-ST: 0x00-0x1F completed, 0x20-0x3F still trying, 0x40 and above failed."""
    delivered: bool
    smsc: str | None = None
    text: str = ""
    encoding: str = "gsm7"
    concat: Concat | None = None
    udh: InformationElements = ()

    @property
    def final(self) -> bool:
        """False while the service centre is still trying to deliver."""
        return not 0x20 <= self.status <= 0x3F


# --- semi-octets --------------------------------------------------------------------------------

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


# --- addresses ----------------------------------------------------------------------------------

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


def _decode_address_value(length: int, type_of_address: int, value: bytes) -> str:
    if type_of_address & _TON_MASK == _TON_ALPHANUMERIC:
        return decode_gsm7(unpack_septets(value, length * 4 // 7))
    digits = _bcd_digits(value, length)
    if digits and type_of_address & _TON_MASK == _TON_INTERNATIONAL:
        return "+" + digits
    return digits


@lru_cache(maxsize=8)
def _smsc_number(field: bytes) -> str:
    """The SMSC of a field without its length octet: one centre sends every message."""
    return _decode_address_value(2 * len(field) - 2, field[0], field[1:])


# --- timestamps ---------------------------------------------------------------------------------


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


_BCD_VALUES = bytes(_bcd_value(octet) for octet in range(256))


def _decode_timestamp(raw: bytes) -> datetime:
    values = raw[:6].translate(_BCD_VALUES)
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


# --- data coding scheme -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Coding:
    encoding: str
    message_class: int | None = None
    message_waiting: MessageWaiting | None = None
    compressed: bool = False


_GENERAL_ALPHABETS = ("gsm7", "8bit", "ucs2", "gsm7")  # 0b11 is reserved: read as GSM 7-bit


def _interpret_dcs(dcs: int) -> _Coding:
    group = dcs >> 4
    if group <= 0x7:  # general data coding, 0x4-0x7 marked for automatic deletion
        message_class = dcs & 0x03 if dcs & 0x10 else None
        return _Coding(_GENERAL_ALPHABETS[(dcs >> 2) & 0x03], message_class, None, bool(dcs & 0x20))
    if group <= 0xB:  # reserved groups: TS 23.038 says to assume the GSM 7-bit alphabet
        return _Coding("gsm7")
    if group <= 0xE:  # message waiting: discard (0xC), store (0xD), store as UCS-2 (0xE)
        waiting = MessageWaiting(kind=dcs & 0x03, active=bool(dcs & 0x08), store=group != 0xC)
        return _Coding("ucs2" if group == 0xE else "gsm7", None, waiting)
    return _Coding("8bit" if dcs & 0x04 else "gsm7", dcs & 0x03)


_CODINGS = tuple(_interpret_dcs(dcs) for dcs in range(256))


# --- user data ----------------------------------------------------------------------------------


def _fill_bits(header_octets: int) -> int:
    """Zero bits after a UDH so the first septet of text starts on a septet boundary."""
    return (7 - header_octets % 7) % 7


def _with_length(header: bytes) -> bytes:
    return bytes((len(header),)) + header if header else b""


def _gsm7_user_data(septets: bytes, header: bytes) -> tuple[int, bytes]:
    udh = _with_length(header)
    fill = _fill_bits(len(udh))
    header_septets = (len(udh) * 8 + fill) // 7
    return header_septets + len(septets), udh + pack_septets(septets, fill)


def _octet_user_data(payload: bytes, header: bytes) -> tuple[int, bytes]:
    user_data = _with_length(header) + payload
    return len(user_data), user_data


def _encode_ucs2(text: str) -> bytes:
    try:
        return text.encode("utf-16-be")
    except UnicodeEncodeError as err:
        raise PduError(f"the text holds a lone surrogate at position {err.start}") from err


def encode_user_data(text: str, encoding: str, header: bytes = b"") -> tuple[int, bytes]:
    """(TP-UDL, TP-UD) of ``text``; ``header`` is the information elements without UDHL.

    The UD starts with UDHL and the header when one is given; 7-bit text then begins after the
    fill bits that align it to a septet boundary.
    """
    if encoding == "gsm7":
        return _gsm7_user_data(encode_gsm7(text), header)
    if encoding == "ucs2":
        return _octet_user_data(_encode_ucs2(text), header)
    raise PduError(f"unknown encoding {encoding!r}, expected one of {ENCODINGS}")


def concat_header(reference: int, total: int, sequence: int, *, sixteen_bit: bool = False) -> bytes:
    """The concatenation information element (IEI 0x00 or 0x08 with its IEDL), without UDHL."""
    limit = 0xFFFF if sixteen_bit else 0xFF
    if not 0 <= reference <= limit:
        raise PduError(f"concatenation reference {reference} is outside 0..{limit}")
    if not 1 <= sequence <= total <= MAX_PARTS:
        raise PduError(f"part {sequence} of {total} is not a valid concatenation")
    if sixteen_bit:
        return bytes((IEI_CONCAT_16BIT, 4, reference >> 8, reference & 0xFF, total, sequence))
    return bytes((IEI_CONCAT_8BIT, 3, reference, total, sequence))


def _parse_information_elements(header: bytes) -> InformationElements:
    elements: list[tuple[int, bytes]] = []
    position, end = 0, len(header)
    while position < end:
        if position + 2 > end:
            raise PduError("user data header ends inside an information element")
        identifier, length = header[position], header[position + 1]
        start, position = position + 2, position + 2 + length
        if position > end:
            raise PduError(f"information element 0x{identifier:02X} overruns the header")
        elements.append((identifier, header[start:position]))
    return tuple(elements)


def _find_concat(elements: InformationElements) -> Concat | None:
    for identifier, value in elements:
        if identifier == IEI_CONCAT_8BIT and len(value) == 3:
            reference, total, sequence = value
        elif identifier == IEI_CONCAT_16BIT and len(value) == 4:
            reference = int.from_bytes(value[:2], "big")
            total, sequence = value[2], value[3]
        else:
            continue
        if 1 <= sequence <= total:  # TS 23.040 §9.2.3.24.1: otherwise ignore the element
            return Concat(reference, total, sequence)
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _is_high_surrogate(char: str) -> bool:
    return "\ud800" <= char <= "\udbff"


def _is_low_surrogate(char: str) -> bool:
    return "\udc00" <= char <= "\udfff"


def _replace_lone_surrogates(text: str, *, keep_edges: bool) -> str:
    """Turn unpaired UTF-16 halves into U+FFFD.

    A part of a concatenated message keeps a half at its start or end: the sender split an
    emoji there, and ``join_parts`` pairs it with the neighbouring part. Only called for a text
    that strict decoding rejected, so one half at least is unpaired.
    """
    head = tail = ""
    if keep_edges and _is_low_surrogate(text[0]):
        head, text = text[0], text[1:]
    if keep_edges and text and _is_high_surrogate(text[-1]):
        text, tail = text[:-1], text[-1]
    return head + _SURROGATE.sub("\ufffd", text) + tail


def _decode_octets(payload: bytes, encoding: str, *, keep_edges: bool) -> str:
    if encoding == "8bit":
        return payload.decode("latin-1")
    payload = payload[: len(payload) & ~1]
    try:  # strict decoding fails exactly when a surrogate is unpaired
        return utf_16_be_decode(payload, "strict", True)[0]
    except UnicodeDecodeError:
        text = utf_16_be_decode(payload, "surrogatepass", True)[0]
    return _replace_lone_surrogates(text, keep_edges=keep_edges)


_UserData = tuple[str, InformationElements, Concat | None]
# UDHL 5, then IEI 0x00 with its three octets: reference, total, sequence.
_CONCAT_8BIT_ONLY = bytes((5, IEI_CONCAT_8BIT, 3))


def _concat_8bit_element(value: bytes) -> tuple[InformationElements, Concat | None]:
    reference, total, sequence = value
    # TS 23.040 §9.2.3.24.1: an element with an invalid sequence is ignored.
    concat = Concat(reference, total, sequence) if 1 <= sequence <= total else None
    return ((IEI_CONCAT_8BIT, value),), concat


def _user_data_header(data: bytes) -> tuple[int, InformationElements, Concat | None]:
    """(octets of UDHL and UDH, information elements, concatenation) at the start of TP-UD."""
    if not data or data[0] + 1 > len(data):
        raise PduError("user data header is longer than the user data")
    header_octets = data[0] + 1
    elements = _parse_information_elements(data[1:header_octets])
    return header_octets, elements, _find_concat(elements) if elements else None


_NO_USER_DATA: _UserData = ("", (), None)


def _decode_user_data(length: int, data: bytes, encoding: str, has_header: bool) -> _UserData:
    """(text, information elements, concatenation) of TP-UD."""
    header_octets = 0
    elements: InformationElements = ()
    concat = None
    if has_header:
        if data.startswith(_CONCAT_8BIT_ONLY) and len(data) >= _CONCAT_8BIT_HEADER_OCTETS:
            header_octets = _CONCAT_8BIT_HEADER_OCTETS  # the usual header, read in one piece
            elements, concat = _concat_8bit_element(data[len(_CONCAT_8BIT_ONLY) : header_octets])
        else:
            header_octets, elements, concat = _user_data_header(data)
    if encoding == "gsm7":
        fill = _fill_bits(header_octets)
        count = length - (header_octets * 8 + fill) // 7
        octets = (length * 7 + 7) // 8
        if count < 0 or octets > len(data):
            raise PduError(f"user data holds fewer than the {length} septets announced")
        text = decode_gsm7(unpack_septets(data[header_octets:octets], count, fill))
    else:
        if length < header_octets or length > len(data):
            raise PduError(f"user data holds fewer than the {length} octets announced")
        text = _decode_octets(data[header_octets:length], encoding, keep_edges=concat is not None)
    return text, elements, concat


# --- decoding -----------------------------------------------------------------------------------


def _ends(what: str, available: int) -> str:
    return f"PDU ends {'before' if available <= 0 else 'inside'} the {what}"


class _Layout:
    """Fixed-size fields read in one go; a PDU that is too short names the field it ends in."""

    __slots__ = ("fields", "size")

    def __init__(self, *fields: tuple[str, int]) -> None:
        self.fields = fields
        self.size = sum(size for _, size in fields)

    def shortage(self, available: int) -> str:
        offset = 0
        for what, size in self.fields:
            if available < offset + size:
                return _ends(what, available - offset)
            offset += size
        raise AssertionError("shortage() called for a complete layout")  # pragma: no cover


_PID = ("protocol identifier", 1)
_DCS = ("data coding scheme", 1)
_UDL = ("user data length", 1)
_DELIVER_FIELDS = _Layout(_PID, _DCS, ("service centre timestamp", 7), _UDL)
_STATUS_FIELDS = _Layout(("service centre timestamp", 7), ("discharge time", 7), ("status", 1))
_VALIDITY_SIZES = (0, 7, 1, 7)  # by TP-VPF: none, enhanced, relative, absolute
_SUBMIT_FIELDS = tuple(
    _Layout(_PID, _DCS, ("validity period", size), _UDL) for size in _VALIDITY_SIZES
)


class _Reader:
    """Consumes a PDU front to back; running out of octets is a PduError."""

    __slots__ = ("data", "position")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def octet(self, what: str) -> int:
        position = self.position
        if position >= len(self.data):
            raise PduError(_ends(what, 0))
        self.position = position + 1
        return self.data[position]

    def take(self, layout: _Layout) -> bytes:
        start = self.position
        end = start + layout.size
        if end > len(self.data):
            raise PduError(layout.shortage(len(self.data) - start))
        self.position = end
        return self.data[start:end]

    def remaining(self) -> bytes:
        return self.data[self.position :]

    def smsc(self) -> str | None:
        data, start = self.data, self.position
        length = data[start] if start < len(data) else -1
        end = start + 1 + length
        if length < 0 or end > len(data):
            raise PduError(_ends("SMSC field", len(data) - start))
        self.position = end
        return _smsc_number(data[start + 1 : end]) if length else None

    def address(self, what: str) -> str:
        data, start = self.data, self.position
        if start + 2 <= len(data):
            end = start + 2 + (data[start] + 1) // 2
            if end <= len(data):
                self.position = end
                return _decode_address_value(data[start], data[start + 1], data[start + 2 : end])
        raise PduError(_ends(what, len(data) - start))


def _coding(dcs: int) -> _Coding:
    coding = _CODINGS[dcs]
    if coding.compressed:
        raise PduError("compressed user data (TS 23.042) is not supported")
    return coding


def _decode_deliver(reader: _Reader, first_octet: int, smsc: str | None) -> SmsDeliver:
    number = reader.address("originating address")
    fields = reader.take(_DELIVER_FIELDS)
    coding = _coding(fields[1])
    text, elements, concat = _decode_user_data(
        fields[9], reader.remaining(), coding.encoding, bool(first_octet & _UDHI)
    )
    timestamp = _decode_timestamp(fields[2:9])
    # Positional: keyword arguments make the frozen dataclass half as fast to build.
    return SmsDeliver(
        number,
        text,
        coding.encoding,
        timestamp,
        concat,
        smsc,
        coding.message_class,
        elements,
        coding.message_waiting,
    )


def _decode_submit(reader: _Reader, first_octet: int, smsc: str | None) -> SmsSubmit:
    reference = reader.octet("message reference")
    number = reader.address("destination address")
    validity_form = (first_octet >> 3) & 0x03
    fields = reader.take(_SUBMIT_FIELDS[validity_form])
    coding = _coding(fields[1])
    validity, valid_until = _decode_validity(validity_form, fields[2:-1])
    text, elements, concat = _decode_user_data(
        fields[-1], reader.remaining(), coding.encoding, bool(first_octet & _UDHI)
    )
    return SmsSubmit(
        number=number,
        text=text,
        encoding=coding.encoding,
        concat=concat,
        message_reference=reference,
        request_status_report=bool(first_octet & _STATUS_REPORT_REQUEST),
        message_class=coding.message_class,
        validity=validity,
        valid_until=valid_until,
        udh=elements,
        smsc=smsc,
    )


_NO_PARAMETERS = 0x00
_PI_RESERVED_BITS = 0x78


def _status_user_data(reader: _Reader, first_octet: int) -> tuple[_Coding, _UserData]:
    """The optional parameters after TP-ST, announced by TP-PI."""
    indicator = reader.octet("parameter indicator") if reader.remaining() else _NO_PARAMETERS
    if indicator & _PI_RESERVED_BITS:
        indicator = _NO_PARAMETERS  # padding some centres append, not a parameter indicator
    if indicator & 0x01:
        reader.octet("protocol identifier")
    coding = _coding(reader.octet("data coding scheme")) if indicator & 0x02 else _CODINGS[0]
    if not indicator & 0x04:
        return coding, _NO_USER_DATA
    length = reader.octet("user data length")
    has_header = bool(first_octet & _UDHI)
    return coding, _decode_user_data(length, reader.remaining(), coding.encoding, has_header)


def _decode_status_report(reader: _Reader, first_octet: int, smsc: str | None) -> SmsStatusReport:
    reference = reader.octet("message reference")
    number = reader.address("recipient address")
    fields = reader.take(_STATUS_FIELDS)
    status = fields[14]
    coding, (text, elements, concat) = _status_user_data(reader, first_octet)
    return SmsStatusReport(
        reference=reference,
        number=number,
        timestamp=_decode_timestamp(fields[0:7]),
        discharge_time=_decode_timestamp(fields[7:14]),
        status=status,
        delivered=status <= 0x02,
        smsc=smsc,
        text=text,
        encoding=coding.encoding,
        concat=concat,
        udh=elements,
    )


def _decode_relative_validity(value: int) -> timedelta:
    if value <= 143:
        return timedelta(minutes=(value + 1) * 5)
    if value <= 167:
        return timedelta(hours=12, minutes=(value - 143) * 30)
    if value <= 196:
        return timedelta(days=value - 166)
    return timedelta(weeks=value - 192)


def _decode_enhanced_validity(raw: bytes) -> timedelta | None:
    form = raw[0] & 0x07
    if form == 1:
        return _decode_relative_validity(raw[1])
    if form == 2:
        return timedelta(seconds=raw[1])
    if form == 3:
        hours, minutes, seconds = raw[1:4].translate(_BCD_VALUES)
        if max(hours, minutes, seconds) <= 99:
            return timedelta(hours=hours, minutes=minutes, seconds=seconds)
    return None


def _decode_validity(form: int, raw: bytes) -> tuple[timedelta | None, datetime | None]:
    """TP-VP by its TP-VPF: none (0), enhanced (1), relative (2), absolute (3)."""
    if form == 2:
        return _decode_relative_validity(raw[0]), None
    if form == 1:
        return _decode_enhanced_validity(raw), None
    if form == 3:
        return None, _decode_timestamp(raw)
    return None, None


_Decoder = Callable[[_Reader, int, str | None], SmsDeliver | SmsSubmit | SmsStatusReport]
# By TP-MTI; 3 is reserved.
_DECODERS: tuple[_Decoder | None, ...] = (
    _decode_deliver,
    _decode_submit,
    _decode_status_report,
    None,
)


# A tuple, not a union: isinstance checks it several times faster.
_BINARY = (bytes, bytearray, memoryview)


def _pdu_octets(pdu: str | bytes) -> bytes:
    if isinstance(pdu, _BINARY):
        return bytes(pdu)
    try:
        return bytes.fromhex(pdu)
    except ValueError as err:
        raise PduError(f"PDU is not hexadecimal: {err}") from err


def decode_pdu(
    pdu: str | bytes, *, smsc_included: bool = True
) -> SmsDeliver | SmsSubmit | SmsStatusReport:
    """Decode a PDU given as hex text (as ``AT+CMGR`` / ``+CMT`` / ``+CDS`` show it) or raw bytes.

    ``smsc_included``: the PDU starts with the SMSC field, as Huawei sticks report it.
    Raises PduError, and only PduError, for anything that is not a well-formed PDU.
    """
    reader = _Reader(_pdu_octets(pdu))
    smsc = reader.smsc() if smsc_included else None
    first_octet = reader.octet("first octet")
    decoder = _DECODERS[first_octet & 0x03]
    if decoder is None:
        raise PduError(f"message type {first_octet & 0x03} (reserved) cannot be decoded")
    return decoder(reader, first_octet, smsc)


# --- encoding -----------------------------------------------------------------------------------


def _choose_encoding(text: str, encoding: str) -> str:
    if encoding == "auto":
        return "gsm7" if is_gsm7(text) else "ucs2"
    if encoding not in ENCODINGS:
        raise PduError(f"unknown encoding {encoding!r}, expected 'auto' or one of {ENCODINGS}")
    return encoding


def _payload(text: str, encoding: str) -> bytes:
    """Septet values (GSM 7-bit) or UTF-16-BE octets (UCS-2)."""
    return encode_gsm7(text) if encoding == "gsm7" else _encode_ucs2(text)


def _ends_inside_pair(payload: bytes, end: int, encoding: str) -> bool:
    """Whether cutting before ``end`` would split an escape sequence or a surrogate pair."""
    if encoding == "gsm7":
        # Our encoder never emits 0x1B as an extension code, so any 0x1B starts an escape.
        return payload[end - 1] == ESCAPE
    return 0xD8 <= payload[end - 2] <= 0xDB


def _part_capacity(encoding: str, header_octets: int) -> int:
    """Payload units (septets, or octets of UTF-16 kept even) that fit beside a header."""
    if encoding == "gsm7":
        return (_OCTETS_PER_PDU * 8 - header_octets * 8 - _fill_bits(header_octets)) // 7
    return (_OCTETS_PER_PDU - header_octets) & ~1


def _split_payload(payload: bytes, encoding: str, header_octets: int) -> list[bytes]:
    single = _SEPTETS_PER_PDU if encoding == "gsm7" else _OCTETS_PER_PDU
    if len(payload) <= single:
        return [payload]
    capacity = _part_capacity(encoding, header_octets)
    parts: list[bytes] = []
    start = 0
    while start < len(payload):
        end = start + capacity
        if end < len(payload) and _ends_inside_pair(payload, end, encoding):
            end -= 1 if encoding == "gsm7" else 2
        parts.append(payload[start:end])
        start = end
    if len(parts) > MAX_PARTS:
        raise PduError(f"the text needs {len(parts)} parts, at most {MAX_PARTS} can be joined")
    return parts


def _payload_text(payload: bytes, encoding: str) -> str:
    return decode_gsm7(payload) if encoding == "gsm7" else payload.decode("utf-16-be")


def split_text(text: str, encoding: str = "auto") -> tuple[str, list[str]]:
    """(encoding chosen, texts of the parts) as ``encode_sms`` would send them.

    One part holds 160 septets or 70 UCS-2 units; parts of a longer text hold 153 or 67. An
    escape sequence or a surrogate pair (an emoji) is never split.
    """
    chosen = _choose_encoding(text, encoding)
    parts = _split_payload(_payload(text, chosen), chosen, _CONCAT_8BIT_HEADER_OCTETS)
    return chosen, [_payload_text(part, chosen) for part in parts]


def _encode_relative_validity(validity: timedelta) -> int:
    minutes = -(-validity // timedelta(minutes=1))  # rounded up: never shorter than asked
    if minutes <= 12 * 60:
        return max(0, -(-minutes // 5) - 1)
    if minutes <= 24 * 60:
        return 143 + -(-(minutes - 12 * 60) // 30)
    days = -(-minutes // (24 * 60))
    if days <= 30:
        return 166 + days
    return min(255, 192 + -(-days // 7))


_references = itertools.count(random.randrange(256))


def _user_data(encoding: str, payload: bytes, header: bytes) -> tuple[int, bytes]:
    if encoding == "gsm7":
        return _gsm7_user_data(payload, header)
    return _octet_user_data(payload, header)


def _submit_head(
    destination: bytes,
    *,
    encoding: str,
    multipart: bool,
    flash: bool,
    request_status_report: bool,
    validity: timedelta | None,
) -> bytes:
    first_octet = _MTI_SUBMIT
    if multipart:
        first_octet |= _UDHI
    if request_status_report:
        first_octet |= _STATUS_REPORT_REQUEST
    validity_field = b""
    if validity is not None:
        first_octet |= _VPF_RELATIVE
        validity_field = bytes((_encode_relative_validity(validity),))
    dcs = (0x08 if encoding == "ucs2" else 0x00) | (0x10 if flash else 0x00)
    return bytes((first_octet, 0x00)) + destination + bytes((0x00, dcs)) + validity_field


def encode_sms(
    number: str,
    text: str,
    *,
    smsc: str | None = None,
    request_status_report: bool = False,
    flash: bool = False,
    reference: int | None = None,
    encoding: str = "auto",
    validity: timedelta | None = None,
) -> list[OutgoingPdu]:
    """SMS-SUBMIT PDUs for ``text`` to ``number``, one per part.

    ``encoding``: "auto" (GSM 7-bit unless a character needs UCS-2), "gsm7" or "ucs2".
    ``reference``: concatenation reference of a multipart text (above 255: a 16-bit one);
    None picks the next of a running counter. ``flash``: message class 0. ``validity``:
    relative validity period. Raises InvalidNumberError for a number that cannot be sent to and
    PduError for text that cannot be encoded as asked.
    """
    destination = encode_address(normalize_number(number))
    chosen = _choose_encoding(text, encoding)
    sixteen_bit = reference is not None and reference > 0xFF
    header_octets = _CONCAT_8BIT_HEADER_OCTETS + (1 if sixteen_bit else 0)
    parts = _split_payload(_payload(text, chosen), chosen, header_octets)
    multipart = len(parts) > 1
    head = _submit_head(
        destination,
        encoding=chosen,
        multipart=multipart,
        flash=flash,
        request_status_report=request_status_report,
        validity=validity,
    )
    smsc_hex = encode_smsc(smsc).hex().upper()
    if multipart and reference is None:
        reference = next(_references) & 0xFF
    pdus: list[OutgoingPdu] = []
    for sequence, payload in enumerate(parts, start=1):
        header = (
            concat_header(reference, len(parts), sequence, sixteen_bit=sixteen_bit)
            if multipart and reference is not None
            else b""
        )
        length, user_data = _user_data(chosen, payload, header)
        tpdu = head + bytes((length,)) + user_data
        pdus.append(OutgoingPdu(pdu=smsc_hex + tpdu.hex().upper(), tpdu_length=len(tpdu)))
    return pdus
