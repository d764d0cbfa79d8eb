"""Decoding SMS-DELIVER, SMS-SUBMIT and SMS-STATUS-REPORT."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from ..errors import PduError
from .fields import (
    BCD_VALUES,
    CODINGS,
    STATUS_REPORT_REQUEST,
    UDHI,
    Coding,
    decode_address_value,
    decode_timestamp,
    smsc_number,
)
from .messages import SmsDeliver, SmsStatusReport, SmsSubmit
from .user_data import NO_USER_DATA, UserData, decode_user_data


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
        return smsc_number(data[start + 1 : end]) if length else None

    def address(self, what: str) -> str:
        data, start = self.data, self.position
        if start + 2 <= len(data):
            end = start + 2 + (data[start] + 1) // 2
            if end <= len(data):
                self.position = end
                return decode_address_value(data[start], data[start + 1], data[start + 2 : end])
        raise PduError(_ends(what, len(data) - start))


def _coding(dcs: int) -> Coding:
    coding = CODINGS[dcs]
    if coding.compressed:
        raise PduError("compressed user data (TS 23.042) is not supported")
    return coding


def _decode_deliver(reader: _Reader, first_octet: int, smsc: str | None) -> SmsDeliver:
    number = reader.address("originating address")
    fields = reader.take(_DELIVER_FIELDS)
    coding = _coding(fields[1])
    text, elements, concat = decode_user_data(
        fields[9], reader.remaining(), coding.encoding, bool(first_octet & UDHI)
    )
    timestamp = decode_timestamp(fields[2:9])
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
    text, elements, concat = decode_user_data(
        fields[-1], reader.remaining(), coding.encoding, bool(first_octet & UDHI)
    )
    return SmsSubmit(
        number=number,
        text=text,
        encoding=coding.encoding,
        concat=concat,
        message_reference=reference,
        request_status_report=bool(first_octet & STATUS_REPORT_REQUEST),
        message_class=coding.message_class,
        validity=validity,
        valid_until=valid_until,
        udh=elements,
        smsc=smsc,
    )


_NO_PARAMETERS = 0x00
_PI_RESERVED_BITS = 0x78


def _status_user_data(reader: _Reader, first_octet: int) -> tuple[Coding, UserData]:
    """The optional parameters after TP-ST, announced by TP-PI."""
    indicator = reader.octet("parameter indicator") if reader.remaining() else _NO_PARAMETERS
    if indicator & _PI_RESERVED_BITS:
        indicator = _NO_PARAMETERS  # padding some centres append, not a parameter indicator
    if indicator & 0x01:
        reader.octet("protocol identifier")
    coding = _coding(reader.octet("data coding scheme")) if indicator & 0x02 else CODINGS[0]
    if not indicator & 0x04:
        return coding, NO_USER_DATA
    length = reader.octet("user data length")
    has_header = bool(first_octet & UDHI)
    return coding, decode_user_data(length, reader.remaining(), coding.encoding, has_header)


def _decode_status_report(reader: _Reader, first_octet: int, smsc: str | None) -> SmsStatusReport:
    reference = reader.octet("message reference")
    number = reader.address("recipient address")
    fields = reader.take(_STATUS_FIELDS)
    status = fields[14]
    coding, (text, elements, concat) = _status_user_data(reader, first_octet)
    return SmsStatusReport(
        reference=reference,
        number=number,
        timestamp=decode_timestamp(fields[0:7]),
        discharge_time=decode_timestamp(fields[7:14]),
        status=status,
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
        hours, minutes, seconds = raw[1:4].translate(BCD_VALUES)
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
        return None, decode_timestamp(raw)
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
