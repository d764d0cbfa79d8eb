"""Diagnostics of a stick: its entry, identity, capabilities and last status, secrets redacted."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import CONF_DEVICE, CONF_PIN
from .runtime import HuaweiModemConfigEntry

TO_REDACT = {
    CONF_PIN,
    CONF_DEVICE,  # a by-id path carries the stick's USB serial number
    "unique_id",
    "imei",
    "imsi",
    "iccid",
    "own_number",
    "serial_number",
    # where the stick is: the serving cell, and the network's clock (its zone, when it registered)
    "area_code",
    "cell_id",
    "network_time",
}


def as_plain(value: Any) -> Any:
    """Dataclasses and enums as JSON-ready dicts, lists and values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: as_plain(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, enum.Enum):
        return value.name.lower()
    if isinstance(value, dict):
        return {str(key): as_plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_plain(item) for item in value]
    return value


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HuaweiModemConfigEntry
) -> dict[str, Any]:
    """What a bug report needs, without the IMEI, IMSI, ICCID, numbers, PIN or location."""
    coordinator = entry.runtime_data.coordinator
    entry_info = {
        "title": entry.title,
        "unique_id": entry.unique_id,
        "data": dict(entry.data),
        "options": dict(entry.options),
    }
    return {
        "entry": async_redact_data(entry_info, TO_REDACT),
        "identity": async_redact_data(as_plain(coordinator.identity), TO_REDACT),
        "capabilities": as_plain(coordinator.capabilities),
        "connected": coordinator.modem.is_open,
        "last_update_success": coordinator.last_update_success,
        "data": async_redact_data(as_plain(coordinator.data), TO_REDACT),
    }
