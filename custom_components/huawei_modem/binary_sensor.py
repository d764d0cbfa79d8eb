"""Binary sensors of a stick."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ModemData
from .entity import HuaweiModemEntity
from .runtime import HuaweiModemConfigEntry

PARALLEL_UPDATES = 0  # the coordinator fetches for every entity


@dataclass(frozen=True, kw_only=True)
class HuaweiModemBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A yes/no value of a stick."""

    value_fn: Callable[[ModemData], bool | None]


BINARY_SENSORS: tuple[HuaweiModemBinarySensorEntityDescription, ...] = (
    HuaweiModemBinarySensorEntityDescription(
        key="roaming",
        translation_key="roaming",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.status.roaming,
    ),
    HuaweiModemBinarySensorEntityDescription(
        key="packet_attached",
        translation_key="packet_attached",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        value_fn=lambda data: data.status.packet_attached,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HuaweiModemConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of a stick."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        HuaweiModemBinarySensor(coordinator, description) for description in BINARY_SENSORS
    )


class HuaweiModemBinarySensor(HuaweiModemEntity, BinarySensorEntity):
    """A yes/no value read from the coordinator's data."""

    entity_description: HuaweiModemBinarySensorEntityDescription

    @property
    def is_on(self) -> bool | None:
        return self.entity_description.value_fn(self.coordinator.data)
