"""Who the stick is: maker, model, firmware, IMEI, IMSI, ICCID, own number."""

from __future__ import annotations

from ..atparse import AtCommand, Op
from ..engine import TABLE, Context

_register = TABLE.register


@_register("+CGMI", Op.EXEC)
@_register("+GMI", Op.EXEC)
async def manufacturer(ctx: Context, cmd: AtCommand) -> list[str]:
    return ["huawei"]


@_register("+CGMM", Op.EXEC)
@_register("+GMM", Op.EXEC)
async def model(ctx: Context, cmd: AtCommand) -> list[str]:
    return [ctx.device.model.name]


@_register("+CGMR", Op.EXEC)
@_register("+GMR", Op.EXEC)
async def revision(ctx: Context, cmd: AtCommand) -> list[str]:
    return [ctx.device.model.firmware]


@_register("+CGSN", Op.EXEC)
@_register("+GSN", Op.EXEC)
async def imei(ctx: Context, cmd: AtCommand) -> list[str]:
    return [ctx.device.identity.imei]


@_register("+CIMI", Op.EXEC)
async def imsi(ctx: Context, cmd: AtCommand) -> list[str]:
    ctx.device.sim.require_ready()
    return [ctx.device.identity.imsi]


@_register("I", Op.EXEC)
async def information(ctx: Context, cmd: AtCommand) -> list[str]:
    device = ctx.device
    return [
        "Manufacturer: huawei",
        f"Model: {device.model.name}",
        f"Revision: {device.model.firmware}",
        f"IMEI: {device.identity.imei}",
        "+GCAP: +CGSM,+DS,+ES",
    ]


@_register("^ICCID", Op.READ)
async def iccid(ctx: Context, cmd: AtCommand) -> list[str]:
    # Readable while the PIN is still pending; only a missing card fails.
    if not ctx.device.sim.inserted:
        ctx.device.sim.require_ready()
    return [f"^ICCID: {ctx.device.identity.iccid}"]


@_register("+CNUM", Op.EXEC)
async def own_number(ctx: Context, cmd: AtCommand) -> list[str]:
    ctx.device.sim.require_ready()
    number = ctx.device.identity.own_number
    if not number:
        return []
    kind = 145 if number.startswith("+") else 129
    return [f'+CNUM: "","{number}",{kind}']


@_register("^FHVER", Op.EXEC)
async def versions(ctx: Context, cmd: AtCommand) -> list[str]:
    model = ctx.device.model
    return [f'^FHVER:"{model.name}s-153 {model.firmware},{model.hardware}"']
