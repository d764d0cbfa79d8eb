"""Which stick an action means: the one device → config entry lookup of every action.

What each action needs of the stick it names:

- ``reachable=True``: set up and answering now (its last poll succeeded, its port is open).
  ``send_sms``, ``send_ussd`` and ``notify``: a message for a stick that is away is refused at
  once, as ``stick_not_ready``, rather than failing on the way out.
- ``reachable=False``: set up. ``set_port_profile`` and ``reset``: they talk to the stick at
  once and say themselves why it could not be done (``port_profile_failed``, ``restart_failed``).

A device that is no stick of this integration is ``unknown_device``; a stick whose entry is not
loaded is ``stick_not_ready``. ``modeswitch`` names no device: it works on the USB bus.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from ..compat import device_entry_ids
from ..const import DOMAIN
from ..errors import translated_error
from ..runtime import HuaweiModemData, runtime_of


def stick_of_device(hass: HomeAssistant, device_id: str, *, reachable: bool) -> HuaweiModemData:
    """The stick that is ``device_id``, set up (and ``reachable`` if asked)."""
    return stick_of_entry(entry_of_device(hass, device_id), reachable=reachable)


def entry_of_device(hass: HomeAssistant, device_id: str) -> ConfigEntry:
    """The config entry of the stick that is ``device_id``."""
    entry_ids = device_entry_ids(hass, device_id)
    entries = (hass.config_entries.async_get_entry(entry_id) for entry_id in entry_ids)
    entry = next((entry for entry in entries if entry and entry.domain == DOMAIN), None)
    if entry is None:
        raise translated_error(ServiceValidationError, "unknown_device", device_id=device_id)
    return entry


def stick_of_entry(entry: ConfigEntry, *, reachable: bool) -> HuaweiModemData:
    """What the set-up stick of ``entry`` keeps, when it is set up (and ``reachable`` if asked)."""
    if entry.state is not ConfigEntryState.LOADED:
        raise translated_error(ServiceValidationError, "stick_not_ready", name=entry.title)
    stick = runtime_of(entry)
    coordinator = stick.coordinator
    if reachable and not (coordinator.last_update_success and coordinator.modem.is_open):
        raise translated_error(ServiceValidationError, "stick_not_ready", name=entry.title)
    return stick
