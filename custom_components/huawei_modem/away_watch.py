"""The away watch: while a stick stays away, say so, and look for it on the USB bus.

A stick away for more than a few minutes (unplugged, a USB hub that lost power, a port that
moved) raises a repair issue saying since when; it clears itself when the stick is back.

A stick that lost its modeswitch (a firmware update, another computer) comes back as a CD-ROM;
now and then, while ours does not answer, the USB bus is searched and a fixable repair issue
offers the switch (repairs.py).
"""

from __future__ import annotations

import logging
from datetime import datetime

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .const import CDROM_CHECK_EVERY, CDROM_CHECK_FIRST, STICK_AWAY_ISSUE_AFTER
from .issues import clear_away_issue, clear_cdrom_issue, raise_away_issue, raise_cdrom_issue
from .modem.discovery import is_network_port
from .modem.errors import UsbError
from .modem.usb import StickMode, async_list_huawei_devices

_LOGGER = logging.getLogger(__name__)


def cdrom_check_due(attempts: int) -> bool:
    """Whether the reconnect attempt number ``attempts`` also looks on the USB bus."""
    return attempts >= CDROM_CHECK_FIRST and (attempts - CDROM_CHECK_FIRST) % CDROM_CHECK_EVERY == 0


class AwayWatch:
    """Counts the failed opens of one stick, says when it is away for long, looks on the bus."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        self.hass = hass
        self.entry = entry
        self._failed_opens = 0
        self._away_since: datetime | None = None

    def stick_back(self) -> None:
        """The stick answered: the count starts again and the issues go."""
        self._failed_opens = 0
        self._away_since = None
        clear_cdrom_issue(self.hass, self.entry)
        clear_away_issue(self.hass, self.entry)

    async def async_stick_away(self, url: str) -> None:
        """Another open of ``url`` failed; say so after a while, look on the bus now and then."""
        self._failed_opens += 1
        now = dt_util.utcnow()
        if self._away_since is None:
            self._away_since = now
        elif now - self._away_since >= STICK_AWAY_ISSUE_AFTER:
            raise_away_issue(self.hass, self.entry, url, self._away_since)
        if cdrom_check_due(self._failed_opens):
            await self._look_for_cdrom_stick(url)

    async def _look_for_cdrom_stick(self, url: str) -> None:
        """A Huawei stick in CD-ROM mode on the bus while ours is away: most likely ours."""
        if is_network_port(url):
            return
        try:
            sticks = await async_list_huawei_devices()
        except UsbError as err:
            _LOGGER.debug("Cannot look for a stick in CD-ROM mode: %s", err)
            return
        storage = next((stick for stick in sticks if stick.mode is StickMode.STORAGE), None)
        if storage is None:
            clear_cdrom_issue(self.hass, self.entry)
        else:
            raise_cdrom_issue(self.hass, self.entry, storage)
