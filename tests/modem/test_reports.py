"""Delivery reports: what a TP-Status means, and which sent message a report is for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.huawei_modem.modem import reports
from custom_components.huawei_modem.modem.pdu import SmsStatusReport
from custom_components.huawei_modem.modem.reports import AwaitedReport, AwaitedReports

NUMBER = "+491701234567"
SENT_AT = datetime(2026, 5, 17, 13, 45, 30, tzinfo=UTC)
DELIVERED = 0x00
STILL_TRYING = 0x20  # congestion, the service centre tries again
FAILED = 0x41  # incompatible destination
NOW = 1000.0  # monotonic seconds


def report(reference: int, status: int, *, minutes: int = 1) -> SmsStatusReport:
    return SmsStatusReport(
        reference=reference,
        number=NUMBER,
        timestamp=SENT_AT,
        discharge_time=SENT_AT + timedelta(minutes=minutes),
        status=status,
    )


def test_a_multipart_message_is_delivered_when_every_part_is() -> None:
    awaited = AwaitedReports()
    awaited.add(NUMBER, [7, 8, 9], NOW)

    assert awaited.match(report(8, DELIVERED), NOW) is None
    assert awaited.match(report(7, STILL_TRYING), NOW) is None
    assert awaited.match(report(7, DELIVERED), NOW) is None
    outcome = awaited.match(report(9, DELIVERED, minutes=3), NOW)

    assert outcome is not None
    assert (outcome.recipient, outcome.references, outcome.delivered) == (NUMBER, (7, 8, 9), True)
    assert outcome.time == SENT_AT + timedelta(minutes=3)
    assert awaited.messages == []


def test_a_multipart_message_failed_as_soon_as_one_part_failed() -> None:
    awaited = AwaitedReports()
    awaited.add(NUMBER, [7, 8], NOW)

    outcome = awaited.match(report(8, FAILED), NOW)

    assert outcome is not None
    assert (outcome.delivered, outcome.status) == (False, FAILED)
    assert awaited.match(report(7, DELIVERED), NOW) is None  # the outcome was told once


def test_a_report_that_overtook_its_message_still_counts() -> None:
    awaited = AwaitedReports()
    assert awaited.match(report(7, DELIVERED), NOW) is None  # part 1, while part 2 is sent
    assert awaited.match(report(3, DELIVERED), NOW) is None  # of a message long forgotten

    outcome = awaited.add(NUMBER, [7, 8], NOW + 1)
    assert outcome is None
    outcome = awaited.match(report(8, DELIVERED), NOW + 2)

    assert outcome is not None
    assert outcome.references == (7, 8)
    assert awaited.add(NUMBER, [3], NOW + reports.EARLY_REPORT_LIFETIME + 1) is None  # too late


def test_a_reused_reference_belongs_to_the_newest_message() -> None:
    awaited = AwaitedReports()
    awaited.add("+4930111", [5], NOW)
    awaited.add("+4930222", [5], NOW)

    outcome = awaited.match(report(5, DELIVERED), NOW)

    assert outcome is not None
    assert outcome.recipient == "+4930222"


def test_only_the_newest_messages_wait() -> None:
    awaited = AwaitedReports()
    for reference in range(reports.MAX_AWAITED_REPORTS + 10):
        awaited.add(NUMBER, [reference % 256], NOW)

    assert len(awaited.messages) == reports.MAX_AWAITED_REPORTS
    assert awaited.match(report(999, DELIVERED), NOW) is None


def test_what_waits_is_stored_and_read_back_as_it_was() -> None:
    awaited = AwaitedReports()
    awaited.add(NUMBER, [7, 8], NOW)
    awaited.match(report(7, DELIVERED), NOW)

    stored = awaited.as_stored()

    assert stored == [{"recipient": NUMBER, "references": [7, 8], "outcomes": {"7": DELIVERED}}]
    assert AwaitedReports.from_stored(stored).messages == [
        AwaitedReport(NUMBER, [7, 8], {7: DELIVERED})
    ]
