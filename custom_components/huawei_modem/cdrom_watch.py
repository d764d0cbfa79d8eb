"""The CD-ROM watch: while a stick stays away, look for it on the USB bus in CD-ROM mode.

A stick that lost its modeswitch (a firmware update, another computer) comes back as a CD-ROM;
now and then, while ours does not answer, the USB bus is searched and a fixable repair issue
offers the switch (repairs.py).
"""

from __future__ import annotations

import logging

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .const import CDROM_CHECK_EVERY, CDROM_CHECK_FIRST
from .issues import clear_cdrom_issue, raise_cdrom_issue
from .modem.discovery import is_network_port
from .modem.errors import UsbError
from .modem.usb import StickMode, async_list_huawei_devices

_LOGGER = logging.getLogger(__name__)


def cdrom_check_due(attempts: int) -> bool:
    """Whether the reconnect attempt number ``attempts`` also looks on the USB bus."""
    return attempts >= CDROM_CHECK_FIRST and (attempts - CDROM_CHECK_FIRST) % CDROM_CHECK_EVERY == 0


class CdromWatch:
    """Counts the failed opens of one stick and looks on the bus when one is due."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        self.hass = hass
        self.entry = entry
        self._failed_opens = 0

    def stick_back(self) -> None:
        """The stick answered: the count starts again and the issue goes."""
        self._failed_opens = 0
        clear_cdrom_issue(self.hass, self.entry)

    async def async_stick_away(self, url: str) -> None:
        """Another open of ``url`` failed; look on the bus now and then."""
        self._failed_opens += 1
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
