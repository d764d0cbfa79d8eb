"""The AT command interpreter of one port: parse a line, dispatch each command, build the reply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from .atparse import AtCommand, Op, ParseError, parse_line
from .device import Device
from .errors import AtError, NotSupportedError

CRLF = "\r\n"
QUIRK_CRLF = "\r\r\n"


@dataclass
class Session:
    """Per-port settings (each AT port of a real stick has its own)."""

    echo: bool = True
    cmee: int = 0
    quiet: bool = False
    verbose: bool = True


@dataclass
class Reply:
    """Information lines with their terminators, then the final result (None: none at all)."""

    lines: list[tuple[str, str]] = field(default_factory=list)
    final: str | None = "OK"


PromptReader = Callable[[], Awaitable[str | None]]


@dataclass
class Context:
    """What a handler sees: the device, this port's session and the ``> `` prompt."""

    device: Device
    session: Session
    read_after_prompt: PromptReader


Handler = Callable[[Context, AtCommand], Awaitable[list[str]]]


class CommandTable:
    """Handlers by (name, operation)."""

    def __init__(self) -> None:
        self._handlers: dict[tuple[str, Op], Handler] = {}
        self.names: set[str] = set()

    def register(self, name: str, *ops: Op) -> Callable[[Handler], Handler]:
        def decorator(handler: Handler) -> Handler:
            for op in ops:
                self._handlers[(name, op)] = handler
            self.names.add(name)
            return handler

        return decorator

    def find(self, command: AtCommand) -> Handler | None:
        return self._handlers.get((command.name, command.op))


TABLE = CommandTable()


class Engine:
    """Runs command lines against a device for one port."""

    def __init__(self, device: Device, session: Session, read_after_prompt: PromptReader) -> None:
        self.device = device
        self.session = session
        self._context = Context(device, session, read_after_prompt)

    async def run_line(self, line: str) -> Reply | None:
        """The reply to one line, None for a line that is not a command (no ``AT`` in it)."""
        start = line.upper().find("AT")
        if start < 0:
            return None
        try:
            commands = parse_line(line[start:])
        except ParseError:
            return Reply(final=self._final(AtError()))
        reply = Reply()
        for command in commands:
            try:
                lines = await self._run(command)
            except AtError as error:
                reply.final = self._final(error)
                break
            terminator = QUIRK_CRLF if self._quirky(command) else CRLF
            reply.lines.extend((text, terminator) for text in lines)
        if self.session.quiet:
            reply.final = None
        return reply

    async def _run(self, command: AtCommand) -> list[str]:
        if command.name.startswith("^") and not self.device.model.supports(command.name):
            raise NotSupportedError()
        handler = TABLE.find(command)
        if handler is None:
            if command.op is Op.TEST and command.name in TABLE.names:
                return []
            raise NotSupportedError() if command.name.startswith("^") else AtError()
        try:
            return await handler(self._context, command)
        except (ValueError, IndexError):
            raise AtError() from None

    def _quirky(self, command: AtCommand) -> bool:
        quirks = self.device.model.quirk_crlf
        return command.key in quirks or command.name in quirks

    def _final(self, error: AtError) -> str:
        return error.final(self.session.cmee)
