"""PIN and PUK: +CPIN, ^CPIN, +CLCK, +CPWD."""

from __future__ import annotations

from ..atparse import AtCommand, Op
from ..engine import TABLE, Context
from ..errors import AtError, CmeError
from ..sim import SimState

_register = TABLE.register


@_register("+CPIN", Op.READ)
async def pin_state(ctx: Context, cmd: AtCommand) -> list[str]:
    state = ctx.device.sim.state
    if state in (SimState.ABSENT, SimState.DEAD):
        ctx.device.sim.require_ready()
    return [f"+CPIN: {state.value}"]


@_register("+CPIN", Op.SET)
async def enter_pin(ctx: Context, cmd: AtCommand) -> list[str]:
    args = cmd.args
    if not args or not args[0] or len(args) > 2:
        raise AtError()
    ctx.device.unlock(args[0], args[1] if len(args) > 1 and args[1] else None)
    return []


@_register("^CPIN", Op.READ)
async def huawei_pin_state(ctx: Context, cmd: AtCommand) -> list[str]:
    if not ctx.device.sim.inserted:
        raise CmeError(10)
    return [ctx.device.sim.huawei_cpin()]


@_register("+CLCK", Op.SET)
async def facility_lock(ctx: Context, cmd: AtCommand) -> list[str]:
    args = cmd.args
    if len(args) < 2 or args[0].upper() != "SC":
        raise CmeError(4)
    sim = ctx.device.sim
    if args[1] == "2":
        sim.require_ready()
        return [f"+CLCK: {int(sim.pin_enabled)}"]
    if len(args) < 3 or args[1] not in ("0", "1"):
        raise AtError()
    sim.set_lock(args[1] == "1", args[2])
    return []


@_register("+CPWD", Op.SET)
async def change_password(ctx: Context, cmd: AtCommand) -> list[str]:
    args = cmd.args
    if len(args) != 3 or args[0].upper() != "SC":
        raise CmeError(4)
    ctx.device.sim.change_pin(args[1], args[2])
    return []
