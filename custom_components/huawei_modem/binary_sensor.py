"""Binary sensors of a stick."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .compat import get_runtime_data
from .coordinator import HuaweiModemCoordinator, ModemData
from .entity import HuaweiModemEntity

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
)


async def async_setup_entry(
    hass: HomeAssistant, entry: ConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """Add the binary sensors of a stick."""
    coordinator = get_runtime_data(hass, entry, HuaweiModemCoordinator)
    async_add_entities(
        HuaweiModemBinarySensor(coordinator, description) for description in BINARY_SENSORS
    )


class HuaweiModemBinarySensor(HuaweiModemEntity, BinarySensorEntity):
    """A yes/no value read from the coordinator's data."""

    entity_description: HuaweiModemBinarySensorEntityDescription

    @property
    def is_on(self) -> bool | None:
        return self.entity_description.value_fn(self.coordinator.data)
