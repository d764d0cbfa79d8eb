"""The Huawei USB Modem integration: a Huawei surf stick as SMS gateway and status device."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .actions import async_register_actions
from .assist_sms import async_start_assist
from .compat import async_reload_on_new_options
from .const import DATA_HASS_CONFIG, DOMAIN
from .coordinator import HuaweiModemCoordinator
from .entity import async_stick_device_id
from .inbox import SmsInbox, async_remove_inbox
from .notify import async_load_notify
from .outbox import Outbox, async_remove_outbox
from .phone import PhoneLine
from .runtime import HuaweiModemConfigEntry, HuaweiModemData

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NOTIFY,
    Platform.SELECT,
    Platform.SENSOR,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions once, whatever sticks are set up."""
    hass.data[DATA_HASS_CONFIG] = config
    async_register_actions(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HuaweiModemConfigEntry) -> bool:
    """Set up a stick: connect, unlock with the stored PIN if asked, identify, first status.

    The coordinator raises what Home Assistant needs: not ready (stick unreachable), auth
    failed (PIN missing or refused: reauth), error (another stick at this port).
    """
    coordinator = HuaweiModemCoordinator(hass, entry)  # shuts itself down on unload
    await coordinator.async_config_entry_first_refresh()
    device_id = async_stick_device_id(hass, coordinator)
    outbox = Outbox(hass, coordinator, device_id)
    await outbox.async_start()
    inbox = SmsInbox(hass, coordinator, outbox, device_id)
    await inbox.async_start()
    entry.async_on_unload(inbox.async_stop)
    phone = PhoneLine(coordinator, device_id)
    phone.async_start()
    entry.runtime_data = HuaweiModemData(coordinator, inbox, outbox, phone)
    async_start_assist(hass, entry, device_id)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    async_load_notify(hass, entry)
    async_reload_on_new_options(hass, entry, dict(entry.options))
    return True


async def async_unload_entry(hass: HomeAssistant, entry: HuaweiModemConfigEntry) -> bool:
    """Unload a stick's config entry (the coordinator closes the port on unload)."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: HuaweiModemConfigEntry) -> None:
    """Delete what the stick's inbox and outbox kept: nothing of its messages stays behind."""
    await async_remove_inbox(hass, entry)
    await async_remove_outbox(hass, entry)
