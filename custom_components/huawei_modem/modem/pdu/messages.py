"""What the codec reads and writes: the messages, their parts, what a TP-Status means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


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
    smsc: str | None = None
    text: str = ""
    encoding: str = "gsm7"
    concat: Concat | None = None
    udh: InformationElements = ()

    @property
    def delivered(self) -> bool:
        return delivered(self.status)

    @property
    def final(self) -> bool:
        """False while the service centre is still trying to deliver."""
        return final(self.status)


def delivered(status: int) -> bool:
    """TP-Status 0x00-0x1F: the transaction completed (TS 23.040 §9.2.3.15).

    Received by the recipient (0x00), forwarded but not confirmed (0x01), replaced (0x02), or a
    reserved or service-centre-specific completion (0x03-0x1F): all of them count as delivered.
    """
    return status < 0x20


def final(status: int) -> bool:
    """False for 0x20-0x3F: a temporary error, the service centre is still trying."""
    return not 0x20 <= status <= 0x3F
