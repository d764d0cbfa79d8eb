"""Work that fires events runs only while Home Assistant runs: after its start, before its stop.

Automations attach their triggers when Home Assistant has started, after every integration was
set up; once it stops, running automations are stopped and new runs are not allowed. An SMS or a
delivery report read from the SIM outside that time would be fired to nobody and then counted as
told: lost. Until the start, the work is held; once Home Assistant stops, it is dropped. Either
way the SIM keeps the messages, and the next start reads them.
"""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CoreState, HomeAssistant, callback
from homeassistant.helpers.start import async_at_started


class AfterStart:
    """Runs jobs at once while Home Assistant runs; holds them, in order, until it has started;
    drops them once it stops."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        self._hass = hass
        self._started = hass.state is CoreState.running
        self._held: list[Callable[[], object]] = []
        if not self._started:
            entry.async_on_unload(async_at_started(hass, self._release))

    @property
    def started(self) -> bool:
        return self._started

    @callback
    def run(self, job: Callable[[], object]) -> None:
        if self._hass.is_stopping:
            return  # the SIM keeps what the job would have read
        if self._started:
            job()
        else:
            self._held.append(job)

    @callback
    def _release(self, hass: HomeAssistant) -> None:
        self._started = True
        held, self._held = self._held, []
        for job in held:
            self.run(job)
