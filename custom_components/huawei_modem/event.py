"""The SMS event entity of a stick: relays the stick's received and delivered SMS bus events."""

from __future__ import annotations

from typing import Final

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import ATTR_DEVICE_ID, EVENT_SMS_DELIVERED, EVENT_SMS_RECEIVED
from .entity import HuaweiModemEntity
from .runtime import HuaweiModemConfigEntry

PARALLEL_UPDATES = 0  # nothing is polled

EVENT_TYPES: Final = {
    EVENT_SMS_RECEIVED: "sms_received",
    EVENT_SMS_DELIVERED: "sms_delivered",
}
"""Bus event -> event type of the entity."""

SMS_EVENTS = EventEntityDescription(
    key="sms",
    translation_key="sms",
    event_types=list(EVENT_TYPES.values()),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HuaweiModemConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the SMS event entity of a stick."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities([HuaweiModemSmsEvent(coordinator, SMS_EVENTS)])


class HuaweiModemSmsEvent(HuaweiModemEntity, EventEntity):
    """The last SMS the stick received, or the last delivery report of an SMS it sent.

    The attributes are the bus event's data without the device id.
    """

    @property
    def available(self) -> bool:
        """Always: events also come while the stick is away (a long message's timeout)."""
        return True

    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        for bus_event in EVENT_TYPES:
            self.async_on_remove(self.hass.bus.async_listen(bus_event, self._relay))

    @callback
    def _relay(self, event: Event) -> None:
        if self.registry_entry is None or event.data.get(ATTR_DEVICE_ID) != (
            self.registry_entry.device_id
        ):
            return
        attributes = {key: value for key, value in event.data.items() if key != ATTR_DEVICE_ID}
        self._trigger_event(EVENT_TYPES[str(event.event_type)], attributes)
        self.async_write_ha_state()
