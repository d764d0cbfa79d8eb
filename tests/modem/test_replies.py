"""Parsers of the standard 3GPP replies and the field helpers, fed with real reply strings (odd
forms included)."""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.call_models import Caller, CliValidity
from custom_components.huawei_modem.modem.errors import UnexpectedReplyError
from custom_components.huawei_modem.modem.models import (
    AccessTechnology,
    MessageStatus,
    Registration,
    RegistrationState,
    SimState,
    StorageUsage,
)
from custom_components.huawei_modem.modem.replies import (
    after_prefix,
    best_registration,
    parse_clip,
    parse_cmgl,
    parse_cmgr,
    parse_cnum,
    parse_cops,
    parse_cpin,
    parse_cpms,
    parse_cring,
    parse_csq,
    parse_memory_index,
    parse_registration,
    plain_value,
    split_fields,
    value_of,
)

LTE = AccessTechnology.LTE
WCDMA = AccessTechnology.WCDMA
GSM = AccessTechnology.GSM


@pytest.mark.parametrize(("value", "expected"), [("20,99", 20), ("99,99", None), ("0,0", 0)])
def test_csq(value: str, expected: int | None) -> None:
    assert parse_csq(value) == expected


def test_csq_garbage_is_unexpected() -> None:
    with pytest.raises(UnexpectedReplyError):
        parse_csq("x,99")


@pytest.mark.parametrize(
    ("value", "state"),
    [
        ("READY", SimState.READY),
        ("SIM PIN", SimState.PIN_REQUIRED),
        (" SIM PUK", SimState.PUK_REQUIRED),
        ('"SIM PIN"', SimState.PIN_REQUIRED),
        ("SIM PIN2", SimState.OTHER),
        ("PH-NET PIN", SimState.OTHER),
    ],
)
def test_cpin(value: str, state: SimState) -> None:
    assert parse_cpin(value) is state


@pytest.mark.parametrize(
    ("value", "name", "technology"),
    [
        ('0,0,"Telekom.de",7', "Telekom.de", LTE),
        ("0,0,Telekom.de,2", "Telekom.de", WCDMA),
        ('0,2,"26201",0', "26201", GSM),
        ('1,0,"o2 - de"', "o2 - de", AccessTechnology.UNKNOWN),
        ('0,0,"X",9', "X", AccessTechnology.UNKNOWN),
    ],
)
def test_cops(value: str, name: str, technology: AccessTechnology) -> None:
    operator = parse_cops(value)
    assert operator is not None
    assert (operator.name, operator.access_technology) == (name, technology)


@pytest.mark.parametrize("value", ["0", "0,0,", "2"])
def test_cops_without_operator(value: str) -> None:
    assert parse_cops(value) is None


@pytest.mark.parametrize(
    ("value", "solicited", "expected"),
    [
        ("0,1", True, Registration(RegistrationState.HOME)),
        (
            '2,5,"1A2B","01C3D4E5",7',
            True,
            Registration(RegistrationState.ROAMING, "1A2B", "01C3D4E5"),
        ),
        ("1", False, Registration(RegistrationState.HOME)),
        ('1,"1A2B","01C3D4E5"', False, Registration(RegistrationState.HOME, "1A2B", "01C3D4E5")),
        ('1,"1A2B","01C3D4E5"', True, Registration(RegistrationState.HOME, "1A2B", "01C3D4E5")),
        ("2", True, Registration(RegistrationState.SEARCHING)),
        ("0,3", True, Registration(RegistrationState.DENIED)),
        ("0,9", True, Registration(RegistrationState.UNKNOWN)),
    ],
)
def test_registration(value: str, solicited: bool, expected: Registration) -> None:
    assert parse_registration(value, solicited=solicited) == expected


def test_registration_flags() -> None:
    assert Registration(RegistrationState.ROAMING).registered
    assert not Registration(RegistrationState.SEARCHING).registered


def test_best_registration() -> None:
    home, searching = (
        Registration(RegistrationState.HOME),
        Registration(RegistrationState.SEARCHING),
    )
    assert best_registration([searching, home]) is RegistrationState.HOME
    assert best_registration([searching]) is RegistrationState.SEARCHING
    assert best_registration([]) is RegistrationState.UNKNOWN


def test_cpms() -> None:
    assert parse_cpms('"SM",3,30,"SM",3,30,"ME",0,100') == [
        StorageUsage("SM", 3, 30),
        StorageUsage("SM", 3, 30),
        StorageUsage("ME", 0, 100),
    ]
    with pytest.raises(UnexpectedReplyError):
        parse_cpms('"SM"')
    with pytest.raises(UnexpectedReplyError):
        parse_cpms('"SM",a,30')


DELIVER = "07919471060040340404D0E474D8FC09000062403121000080054A4EA3C301"


def test_cmgl_keeps_each_pdu_with_its_header() -> None:
    lines = [
        "+CMGL: 0,1,,24",
        DELIVER,
        "+CMGL: 3,0,,24",
        "\x00\xff garbage",
        DELIVER.lower(),
        "",
    ]
    entries = parse_cmgl(lines)
    assert [(e.index, e.status, e.pdu) for e in entries] == [
        (0, MessageStatus.READ, DELIVER),
        (3, MessageStatus.UNREAD, DELIVER),
    ]
    assert parse_cmgl([]) == []


def test_cmgl_header_without_pdu() -> None:
    with pytest.raises(UnexpectedReplyError):
        parse_cmgl(["+CMGL: 0,1,,24"])
    with pytest.raises(UnexpectedReplyError):
        parse_cmgl(["+CMGL: 0,7,,24", DELIVER])


def test_cmgr() -> None:
    entry = parse_cmgr(["+CMGR: 1,,24", DELIVER])
    assert (entry.index, entry.status, entry.pdu) == (None, MessageStatus.READ, DELIVER)
    with pytest.raises(UnexpectedReplyError):
        parse_cmgr(["OK"])


def test_memory_index() -> None:
    assert parse_memory_index('"SM",3') == ("SM", 3)
    assert parse_memory_index("ME,12") == ("ME", 12)
    with pytest.raises(UnexpectedReplyError):
        parse_memory_index('"SM"')


def test_cnum() -> None:
    assert parse_cnum(['+CNUM: "","+491701234567",145']) == "+491701234567"
    assert parse_cnum(['+CNUM: "Own",,129']) is None
    assert parse_cnum([]) is None


def test_field_helpers() -> None:
    assert split_fields('1,"a,b", c ,') == ["1", "a,b", "c", ""]
    assert after_prefix("+CSQ: 20,99", "+csq") == "20,99"
    assert after_prefix("+CSQX: 1", "+CSQ") is None
    assert value_of(["x", '^HCSQ:"GSM",40'], "^HCSQ") == '"GSM",40'
    with pytest.raises(UnexpectedReplyError):
        value_of([], "+CSQ")
    assert plain_value(["", "866123456789012"]) == "866123456789012"
    assert plain_value(["+CGSN: 866123456789012"], "+CGSN") == "866123456789012"
    assert plain_value(['"huawei"'], "+CGMI") == "huawei"
    with pytest.raises(UnexpectedReplyError):
        plain_value([" "])


# --- calls --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"+491701234567",145,,,,0', Caller("+491701234567", 145, CliValidity.SHOWN)),
        ('"01701234567",129,,,,0', Caller("01701234567", 129, CliValidity.SHOWN)),
        ('"",128,,,,1', Caller(None, 128, CliValidity.WITHHELD)),
        ('"",129,,,,2', Caller(None, 129, CliValidity.UNAVAILABLE)),
        ('"+4930123",145', Caller("+4930123", 145, CliValidity.SHOWN)),
        ('"",129', Caller(None, 129, CliValidity.UNAVAILABLE)),
        ('"+4930123",145,"",,"Alice",0', Caller("+4930123", 145, CliValidity.SHOWN)),
    ],
)
def test_clip(value: str, expected: Caller) -> None:
    assert parse_clip(value) == expected
    assert parse_clip(value).international is (expected.number_type == 145)


def test_clip_with_an_unknown_validity() -> None:
    with pytest.raises(UnexpectedReplyError):
        parse_clip('"123",129,,,,7')


@pytest.mark.parametrize(
    ("value", "expected"), [("VOICE", "VOICE"), ("voice", "VOICE"), ("", "VOICE")]
)
def test_cring(value: str, expected: str) -> None:
    assert parse_cring(value) == expected
