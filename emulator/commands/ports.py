"""Port profile and restart: ^SETPORT, ^GETPORTMODE, ^RESET."""

from __future__ import annotations

from ..atparse import AtCommand, Op
from ..engine import TABLE, Context
from ..errors import AtError
from ..models import SETPORT_CODES
from ..profile import PortProfile, ProfileError, layout

_register = TABLE.register
_PORTMODE_NAMES = {"1": "MDM", "10": "MDM", "2": "PCUI", "12": "PCUI", "3": "DIAG", "13": "DIAG"}
_PORTMODE_NAMES |= {"5": "GPS", "14": "GPS", "7": "NDIS", "16": "NCM", "A1": "CDROM", "A2": "SD"}


@_register("^SETPORT", Op.READ)
async def current_profile(ctx: Context, cmd: AtCommand) -> list[str]:
    # The profile the stick booted with: a new one shows only after ^RESET (seed guide 001).
    return [f"^SETPORT:{ctx.device.active_profile}"]


@_register("^SETPORT", Op.TEST)
async def supported_codes(ctx: Context, cmd: AtCommand) -> list[str]:
    return [f"^SETPORT:{code}: {SETPORT_CODES[code][0]}" for code in ctx.device.model.setport_codes]


@_register("^SETPORT", Op.SET)
async def store_profile(ctx: Context, cmd: AtCommand) -> list[str]:
    try:
        profile = PortProfile.parse(cmd.raw_args, ctx.device.model.setport_codes)
    except ProfileError:
        raise AtError() from None
    ctx.device.store_profile(profile)
    return []


@_register("^GETPORTMODE", Op.EXEC)
async def port_mode(ctx: Context, cmd: AtCommand) -> list[str]:
    fields = []
    seen: set[str] = set()
    for code in ctx.device.active_profile.composition:
        name = _PORTMODE_NAMES.get(code)
        if name is None or name in seen:
            continue
        seen.add(name)
        number = _first_interface(ctx, code)
        fields.append(f"{name}:{number},")
    return ["^GETPORTMODE: TYPE: WCDMA: huawei," + "".join(fields)]


def _first_interface(ctx: Context, code: str) -> int:
    composition = ctx.device.active_profile.composition
    before = layout(composition[: composition.index(code)])
    return len(before)


@_register("^RESET", Op.EXEC)
async def restart(ctx: Context, cmd: AtCommand) -> list[str]:
    ctx.device.reset_after()
    return []
