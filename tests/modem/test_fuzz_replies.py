"""Fuzzing the reply parsers: arbitrary text and mutated real replies either parse or raise a
declared error (a ``ModemError``), never ValueError, IndexError, KeyError, OverflowError...

The parsers are found by name (every ``parse_*`` and ``decode_*`` of ``replies`` and
``huawei_replies``), so a new one is fuzzed as soon as it exists; their arguments are drawn
from their type hints. The PDU decoder has its own fuzzing in test_pdu_properties.py.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from contextlib import suppress
from types import ModuleType
from typing import Any, get_args, get_origin, get_type_hints

from hypothesis import example, given, settings
from hypothesis import strategies as st

from custom_components.huawei_modem.modem import huawei_replies, replies
from custom_components.huawei_modem.modem.at import Unsolicited, line_name
from custom_components.huawei_modem.modem.errors import ModemError
from custom_components.huawei_modem.modem.events import event_of
from custom_components.huawei_modem.modem.models import Capabilities
from custom_components.huawei_modem.modem.status import read_status

from .test_pdu_properties import REPEATABLE

PDU = "07919471060040340404D0E474D8FC09000062403121000080054A4EA3C301"
REAL_REPLIES: dict[str, tuple[str, ...]] = {
    "parse_csq": ("+CSQ: 20,99",),
    "parse_rssi": ("^RSSI:17",),
    "parse_hcsq": ('^HCSQ:"LTE",30,19,66,0', '^HCSQ:"WCDMA",36,36,52'),
    "parse_cpin": ("+CPIN: READY",),
    "parse_huawei_cpin": ("^CPIN: SIM PIN,3,10,3,10,3",),
    "parse_cops": ('+COPS: 0,0,"Telekom.de",7',),
    "parse_registration": ('+CREG: 2,5,"1A2B","01C3D4E5",7', '+CEREG: 1,"1A2B","01C3D4E5"'),
    "parse_cgatt": ("+CGATT: 1",),
    "parse_ctzv": ("+CTZV: +04",),
    "parse_nwtime": ("^NWTIME: 14/08/05,04:00:21+40,00",),
    "parse_cpms": ('+CPMS: "SM",3,30,"SM",3,30,"ME",0,100',),
    "parse_cmgl": ("+CMGL: 3,0,,24", PDU, "+CMGL: 4,1,,24", PDU),
    "parse_cmgr": ("+CMGR: 1,,24", PDU),
    "parse_memory_index": ('+CMTI: "SM",3',),
    "parse_cnum": ('+CNUM: "","+491701234567",145',),
    "parse_clip": ('+CLIP: "+4930123",145,"",,"Alice",0',),
    "parse_cring": ("+CRING: VOICE",),
    "parse_sysinfoex": ('^SYSINFOEX: 2,3,0,1,,3,"WCDMA",41,"HSPA+"',),
    "parse_sysinfo": ("^SYSINFO: 2,3,0,5,1,,4",),
    "parse_syscfgex_orders": ('^SYSCFGEX: ("00","03","02","01","99"),((3fffffff,"All")),(0-3)',),
    "parse_syscfg_choices": ('^SYSCFG: (2,13,14,16),(0-3),((400000,"WCDMA2100")),(0-2),(0-4)',),
    "parse_syscfgex": ('^SYSCFGEX: "00",3FFFFFFF,1,2,7FFFFFFFFFFFFFFF',),
    "parse_syscfg": ("^SYSCFG: 2,2,3FFFFFFF,1,2",),
    "parse_port_profile": ('^SETPORT: "A1,A2;12,1,16,A1,A2"',),
    "parse_setport_supported": ("^SETPORT:10: 4G MODEM", "^SETPORT:A1: CDROM"),
    "parse_getportmode": ("^GETPORTMODE: TYPE: WCDMA: huawei,MDM:0,PCUI:1,NDIS:2,CDROM:3,SD:4,",),
    "parse_cusd": ('+CUSD: 0,"AA180C3602",15', '+CUSD: 1,"00410042",72'),
    "decode_ussd": ("AA180C3602", "00410042", "Balance: 5.00 EUR"),
    "parse_call_id": ("^ORIG:1,0", "^CONN:1,0"),
    "parse_cend": ("^CEND:1,0,104,16",),
    "parse_cvoice": ("^CVOICE: 0,8000,16,20",),
    "parse_int": ("20",),
}
"""Real replies (from the parsers' own tests), mutated to feed each parser; a parser missing
here is fed every one of them."""
PUSHED = ("^MODE:5,4", "^SIMST:1", "^SMMEMFULL: SM", "+CMT: ,24", "+CDS: 25", '+CDSI: "SM",2')
REAL_LINES = tuple(line for lines in REAL_REPLIES.values() for line in lines) + PUSHED


def _value(line: str) -> str:
    """What follows the line's name, as the parsers of one line are given it."""
    return line.partition(":")[2].strip() or line


ODD_FIELDS = (
    "",
    " ",
    "-1",
    "+",
    "9" * 5000,  # beyond what int() reads from a string
    "99999999999999999999",
    "(0-99999999999)",  # a listed range of 10^11 numbers
    "0-",
    '"',
    '""',
    "²",  # a digit to str.isdigit(), not to int()
    "١٢",  # Arabic-Indic digits: int() reads them
    "\u3000",  # a space to str.strip(), not to bytes.fromhex()
    "\x1c",  # a separator str.strip() strips and bytes.fromhex() does not
    "ä€😀",
    "\x00\xff",
    "(",
    ")",
    ":",
    ";",
)


@st.composite
def mutated(draw: st.DrawFn, originals: Sequence[str]) -> str:
    """A real reply with some fields emptied, swapped for odd ones, dropped or glued, or cut."""
    fields = draw(st.sampled_from(originals)).split(",")
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(fields) - 1))
        change = draw(st.sampled_from(("odd", "insert", "any", "drop", "glue", "cut")))
        if change == "odd":
            fields[position] = draw(st.sampled_from(ODD_FIELDS))
        elif change == "insert":
            at = draw(st.integers(0, len(fields[position])))
            odd = draw(st.sampled_from(ODD_FIELDS))
            fields[position] = fields[position][:at] + odd + fields[position][at:]
        elif change == "any":
            fields[position] = draw(st.text(max_size=12))
        elif change == "drop" and len(fields) > 1:
            del fields[position]
        elif change == "glue" and position + 1 < len(fields):
            fields[position : position + 2] = [fields[position] + fields[position + 1]]
        elif change == "cut":
            fields[position] = fields[position][: draw(st.integers(0, 8))]
    return ",".join(fields)


def _texts(real: Sequence[str]) -> st.SearchStrategy[str]:
    values = [_value(line) for line in real]
    return st.one_of(st.text(max_size=60), mutated(values), mutated(real), st.sampled_from(values))


def _lines(real: Sequence[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(
        st.one_of(mutated(real), st.sampled_from(real), st.text(max_size=40)), max_size=8
    )


def _strategy(hint: object, real: Sequence[str]) -> st.SearchStrategy[Any]:
    if hint is str:
        return _texts(real)
    if get_origin(hint) is Sequence and get_args(hint) == (str,):
        return _lines(real)
    if hint is bool:
        return st.booleans()
    if hint == int | None:
        return st.one_of(st.none(), st.integers(), st.sampled_from((15, 72, 0x44, 0x11)))
    raise TypeError(f"no strategy for arguments of type {hint}: add one to _strategy")


def _parsers(*modules: ModuleType) -> list[Callable[..., object]]:
    return [
        function
        for module in modules
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if name.startswith(("parse_", "decode_")) and function.__module__ == module.__name__
    ]


PARSERS = _parsers(replies, huawei_replies)
EXAMPLES_PER_PARSER = 100


ParserCall = tuple[Callable[..., object], dict[str, Any]]


def _calls(parser: Callable[..., object]) -> st.SearchStrategy[ParserCall]:
    """``parser`` with arguments drawn from its type hints, fed its own real replies mutated."""
    real = REAL_REPLIES.get(parser.__name__, REAL_LINES)
    hints = get_type_hints(parser)
    arguments = st.fixed_dictionaries(
        {name: _strategy(hints[name], real) for name in inspect.signature(parser).parameters}
    )
    return st.tuples(st.just(parser), arguments)


def test_every_parser_is_found() -> None:
    names = {parser.__name__ for parser in PARSERS}
    assert {"parse_csq", "parse_cmgl", "parse_cusd", "decode_ussd", "parse_cend"} <= names
    assert set(REAL_REPLIES) <= names, "real replies of a parser that is gone"


@settings(REPEATABLE, max_examples=EXAMPLES_PER_PARSER * len(PARSERS))
@given(call=st.one_of([_calls(parser) for parser in PARSERS]))
@example(call=(replies.parse_clip, {"value": ",²"}))
@example(call=(huawei_replies.parse_syscfg_choices, {"value": "(0-99999999999),(0-3)"}))
@example(call=(huawei_replies.parse_syscfg_choices, {"value": f"(0-{'9' * 21}),(0-3)"}))
@example(call=(huawei_replies.parse_cusd, {"value": '0,"0000000000\u3000",0'}))
@example(call=(huawei_replies.parse_getportmode, {"value": "MDM:0²"}))
def test_parsers_raise_only_modem_errors(call: ParserCall) -> None:
    parser, arguments = call
    with suppress(ModemError):
        parser(**arguments)


capabilities = st.builds(
    Capabilities, sysinfoex=st.booleans(), registration_commands=st.just(("+CREG",))
)
pdus = st.one_of(st.none(), st.just(PDU), mutated((PDU,)), st.text(max_size=20))


def _pushed(line: str) -> st.SearchStrategy[Unsolicited]:
    """``line`` as the channel pushes it, its value mutated, with or without a PDU line."""
    value = st.one_of(mutated((_value(line),)), st.text(max_size=20))
    return st.builds(Unsolicited, st.just(line_name(line)), value, pdus)


pushed_lines = st.one_of([_pushed(line) for line in REAL_LINES])


@REPEATABLE
@given(unsolicited=pushed_lines, capabilities=capabilities)
@example(unsolicited=Unsolicited("^MODE", "#q"), capabilities=Capabilities())
@example(unsolicited=Unsolicited("^MODE", "5,²"), capabilities=Capabilities())
@example(unsolicited=Unsolicited("^SIMST", ""), capabilities=Capabilities())
def test_event_builders_raise_only_modem_errors(
    unsolicited: Unsolicited, capabilities: Capabilities
) -> None:
    """``event_of`` drops what it cannot read (a ModemError) and lets nothing else through."""
    event_of(unsolicited, capabilities)


@REPEATABLE
@given(lines=_lines(REAL_LINES))
def test_status_raises_only_modem_errors(lines: list[str]) -> None:
    with suppress(ModemError):
        read_status(lines)
