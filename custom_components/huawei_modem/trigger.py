"""Integration triggers: "Huawei USB Modem: an SMS arrives" and the rest in the editor's list.

The same four triggers as the device triggers (``bus_triggers``), for one or more sticks,
described in ``triggers.yaml``. Releases without integration triggers never ask for them (see
``compat.HAS_INTEGRATION_TRIGGERS``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from homeassistant.const import CONF_OPTIONS
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .bus_triggers import (
    KINDS,
    EventFilter,
    TriggerKind,
    async_listen,
    check_stick,
    description_of,
    trigger_variables,
)
from .compat import Trigger, vol
from .const import ATTR_DEVICE_ID

if TYPE_CHECKING:
    from homeassistant.helpers.trigger import TriggerActionRunner, TriggerConfig


class StickEventTrigger(Trigger):
    """A trigger of ``kind`` for the sticks named in its options."""

    kind: ClassVar[TriggerKind]

    @classmethod
    async def async_validate_config(cls, hass: HomeAssistant, config: ConfigType) -> ConfigType:
        options: dict[vol.Marker, Any] = {
            vol.Required(ATTR_DEVICE_ID): vol.All(cv.ensure_list, vol.Length(min=1), [str]),
            **cls.kind.option_fields(),
        }
        validated: ConfigType = vol.Schema({vol.Required(CONF_OPTIONS): options})(config)
        for device_id in validated[CONF_OPTIONS][ATTR_DEVICE_ID]:
            check_stick(hass, device_id)
        return validated

    def __init__(self, hass: HomeAssistant, config: TriggerConfig) -> None:
        super().__init__(hass, config)
        options = config.options or {}
        self._filter = EventFilter.of(self.kind, options[ATTR_DEVICE_ID], options)

    async def async_attach_runner(
        self, run_action: TriggerActionRunner, *_: Any, **__: Any
    ) -> CALLBACK_TYPE:
        """Run the automation for every event that passes the filter (no report otherwise)."""

        @callback
        def on_match(event: Event) -> None:
            run_action(trigger_variables(event), description_of(event), event.context)

        return async_listen(self._hass, self._filter, on_match)


def _trigger_class(key: str, kind: TriggerKind) -> type[Trigger]:
    name = "".join(word.title() for word in key.split("_")) + "Trigger"
    return type(name, (StickEventTrigger,), {"kind": kind})


TRIGGERS: dict[str, type[Trigger]] = {key: _trigger_class(key, kind) for key, kind in KINDS.items()}


async def async_get_triggers(hass: HomeAssistant) -> dict[str, type[Trigger]]:
    """The integration's triggers, by name (``huawei_modem.sms_received``, ...)."""
    return TRIGGERS
