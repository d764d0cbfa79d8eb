"""Buttons of a stick."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.components.button import (
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .compat import get_runtime_data
from .coordinator import HuaweiModemCoordinator
from .entity import HuaweiModemEntity

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
    hass: HomeAssistant, entry: ConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """Add the buttons of a stick."""
    coordinator = get_runtime_data(hass, entry, HuaweiModemCoordinator)
    async_add_entities(HuaweiModemButton(coordinator, description) for description in BUTTONS)


class HuaweiModemButton(HuaweiModemEntity, ButtonEntity):
    """An action on the stick."""

    entity_description: HuaweiModemButtonEntityDescription

    async def async_press(self) -> None:
        await self.entity_description.press_fn(self.coordinator)
