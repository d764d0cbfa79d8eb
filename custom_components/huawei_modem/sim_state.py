"""The SIM and PIN state of a stick: the stored PIN sent once, SIM issues, messages readable.

A PIN that was not accepted (or not answered, so maybe refused) is forgotten at once: it is
never sent a second time without the user typing it again (reauth).
"""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed

from .const import CONF_PIN
from .errors import translated_error
from .issues import sync_sim_issues
from .modem.errors import ModemError, PinError, PukRequiredError
from .modem.models import SimState, SimStatus
from .modem.modem import Modem


def pin_failure_key(error: ModemError) -> str:
    """The translation key that explains why a stored PIN did not unlock the SIM."""
    if isinstance(error, PukRequiredError):
        return "puk_required"
    if isinstance(error, PinError):
        return "pin_refused"
    return "pin_unconfirmed"


class SimGuard:
    """Unlocks a stick's SIM with the stored PIN and tells who waits when messages are readable."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, modem: Modem) -> None:
        self.hass = hass
        self.entry = entry
        self.modem = modem
        self._sms_ready_listeners: list[Callable[[], None]] = []
        self._sms_ready = False

    async def async_unlocked_status(self) -> tuple[SimStatus, bool]:
        """The SIM status, unlocked first if it asks for the PIN; and whether it was unlocked."""
        sim = await self.modem.sim_status()
        if sim.state is not SimState.PIN_REQUIRED:
            return sim, False
        await self._unlock()
        return await self.modem.sim_status(), True

    async def _unlock(self) -> None:
        """Send the stored PIN once; a PIN that was not accepted is forgotten at once."""
        pin: str | None = self.entry.data.get(CONF_PIN)
        if pin is None:
            raise translated_error(ConfigEntryAuthFailed, "pin_required")
        try:
            await self.modem.unlock(pin)
        except ModemError as err:
            # Refused, or not answered (so maybe refused): never risk sending it a second time.
            self._forget_pin()
            raise translated_error(ConfigEntryAuthFailed, pin_failure_key(err)) from err

    def _forget_pin(self) -> None:
        data = {key: value for key, value in self.entry.data.items() if key != CONF_PIN}
        self.hass.config_entries.async_update_entry(self.entry, data=data)

    @callback
    def add_sms_ready_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` whenever the stick's messages become readable (again).

        That is after the first connect, every reconnect and an unlock, with the SIM ready.
        New-message notices sent while the stick was away are lost: a listener reads the memory.
        """
        self._sms_ready_listeners.append(listener)
        return lambda: self._sms_ready_listeners.remove(listener)

    @callback
    def async_polled(self, sim: SimStatus, *, reconnected: bool) -> None:
        """A poll read ``sim``: sync the SIM issues, announce readable messages."""
        sync_sim_issues(self.hass, self.entry, sim)
        ready = sim.state is SimState.READY
        if ready and (reconnected or not self._sms_ready):
            for listener in list(self._sms_ready_listeners):
                listener()
        self._sms_ready = ready
