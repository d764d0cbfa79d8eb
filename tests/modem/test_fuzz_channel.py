"""Fuzzing the AT channel: line framing with arbitrary bytes in arbitrary chunks, and a command
whose reply comes with noise (pushed lines, blank lines, ``\\r\\r\\n``, NULs, invalid UTF-8, a
``> `` prompt at odd times).

The channel runs over a fake serial transport that plays a script of chunks once the command
is written, so each example takes a moment (test_at.py drives it over a real pty).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import pairwise
from typing import Any
from unittest.mock import patch

import serialx
from hypothesis import example, given
from hypothesis import strategies as st

from custom_components.huawei_modem.modem.at import (
    AtChannel,
    LineFramer,
    Unsolicited,
    decode_line,
    final_error,
    line_name,
)
from custom_components.huawei_modem.modem.errors import (
    AtCommandError,
    CallSetupError,
    CmeError,
    CmsError,
    CommandNotSupportedError,
    ModemError,
)

from .test_pdu_properties import REPEATABLE

PDU = "07919471060040340404D0E474D8FC09000062403121000080054A4EA3C301"
NOISE_TOKENS = (
    b"\r\n",
    b"\r\r\n",
    b"\r",
    b"\n",
    b"\x00",
    b"\xff\xfe",
    b"\xe2\x82",  # a cut UTF-8 sequence
    b"> ",
    b">",
    b"OK",
    b"ERROR",
    b"+CME ERROR: ",
    "²".encode(),
    b"+CMT: ,24\r\n",
    b"^RSSI:",
    b"+CREG: 1",
    PDU.encode(),
)
noise = st.lists(st.one_of(st.binary(max_size=12), st.sampled_from(NOISE_TOKENS)), max_size=8).map(
    b"".join
)


def _chunked(data: bytes, cuts: list[int]) -> list[bytes]:
    """``data`` cut at ``cuts`` (positions taken modulo its length, in order)."""
    positions = sorted({cut % (len(data) + 1) for cut in cuts} | {0, len(data)})
    return [data[start:end] for start, end in pairwise(positions)]


def _framed(chunks: list[bytes]) -> list[str]:
    framer = LineFramer()
    return [line for chunk in chunks for line in framer.feed(chunk)]


# --- framing -----------------------------------------------------------------------------------


@REPEATABLE
@given(data=noise, cuts=st.lists(st.integers(0, 200), max_size=10))
@example(data=b"\xe2\x82\xac\r\n\x00\r\r\nOK\r", cuts=[1, 2, 5])
def test_framing_never_fails_and_keeps_lines_whole(data: bytes, cuts: list[int]) -> None:
    lines = _framed(_chunked(data, cuts))
    assert all(line and line == line.strip() and not {"\r", "\n"} & set(line) for line in lines)
    assert all(isinstance(decode_line(part), str) for part in (data, data[:1], data[1:]))


@REPEATABLE
@given(data=noise.map(lambda data: data.replace(b">", b"")), cuts=st.lists(st.integers(0, 200)))
def test_framing_does_not_depend_on_the_chunks(data: bytes, cuts: list[int]) -> None:
    """Chunks only matter for a bare ``>``: the prompt is a line although no newline ends it."""
    assert _framed(_chunked(data, cuts)) == _framed([data])


FINAL_PREFIXES = ("+CME ERROR:", "+CMS ERROR:", "+cme error: ", "ERROR", "NO CARRIER", "OK")
ODD_CODES = ("", " 16 ", "-1", "²", "١٢", "9" * 5000, "SIM busy", "\x00")


@REPEATABLE
@given(
    line=st.one_of(
        st.text(max_size=30),
        st.builds(
            str.__add__,
            st.sampled_from(FINAL_PREFIXES),
            st.one_of(st.sampled_from(ODD_CODES), st.text(max_size=8)),
        ),
    )
)
@example(line="+CME ERROR: ²")
@example(line="+CMS ERROR: " + "9" * 5000)
def test_final_results_are_read_without_failing(line: str) -> None:
    """A line is a final error result, or None: never an exception of its own."""
    error = final_error("AT+X", line)
    assert error is None or isinstance(error, AtCommandError)
    assert line_name(line) == line_name(line).strip()


# --- the channel over a fake transport ---------------------------------------------------------


class ScriptedTransport(asyncio.Transport):
    """Plays ``chunks`` to the channel, one per turn of the loop, after the first write."""

    def __init__(self, protocol: asyncio.Protocol, chunks: list[bytes]) -> None:
        super().__init__()
        self._protocol = protocol
        self._chunks = chunks
        self._closing = False
        self.written = bytearray()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self.written:
            asyncio.get_running_loop().call_soon(self._play, iter(self._chunks))
        self.written += data

    def _play(self, chunks: Iterator[bytes]) -> None:
        chunk = next(chunks, None)
        if chunk is not None and not self._closing:
            self._protocol.data_received(chunk)
            asyncio.get_running_loop().call_soon(self._play, chunks)

    def is_closing(self) -> bool:
        return self._closing

    def close(self) -> None:
        self._closing = True
        asyncio.get_running_loop().call_soon(self._protocol.connection_lost, None)


@contextmanager
def _serial_playing(chunks: list[bytes]) -> Iterator[None]:
    async def connect(
        _: asyncio.AbstractEventLoop, factory: Callable[[], asyncio.Protocol], *__: Any, **___: Any
    ) -> tuple[asyncio.Transport, asyncio.Protocol]:
        protocol = factory()
        transport = ScriptedTransport(protocol, chunks)
        protocol.connection_made(transport)
        return transport, protocol

    with patch.object(serialx, "create_serial_connection", connect):
        yield


def _run(
    chunks: list[bytes], command: str, timeout: float, *, prompt: bool = False
) -> tuple[list[str] | ModemError, list[Unsolicited]]:
    """The command's reply (or its ModemError) and the pushed lines, when ``chunks`` answer;
    fails on an exception the channel let out to the loop (a real transport would drop the
    port on it)."""
    pushed: list[Unsolicited] = []
    escaped: list[dict[str, Any]] = []

    async def exchange() -> list[str] | ModemError:
        asyncio.get_running_loop().set_exception_handler(lambda _, context: escaped.append(context))
        channel = AtChannel("scripted", timeout=timeout, settle=0.01)
        channel.add_unsolicited_listener(pushed.append)
        await channel.open()
        try:
            if prompt:
                return await channel.command_with_prompt(command, "0011000B91")
            return await channel.command(command)
        except ModemError as err:
            return err
        finally:
            await channel.close()

    with _serial_playing(chunks):
        outcome = asyncio.run(exchange())
    assert escaped == []
    return outcome, pushed


TIMEOUT = 0.02
"""Short, so that the examples without a final result stay fast."""


@REPEATABLE
@given(
    before=noise,
    after=noise,
    final=st.sampled_from((b"OK", b"ERROR", b"+CMS ERROR: 500", b"NO CARRIER", b"")),
    cuts=st.lists(st.integers(0, 300), max_size=12),
    prompt=st.booleans(),
)
@example(before=b"> ", after=b"", final=b"", cuts=[], prompt=True)
@example(before="\r\n+CME ERROR: ²".encode(), after=b"", final=b"", cuts=[], prompt=False)
def test_garbage_ends_the_command_with_a_reply_or_a_modem_error(
    before: bytes, after: bytes, final: bytes, cuts: list[int], prompt: bool
) -> None:
    reply = before + b"\r\n+CSQ: 20,99\r\n" + after + b"\r\n" + final + b"\r\n"
    started = time.monotonic()
    outcome, _ = _run(_chunked(reply, cuts), "AT+CSQ", TIMEOUT, prompt=prompt)
    assert isinstance(outcome, list | ModemError)
    assert time.monotonic() - started < 2 * TIMEOUT + 1.0  # prompt and reply: two timeouts


PUSHED_LINES = (
    b'+CMTI: "SM",3',
    b"^RSSI:17",
    b"RING",
    b'+CLIP: "+4930123",145,,,,0',
    b"^BOOT:1,0",
    b'^HCSQ:"LTE",30,19,66,0',
    b"+CREG: 1",
    b"^MODE:5,4",
    b"^CEND:1,0,104,16",
    b"+CMT: ,24\r\n" + PDU.encode(),
)
pushed_line = st.one_of(
    st.sampled_from(PUSHED_LINES),
    st.builds(
        b"".join,
        st.tuples(
            st.sampled_from((b"^RSSI:", b"+CUSD: ", b"^SIMST:", b"^DSFLOWRPT:")),
            st.binary(max_size=16).map(lambda value: value.translate(None, b"\r\n")),
        ),
    ),
)
STRAY_LINES = (b"", b"> ")
"""Lines the channel drops: a blank one, a prompt nobody waits for."""
noise_line = st.one_of(pushed_line, st.sampled_from(STRAY_LINES))
line_ends = st.sampled_from((b"\r\n", b"\r\r\n", b"\n", b"\r"))
REPLY = (b"+CMGR: 1,,24", PDU.encode())
FINALS: dict[bytes, type[AtCommandError] | None] = {
    b"OK": None,
    b"ERROR": AtCommandError,
    b"+CME ERROR: 10": CmeError,
    b"+CMS ERROR: 321": CmsError,
    b"COMMAND NOT SUPPORT": CommandNotSupportedError,
    b"NO CARRIER": CallSetupError,
}


def _interleaved(noise_lines: list[tuple[int, bytes]], final: bytes) -> list[bytes]:
    """The reply's lines and its final result with the noise lines in the gaps they name."""
    gaps: list[list[bytes]] = [[] for _ in range(len(REPLY) + 1)]
    for gap, line in noise_lines:
        gaps[gap].append(line)
    return [*gaps[0], REPLY[0], *gaps[1], REPLY[1], *gaps[2], final]


@REPEATABLE
@given(
    noise_lines=st.lists(st.tuples(st.integers(0, len(REPLY)), noise_line), max_size=8),
    final=st.sampled_from(list(FINALS)),
    ends=st.lists(line_ends, min_size=1, max_size=4),
    cuts=st.lists(st.integers(0, 400), max_size=16),
    echo=st.booleans(),
)
@example(
    noise_lines=[(1, b"> "), (2, PUSHED_LINES[-1])], final=b"OK", ends=[b"\r"], cuts=[], echo=True
)
def test_pushed_lines_never_get_into_the_reply(
    noise_lines: list[tuple[int, bytes]],
    final: bytes,
    ends: list[bytes],
    cuts: list[int],
    echo: bool,
) -> None:
    lines = _interleaved(noise_lines, final)
    script = (b"AT+CMGR=1\r" if echo else b"") + b"".join(
        line + ends[index % len(ends)] for index, line in enumerate(lines)
    )
    outcome, pushed = _run(_chunked(script, cuts), "AT+CMGR=1", timeout=2.0)
    expected_error = FINALS[final]
    if expected_error is None:
        assert outcome == [line.decode() for line in REPLY]
    else:
        assert type(outcome) is expected_error
    in_order = sorted(noise_lines, key=lambda noise_line: noise_line[0])
    names = [
        line_name(decode_line(line.split(b"\r\n")[0]))
        for _, line in in_order
        if line not in STRAY_LINES
    ]
    assert [unsolicited.name for unsolicited in pushed] == names
    assert all(unsolicited.pdu == PDU for unsolicited in pushed if unsolicited.name == "+CMT")
