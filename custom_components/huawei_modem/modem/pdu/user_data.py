"""TP-UD: the user data header (concatenation and other information elements) and the text."""

from __future__ import annotations

import re
from codecs import utf_16_be_decode

from ..errors import PduError
from ..gsm7 import decode_gsm7, encode_gsm7, pack_septets, unpack_septets
from .messages import Concat, InformationElements

IEI_CONCAT_8BIT = 0x00
IEI_CONCAT_16BIT = 0x08

ENCODINGS = ("gsm7", "ucs2")
MAX_PARTS = 255
CONCAT_8BIT_HEADER_OCTETS = 6  # UDHL + IEI + IEDL + 3 octets


def fill_bits(header_octets: int) -> int:
    """Zero bits after a UDH so the first septet of text starts on a septet boundary."""
    return (7 - header_octets % 7) % 7


def _with_length(header: bytes) -> bytes:
    return bytes((len(header),)) + header if header else b""


def gsm7_user_data(septets: bytes, header: bytes) -> tuple[int, bytes]:
    udh = _with_length(header)
    fill = fill_bits(len(udh))
    header_septets = (len(udh) * 8 + fill) // 7
    return header_septets + len(septets), udh + pack_septets(septets, fill)


def octet_user_data(payload: bytes, header: bytes) -> tuple[int, bytes]:
    user_data = _with_length(header) + payload
    return len(user_data), user_data


def encode_ucs2(text: str) -> bytes:
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
        return gsm7_user_data(encode_gsm7(text), header)
    if encoding == "ucs2":
        return octet_user_data(encode_ucs2(text), header)
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


UserData = tuple[str, InformationElements, Concat | None]
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


NO_USER_DATA: UserData = ("", (), None)


def decode_user_data(length: int, data: bytes, encoding: str, has_header: bool) -> UserData:
    """(text, information elements, concatenation) of TP-UD."""
    header_octets = 0
    elements: InformationElements = ()
    concat = None
    if has_header:
        if data.startswith(_CONCAT_8BIT_ONLY) and len(data) >= CONCAT_8BIT_HEADER_OCTETS:
            header_octets = CONCAT_8BIT_HEADER_OCTETS  # the usual header, read in one piece
            elements, concat = _concat_8bit_element(data[len(_CONCAT_8BIT_ONLY) : header_octets])
        else:
            header_octets, elements, concat = _user_data_header(data)
    if encoding == "gsm7":
        fill = fill_bits(header_octets)
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
