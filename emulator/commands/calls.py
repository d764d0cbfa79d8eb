"""Voice calls: caller ID (+CLIP), ring format (+CRC), answer, hang up, dial, ^CVOICE."""

from __future__ import annotations

from ..atparse import AtCommand, Op
from ..calls import VOICE_OFF, VOICE_ON
from ..engine import TABLE, Context
from ..errors import AtError

_register = TABLE.register


def _flag(cmd: AtCommand) -> bool:
    value = cmd.int_arg(0, 0)
    if value not in (0, 1):
        raise AtError()
    return value == 1


# Settings of the call side: command -> (attribute of Calls, extra fields of the read answer).
_FLAGS = {"+CLIP": ("clip", ",1"), "+CRC": ("crc", "")}  # +CLIP: ...,1: CLIP provisioned


@_register("+CLIP", Op.EXEC, Op.SET, Op.READ, Op.TEST)
@_register("+CRC", Op.EXEC, Op.SET, Op.READ, Op.TEST)
async def call_setting(ctx: Context, cmd: AtCommand) -> list[str]:
    """``+CLIP`` (caller ID after each RING) and ``+CRC`` (``+CRING: VOICE`` for RING)."""
    attribute, extra = _FLAGS[cmd.name]
    if cmd.op is Op.TEST:
        return [f"{cmd.name}: (0,1)"]
    if cmd.op is Op.READ:
        return [f"{cmd.name}: {int(getattr(ctx.device.calls, attribute))}{extra}"]
    setattr(ctx.device.calls, attribute, _flag(cmd))
    return []


@_register("A", Op.EXEC)
async def answer(ctx: Context, cmd: AtCommand) -> list[str]:
    ctx.device.calls.answer()
    return []


@_register("H", Op.EXEC)
@_register("+CHUP", Op.EXEC)
async def hang_up(ctx: Context, cmd: AtCommand) -> list[str]:
    if cmd.name == "H" and cmd.raw_args not in ("", "0"):
        raise AtError()
    ctx.device.calls.hang_up()
    return []


@_register("D", Op.EXEC)
async def dial(ctx: Context, cmd: AtCommand) -> list[str]:
    number = cmd.raw_args.strip()
    if not number.endswith(";"):
        raise AtError()  # a data call: not on the PCUI of these sticks
    ctx.device.sim.require_ready()
    ctx.device.calls.dial(number[:-1].strip())
    return []


@_register("^CVOICE", Op.READ, Op.SET, Op.TEST)
async def voice_mode(ctx: Context, cmd: AtCommand) -> list[str]:
    voice = ctx.device.calls.voice
    if cmd.op is Op.TEST:
        return ["^CVOICE: (0)"]
    if cmd.op is Op.READ:
        return [VOICE_ON if voice else VOICE_OFF]
    if cmd.int_arg(0) != 0 or not voice:
        raise AtError()
    return []
