"""Signal, serving network and registration; Huawei's unsolicited-report switches."""

from __future__ import annotations

from .. import network as net
from ..atparse import AtCommand, Op
from ..device import REGISTRATION_COMMANDS
from ..engine import TABLE, Context, Handler
from ..errors import AtError
from . import syscfg as _syscfg  # noqa: F401  (^SYSCFGEX, ^SYSCFG, +CGATT, ^NWTIME)

_register = TABLE.register


@_register("+CSQ", Op.EXEC, Op.TEST)
async def signal_quality(ctx: Context, cmd: AtCommand) -> list[str]:
    if cmd.op is Op.TEST:
        return ["+CSQ: (0-31,99),(0-7,99)"]
    network = ctx.device.effective_network()
    if network.access_tech == "NOSERVICE":
        return ["+CSQ: 99,99"]
    return [f"+CSQ: {net.csq_value(ctx.device.signal.rssi_dbm)},99"]


@_register("^HCSQ", Op.READ)
async def huawei_signal(ctx: Context, cmd: AtCommand) -> list[str]:
    return [net.hcsq_line(ctx.device.effective_network().access_tech, ctx.device.signal)]


@_register("^SYSINFOEX", Op.EXEC)
async def system_info_ex(ctx: Context, cmd: AtCommand) -> list[str]:
    device = ctx.device
    return [net.sysinfoex_line(device.effective_network(), device.sim_state_code)]


@_register("^SYSINFO", Op.EXEC)
async def system_info(ctx: Context, cmd: AtCommand) -> list[str]:
    device = ctx.device
    return [net.sysinfo_line(device.effective_network(), device.sim_state_code)]


@_register("+COPS", Op.READ, Op.SET, Op.TEST)
async def operator(ctx: Context, cmd: AtCommand) -> list[str]:
    settings = ctx.device.settings
    if cmd.op is Op.READ:
        return [net.cops_line(ctx.device.effective_network(), settings.cops_format)]
    if cmd.op is Op.TEST:
        return [net.cops_test_line(ctx.device.effective_network())]
    mode = cmd.int_arg(0)
    if mode == 3:
        operator_format = cmd.int_arg(1)
        if operator_format not in (0, 1, 2):
            raise AtError()
        settings.cops_format = operator_format
    elif mode not in (0, 1, 2, 4):
        raise AtError()
    return []


def _registration(command: str) -> Handler:
    async def handler(ctx: Context, cmd: AtCommand) -> list[str]:
        device = ctx.device
        if not device.registration_applies(command):
            raise AtError()
        if cmd.op is Op.TEST:
            return [f"{command}: (0-2)"]
        if cmd.op is Op.SET:
            mode = cmd.int_arg(0, 0)
            if mode not in (0, 1, 2):
                raise AtError()
            device.settings.registration_urc[command] = mode
            return []
        mode = device.settings.registration_urc[command]
        return [f"{command}: {mode},{device.registration_fields(command, with_location=mode == 2)}"]

    return handler


for _command in REGISTRATION_COMMANDS:
    _register(_command, Op.READ, Op.SET, Op.TEST)(_registration(_command))


@_register("^CURC", Op.SET, Op.READ, Op.TEST)
async def unsolicited_reports(ctx: Context, cmd: AtCommand) -> list[str]:
    if cmd.op is Op.TEST:
        return ["^CURC: (0-2)"]
    if cmd.op is Op.READ:
        return [f"^CURC: {ctx.device.settings.curc}"]
    value = cmd.int_arg(0)
    if value not in (0, 1, 2):
        raise AtError()
    ctx.device.settings.curc = value
    return []


@_register("^PORTSEL", Op.SET, Op.READ, Op.TEST)
async def port_select(ctx: Context, cmd: AtCommand) -> list[str]:
    if cmd.op is Op.TEST:
        return ["^PORTSEL: (0,1)"]
    if cmd.op is Op.READ:
        return [f"^PORTSEL: {ctx.device.settings.portsel}"]
    value = cmd.int_arg(0)
    if value not in (0, 1):
        raise AtError()
    ctx.device.settings.portsel = value
    return []
