"""Work that fires events waits until Home Assistant has started.

Automations attach their triggers when Home Assistant has started, after every integration was
set up. An SMS or delivery report read from the SIM while Home Assistant is still starting would
be fired to nobody and then deleted from the SIM: lost. Until the start, the work is held and the
SIM keeps the messages.
"""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CoreState, HomeAssistant, callback
from homeassistant.helpers.start import async_at_started


class AfterStart:
    """Runs jobs at once once Home Assistant has started; holds them, in order, until then."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        self._started = hass.state is CoreState.running
        self._held: list[Callable[[], object]] = []
        if not self._started:
            entry.async_on_unload(async_at_started(hass, self._release))

    @property
    def started(self) -> bool:
        return self._started

    @callback
    def run(self, job: Callable[[], object]) -> None:
        if self._started:
            job()
        else:
            self._held.append(job)

    @callback
    def _release(self, hass: HomeAssistant) -> None:
        self._started = True
        held, self._held = self._held, []
        for job in held:
            job()
