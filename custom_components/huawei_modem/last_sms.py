"""The last SMS a stick received, on its device page: when, from whom, and (unless hidden) what.

The sensors follow ``huawei_modem_sms_received`` and keep their values across restarts. The
option ``show_sms_text`` off hides the text: its sensor is not created (and removed if it was).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntityDescription,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .const import CONF_SHOW_SMS_TEXT, DEFAULT_SHOW_SMS_TEXT, EVENT_SMS_RECEIVED
from .coordinator import HuaweiModemCoordinator
from .entity import StickEventEntity

MAX_STATE_LENGTH: Final = 255
"""Home Assistant keeps a state of at most 255 characters."""


def shortened(text: str) -> str:
    """``text`` as a state: cut with an ellipsis where it is longer than a state may be."""
    if len(text) <= MAX_STATE_LENGTH:
        return text
    return text[: MAX_STATE_LENGTH - 1] + "…"


@dataclass(frozen=True, kw_only=True)
class LastSmsDescription(SensorEntityDescription):
    """A fact of the last received SMS, read from its event's data."""

    value_fn: Callable[[Mapping[str, Any]], StateType | datetime]


RECEIVED = LastSmsDescription(
    key="last_sms_received",
    translation_key="last_sms_received",
    device_class=SensorDeviceClass.TIMESTAMP,
    value_fn=lambda _: dt_util.utcnow(),
)
SENDER = LastSmsDescription(
    key="last_sms_sender",
    translation_key="last_sms_sender",
    value_fn=lambda data: data.get("sender"),
)
TEXT = LastSmsDescription(
    key="last_sms_text",
    translation_key="last_sms_text",
    value_fn=lambda data: shortened(str(data.get("text", ""))),
)


def last_sms_sensors(
    hass: HomeAssistant, coordinator: HuaweiModemCoordinator
) -> list[LastSmsSensor]:
    """The sensors of the last SMS; without the text when the options hide it."""
    descriptions = [RECEIVED, SENDER]
    if coordinator.entry.options.get(CONF_SHOW_SMS_TEXT, DEFAULT_SHOW_SMS_TEXT):
        descriptions.append(TEXT)
    else:
        _remove_text_sensor(hass, coordinator)
    return [LastSmsSensor(coordinator, description) for description in descriptions]


def _remove_text_sensor(hass: HomeAssistant, coordinator: HuaweiModemCoordinator) -> None:
    registry = er.async_get(hass)
    unique_id = f"{coordinator.identity.imei}_{TEXT.key}"
    if entity_id := registry.async_get_entity_id("sensor", coordinator.entry.domain, unique_id):
        registry.async_remove(entity_id)


class LastSmsSensor(StickEventEntity, RestoreSensor):
    """One fact of the last SMS the stick received."""

    entity_description: LastSmsDescription
    bus_events = (EVENT_SMS_RECEIVED,)

    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        if (last := await self.async_get_last_sensor_data()) is not None:
            self._attr_native_value = last.native_value

    @callback
    def stick_event(self, event: Event) -> None:
        self._attr_native_value = self.entity_description.value_fn(event.data)
        self.async_write_ha_state()
