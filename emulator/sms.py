"""SMS-DELIVER and SMS-STATUS-REPORT PDUs as the stick reports them, and sent-SMS bookkeeping.

Built from the project's codec (``custom_components.huawei_modem.modem.pdu``); nothing here
re-implements its alphabets, addresses or timestamps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from custom_components.huawei_modem.modem import pdu as codec
from custom_components.huawei_modem.modem.inbox_rules import join_parts

_MTI_DELIVER = 0x00
_MTI_STATUS_REPORT = 0x02
_MORE_MESSAGES_TO_SEND_NOT = 0x04  # TP-MMS set: no more messages waiting in the SC
_UDHI = 0x40
_DCS = {"gsm7": 0x00, "ucs2": 0x08}
_DCS_CLASS_0 = 0x10


@dataclass(frozen=True, slots=True)
class Pdu:
    """A PDU as ``+CMGR``/``+CMT``/``+CDS`` show it: hex with SMSC, length of the TPDU only."""

    hex: str
    length: int


@dataclass(frozen=True, slots=True)
class SentSms:
    """An SMS the stick sent, decoded (all parts joined)."""

    number: str
    text: str
    encoding: str
    parts: int
    references: tuple[int, ...]
    status_report_requested: bool
    message_class: int | None
    pdus: tuple[str, ...]
    sent_at: datetime


def _with_smsc(smsc: str | None, tpdu: bytes) -> Pdu:
    return Pdu((codec.encode_smsc(smsc) + tpdu).hex().upper(), len(tpdu))


def compose_deliver(
    *,
    smsc: str | None,
    sender: str,
    text: str,
    timestamp: datetime,
    flash: bool = False,
    encoding: str = "auto",
    reference: int = 0,
) -> list[Pdu]:
    """The SMS-DELIVER parts of ``text``, in order of sequence number."""
    chosen, parts = codec.split_text(text, encoding)
    dcs = _DCS[chosen] | (_DCS_CLASS_0 if flash else 0)
    pdus = []
    for sequence, part in enumerate(parts, start=1):
        header = codec.concat_header(reference, len(parts), sequence) if len(parts) > 1 else b""
        udl, user_data = codec.encode_user_data(part, chosen, header)
        first = _MTI_DELIVER | _MORE_MESSAGES_TO_SEND_NOT | (_UDHI if header else 0)
        tpdu = (
            bytes([first])
            + codec.encode_address(sender)
            + bytes([0x00, dcs])
            + codec.encode_timestamp(timestamp)
            + bytes([udl])
            + user_data
        )
        pdus.append(_with_smsc(smsc, tpdu))
    return pdus


def compose_status_report(
    *,
    smsc: str | None,
    reference: int,
    recipient: str,
    submitted: datetime,
    discharged: datetime,
    status: int,
) -> Pdu:
    """SMS-STATUS-REPORT: TP-MR of the submit, its recipient, TP-SCTS, TP-DT and TP-ST."""
    tpdu = (
        bytes([_MTI_STATUS_REPORT | _MORE_MESSAGES_TO_SEND_NOT])
        + bytes([reference & 0xFF])
        + codec.encode_address(recipient)
        + codec.encode_timestamp(submitted)
        + codec.encode_timestamp(discharged)
        + bytes([status & 0xFF])
    )
    return _with_smsc(smsc, tpdu)


def tpdu_length(pdu_hex: str) -> int:
    """Octets after the SMSC field; raises ValueError on bad hex or a truncated SMSC field."""
    raw = bytes.fromhex(pdu_hex)
    if not raw or raw[0] + 1 > len(raw):
        raise ValueError("no SMSC field")
    return len(raw) - 1 - raw[0]


@dataclass
class SubmitCollector:
    """Joins the parts of multi-part SUBMITs; each part carries its own message reference."""

    waiting: list[tuple[codec.SmsSubmit, int, str]] = field(default_factory=list)

    def add(
        self, submit: codec.SmsSubmit, reference: int, pdu_hex: str, now: datetime
    ) -> SentSms | None:
        """Record one part; returns the message once its last part arrived."""
        self.waiting.append((submit, reference, pdu_hex))
        group = [entry for entry in self.waiting if _same_message(entry[0], submit)]
        parts: dict[int, codec.SmsSubmit] = {}
        for part, _, _ in group:
            parts.setdefault(part.concat.sequence if part.concat else 0, part)
        if submit.concat is not None and len(parts) < submit.concat.total:
            return None
        for entry in group:
            self.waiting.remove(entry)
        return _sent(join_parts(parts.values()), _by_sequence(group), now)


def _same_message(part: codec.SmsSubmit, other: codec.SmsSubmit) -> bool:
    if other.concat is None or part.concat is None:
        return part is other
    return (part.number, part.concat.reference, part.concat.total) == (
        other.number,
        other.concat.reference,
        other.concat.total,
    )


def _by_sequence(
    group: Sequence[tuple[codec.SmsSubmit, int, str]],
) -> list[tuple[codec.SmsSubmit, int, str]]:
    return sorted(group, key=lambda entry: entry[0].concat.sequence if entry[0].concat else 0)


def _sent(
    joined: codec.SmsSubmit, parts: list[tuple[codec.SmsSubmit, int, str]], now: datetime
) -> SentSms:
    return SentSms(
        number=joined.number,
        text=joined.text,
        encoding=joined.encoding,
        parts=len(parts),
        references=tuple(reference for _, reference, _ in parts),
        status_report_requested=any(part.request_status_report for part, _, _ in parts),
        message_class=joined.message_class,
        pdus=tuple(pdu for _, _, pdu in parts),
        sent_at=now,
    )
