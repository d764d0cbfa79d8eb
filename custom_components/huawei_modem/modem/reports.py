"""Delivery reports: which sent message a report is for, and when that message is delivered.

Pure: the caller keeps what ``AwaitedReport.as_stored`` returns and tells the outcomes. A message
is delivered when every part is, and failed as soon as one part failed; either way its outcome is
told once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, TypedDict

from .pdu import SmsStatusReport, delivered

MAX_AWAITED_REPORTS: Final = 256
"""Sent messages that wait for their delivery report; the oldest is forgotten beyond this."""
EARLY_REPORT_LIFETIME: Final = 120.0
"""Seconds a report that matches no message waits for its message (still being sent)."""
MAX_EARLY_REPORTS: Final = 32


class StoredAwait(TypedDict):
    recipient: str
    references: list[int]
    outcomes: dict[str, int]


@dataclass(slots=True)
class AwaitedReport:
    """A sent message that asked for a delivery report: its parts' references and outcomes."""

    recipient: str
    references: list[int]
    outcomes: dict[int, int] = field(default_factory=dict)
    """TP-Status of every part whose final report came, by message reference."""

    def waits_for(self, reference: int) -> bool:
        return reference in self.references and reference not in self.outcomes

    @property
    def failed_status(self) -> int | None:
        """The status of a part that was not delivered, if one was not."""
        return next((status for status in self.outcomes.values() if not delivered(status)), None)

    @property
    def complete(self) -> bool:
        return len(self.outcomes) == len(self.references)

    def as_stored(self) -> StoredAwait:
        outcomes = {str(reference): status for reference, status in self.outcomes.items()}
        return {"recipient": self.recipient, "references": self.references, "outcomes": outcomes}

    @classmethod
    def from_stored(cls, stored: StoredAwait) -> AwaitedReport:
        outcomes = {int(reference): status for reference, status in stored["outcomes"].items()}
        return cls(stored["recipient"], list(stored["references"]), outcomes)


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """The outcome of a sent message: delivered to its recipient, or not."""

    recipient: str
    references: tuple[int, ...]
    delivered: bool
    status: int
    """TP-Status of the part that decided: the failed one, else the last one delivered."""
    time: datetime
    """When the service centre delivered (or gave up on) that part."""


class AwaitedReports:
    """Sent messages waiting for their delivery reports, newest last, bounded.

    A report can overtake its message: the first part's report may come while the last part is
    still being sent. Such early reports are kept a little while for the message they are for.
    """

    def __init__(self, messages: Sequence[AwaitedReport] = ()) -> None:
        self.messages = list(messages)
        self._early: list[tuple[float, SmsStatusReport]] = []

    def add(self, recipient: str, references: Sequence[int], now: float) -> DeliveryOutcome | None:
        """Wait for the reports of a message just sent; its outcome if they all came early."""
        self.messages.append(AwaitedReport(recipient, list(references)))
        del self.messages[:-MAX_AWAITED_REPORTS]
        early = [(at, report) for at, report in self._early if now - at <= EARLY_REPORT_LIFETIME]
        self._early = [(at, report) for at, report in early if report.reference not in references]
        outcomes = [
            self.match(report, now) for _, report in early if report.reference in references
        ]
        return next((outcome for outcome in outcomes if outcome is not None), None)

    def match(self, report: SmsStatusReport, now: float) -> DeliveryOutcome | None:
        """Record a part's final report; the outcome once the whole message has one.

        References wrap at 256, so the newest message waiting for this reference is the one.
        """
        if not report.final:
            return None
        message = next((m for m in reversed(self.messages) if m.waits_for(report.reference)), None)
        if message is None:
            self._early.append((now, report))
            del self._early[:-MAX_EARLY_REPORTS]
            return None
        message.outcomes[report.reference] = report.status
        failed_status = message.failed_status
        if failed_status is None and not message.complete:
            return None
        self.messages.remove(message)
        return DeliveryOutcome(
            recipient=message.recipient,
            references=tuple(message.references),
            delivered=failed_status is None,
            status=report.status if failed_status is None else failed_status,
            time=report.discharge_time,
        )

    def as_stored(self) -> list[StoredAwait]:
        return [message.as_stored() for message in self.messages]

    @classmethod
    def from_stored(cls, stored: Sequence[StoredAwait]) -> AwaitedReports:
        return cls([AwaitedReport.from_stored(item) for item in stored])
