"""Encoding SMS-SUBMIT: choosing the alphabet, splitting a long text, the TPDU of each part."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta
from typing import Final

from ..errors import PduError
from ..gsm7 import ESCAPE, decode_gsm7, encode_gsm7, is_gsm7
from .fields import STATUS_REPORT_REQUEST, UDHI, encode_address, encode_smsc, normalize_number
from .messages import OutgoingPdu
from .user_data import (
    CONCAT_8BIT_HEADER_OCTETS,
    ENCODINGS,
    MAX_PARTS,
    concat_header,
    encode_ucs2,
    fill_bits,
    gsm7_user_data,
    octet_user_data,
)

_MTI_SUBMIT = 1
_VPF_RELATIVE = 0x10
_SEPTETS_PER_PDU = 160
_OCTETS_PER_PDU = 140
ELLIPSIS_GSM7: Final = "..."
ELLIPSIS_UCS2: Final = "\u2026"


def _choose_encoding(text: str, encoding: str) -> str:
    if encoding == "auto":
        return "gsm7" if is_gsm7(text) else "ucs2"
    if encoding not in ENCODINGS:
        raise PduError(f"unknown encoding {encoding!r}, expected 'auto' or one of {ENCODINGS}")
    return encoding


def _payload(text: str, encoding: str) -> bytes:
    """Septet values (GSM 7-bit) or UTF-16-BE octets (UCS-2)."""
    return encode_gsm7(text) if encoding == "gsm7" else encode_ucs2(text)


def _ends_inside_pair(payload: bytes, end: int, encoding: str) -> bool:
    """Whether cutting before ``end`` would split an escape sequence or a surrogate pair."""
    if encoding == "gsm7":
        # Our encoder never emits 0x1B as an extension code, so any 0x1B starts an escape.
        return payload[end - 1] == ESCAPE
    return 0xD8 <= payload[end - 2] <= 0xDB


def _part_capacity(encoding: str, header_octets: int) -> int:
    """Payload units (septets, or octets of UTF-16 kept even) that fit beside a header."""
    if encoding == "gsm7":
        return (_OCTETS_PER_PDU * 8 - header_octets * 8 - fill_bits(header_octets)) // 7
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
    parts = _split_payload(_payload(text, chosen), chosen, CONCAT_8BIT_HEADER_OCTETS)
    return chosen, [_payload_text(part, chosen) for part in parts]


def cap_text(text: str, max_parts: int) -> str:
    """``text`` if it fits into ``max_parts`` SMS parts; else its longest beginning that fits with
    an ellipsis after it, cut after the last whole word (inside a word only if it has no other).

    The ellipsis is "…" where the text is UCS-2 anyway, else "...": "…" is no GSM 7-bit
    character and would make every part UCS-2 (67 characters a part instead of 153).
    """
    if max_parts < 1:
        raise ValueError(f"max_parts must be at least 1, not {max_parts}")
    if _fits(text, max_parts):
        return text
    ellipsis = ELLIPSIS_GSM7 if is_gsm7(text) else ELLIPSIS_UCS2
    # text[:fitting] fits with the ellipsis, text[:too_long] does not (more characters than the
    # parts can hold septets); found by halving, as the parts needed grow with the beginning.
    fitting, too_long = 0, min(len(text), max_parts * _SEPTETS_PER_PDU + 1)
    while too_long - fitting > 1:
        middle = (fitting + too_long) // 2
        if _fits(text[:middle].rstrip() + ellipsis, max_parts):
            fitting = middle
        else:
            too_long = middle
    kept = text[:fitting].rstrip()
    if len(kept) == fitting and not text[fitting].isspace():  # the cut is inside a word
        words = kept.rsplit(maxsplit=1)
        kept = words[0] if len(words) == 2 else kept  # the word goes, unless it is all there is
    return kept.rstrip() + ellipsis


def _fits(text: str, max_parts: int) -> bool:
    try:
        _, parts = split_text(text)
    except PduError:  # more parts than can be joined
        return False
    return len(parts) <= max_parts


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
        return gsm7_user_data(payload, header)
    return octet_user_data(payload, header)


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
        first_octet |= UDHI
    if request_status_report:
        first_octet |= STATUS_REPORT_REQUEST
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
    header_octets = CONCAT_8BIT_HEADER_OCTETS + (1 if sixteen_bit else 0)
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
