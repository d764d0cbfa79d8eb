"""Splitting an AT command line into commands: ``AT+CMGF=0;+CNMI=2,1;E0``."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Op(enum.Enum):
    """What the command asks for."""

    EXEC = ""
    READ = "?"
    TEST = "=?"
    SET = "="


@dataclass(frozen=True, slots=True)
class AtCommand:
    """One command of a line; ``name`` in upper case: ``+CMGS``, ``^SETPORT``, ``E``, ``&F``."""

    name: str
    op: Op
    raw_args: str = ""

    @property
    def key(self) -> str:
        """Name plus operation, e.g. ``^SETPORT=?``, used for per-command quirks."""
        suffix: str = self.op.value if self.op is not Op.SET else "="
        return self.name + suffix

    @property
    def args(self) -> list[str]:
        """Parameters with quotes removed; an omitted parameter is ``""``."""
        return [_unquote(arg) for arg in split_args(self.raw_args)] if self.raw_args else []

    def int_arg(self, index: int, default: int | None = None) -> int:
        """The parameter as a number; ValueError when absent without default or not a number."""
        args = self.args
        if index >= len(args) or args[index] == "":
            if default is None:
                raise ValueError(f"parameter {index} missing")
            return default
        return int(args[index])


class ParseError(ValueError):
    """A line the command interpreter cannot make sense of."""


_EXTENDED = re.compile(r"[+^%$][A-Z0-9_]+", re.IGNORECASE)
_AMPERSAND = re.compile(r"&[A-Z]\d*", re.IGNORECASE)
_BASIC = re.compile(r"([A-Z])(\d*)", re.IGNORECASE)
_S_REGISTER = re.compile(r"S(\d+)(=\d*|\?)", re.IGNORECASE)


def parse_line(line: str) -> list[AtCommand]:
    """Commands of one line; the line must start with ``AT``. Raises ParseError."""
    text = line.strip()
    if text[:2].upper() != "AT":
        raise ParseError(f"not an AT line: {line!r}")
    rest = text[2:]
    commands: list[AtCommand] = []
    while rest:
        rest = rest.lstrip(" ;")
        if not rest:
            break
        command, rest = _next_command(rest)
        commands.append(command)
    return commands


def _next_command(text: str) -> tuple[AtCommand, str]:
    if text[:1] in "Dd":  # V.250 dial: the rest of the line up to and including ";"
        end = text.find(";")
        end = len(text) if end < 0 else end + 1
        return AtCommand("D", Op.EXEC, text[1:end]), text[end:]
    if match := _EXTENDED.match(text):
        return _extended(match.group(0).upper(), text[match.end() :])
    if match := _AMPERSAND.match(text):
        return AtCommand(match.group(0).upper(), Op.EXEC), text[match.end() :]
    if match := _S_REGISTER.match(text):
        op = Op.READ if match.group(2) == "?" else Op.SET
        name = f"S{int(match.group(1))}"
        return AtCommand(name, op, match.group(2).lstrip("=?")), text[match.end() :]
    if match := _BASIC.match(text):
        return AtCommand(match.group(1).upper(), Op.EXEC, match.group(2)), text[match.end() :]
    raise ParseError(f"cannot parse {text!r}")


def _extended(name: str, text: str) -> tuple[AtCommand, str]:
    end = _end_of_command(text)
    body, rest = text[:end], text[end:]
    if body.startswith("=?"):
        return AtCommand(name, Op.TEST), rest
    if body.startswith("?"):
        return AtCommand(name, Op.READ), rest
    if body.startswith("="):
        return AtCommand(name, Op.SET, body[1:].strip()), rest
    return AtCommand(name, Op.EXEC, body.strip()), rest


def _end_of_command(text: str) -> int:
    """Index of the ``;`` ending this command (outside quotes), or the end of the text."""
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return index
    return len(text)


def split_args(raw: str) -> list[str]:
    """Comma-separated parameters, commas inside quotes kept."""
    args: list[str] = []
    current: list[str] = []
    quoted = False
    for char in raw:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            args.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    args.append("".join(current).strip())
    return args


def _unquote(arg: str) -> str:
    if len(arg) >= 2 and arg[0] == arg[-1] == '"':
        return arg[1:-1]
    return arg
