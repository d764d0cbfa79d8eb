"""The phone line of one stick: calls that ring here as bus events, rejecting them, dialling out.

Every ring fires ``huawei_modem_call`` with the state ``ringing`` and the ring count; the end of
the call fires it once more, ``missed``, ``rejected`` (hung up from here) or ``ended`` (the
stick went away while it rang). With the option ``reject_calls_after`` set to N, a call is
rejected at its N-th ring: the caller hears it busy, and nothing is ever answered.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from .const import (
    ATTR_DEVICE_ID,
    CONF_REJECT_CALLS_AFTER,
    DEFAULT_REJECT_CALLS_AFTER,
    DOMAIN,
    EVENT_CALL,
)
from .coordinator import HuaweiModemCoordinator
from .modem.call_models import (
    Caller,
    CallResult,
    CallRinging,
    CliValidity,
    IncomingCallEnded,
)
from .modem.errors import ModemError

_LOGGER = logging.getLogger(__name__)

ATTR_CALLER: Final = "caller"
ATTR_RING_COUNT: Final = "ring_count"
ATTR_STATE: Final = "state"
ATTR_TIME: Final = "time"
STATE_RINGING: Final = "ringing"
CALL_STATES: Final = ("ringing", "missed", "rejected", "ended")
"""Every ``state`` of the call event (the event entity's event types)."""
WITHHELD: Final = "withheld"
UNKNOWN: Final = "unknown"
"""The ``caller`` of a call whose number is not shown: withheld by the caller, or not known."""


def caller_of(caller: Caller | None) -> str:
    """The number that calls, else ``withheld`` or ``unknown``."""
    if caller is not None and caller.number:
        return caller.number
    if caller is not None and caller.validity is CliValidity.WITHHELD:
        return WITHHELD
    return UNKNOWN


class PhoneLine:
    """The calls of one stick: fired as events, rejected when the options say, dialled out."""

    def __init__(self, coordinator: HuaweiModemCoordinator, device_id: str) -> None:
        self._hass = coordinator.hass
        self._modem = coordinator.modem
        self._entry = coordinator.entry
        self._device_id = device_id
        options = coordinator.entry.options
        self._reject_after: int = options.get(CONF_REJECT_CALLS_AFTER, DEFAULT_REJECT_CALLS_AFTER)
        self._rejecting = False

    @callback
    def async_start(self) -> None:
        """Listen for the stick's calls until the entry unloads."""
        self._entry.async_on_unload(self._modem.subscribe(CallRinging, self._on_ring))
        self._entry.async_on_unload(self._modem.subscribe(IncomingCallEnded, self._on_end))

    @callback
    def _on_ring(self, ring: CallRinging) -> None:
        self._fire(caller_of(ring.caller), ring.ring_count, STATE_RINGING)
        if self._reject_after and ring.ring_count >= self._reject_after and not self._rejecting:
            self._rejecting = True
            self._entry.async_create_background_task(
                self._hass, self._async_reject(), f"{DOMAIN} reject call {self._entry.entry_id}"
            )

    @callback
    def _on_end(self, ended: IncomingCallEnded) -> None:
        self._rejecting = False
        self._fire(caller_of(ended.caller), ended.ring_count, ended.end.value)

    @callback
    def _fire(self, caller: str, ring_count: int, state: str) -> None:
        data: dict[str, Any] = {
            ATTR_DEVICE_ID: self._device_id,
            ATTR_CALLER: caller,
            ATTR_RING_COUNT: ring_count,
            ATTR_STATE: state,
            ATTR_TIME: dt_util.utcnow().isoformat(),
        }
        self._hass.bus.async_fire(EVENT_CALL, data)

    async def _async_reject(self) -> None:
        try:
            await self._modem.hang_up()
        except ModemError as err:
            self._rejecting = False
            _LOGGER.debug("%s: could not reject the call: %s", self._entry.title, err)

    async def async_hang_up(self) -> None:
        """End the call that rings or is up (the caller hears it rejected)."""
        await self._modem.hang_up()

    async def async_call(self, number: str, ring_for: float, talk_for: float) -> CallResult:
        """Call ``number``: ring ``ring_for`` s, hang up ``talk_for`` s after an answer."""
        return await self._modem.call(number, ring_for=ring_for, talk_for=talk_for)
