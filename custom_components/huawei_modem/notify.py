"""Notify: an entity per recipient, and the legacy ``notify.<stick name>`` for any numbers.

``notify.<stick>_<recipient>``: each recipient subentry of a stick (its contacts) is a notify
entity; ``notify.send_message`` sends the message as SMS to its number, with the recipient's
flash and delivery report settings.

``notify.<stick name>``: Home Assistant's legacy notify platform, kept while Home Assistant loads
legacy platforms. ``target`` holds the numbers, ``data`` may ask for a flash SMS or a delivery
report. It is loaded per config entry by discovery and removed again when the entry is unloaded.

Both send through ``actions/messages.py`` as the ``send_sms`` action does; a title is not sent.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.notify import NotifyEntity
from homeassistant.components.notify.const import ATTR_DATA, ATTR_TARGET
from homeassistant.components.notify.legacy import NOTIFY_SERVICES, BaseNotificationService
from homeassistant.config_entries import ConfigEntry, ConfigEntryState, ConfigSubentry
from homeassistant.const import CONF_NAME, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import discovery
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .actions.lookup import stick_of_entry
from .actions.messages import async_send_sms
from .compat import vol
from .const import (
    ATTR_DELIVERY_REPORT,
    ATTR_FLASH,
    ATTR_NUMBER,
    DATA_HASS_CONFIG,
    DOMAIN,
    SUBENTRY_RECIPIENT,
)
from .coordinator import HuaweiModemCoordinator
from .errors import translated_error
from .runtime import HuaweiModemConfigEntry
from .subentries import async_follow_subentries, subentries_of

ATTR_ENTRY_ID: Final = "entry_id"
NOTIFY_DATA_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_FLASH, default=False): cv.boolean,
        vol.Optional(ATTR_DELIVERY_REPORT, default=False): cv.boolean,
    }
)
SETTING_UP: Final = (ConfigEntryState.SETUP_IN_PROGRESS, ConfigEntryState.LOADED)


# --- notify entities: one per recipient ---------------------------------------------------------


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HuaweiModemConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """A notify entity per recipient, added with the recipient and renamed with it.

    Home Assistant removes the entity of a removed recipient itself (the entity registry drops
    the entities of a removed subentry); number and settings are read at each send.
    """
    coordinator = entry.runtime_data.coordinator
    entities: dict[str, RecipientNotifyEntity] = {}

    @callback
    def follow_recipients() -> None:
        recipients = {r.subentry_id: r for r in subentries_of(entry, SUBENTRY_RECIPIENT)}
        for removed in entities.keys() - recipients.keys():
            del entities[removed]
        for subentry_id, recipient in recipients.items():
            if (entity := entities.get(subentry_id)) is not None:
                entity.async_rename(recipient.title)
                continue
            entities[subentry_id] = entity = RecipientNotifyEntity(coordinator, recipient)
            async_add_entities([entity], config_subentry_id=subentry_id)

    follow_recipients()
    async_follow_subentries(hass, entry, follow_recipients)


class RecipientNotifyEntity(CoordinatorEntity[HuaweiModemCoordinator], NotifyEntity):
    """``notify.<stick>_<recipient>``: the message as SMS to the recipient's number.

    A recipient is a device of its own (a device belongs to one subentry), named after the stick
    and the recipient; no ``via_device`` link to the stick: releases name it differently.
    """

    _attr_has_entity_name = True
    _attr_name = None

    def __init__(self, coordinator: HuaweiModemCoordinator, recipient: ConfigSubentry) -> None:
        super().__init__(coordinator)
        imei = coordinator.identity.imei
        self._subentry_id = recipient.subentry_id
        self._attr_unique_id = f"{imei}_{SUBENTRY_RECIPIENT}_{recipient.subentry_id}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, self._attr_unique_id)},
            name=self._device_name(recipient.title),
            entry_type=DeviceEntryType.SERVICE,
        )

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send ``message`` to the recipient's number (an SMS has no title)."""
        entry = self.coordinator.entry
        settings = entry.subentries[self._subentry_id].data
        await async_send_sms(
            stick_of_entry(entry, reachable=True),
            [settings[ATTR_NUMBER]],
            message,
            flash=settings[ATTR_FLASH],
            delivery_report=settings[ATTR_DELIVERY_REPORT],
        )

    @callback
    def async_rename(self, recipient_name: str) -> None:
        """Take the recipient's new name, as a reload would (the entity id stays)."""
        name = self._device_name(recipient_name)
        if self.device_entry is not None and self.device_entry.name != name:
            dr.async_get(self.hass).async_update_device(self.device_entry.id, name=name)

    def _device_name(self, recipient_name: str) -> str:
        return f"{self.coordinator.entry.title} {recipient_name}"


# --- the legacy notify service: any numbers ------------------------------------------------------


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
