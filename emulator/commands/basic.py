"""V.250 basics: echo, result format, reset of settings, error reporting, functionality."""

from __future__ import annotations

from ..atparse import AtCommand, Op
from ..engine import TABLE, Context, Session
from ..errors import AtError

_register = TABLE.register
_NO_OPERATION = ("+CVHU", "+COLP", "+CSSN", "&C", "&D", "&K", "&W", "X", "L", "M")


def _flag(cmd: AtCommand) -> bool:
    value = cmd.raw_args or "0"
    if value not in ("0", "1"):
        raise AtError()
    return value == "1"


async def attention(ctx: Context, cmd: AtCommand) -> list[str]:
    return []


@_register("E", Op.EXEC)
async def echo(ctx: Context, cmd: AtCommand) -> list[str]:
    ctx.session.echo = _flag(cmd)
    return []


@_register("Q", Op.EXEC)
async def quiet(ctx: Context, cmd: AtCommand) -> list[str]:
    ctx.session.quiet = _flag(cmd)
    return []


@_register("V", Op.EXEC)
async def verbose(ctx: Context, cmd: AtCommand) -> list[str]:
    ctx.session.verbose = _flag(cmd)
    return []


@_register("Z", Op.EXEC)
@_register("&F", Op.EXEC)
async def factory_settings(ctx: Context, cmd: AtCommand) -> list[str]:
    defaults = Session()
    ctx.session.echo, ctx.session.quiet = defaults.echo, defaults.quiet
    ctx.session.verbose, ctx.session.cmee = defaults.verbose, defaults.cmee
    return []


for _name in _NO_OPERATION:
    _register(_name, Op.EXEC, Op.SET, Op.READ)(attention)


@_register("+CMEE", Op.SET, Op.READ, Op.TEST)
async def cmee(ctx: Context, cmd: AtCommand) -> list[str]:
    if cmd.op is Op.TEST:
        return ["+CMEE: (0-2)"]
    if cmd.op is Op.READ:
        return [f"+CMEE: {ctx.session.cmee}"]
    value = cmd.int_arg(0)
    if value not in (0, 1, 2):
        raise AtError()
    ctx.session.cmee = value
    return []


@_register("+CFUN", Op.SET, Op.READ, Op.TEST)
async def functionality(ctx: Context, cmd: AtCommand) -> list[str]:
    if cmd.op is Op.TEST:
        return ["+CFUN: (0,1,4,5,6,7,8),(0-1)"]
    if cmd.op is Op.READ:
        return [f"+CFUN: {ctx.device.settings.cfun}"]
    value = cmd.int_arg(0)
    if value not in (0, 1, 4, 5, 6, 7, 8):
        raise AtError()
    ctx.device.settings.cfun = 1 if value == 1 else 0 if value == 0 else 4
    ctx.device.registration_changed()
    return []


@_register("+CSCS", Op.SET, Op.READ, Op.TEST)
async def character_set(ctx: Context, cmd: AtCommand) -> list[str]:
    if cmd.op is Op.TEST:
        return ['+CSCS: ("IRA","GSM","UCS2")']
    if cmd.op is Op.READ:
        return [f'+CSCS: "{ctx.device.settings.charset}"']
    value = cmd.args[0].upper()
    if value not in ("IRA", "GSM", "UCS2"):
        raise AtError()
    ctx.device.settings.charset = value
    return []


@_register("+CLAC", Op.EXEC)
async def command_list(ctx: Context, cmd: AtCommand) -> list[str]:
    names = sorted(name for name in TABLE.names if name[:1] in "+^&")
    return [name for name in names if not name.startswith("^") or ctx.device.model.supports(name)]


@_register("S0", Op.SET, Op.READ)
async def auto_answer(ctx: Context, cmd: AtCommand) -> list[str]:
    """``ATS0=<rings>``: answer a call by itself after that many rings (0: never)."""
    calls = ctx.device.calls
    if cmd.op is Op.READ:
        return [f"{calls.auto_answer_rings:03d}"]
    value = cmd.args[0] if cmd.args else "0"
    if not value.isdigit() or int(value) > 255:
        raise AtError()
    calls.auto_answer_rings = int(value)
    return []


@_register("S3", Op.READ)
@_register("S4", Op.READ)
@_register("S7", Op.SET, Op.READ)
async def s_register(ctx: Context, cmd: AtCommand) -> list[str]:
    values = {"S3": "013", "S4": "010", "S7": "060"}
    return [values[cmd.name]] if cmd.op is Op.READ else []
