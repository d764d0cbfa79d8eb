"""``notify.<stick name>``: SMS through Home Assistant's legacy notify platform.

Notify entities have no recipient, so a stick offers the legacy notify action: ``target`` holds
the numbers, ``data`` may ask for a flash SMS or a delivery report. It is loaded per config
entry by discovery and removed again when the entry is unloaded.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.notify.const import ATTR_DATA, ATTR_TARGET
from homeassistant.components.notify.legacy import NOTIFY_SERVICES, BaseNotificationService
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import CONF_NAME, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import discovery
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType

from .actions.lookup import stick_of_entry
from .actions.messages import async_send_sms
from .compat import vol
from .const import ATTR_DELIVERY_REPORT, ATTR_FLASH, DATA_HASS_CONFIG, DOMAIN
from .errors import translated_error

ATTR_ENTRY_ID: Final = "entry_id"
NOTIFY_DATA_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_FLASH, default=False): cv.boolean,
        vol.Optional(ATTR_DELIVERY_REPORT, default=False): cv.boolean,
    }
)
SETTING_UP: Final = (ConfigEntryState.SETUP_IN_PROGRESS, ConfigEntryState.LOADED)


@callback
def async_load_notify(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Offer ``notify.<entry title>`` for a stick (the notify integration sets it up later)."""
    entry.async_create_task(
        hass,
        discovery.async_load_platform(
            hass,
            Platform.NOTIFY,
            DOMAIN,
            {CONF_NAME: entry.title, ATTR_ENTRY_ID: entry.entry_id},
            hass.data.get(DATA_HASS_CONFIG, {}),
        ),
    )


async def async_get_service(
    hass: HomeAssistant, config: ConfigType, discovery_info: DiscoveryInfoType | None = None
) -> HuaweiModemNotificationService | None:
    """The notify service of a stick's config entry (there is no YAML set-up)."""
    if discovery_info is None:
        return None
    entry = hass.config_entries.async_get_entry(discovery_info[ATTR_ENTRY_ID])
    if entry is None or entry.state not in SETTING_UP:
        return None
    service = HuaweiModemNotificationService(entry)
    entry.async_on_unload(service.async_remove)
    return service


class HuaweiModemNotificationService(BaseNotificationService):
    """Sends the message as SMS to every number in ``target``."""

    def __init__(self, entry: ConfigEntry) -> None:
        self._entry = entry

    async def async_send_message(self, message: str = "", **kwargs: Any) -> None:
        """Send ``message`` to the numbers in ``target`` (a title is not sent)."""
        numbers: list[str] = kwargs.get(ATTR_TARGET) or []
        if not numbers:
            raise translated_error(ServiceValidationError, "no_target")
        try:
            options = NOTIFY_DATA_SCHEMA(kwargs.get(ATTR_DATA) or {})
        except vol.Invalid as err:
            raise translated_error(
                ServiceValidationError, "invalid_notify_data", error=str(err)
            ) from err
        await async_send_sms(
            stick_of_entry(self._entry, reachable=True), numbers, message, **options
        )

    async def async_remove(self) -> None:
        """Remove ``notify.<name>`` with the config entry (a reload offers it anew)."""
        await self.async_unregister_services()
        # Notify has no per-entry unload: the service leaves the list of the integration's legacy
        # notify services itself, or a later notify reload would register it again.
        services = self.hass.data.get(NOTIFY_SERVICES, {}).get(DOMAIN, [])
        if self in services:
            services.remove(self)
