"""AT-port relocation: after a port profile change the stick may name its AT port differently.

The stored port is tried first; when it does not answer after such a change, the AT (PCUI) port
is found among the stick's ports and kept in the entry. The Modem stays the same object, so its
listeners stay too.
"""

from __future__ import annotations

import logging

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .const import CONF_DEVICE
from .modem.discovery import candidates_for, find_at_port, is_network_port
from .modem.errors import ConnectionLostError
from .modem.modem import Modem

_LOGGER = logging.getLogger(__name__)


class PortRelocation:
    """Opens a stick's Modem at its stored port, or at the port its AT port moved to."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, modem: Modem) -> None:
        self.hass = hass
        self.entry = entry
        self.modem = modem
        self.may_have_moved = False
        """Set by a port profile change: the next reconnect finds the AT port again."""

    async def async_open(self) -> None:
        """The stored port, or the AT port found among the stick's ports when that one moved."""
        url = self.modem.url
        if not self.may_have_moved or is_network_port(url):
            try:
                await self.modem.open()
            except ConnectionLostError:
                if is_network_port(url):
                    raise
            else:
                return
        found = await self._find_at_port()
        if found == url:
            await self.modem.open()
            return
        _LOGGER.info("%s: the AT port moved from %s to %s", self.entry.title, url, found)
        data = {**self.entry.data, CONF_DEVICE: found}
        self.hass.config_entries.async_update_entry(self.entry, data=data)
        await self.modem.reopen(found)

    async def _find_at_port(self) -> str:
        """The AT (PCUI) port among the stick's ports (a new layout renames them)."""
        url = self.modem.url
        candidates = await self.hass.async_add_executor_job(candidates_for, url, [])
        found = await find_at_port(candidates)
        if found is None:
            raise ConnectionLostError(f"no port of the stick at {url} answers AT")
        self.may_have_moved = False
        return found.path
