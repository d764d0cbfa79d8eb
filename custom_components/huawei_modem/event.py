"""The event entities of a stick: its SMS (received, delivered) and its calls, from the bus."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import ATTR_DEVICE_ID, EVENT_CALL, EVENT_SMS_DELIVERED, EVENT_SMS_RECEIVED
from .coordinator import HuaweiModemCoordinator
from .entity import StickEventEntity
from .phone import ATTR_STATE, CALL_STATES
from .runtime import HuaweiModemConfigEntry

PARALLEL_UPDATES = 0  # nothing is polled

SMS_EVENT_TYPES: Final = {
    EVENT_SMS_RECEIVED: "sms_received",
    EVENT_SMS_DELIVERED: "sms_delivered",
}
"""Bus event -> event type of the SMS entity."""


@dataclass(frozen=True, kw_only=True)
class RelayDescription(EventEntityDescription):
    """An event entity that relays the stick's bus events of ``bus_events``."""

    bus_events: tuple[str, ...]
    event_type_of: Callable[[Event], str]


DESCRIPTIONS: Final = (
    RelayDescription(
        key="sms",
        translation_key="sms",
        event_types=list(SMS_EVENT_TYPES.values()),
        bus_events=tuple(SMS_EVENT_TYPES),
        event_type_of=lambda event: SMS_EVENT_TYPES[str(event.event_type)],
    ),
    RelayDescription(
        key="call",
        translation_key="call",
        event_types=list(CALL_STATES),
        bus_events=(EVENT_CALL,),
        event_type_of=lambda event: str(event.data[ATTR_STATE]),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HuaweiModemConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the SMS and call event entities of a stick."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        HuaweiModemRelayEvent(coordinator, description) for description in DESCRIPTIONS
    )


class HuaweiModemRelayEvent(StickEventEntity, EventEntity):
    """The last of the stick's bus events of one kind (its attributes: the event's data).

    The device id is left out of the attributes: the entity belongs to the device already.
    """

    entity_description: RelayDescription

    def __init__(self, coordinator: HuaweiModemCoordinator, description: RelayDescription) -> None:
        super().__init__(coordinator, description)
        self.bus_events = description.bus_events

    @callback
    def stick_event(self, event: Event) -> None:
        attributes = {key: value for key, value in event.data.items() if key != ATTR_DEVICE_ID}
        self._trigger_event(self.entity_description.event_type_of(event), attributes)
        self.async_write_ha_state()
