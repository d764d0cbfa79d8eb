"""SMS PDU codec: published PDUs, status reports, every malformed input."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from custom_components.huawei_modem.modem.errors import PduError
from custom_components.huawei_modem.modem.pdu import (
    SmsDeliver,
    SmsStatusReport,
    SmsSubmit,
    decode_pdu,
    encode_address,
    encode_timestamp,
)

from .pdu_helpers import TZ_PLUS_2, WHEN, deliver_pdu, fields

# --- published PDUs -----------------------------------------------------------------------------

PUBLISHED = [
    pytest.param(
        # The classic SMS-DELIVER of the GSM 03.40 tutorials (dreamfabric): type of number 0xC8.
        "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37",
        SmsDeliver,
        {
            "number": "27838890001",
            "smsc": "+27381000015",
            "text": "hellohello",
            "encoding": "gsm7",
            "timestamp": datetime(1999, 3, 29, 15, 16, 59, tzinfo=TZ_PLUS_2),
            "concat": None,
            "message_class": None,
        },
        id="dreamfabric-deliver",
    ),
    pytest.param(
        # Its SMS-SUBMIT counterpart, with a relative validity period of 0xAA (4 days).
        "0011000B916407281553F80000AA0AE8329BFD4697D9EC37",
        SmsSubmit,
        {
            "number": "+46708251358",
            "text": "hellohello",
            "validity": timedelta(days=4),
            "message_reference": 0,
            "request_status_report": False,
            "smsc": None,
        },
        id="dreamfabric-submit",
    ),
    pytest.param(
        # developershome.com's SMS-DELIVER, zone +08:00 (0x23).
        "07915892000000F0040B915892214365F700007040213252242321493A283D0795C3F33C88FE06C9CB61"
        "32885EC6D341EDF27C1E3E97E72E",
        SmsDeliver,
        {
            "number": "+85291234567",
            "smsc": "+85290000000",
            "text": "It is easy to read text messages.",
            "timestamp": datetime(2007, 4, 12, 23, 25, 42, tzinfo=timezone(timedelta(hours=8))),
        },
        id="developershome-deliver",
    ),
    pytest.param(
        "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07",
        SmsDeliver,
        {
            "number": "+31641600986",
            "text": "How are you?",
            "timestamp": datetime(2002, 8, 26, 19, 37, 41, tzinfo=UTC),  # zone "-0"
        },
        id="how-are-you",
    ),
    pytest.param(
        # Alphanumeric sender (type 0xD0, 13 semi-octets -> 7 characters).
        "0791448720003023240DD0E474D81C0EBB010000111011315214000BE474D81C0EBB5DE3771B",
        SmsDeliver,
        {
            "number": "diafaan",
            "smsc": "+447802000332",
            "text": "diafaan.com",
            "timestamp": datetime(2011, 1, 11, 13, 25, 41, tzinfo=UTC),
        },
        id="alphanumeric-sender",
    ),
    pytest.param(
        "07914306073011F0040B914316709807F2000880604290224080084E2D5174901A8BAF",
        SmsDeliver,
        {"number": "+34610789702", "text": "中兴通讯", "encoding": "ucs2"},
        id="ucs2-chinese",
    ),
    pytest.param(
        "0791947106004034040C9194715455247500002150118142134005C8329BFD06",
        SmsDeliver,
        {
            "number": "+491745554257",
            "smsc": "+491760000443",
            "text": "Hello",
            "timestamp": datetime(2012, 5, 11, 18, 24, 31, tzinfo=timezone(timedelta(hours=1))),
        },
        id="german-hello",
    ),
    pytest.param(
        "0006D60B911326880736F4111011719551401110117195714000",
        SmsStatusReport,
        {
            "reference": 0xD6,
            "number": "+31628870634",
            "timestamp": datetime(2011, 1, 11, 17, 59, 15, tzinfo=timezone(timedelta(hours=1))),
            "discharge_time": datetime(
                2011, 1, 11, 17, 59, 17, tzinfo=timezone(timedelta(hours=1))
            ),
            "status": 0,
            "delivered": True,
            "smsc": None,
            "text": "",
        },
        id="status-report-delivered",
    ),
]


@pytest.mark.parametrize(("pdu", "kind", "expected"), PUBLISHED)
def test_published_pdus(pdu: str, kind: type, expected: dict[str, Any]) -> None:
    message = decode_pdu(pdu)
    assert type(message) is kind
    assert fields(message, **expected) == expected


def test_decode_without_smsc_and_from_bytes() -> None:
    tpdu = "11000B916407281553F80000AA0AE8329BFD4697D9EC37"
    assert decode_pdu(tpdu, smsc_included=False).text == "hellohello"
    assert decode_pdu(bytes.fromhex("00" + tpdu)).text == "hellohello"
    assert decode_pdu("00 " + tpdu.lower()).text == "hellohello"


# --- status reports -----------------------------------------------------------------------------

STATUS_CASES = [
    (0x00, True, True),
    (0x01, True, True),
    (0x02, True, True),  # replaced by the service centre
    (0x03, True, True),  # reserved, still "transaction completed"
    (0x1F, True, True),  # specific to the service centre, completed
    (0x20, False, False),  # congestion: still trying
    (0x30, False, False),
    (0x40, False, True),  # failed for good
    (0x65, False, True),
]


def status_report(status: int, tail: str = "", smsc: str = "00") -> str:
    scts = encode_timestamp(WHEN).hex()
    discharge = encode_timestamp(WHEN + timedelta(seconds=9)).hex()
    address = encode_address("+4917012345").hex()
    return f"{smsc}062A{address}{scts}{discharge}{status:02X}{tail}"


@pytest.mark.parametrize(("status", "delivered", "final"), STATUS_CASES)
def test_status_report_statuses(status: int, delivered: bool, final: bool) -> None:
    report = decode_pdu(status_report(status))
    assert isinstance(report, SmsStatusReport)
    assert (report.reference, report.number, report.status) == (0x2A, "+4917012345", status)
    assert (report.delivered, report.final) == (delivered, final)
    assert report.timestamp == WHEN
    assert report.discharge_time == WHEN + timedelta(seconds=9)


@pytest.mark.parametrize(
    ("tail", "text", "encoding"),
    [
        ("00", "", "gsm7"),  # parameter indicator with nothing set
        ("FF", "", "gsm7"),  # reserved bits: padding, not parameters
        ("0100", "", "gsm7"),  # protocol identifier only
        ("030000", "", "gsm7"),  # PID and DCS, no user data
        ("060003C8F71D", "How", "gsm7"),
        ("0700080400480069", "Hi", "ucs2"),
    ],
)
def test_status_report_optional_parameters(tail: str, text: str, encoding: str) -> None:
    report = decode_pdu(status_report(0, tail, smsc="0791947101670000"))
    assert isinstance(report, SmsStatusReport)
    assert (report.text, report.encoding) == (text, encoding)
    assert report.smsc == "+491710760000"


# --- malformed input ----------------------------------------------------------------------------

GOOD = deliver_pdu("hello")
MALFORMED = [
    ("", "ends before the SMSC field"),
    ("zz", "not hexadecimal"),
    ("0", "not hexadecimal"),
    ("00", "ends before the first octet"),
    ("0003", "reserved"),
    ("07914306", "ends inside the SMSC field"),
    ("0004", "ends before the originating address"),
    ("00040B91", "ends inside the originating address"),
    ("0004038121F300", "ends before the data coding scheme"),
    ("0004038121F30000", "ends before the service centre timestamp"),
    ("0004038121F30000AA5001413254", "ends inside the service centre timestamp"),
    ("0004038121F30000" + "42507131540380", "ends before the user data length"),
    ("0004038121F30000" + "42507131540380" + "05C8F7", "fewer than the 5 septets"),
    ("0004038121F30008" + "42507131540380" + "04004800", "fewer than the 4 octets"),
    ("0044038121F30000" + "42507131540380" + "02", "header is longer"),
    ("0044038121F30000" + "42507131540380" + "0105", "header is longer"),
    ("0044038121F30000" + "42507131540380" + "020100", "header ends inside"),
    ("0044038121F30000" + "42507131540380" + "0403000201", "overruns"),
    ("0044038121F30000" + "42507131540380" + "01050003000201", "fewer than the 1 septets"),
    ("0044038121F30008" + "42507131540380" + "01050003000201", "fewer than the 1 octets"),
    ("0004038121F30000" + "4A507131540380" + "00", "not decimal"),
    ("0004038121F30000" + "42517131540380" + "00", "not a valid date"),
    ("0001000381", "ends inside the destination address"),
    ("001100038121430000", "ends before the validity period"),
    ("000900038121430000", "ends before the validity period"),
    ("00090003812143000001", "ends inside the validity period"),
    ("00190003812143000000", "ends inside the validity period"),
    ("0002", "ends before the message reference"),
    ("00022A0381214342507131540380", "ends before the discharge time"),
    ("00022A038121434250713154038042", "ends inside the discharge time"),
    ("00022A038121434250713154038042507131540380", "ends before the status"),
    (status_report(0, "01"), "ends before the protocol identifier"),
    (status_report(0, "02"), "ends before the data coding scheme"),
    (status_report(0, "04"), "ends before the user data length"),
]


@pytest.mark.parametrize(("pdu", "message"), MALFORMED)
def test_malformed_pdus(pdu: str, message: str) -> None:
    with pytest.raises(PduError, match=message):
        decode_pdu(pdu)


def test_truncating_a_good_pdu_always_raises_pdu_error() -> None:
    for end in range(0, len(GOOD) - 2, 2):
        with pytest.raises(PduError):
            decode_pdu(GOOD[:end])


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="not hexadecimal"):
        decode_pdu("xyz")


def test_messages_are_frozen() -> None:
    message = decode_pdu(GOOD)
    with pytest.raises(FrozenInstanceError):
        message.text = "changed"  # type: ignore[misc]
