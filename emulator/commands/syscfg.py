"""Network mode (^SYSCFGEX on LTE sticks, ^SYSCFG on older ones), +CGATT and ^NWTIME.

The ``=?`` lists follow the real firmware's form (as ModemManager's Huawei test vectors show them):
^SYSCFGEX lists the acquisition orders, the GSM/WCDMA bands, roaming, domain and LTE bands;
^SYSCFG lists modes 2 auto, 13 GSM only, 14 WCDMA only, 16 no change and orders 0-3.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from .. import network as net
from ..atparse import AtCommand, Op
from ..device import Device
from ..engine import TABLE, Context
from ..errors import AtError
from ..noise import hcsq_report, mode_report, rssi_report

_register = TABLE.register
Reader = Callable[[Device, net.RadioConfig], str]
Writer = Callable[[Device, AtCommand], None]

_GSM_WCDMA_BANDS = (
    '(2000004e80380,"GSM850/GSM900/GSM1800/GSM1900/WCDMA850/WCDMA900/WCDMA1900/WCDMA2100"),'
    '(3fffffff,"All Bands")'
)
SYSCFGEX_TEST = (
    '^SYSCFGEX: ("00","03","02","01","99"),'
    f"({_GSM_WCDMA_BANDS}),(0-3),(0-4),"
    '((800c5,"LTE2100/LTE1800/LTE2600/LTE900/LTE800"),(7fffffffffffffff,"All bands"))'
)
SYSCFG_TEST = (
    '^SYSCFG:(2,13,14,16),(0-3),((400380,"GSM900/GSM1800/WCDMA900/WCDMA2100"),'
    '(2a80000,"GSM850/GSM1900/WCDMA850/WCDMA1900"),(3fffffff,"All bands")),(0-2),(0-4)'
)
_EX_CODES = {"01": "GSM", "02": "WCDMA", "03": "LTE"}
_SYSCFG_MODES = {13: "GSM", 14: "WCDMA"}


def _order_tech(device: Device, order: str) -> str:
    """The first technology of an acquisition order ("00": the stick's best) it can use."""
    techs = device.model.access_techs
    if order == "00":
        return techs[0]
    codes = [order[i : i + 2] for i in range(0, len(order), 2)]
    if not order or len(order) % 2 or any(_EX_CODES.get(code) not in techs for code in codes):
        raise AtError()
    return _EX_CODES[codes[0]]


def _apply(device: Device, tech: str) -> None:
    """Re-camp on ``tech`` and report it like the stick does after a mode change."""
    if device.network.access_tech != "NOSERVICE":
        device.network.access_tech = tech
    if device.settings.curc:
        reports = [rssi_report(device), mode_report(device)]
        if device.model.supports("^HCSQ"):
            reports.insert(1, hcsq_report(device))
        device.emit(reports)
    device.registration_changed()


def _common_fields(device: Device, band: str, roam: str, domain: str) -> None:
    config = device.radio
    if band and band.upper() != "40000000":
        config.band = band.upper()
    if roam not in ("", "2"):
        config.roam = int(roam)
    if domain not in ("", "4"):
        config.domain = int(domain)


def _setting(name: str, test: str, read: Reader, write: Writer) -> None:
    """A ``=?`` / ``?`` / ``=`` setting: the list, the read-back, the change."""

    async def handler(ctx: Context, cmd: AtCommand) -> list[str]:
        if cmd.op is Op.TEST:
            return [test]
        if cmd.op is Op.READ:
            return [read(ctx.device, ctx.device.radio)]
        write(ctx.device, cmd)
        return []

    _register(name, Op.SET, Op.READ, Op.TEST)(handler)


def _syscfgex_read(device: Device, config: net.RadioConfig) -> str:
    fields = f"{config.band},{config.roam},{config.domain},7FFFFFFFFFFFFFFF"
    return f'^SYSCFGEX: "{config.syscfgex_order}",{fields}'


def _syscfgex_write(device: Device, cmd: AtCommand) -> None:
    args = [*cmd.args, "", "", "", ""]
    order = args[0]
    if order == "99":
        return
    tech = _order_tech(device, order)
    _common_fields(device, args[1], args[2], args[3])
    device.radio.syscfgex_order = order
    _apply(device, tech)


def _syscfg_tech(device: Device, mode: int, order: int) -> str:
    if mode in _SYSCFG_MODES:
        return _SYSCFG_MODES[mode]
    if mode != 2:
        raise AtError()
    return "GSM" if order == 1 else device.model.access_techs[0]


def _syscfg_read(device: Device, config: net.RadioConfig) -> str:
    mode, order = config.syscfg_mode, config.syscfg_order
    return f"^SYSCFG: {mode},{order},{config.band},{config.roam},{config.domain}"


def _syscfg_write(device: Device, cmd: AtCommand) -> None:
    config = device.radio
    mode, order = cmd.int_arg(0), cmd.int_arg(1, 3)
    if order not in (0, 1, 2, 3):
        raise AtError()
    mode = config.syscfg_mode if mode == 16 else mode
    order = config.syscfg_order if order == 3 else order
    tech = _syscfg_tech(device, mode, order)
    args = [*cmd.args, "", "", "", ""]
    _common_fields(device, args[2], args[3], args[4])
    config.syscfg_mode, config.syscfg_order = mode, order
    _apply(device, tech)


def _cgatt_read(device: Device, config: net.RadioConfig) -> str:
    return f"+CGATT: {int(config.attached and device.effective_network().in_service)}"


def _cgatt_write(device: Device, cmd: AtCommand) -> None:
    value = cmd.int_arg(0)
    if value not in (0, 1):
        raise AtError()
    device.radio.attached = value == 1


_setting("^SYSCFGEX", SYSCFGEX_TEST, _syscfgex_read, _syscfgex_write)
_setting("^SYSCFG", SYSCFG_TEST, _syscfg_read, _syscfg_write)
_setting("+CGATT", "+CGATT: (0,1)", _cgatt_read, _cgatt_write)


@_register("^NWTIME", Op.READ)
async def network_time(ctx: Context, cmd: AtCommand) -> list[str]:
    device = ctx.device
    if not device.effective_network().in_service:
        raise AtError()
    return [f"^NWTIME: {net.network_time_fields(datetime.now(UTC), device.radio)}"]
