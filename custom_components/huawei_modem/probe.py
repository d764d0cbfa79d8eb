"""What the flows learn from a stick: its AT port among its ports, its identity and SIM, a PIN.

A stick's ttys are opened exclusively, and a configured stick holds its port: the flows (one per
tty on USB discovery) take turns through one lock and keep a port open only while they ask.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.util.hass_dict import HassKey
from serialx import SerialPortInfo

from .const import DOMAIN, MANUFACTURER
from .modem.discovery import PortCandidate, candidates_for, find_at_port
from .modem.errors import AtCommandError, AtTimeoutError, ConnectionLostError, UnexpectedReplyError
from .modem.models import Identity, SimState, SimStatus
from .modem.modem import Modem

_LOGGER = logging.getLogger(__name__)

COMMAND_TIMEOUT: Final = 5.0
"""Seconds a command may take while a flow talks to the stick."""
_PROBE_LOCK: Final[HassKey[asyncio.Lock]] = HassKey(f"{DOMAIN}_probe_lock")


class NoAtPortError(Exception):
    """None of the ports answered AT."""


@dataclass(frozen=True, slots=True)
class FoundStick:
    """What the flow learnt from a stick: its AT port, identity and SIM."""

    device: str
    identity: Identity
    sim: SimStatus
    candidates: tuple[PortCandidate, ...]

    @property
    def title(self) -> str:
        model = self.identity.model
        return (
            model if model.lower().startswith(MANUFACTURER.lower()) else f"{MANUFACTURER} {model}"
        )


def error_key(err: Exception) -> str:
    """The flow's error (or abort reason) for what went wrong while asking the stick."""
    if isinstance(err, ConnectionLostError | AtTimeoutError):
        return "cannot_connect"
    if isinstance(err, NoAtPortError | AtCommandError | UnexpectedReplyError):
        return "not_at_port"
    _LOGGER.exception("Unexpected error while talking to the stick", exc_info=err)
    return "unknown"


def _probe_lock(hass: HomeAssistant) -> asyncio.Lock:
    return hass.data.setdefault(_PROBE_LOCK, asyncio.Lock())


async def async_candidates(
    hass: HomeAssistant, device: str, ports: Sequence[SerialPortInfo]
) -> list[PortCandidate]:
    """The ports of the stick that ``device`` belongs to (read from sysfs, off the loop)."""
    return await hass.async_add_executor_job(candidates_for, device, ports)


async def async_find_stick(hass: HomeAssistant, candidates: Sequence[PortCandidate]) -> FoundStick:
    """The AT port among ``candidates``, the stick's identity and its SIM state."""
    async with _probe_lock(hass):
        found = await find_at_port(candidates)
        if found is None:
            raise NoAtPortError
        async with Modem(found.path, timeout=COMMAND_TIMEOUT) as modem:
            identity = await modem.identify()
            sim = await modem.sim_status()
    return FoundStick(found.path, identity, sim, tuple(candidates))


async def async_unlock(hass: HomeAssistant, port: str, pin: str) -> str | None:
    """Send ``pin`` once; the PIN to keep (None when the SIM did not ask for one)."""
    async with _probe_lock(hass), Modem(port, timeout=COMMAND_TIMEOUT) as modem:
        asked = (await modem.sim_status()).state is SimState.PIN_REQUIRED
        await modem.unlock(pin)
    return pin if asked else None


async def async_pin_attempts_left(hass: HomeAssistant, port: str) -> int | None:
    """How many PIN attempts the SIM has left, when that can be read."""
    try:
        async with _probe_lock(hass), Modem(port, timeout=COMMAND_TIMEOUT) as modem:
            return (await modem.sim_status()).pin_attempts_left
    except Exception as err:  # the count is shown when it can be read
        _LOGGER.debug("Cannot read the PIN attempts left: %s", err)
        return None
