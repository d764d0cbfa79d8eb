"""The base of every entity of a stick: one device per stick, named by Home Assistant."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import ATTR_DEVICE_ID, DOMAIN, MANUFACTURER
from .coordinator import HuaweiModemCoordinator, ModemData
from .modem.models import Identity

_DescriptionT = TypeVar("_DescriptionT", bound=EntityDescription)


def device_info(identity: Identity) -> DeviceInfo:
    """The device of a stick: the IMEI identifies it."""
    maker = identity.manufacturer
    return DeviceInfo(
        identifiers={(DOMAIN, identity.imei)},
        manufacturer=MANUFACTURER if maker.lower() == MANUFACTURER.lower() else maker,
        model=identity.model,
        sw_version=identity.firmware,
        serial_number=identity.imei,
    )


@callback
def async_stick_device_id(hass: HomeAssistant, coordinator: HuaweiModemCoordinator) -> str:
    """The device id of the stick (the events name it), registered now if it is not yet."""
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=coordinator.entry.entry_id, **device_info(coordinator.identity)
    )
    return device.id


class HuaweiModemEntity(CoordinatorEntity[HuaweiModemCoordinator]):
    """An entity of one stick, described by an EntityDescription."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: HuaweiModemCoordinator, description: EntityDescription) -> None:
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.identity.imei}_{description.key}"
        self._attr_device_info = device_info(coordinator.identity)


class StickEventEntity(HuaweiModemEntity):
    """An entity that follows some of its stick's bus events (each names the stick's device).

    Available while the stick is away: events come then too (a long message's timeout, a call
    that ends with the stick).
    """

    bus_events: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return True

    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        for bus_event in self.bus_events:
            self.async_on_remove(self.hass.bus.async_listen(bus_event, self._on_bus_event))

    @callback
    def _on_bus_event(self, event: Event) -> None:
        if self.registry_entry is not None and (
            event.data.get(ATTR_DEVICE_ID) == self.registry_entry.device_id
        ):
            self.stick_event(event)

    @callback
    def stick_event(self, event: Event) -> None:
        """One of ``bus_events`` of this stick."""
        raise NotImplementedError


def async_add_reported_entities(
    coordinator: HuaweiModemCoordinator,
    descriptions: Iterable[_DescriptionT],
    reported: Callable[[_DescriptionT, ModemData], bool],
    make_entity: Callable[[_DescriptionT], Entity],
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an entity once the stick reports its value (now, or after a later update)."""
    waiting = list(descriptions)

    @callback
    def add_newly_reported() -> None:
        ready = [description for description in waiting if reported(description, coordinator.data)]
        for description in ready:
            waiting.remove(description)
        if ready:
            async_add_entities([make_entity(description) for description in ready])

    add_newly_reported()
    if waiting:
        coordinator.entry.async_on_unload(coordinator.async_add_listener(add_newly_reported))
