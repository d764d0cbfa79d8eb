"""Who a stick is and what its firmware answers to, asked right after the port opens."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

from .errors import AtCommandError, CmeError, CmsError, UnexpectedReplyError
from .huawei_replies import parse_cvoice
from .models import Capabilities, Identity
from .replies import parse_cnum, plain_value, value_of
from .status import REGISTRATION_COMMANDS

Ask = Callable[[str], Awaitable[list[str]]]
"""Sends one command and returns its reply lines."""

_PROBES: Final = (
    ("hcsq", "AT^HCSQ?"),
    ("sysinfoex", "AT^SYSINFOEX"),
    ("sysinfo", "AT^SYSINFO"),
    ("huawei_cpin", "AT^CPIN?"),
    ("iccid", "AT^ICCID?"),
    ("setport", "AT^SETPORT=?"),
    ("getportmode", "AT^GETPORTMODE"),
)


async def detect_capabilities(ask: Ask) -> Capabilities:
    """The optional commands the firmware knows, and whether it is a Huawei one."""
    manufacturer = plain_value(await ask("AT+CGMI"), "+CGMI")
    answers = {name: await _answers(ask, command) for name, command in _PROBES}
    registrations = tuple(
        [command for command in REGISTRATION_COMMANDS if await _answers(ask, f"AT{command}?")]
    )
    huawei = "huawei" in manufacturer.lower() or answers["hcsq"] or answers["sysinfo"]
    voice = huawei and await _voice(ask)
    return Capabilities(huawei=huawei, registration_commands=registrations, voice=voice, **answers)


async def read_identity(ask: Ask, optional: Ask, capabilities: Capabilities) -> Identity:
    """``ask`` for what every stick tells; ``optional`` for what a locked SIM may refuse."""
    return Identity(
        manufacturer=plain_value(await ask("AT+CGMI"), "+CGMI"),
        model=plain_value(await ask("AT+CGMM"), "+CGMM"),
        firmware=plain_value(await ask("AT+CGMR"), "+CGMR"),
        imei=plain_value(await ask("AT+CGSN"), "+CGSN"),
        imsi=await _optional_value(optional, "AT+CIMI", "+CIMI"),
        iccid=await _optional_value(optional, "AT^ICCID?", "^ICCID")
        if capabilities.iccid
        else None,
        own_number=parse_cnum(await optional("AT+CNUM")),
    )


async def _answers(ask: Ask, command: str) -> bool:
    """Whether the firmware knows ``command`` (a +CME/+CMS error still means it does)."""
    try:
        await ask(command)
    except (CmeError, CmsError):
        return True
    except AtCommandError:
        return False
    return True


async def _voice(ask: Ask) -> bool:
    """``AT^CVOICE?`` mode 0; refused or unreadable: no voice."""
    try:
        return parse_cvoice(value_of(await ask("AT^CVOICE?"), "^CVOICE"))
    except (AtCommandError, UnexpectedReplyError):
        return False


async def _optional_value(optional: Ask, command: str, prefix: str) -> str | None:
    lines = await optional(command)
    return plain_value(lines, prefix) if lines else None
