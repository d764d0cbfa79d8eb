"""Device triggers of a stick: the automation editor's "an SMS arrives", "an incoming call", ...

Every supported release offers them (Device → the stick → Automations, or a device trigger in
the editor). What they listen for is in ``bus_triggers``.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.const import CONF_DEVICE_ID, CONF_DOMAIN, CONF_PLATFORM, CONF_TYPE
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType

from .bus_triggers import KINDS, EventFilter, async_listen, description_of, trigger_variables
from .compat import vol
from .const import DOMAIN

TRIGGER_TYPE_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {vol.Required(CONF_TYPE): vol.In(KINDS)}, extra=vol.ALLOW_EXTRA
)


async def async_validate_trigger_config(hass: HomeAssistant, config: ConfigType) -> ConfigType:
    """The trigger's type, then the options of that type (and no other)."""
    kind = KINDS[TRIGGER_TYPE_SCHEMA(config)[CONF_TYPE]]
    schema = DEVICE_TRIGGER_BASE_SCHEMA.extend(
        {vol.Required(CONF_TYPE): vol.In(KINDS), **kind.option_fields()}
    )
    validated: ConfigType = schema(config)
    return validated


async def async_get_triggers(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """Every trigger a stick offers (the device automation code asks only for our devices)."""
    return [
        {CONF_PLATFORM: "device", CONF_DOMAIN: DOMAIN, CONF_DEVICE_ID: device_id, CONF_TYPE: key}
        for key in KINDS
    ]


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """The optional filters of the trigger's type, for the editor's form."""
    return {"extra_fields": vol.Schema(KINDS[config[CONF_TYPE]].option_fields())}


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Run ``action`` for every event of the stick that passes the trigger's filters."""
    event_filter = EventFilter.of(KINDS[config[CONF_TYPE]], [config[CONF_DEVICE_ID]], config)
    job = HassJob(action, f"{DOMAIN} device trigger {trigger_info['name']}")
    trigger_data = trigger_info["trigger_data"]

    @callback
    def on_match(event: Event) -> None:
        variables = {
            **trigger_data,
            **trigger_variables(event),
            CONF_PLATFORM: "device",
            "description": description_of(event),
        }
        hass.async_run_hass_job(job, {"trigger": variables}, event.context)

    return async_listen(hass, event_filter, on_match)
