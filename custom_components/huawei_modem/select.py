"""The network mode of a stick: which radios it may use, as its firmware lists them."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, PlatformNotReady, ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import HuaweiModemCoordinator
from .entity import HuaweiModemEntity
from .errors import translated_error
from .modem import CommandNotSupportedError, ModemError, NetworkMode, NetworkModeNotOfferedError
from .runtime import HuaweiModemConfigEntry

PARALLEL_UPDATES = 1  # one change at a time per stick

NETWORK_MODE = SelectEntityDescription(
    key="network_mode",
    translation_key="network_mode",
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HuaweiModemConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the network-mode select where the firmware lists modes (asked once, here)."""
    select = await _network_mode_select(entry.runtime_data.coordinator)
    if select is not None:
        async_add_entities([select])


async def _network_mode_select(
    coordinator: HuaweiModemCoordinator,
) -> HuaweiModemNetworkMode | None:
    """The select of the modes the stick lists; None when it lists none, or has no command."""
    try:
        offered = await coordinator.modem.network_modes()
        current = await coordinator.modem.network_mode() if offered else None
    except CommandNotSupportedError:
        return None
    except ModemError as err:
        raise translated_error(PlatformNotReady, "communication_failed", error=str(err)) from err
    return HuaweiModemNetworkMode(coordinator, offered, current) if offered else None


class HuaweiModemNetworkMode(HuaweiModemEntity, SelectEntity):
    """The network mode: the modes the stick lists; the state is what it read back."""

    def __init__(
        self,
        coordinator: HuaweiModemCoordinator,
        offered: tuple[NetworkMode, ...],
        current: NetworkMode | None,
    ) -> None:
        super().__init__(coordinator, NETWORK_MODE)
        self._attr_options = [mode.value for mode in offered]
        self._attr_current_option = current.value if current else None

    async def async_select_option(self, option: str) -> None:
        try:
            current = await self.coordinator.modem.set_network_mode(NetworkMode(option))
        except NetworkModeNotOfferedError as err:
            raise translated_error(
                ServiceValidationError, "network_mode_not_offered", mode=option
            ) from err
        except ModemError as err:
            raise translated_error(
                HomeAssistantError, "network_mode_failed", error=str(err)
            ) from err
        self._attr_current_option = current.value if current else None
        self.async_write_ha_state()
        await self.coordinator.async_request_refresh()  # the radio in use follows
