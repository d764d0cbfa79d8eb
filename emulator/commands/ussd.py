"""USSD: Huawei wants the request as packed GSM 7-bit hex and answers the same way."""

from __future__ import annotations

from ..atparse import AtCommand, Op
from ..engine import TABLE, Context
from ..errors import AtError, CmeError

_register = TABLE.register


@_register("+CUSD", Op.SET, Op.READ, Op.TEST)
async def ussd(ctx: Context, cmd: AtCommand) -> list[str]:
    device = ctx.device
    if cmd.op is Op.TEST:
        return ["+CUSD: (0-2)"]
    if cmd.op is Op.READ:
        return ["+CUSD: 1"]
    device.sim.require_ready()
    if device.settings.ussd_mode != 0:
        raise AtError()
    action = cmd.int_arg(0, 0)
    if action == 2:
        device.settings.ussd_session = False
        return []
    if len(cmd.args) < 2:
        return []
    if not device.effective_network().in_service:
        raise CmeError(30)
    device.ussd_request(cmd.args[1])
    return []


@_register("^USSDMODE", Op.SET, Op.READ, Op.TEST)
async def ussd_mode(ctx: Context, cmd: AtCommand) -> list[str]:
    if cmd.op is Op.TEST:
        return ["^USSDMODE: (0-1)"]
    if cmd.op is Op.READ:
        return [f"^USSDMODE: {ctx.device.settings.ussd_mode}"]
    value = cmd.int_arg(0)
    if value not in (0, 1):
        raise AtError()
    ctx.device.settings.ussd_mode = value
    return []
