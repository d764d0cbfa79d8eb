"""SMS in PDU mode (27.005): format, storage, indications, list/read/delete, send and write."""

from __future__ import annotations

from ..atparse import AtCommand, Op
from ..engine import TABLE, Context
from ..errors import AtError, CmsError
from ..sim import SimState
from ..storage import ALL

_register = TABLE.register


def _require_sim(ctx: Context) -> None:
    """SMS commands need the card; a missing one is +CMS ERROR: 310, a locked one +CME."""
    if ctx.device.sim.state is SimState.ABSENT:
        raise CmsError(310)
    ctx.device.sim.require_ready()


def _require_pdu_mode(ctx: Context) -> None:
    if ctx.device.settings.sms_mode != 0:
        raise CmsError(303)


@_register("+CMGF", Op.SET, Op.READ, Op.TEST)
async def message_format(ctx: Context, cmd: AtCommand) -> list[str]:
    if cmd.op is Op.TEST:
        return ["+CMGF: (0,1)"]
    if cmd.op is Op.READ:
        return [f"+CMGF: {ctx.device.settings.sms_mode}"]
    value = cmd.int_arg(0, 0)
    if value not in (0, 1):
        raise AtError()
    ctx.device.settings.sms_mode = value
    return []


@_register("+CSMS", Op.SET, Op.READ)
async def message_service(ctx: Context, cmd: AtCommand) -> list[str]:
    if cmd.op is Op.READ:
        return ["+CSMS: 0,1,1,1"]
    return ["+CSMS: 1,1,1"]


@_register("+CSMP", Op.SET, Op.READ)
async def text_parameters(ctx: Context, cmd: AtCommand) -> list[str]:
    return ["+CSMP: 17,167,0,0"] if cmd.op is Op.READ else []


@_register("+CNMA", Op.EXEC, Op.SET)
async def acknowledge(ctx: Context, cmd: AtCommand) -> list[str]:
    return []


@_register("+CPMS", Op.SET, Op.READ, Op.TEST)
async def preferred_storage(ctx: Context, cmd: AtCommand) -> list[str]:
    if cmd.op is Op.TEST:
        return ['+CPMS: ("SM","ME"),("SM","ME"),("SM","ME")']
    _require_sim(ctx)
    storage = ctx.device.storage
    if cmd.op is Op.READ:
        return [storage.cpms_query()]
    storage.select(cmd.args)
    return [f"+CPMS: {storage.cpms_status()}"]


@_register("+CNMI", Op.SET, Op.READ, Op.TEST)
async def new_message_indication(ctx: Context, cmd: AtCommand) -> list[str]:
    settings = ctx.device.settings
    if cmd.op is Op.TEST:
        return ["+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)"]
    if cmd.op is Op.READ:
        return ["+CNMI: " + ",".join(str(value) for value in settings.cnmi)]
    current = list(settings.cnmi)
    limits = (3, 3, 2, 2, 1)
    for position, raw in enumerate(cmd.args[:5]):
        if raw:
            value = int(raw)
            if not 0 <= value <= limits[position]:
                raise CmsError(303)
            current[position] = value
    if len(cmd.args) > 5:
        raise AtError()
    settings.cnmi = (current[0], current[1], current[2], current[3], current[4])
    return []


@_register("+CMGL", Op.SET, Op.EXEC, Op.TEST)
async def list_messages(ctx: Context, cmd: AtCommand) -> list[str]:
    if cmd.op is Op.TEST:
        return ["+CMGL: (0-4)"]
    _require_pdu_mode(ctx)
    _require_sim(ctx)
    stat = cmd.int_arg(0, 0)
    if not 0 <= stat <= ALL:
        raise CmsError(303)
    lines: list[str] = []
    for index, message in ctx.device.storage.memory(0).listing(stat):
        lines += [f"+CMGL: {index},{message.stat},,{message.length}", message.pdu]
    return lines


@_register("+CMGR", Op.SET)
async def read_message(ctx: Context, cmd: AtCommand) -> list[str]:
    _require_pdu_mode(ctx)
    _require_sim(ctx)
    message = ctx.device.storage.memory(0).read(cmd.int_arg(0))
    return [f"+CMGR: {message.stat},,{message.length}", message.pdu]


@_register("+CMGD", Op.SET, Op.TEST)
async def delete_message(ctx: Context, cmd: AtCommand) -> list[str]:
    memory = ctx.device.storage.memory(0)
    if cmd.op is Op.TEST:
        return [f"+CMGD: ({','.join(str(i) for i in sorted(memory.slots))}),(0-4)"]
    _require_sim(ctx)
    flag = cmd.int_arg(1, 0)
    if flag:
        memory.delete_flagged(flag)
    else:
        memory.delete(cmd.int_arg(0))
    ctx.device.retry_undelivered()
    return []


async def _pdu_after_prompt(ctx: Context, cmd: AtCommand) -> tuple[str, int] | None:
    _require_pdu_mode(ctx)
    length = cmd.int_arg(0)
    if not 0 < length <= 176:
        raise CmsError(304)
    ctx.device.check_can_send()
    text = await ctx.read_after_prompt()
    if text is None:
        return None
    return "".join(text.split()), length


@_register("+CMGS", Op.SET)
async def send_message(ctx: Context, cmd: AtCommand) -> list[str]:
    received = await _pdu_after_prompt(ctx, cmd)
    if received is None:
        return []
    reference = await ctx.device.send(*received)
    return [f"+CMGS: {reference}"]


@_register("+CMGW", Op.SET)
async def write_message(ctx: Context, cmd: AtCommand) -> list[str]:
    received = await _pdu_after_prompt(ctx, cmd)
    if received is None:
        return []
    return [f"+CMGW: {ctx.device.store_submit(*received)}"]


@_register("+CSCA", Op.SET, Op.READ)
async def service_centre(ctx: Context, cmd: AtCommand) -> list[str]:
    _require_sim(ctx)
    if cmd.op is Op.READ:
        number = ctx.device.smsc
        return [f'+CSCA: "{number}",{145 if number.startswith("+") else 129}']
    if not cmd.args or not cmd.args[0]:
        raise AtError()
    ctx.device.smsc = cmd.args[0]
    return []
