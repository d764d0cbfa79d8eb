"""The AT layer's pure parts: line framing, reply prefixes, final result codes and errors.

The channel itself, against a raw pty: test_at.py.
"""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.at import (
    LineFramer,
    decode_line,
    final_error,
    line_name,
    reply_prefixes,
)
from custom_components.huawei_modem.modem.errors import (
    AtCommandError,
    CmeError,
    CmsError,
    CommandNotSupportedError,
)

# --- framing --------------------------------------------------------------------------------


def test_framer_joins_chunks_and_skips_blank_lines() -> None:
    framer = LineFramer()
    assert framer.feed(b"\r\n+CS") == []
    assert framer.feed(b"Q: 20,99\r\r\n\r\nO") == ["+CSQ: 20,99"]
    assert framer.feed(b"K\r\n") == ["OK"]


def test_framer_sees_the_prompt_without_newline() -> None:
    framer = LineFramer()
    assert framer.feed(b"\r\n> ") == [">"]
    assert framer.feed(b"\r\n>") == [">"]
    assert framer.feed(b"\r\n+CMGS: 3") == []


def test_framer_decodes_tolerantly() -> None:
    framer = LineFramer()
    assert framer.feed(b"\x00\xff\xfe(garbage\r\nO\xc3\xa4\r\n") == ["\x00ÿþ(garbage", "Oä"]
    assert decode_line(b"\xe2\x82\xac") == "€"
    framer.feed(b"partial")
    framer.reset()
    assert framer.feed(b"OK\r\n") == ["OK"]


@pytest.mark.parametrize(
    ("command", "prefixes"),
    [
        ("AT+CSQ", {"+CSQ"}),
        ("AT+CSQ;^HCSQ?;+COPS?", {"+CSQ", "^HCSQ", "+COPS"}),
        ('AT^SETPORT="A1;+CSQ"', {"^SETPORT"}),
        ("ATE0", set()),
        ("at+cmgr=3", {"+CMGR"}),
    ],
)
def test_reply_prefixes(command: str, prefixes: set[str]) -> None:
    assert reply_prefixes(command) == prefixes


@pytest.mark.parametrize(
    ("line", "error_type", "code"),
    [
        ("ERROR", AtCommandError, None),
        ("COMMAND NOT SUPPORT", CommandNotSupportedError, None),
        ("TOO MANY PARAMETERS", CommandNotSupportedError, None),
        ("+CME ERROR: 16", CmeError, 16),
        ("+CMS ERROR: 330", CmsError, 330),
        ("+CME ERROR: SIM busy", AtCommandError, None),
    ],
)
def test_final_errors(line: str, error_type: type[AtCommandError], code: int | None) -> None:
    error = final_error("AT+X", line)
    assert type(error) is error_type
    assert getattr(error, "code", None) == code
    assert error is not None
    assert error.command == "AT+X"


def test_error_meanings() -> None:
    assert str(CmeError("AT+CPIN=1", 16)).endswith("(incorrect password)")
    assert CmeError("AT", 300).meaning == "vendor specific error"
    assert CmeError("AT", 200).meaning == "unknown error"
    assert CmsError("AT", 330).meaning == "SMSC address unknown"
    assert CmsError("AT", 99).meaning == "refused by the network"
    assert CmsError("AT", 200).meaning == "SMS protocol error"
    assert CmsError("AT", 999).meaning == "unknown error"
    assert final_error("AT", "OK") is None
    assert line_name("RING") == "RING"
    assert line_name('+cmti: "SM",1') == "+CMTI"
