"""Buttons of a stick."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .compat import ButtonDeviceClass
from .coordinator import HuaweiModemCoordinator
from .entity import HuaweiModemEntity
from .runtime import HuaweiModemConfigEntry

PARALLEL_UPDATES = 1  # one action at a time per stick


@dataclass(frozen=True, kw_only=True)
class HuaweiModemButtonEntityDescription(ButtonEntityDescription):
    """An action on a stick."""

    press_fn: Callable[[HuaweiModemCoordinator], Awaitable[None]]


BUTTONS: tuple[HuaweiModemButtonEntityDescription, ...] = (
    HuaweiModemButtonEntityDescription(
        key="restart",
        translation_key="restart",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda coordinator: coordinator.async_restart(),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HuaweiModemConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons of a stick."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(HuaweiModemButton(coordinator, description) for description in BUTTONS)


class HuaweiModemButton(HuaweiModemEntity, ButtonEntity):
    """An action on the stick."""

    entity_description: HuaweiModemButtonEntityDescription

    async def async_press(self) -> None:
        await self.entity_description.press_fn(self.coordinator)
