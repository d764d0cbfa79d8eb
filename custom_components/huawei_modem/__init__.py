"""The Huawei USB Modem integration: a Huawei surf stick as SMS gateway and status device."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .compat import get_runtime_data, set_runtime_data
from .const import DATA_HASS_CONFIG, DOMAIN
from .coordinator import HuaweiModemCoordinator
from .inbox import SmsInbox, async_remove_inbox
from .management import async_register_management_actions
from .notify import async_load_notify
from .outbox import async_remove_outbox, async_start_outbox
from .services import async_register_actions

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.SENSOR,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions once, whatever sticks are set up."""
    hass.data[DATA_HASS_CONFIG] = config
    async_register_actions(hass)
    async_register_management_actions(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Set up a stick: connect, unlock with the stored PIN if asked, identify, first status.

    The coordinator raises what Home Assistant needs: not ready (stick unreachable), auth
    failed (PIN missing or refused: reauth), error (another stick at this port).
    """
    coordinator = HuaweiModemCoordinator(hass, entry)
    entry.async_on_unload(coordinator.async_shutdown)
    await coordinator.async_config_entry_first_refresh()
    set_runtime_data(hass, entry, coordinator)
    outbox = await async_start_outbox(hass, coordinator)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    async_load_notify(hass, entry)
    inbox = SmsInbox(hass, coordinator, outbox)  # after the event entity, which relays its events
    await inbox.async_start()
    entry.async_on_unload(inbox.async_stop)
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Unload a stick's config entry (the coordinator closes the port on unload)."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Delete what the stick's inbox and outbox kept: nothing of its messages stays behind."""
    await async_remove_inbox(hass, entry)
    await async_remove_outbox(hass, entry)


async def _async_options_updated(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Reload when the options changed (not when the coordinator forgot a refused PIN)."""
    coordinator = get_runtime_data(hass, entry, HuaweiModemCoordinator)
    if dict(entry.options) != coordinator.options:
        await hass.config_entries.async_reload(entry.entry_id)
