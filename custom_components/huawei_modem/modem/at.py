"""The AT channel: framing, one command in flight, final results, unsolicited lines.

Bytes from the port are cut into lines (``LineFramer``); each line is either pushed by the stick
(``Unsolicited``, routed to listeners at any moment, also in the middle of a reply), part of the
reply of the command in flight, or its final result. ``AtChannel`` writes one command at a time,
registers its waiter before writing and bounds every wait by a timeout.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import serialx

from .errors import (
    AtCommandError,
    AtTimeoutError,
    CallSetupError,
    CmeError,
    CmsError,
    CommandNotSupportedError,
    ConnectionLostError,
    ModemError,
    PortNotOpenError,
)
from .replies import is_pdu_line, optional_int

_LOGGER = logging.getLogger(__name__)

CTRL_Z: Final = b"\x1a"
ESC: Final = b"\x1b"
PROMPT: Final = ">"
OK: Final = "OK"
DEFAULT_TIMEOUT: Final = 10.0
DEFAULT_BAUDRATE: Final = 115200

# Pushed by the stick and never part of a reply (+CUSD answers come after the OK of AT+CUSD).
ALWAYS_PUSHED: Final = frozenset(
    {
        "+CMTI", "+CMT", "+CDSI", "+CDS", "+CUSD", "+CLIP", "RING", "+CGEV", "+CRING", "+CTZV",
        "^RSSI", "^MODE", "^BOOT", "^SRVST", "^SIMST", "^DSFLOWRPT", "^ORIG", "^CONF", "^CONN",
        "^CEND", "^STIN", "^SMMEMFULL", "^ECCLIST", "^NWTIME", "^TIME", "^ACTIVEBAND",
    }
)  # fmt: skip
# Pushed as well, but also the reply of their own query (AT^HCSQ?, AT+CREG?, ...).
PUSHED_UNLESS_ASKED: Final = frozenset(
    {"^HCSQ", "+CREG", "+CGREG", "+CEREG", "^CSNR", "^RSSILVL", "^NDISSTAT", "^LTERSRP"}
)
# Final results of a dial command that set up no call (V.250).
CALL_NOT_SET_UP: Final = frozenset({"NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE"})
# Unsolicited headers followed by a PDU line that belongs to them.
WITH_PDU: Final = frozenset({"+CMT", "+CDS"})

_QUOTED = re.compile(r'"[^"]*"')
_COMMAND_NAME = re.compile(r"(?:^|;)\s*([+^][A-Z0-9]+)")


@dataclass(frozen=True, slots=True)
class Unsolicited:
    """A line the stick pushed: ``name`` (``+CMTI``, ``RING``), what follows the colon, and
    for ``+CMT`` / ``+CDS`` the PDU line that came with it."""

    name: str
    value: str
    pdu: str | None = None


UnsolicitedListener = Callable[[Unsolicited], None]
LostListener = Callable[[ConnectionLostError], None]


def decode_line(raw: bytes) -> str:
    """UTF-8 where it is valid, Latin-1 (every byte maps) where it is not."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class LineFramer:
    """Cuts a byte stream into lines; a bare ``> `` (the SMS prompt) counts as a line."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[str]:
        self._buffer += data
        end = max(self._buffer.rfind(b"\r"), self._buffer.rfind(b"\n"))
        complete = bytes(self._buffer[: end + 1])
        del self._buffer[: end + 1]
        lines = [decode_line(raw).strip() for raw in re.split(rb"[\r\n]+", complete)]
        if self._buffer.strip() == PROMPT.encode():
            lines.append(PROMPT)
            self._buffer.clear()
        return [line for line in lines if line]

    def reset(self) -> None:
        self._buffer.clear()


def line_name(line: str) -> str:
    """``+CMTI`` of ``+CMTI: "SM",3``, ``RING`` of ``RING``."""
    head, colon, _ = line.partition(":")
    return (head if colon else line).strip().upper()


def reply_prefixes(command: str) -> frozenset[str]:
    """Names whose lines answer ``command``: ``AT+CSQ;^HCSQ?`` → {+CSQ, ^HCSQ}."""
    body = _QUOTED.sub("", command.strip().upper())
    body = body.removeprefix("AT")
    return frozenset(_COMMAND_NAME.findall(body))


def final_error(command: str, line: str) -> AtCommandError | None:
    """The error a final result line means, or None for any other line."""
    upper = line.upper()
    if upper == "ERROR":
        return AtCommandError(command, line)
    if upper in ("COMMAND NOT SUPPORT", "TOO MANY PARAMETERS"):
        return CommandNotSupportedError(command, line)
    if upper in CALL_NOT_SET_UP:
        return CallSetupError(command, line)
    for prefix, error_type in (("+CME ERROR:", CmeError), ("+CMS ERROR:", CmsError)):
        if upper.startswith(prefix):
            code = optional_int([line[len(prefix) :]], 0)
            return AtCommandError(command, line) if code is None else error_type(command, code)
    return None


@dataclass(slots=True)
class _Pending:
    """The command in flight and what it has collected so far."""

    command: str
    label: str
    """How the command shows in errors (a PIN is not shown)."""
    prefixes: frozenset[str]
    future: asyncio.Future[list[str]]
    expect_prompt: bool = False
    lines: list[str] = field(default_factory=list)

    def take(self, line: str) -> None:
        if self.future.done() or line.upper() == self.command.upper():
            return  # a late line, or the echo while echo is still on
        if line == PROMPT:
            if self.expect_prompt:
                self.future.set_result(self.lines)
            return
        if line.upper() == OK:
            self.future.set_result(self.lines)
        elif (error := final_error(self.label, line)) is not None:
            self.future.set_exception(error)
        else:
            self.lines.append(line)


class _AtProtocol(asyncio.Protocol):
    def __init__(self, channel: AtChannel) -> None:
        self._channel = channel

    def data_received(self, data: bytes) -> None:
        self._channel._data_received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self._channel._connection_lost(exc)


class AtChannel:
    """One AT port: a tty path or a ``socket://host:port`` URL.

    ``settle``: after a timeout, how long the port must stay quiet before the next command, so
    that a late reply is not taken for the next command's.
    """

    def __init__(
        self,
        url: str,
        *,
        baudrate: int = DEFAULT_BAUDRATE,
        timeout: float = DEFAULT_TIMEOUT,
        settle: float = 0.3,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self._baudrate = baudrate
        self._settle = settle
        self._lock = asyncio.Lock()
        self._framer = LineFramer()
        self._transport: asyncio.Transport | None = None
        self._pending: _Pending | None = None
        self._header_waiting_for_pdu: Unsolicited | None = None
        self._unsolicited_listeners: list[UnsolicitedListener] = []
        self._lost_listeners: list[LostListener] = []
        self._activity = asyncio.Event()
        self._stale = False
        self._closed_by_us = False
        self._lost = asyncio.Event()

    # --- lifecycle ------------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._transport is not None and not self._transport.is_closing()

    async def open(self) -> None:
        """Open the port (serialx opens a tty in an executor). Raises ConnectionLostError."""
        if self.is_open:
            return
        loop = asyncio.get_running_loop()
        self._framer.reset()
        self._header_waiting_for_pdu = None
        self._closed_by_us = False
        self._lost.clear()
        try:
            transport, _ = await serialx.create_serial_connection(
                loop, lambda: _AtProtocol(self), self.url, baudrate=self._baudrate
            )
        except (OSError, serialx.SerialException, TimeoutError) as err:
            raise ConnectionLostError(f"cannot open {self.url}: {err}") from err
        self._transport = transport

    async def close(self) -> None:
        """Close the port; a command in flight fails with ConnectionLostError."""
        transport, self._transport = self._transport, None
        if transport is None:
            return
        self._closed_by_us = True
        self._fail_pending(ConnectionLostError(f"{self.url} closed"))
        transport.close()
        try:
            async with asyncio.timeout(self.timeout):
                await self._lost.wait()
        except TimeoutError:
            _LOGGER.debug("%s: closed without a word from the transport", self.url)

    async def wait_gone(self, within: float) -> bool:
        """Wait until the port went away (e.g. after ``AT^RESET``); False if it is still there."""
        if self._transport is None:
            return True
        try:
            async with asyncio.timeout(within):
                await self._lost.wait()
        except TimeoutError:
            return False
        return True

    # --- listeners ------------------------------------------------------------------------------

    def add_unsolicited_listener(self, listener: UnsolicitedListener) -> Callable[[], None]:
        """Call ``listener`` for every pushed line; returns the function that removes it."""
        self._unsolicited_listeners.append(listener)
        return lambda: self._unsolicited_listeners.remove(listener)

    def add_lost_listener(self, listener: LostListener) -> Callable[[], None]:
        """Call ``listener`` when the port goes away by itself (not on ``close()``)."""
        self._lost_listeners.append(listener)
        return lambda: self._lost_listeners.remove(listener)

    # --- commands -------------------------------------------------------------------------------

    async def command(
        self, command: str, *, reply_timeout: float | None = None, shown_as: str | None = None
    ) -> list[str]:
        """Send ``command`` and return the lines of its reply (neither final result nor pushed
        lines). Raises AtCommandError (and subclasses), AtTimeoutError, ConnectionLostError.

        ``shown_as``: the command as errors show it, for commands that carry a secret.

        The channel owns the timeout (rather than the caller wrapping it in ``asyncio.timeout``)
        because a timeout has consequences on the line: Esc after a prompt, and a settling
        pause before the next command.
        """
        async with self._lock:
            await self._settle_after_timeout()
            return await self._exchange(command, reply_timeout, label=shown_as)

    async def command_with_prompt(
        self, command: str, payload: str, *, reply_timeout: float | None = None
    ) -> list[str]:
        """``AT+CMGS=<n>``: wait for ``> ``, send ``payload`` and Ctrl-Z, return the reply.

        A missing prompt or reply is aborted with Esc, so the stick does not stay in the prompt.
        """
        async with self._lock:
            await self._settle_after_timeout()
            await self._exchange(command, reply_timeout, expect_prompt=True)
            return await self._exchange(command, reply_timeout, data=payload.encode() + CTRL_Z)

    async def _exchange(
        self,
        command: str,
        reply_timeout: float | None,
        *,
        expect_prompt: bool = False,
        data: bytes | None = None,
        label: str | None = None,
    ) -> list[str]:
        future: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()
        label = label or command
        self._pending = _Pending(command, label, reply_prefixes(command), future, expect_prompt)
        wait = self.timeout if reply_timeout is None else reply_timeout
        try:
            self._write(data if data is not None else command.encode() + b"\r")
            async with asyncio.timeout(wait):
                return await future
        except TimeoutError:
            self._stale = True
            if expect_prompt or data is not None:
                self._write(ESC)
            raise AtTimeoutError(label, wait) from None
        finally:
            self._pending = None

    def _write(self, data: bytes) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            raise PortNotOpenError(f"{self.url} is not open")
        transport.write(data)

    async def _settle_after_timeout(self) -> None:
        """Let a late reply of a timed-out command arrive (and be dropped) before writing,
        and forget a line the stick left unfinished."""
        if not self._stale:
            return
        self._stale = False
        for _ in range(10):  # bounded: a chatty stick never goes fully quiet
            self._activity.clear()
            try:
                async with asyncio.timeout(self._settle):
                    await self._activity.wait()
            except TimeoutError:
                break
        self._framer.reset()

    # --- reading --------------------------------------------------------------------------------

    def _data_received(self, data: bytes) -> None:
        self._activity.set()
        for line in self._framer.feed(data):
            self._line_received(line)

    def _line_received(self, line: str) -> None:
        if self._pdu_line_taken(line):
            return
        name = line_name(line)
        pending = self._pending
        if name in ALWAYS_PUSHED or (
            name in PUSHED_UNLESS_ASKED and (pending is None or name not in pending.prefixes)
        ):
            self._pushed(Unsolicited(name, line.partition(":")[2].strip()))
        elif pending is not None:
            pending.take(line)
        else:
            _LOGGER.debug("%s: dropped a line nobody waits for: %r", self.url, line)

    def _pdu_line_taken(self, line: str) -> bool:
        header, self._header_waiting_for_pdu = self._header_waiting_for_pdu, None
        if header is None:
            return False
        if is_pdu_line(line):
            self._notify(Unsolicited(header.name, header.value, line.upper()))
            return True
        self._notify(header)
        return False

    def _pushed(self, unsolicited: Unsolicited) -> None:
        if unsolicited.name in WITH_PDU:
            self._header_waiting_for_pdu = unsolicited
        else:
            self._notify(unsolicited)

    def _notify(self, unsolicited: Unsolicited) -> None:
        for listener in list(self._unsolicited_listeners):
            try:
                listener(unsolicited)
            except Exception:
                _LOGGER.exception("%s: listener failed on %s", self.url, unsolicited)

    # --- loss -----------------------------------------------------------------------------------

    def _fail_pending(self, error: ModemError) -> None:
        pending = self._pending
        if pending is not None and not pending.future.done():
            pending.future.set_exception(error)

    def _connection_lost(self, exc: Exception | None) -> None:
        self._transport = None
        self._lost.set()
        if self._closed_by_us:
            return
        error = ConnectionLostError(f"{self.url} went away" + (f": {exc}" if exc else ""))
        _LOGGER.debug("%s", error)
        self._fail_pending(error)
        for listener in list(self._lost_listeners):
            try:
                listener(error)
            except Exception:
                _LOGGER.exception("%s: connection-lost listener failed", self.url)
