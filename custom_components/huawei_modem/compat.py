"""Every difference between the supported Home Assistant releases (2025.4 to the newest), in one
place.

Each difference is decided by what the running release offers (an attribute, an importable
name), never by reading annotations or signatures, and never by a version number.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Final

from homeassistant import config_entries
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import Unauthorized, UnknownUser
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers import selector
from homeassistant.helpers.service import async_register_admin_service

from .const import DOMAIN

# --- schemas: probatio replaced voluptuous ----------------------------------------------------

# Home Assistant validates with probatio since 2026.10 (a voluptuous-compatible library, also
# installed as ``voluptuous`` at run time); its annotations name probatio's types. Before, it is
# voluptuous itself.
try:
    import probatio as vol  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - only one branch runs per installed release
    import voluptuous as vol  # type: ignore[no-redef,unused-ignore]

# --- names that moved ----------------------------------------------------------------------------

try:  # its own module, not re-exported by the button component, in newer releases
    from homeassistant.components.button.const import (  # type: ignore[attr-defined,import-not-found,unused-ignore]
        ButtonDeviceClass,
    )
except ImportError:  # pragma: no cover - only one branch runs per installed release
    from homeassistant.components.button import (  # type: ignore[attr-defined,no-redef,unused-ignore]
        ButtonDeviceClass,
    )

try:  # repair flows have their own result type in newer releases
    from homeassistant.components.repairs.models import (  # type: ignore[attr-defined,unused-ignore]
        RepairsFlowResult,
    )
except ImportError:  # pragma: no cover - only one branch runs per installed release
    from homeassistant.data_entry_flow import (  # type: ignore[assignment,unused-ignore]
        FlowResult as RepairsFlowResult,
    )

# Integration triggers (a ``trigger.py`` with ``async_get_triggers`` and a ``triggers.yaml``, in
# the editor's trigger list) exist in newer releases (2026.10 has them, 2025.4 does not); without
# them only device triggers reach the editor.
# Where they are missing the trigger classes derive from ``object`` and nothing ever asks for them.
try:
    from homeassistant.helpers.trigger import Trigger

    HAS_INTEGRATION_TRIGGERS: Final = True
except ImportError:  # pragma: no cover - only one branch runs per installed release
    Trigger = object  # type: ignore[misc,assignment,unused-ignore]
    HAS_INTEGRATION_TRIGGERS = False  # type: ignore[misc,unused-ignore]

__all__ = [
    "HAS_INTEGRATION_TRIGGERS",
    "OPTIONS_FLOW_RELOADS",
    "ButtonDeviceClass",
    "OptionsFlowWithReload",
    "RepairsFlowResult",
    "Trigger",
    "async_reload_on_new_options",
    "device_entry_ids",
    "issue_entry_kwargs",
    "register_admin_action",
    "serial_port_selector",
    "vol",
]


# --- devices: one config entry per device -----------------------------------------------------

# Since 2026.10 a device belongs to exactly one config entry (DeviceEntry.config_entry_id);
# reading DeviceEntry.config_entries there is deprecated. Before, a device lists its entries.
DEVICE_HAS_ONE_ENTRY: Final = hasattr(dr.DeviceEntry, "config_entry_id")


def device_entry_ids(hass: HomeAssistant, device_id: str) -> set[str]:
    """The config entries the device ``device_id`` belongs to (none for an unknown device)."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        return set()
    if DEVICE_HAS_ONE_ENTRY:
        return {device.config_entry_id}  # type: ignore[attr-defined,unused-ignore]
    return set(device.config_entries)  # pragma: no cover - only one branch runs per release


# --- repair issues tied to their config entry -------------------------------------------------

# Issues can name their config entry (removed with it, shown with it) since 2026.11.
ISSUES_NAME_THEIR_ENTRY: Final = hasattr(ir.IssueEntry, "config_entry_id")


def issue_entry_kwargs(entry: ConfigEntry) -> dict[str, Any]:
    """The keyword arguments of ``ir.async_create_issue`` that tie an issue to ``entry``."""
    return {"config_entry_id": entry.entry_id} if ISSUES_NAME_THEIR_ENTRY else {}


# --- options: the options flow reloads the entry itself ----------------------------------------

# OptionsFlowWithReload reloads the entry when its options changed; newer releases warn about an
# entry with an update listener that a flow reloads. Releases without it need the listener.
OPTIONS_FLOW_RELOADS: Final = hasattr(config_entries, "OptionsFlowWithReload")

if TYPE_CHECKING:  # the same to the type checker: it only adds a class attribute
    OptionsFlowWithReload = config_entries.OptionsFlow
elif OPTIONS_FLOW_RELOADS:
    OptionsFlowWithReload = config_entries.OptionsFlowWithReload
else:  # pragma: no cover - only one branch runs per installed release
    OptionsFlowWithReload = config_entries.OptionsFlow


@callback
def async_reload_on_new_options(
    hass: HomeAssistant, entry: ConfigEntry, running_options: dict[str, Any]
) -> None:
    """Where the options flow does not reload the entry, reload it when its options change.

    Not when only its data changed (the coordinator forgot a refused PIN, the port moved).
    """
    if OPTIONS_FLOW_RELOADS:  # pragma: no cover - only one branch runs per installed release
        return

    async def reload_if_options_changed(hass: HomeAssistant, entry: ConfigEntry) -> None:
        if dict(entry.options) != running_options:
            await hass.config_entries.async_reload(entry.entry_id)

    entry.async_on_unload(entry.add_update_listener(reload_if_options_changed))  # pragma: no cover


# --- the serial port selector --------------------------------------------------------------------

# Newer releases have a serial port selector: the frontend lists the ports, recommends those the
# manifest's USB matchers name and accepts serial-proxy URLs.
HAS_SERIAL_PORT_SELECTOR: Final = hasattr(selector, "SerialPortSelector")


def serial_port_selector() -> selector.Selector[Any] | None:
    """Home Assistant's serial port selector, where the release has one."""
    if not HAS_SERIAL_PORT_SELECTOR:  # pragma: no cover - only one branch runs per release
        return None
    port_selector: selector.Selector[Any] = selector.SerialPortSelector()  # type: ignore[attr-defined,unused-ignore]
    return port_selector


# --- admin-only actions that answer --------------------------------------------------------------


type AdminHandler = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]


@callback
def register_admin_action(
    hass: HomeAssistant,
    service: str,
    handler: AdminHandler,
    schema: vol.Schema,
    supports_response: SupportsResponse,
) -> None:
    """Register ``DOMAIN.service`` for admin users only (any caller without a user is allowed).

    ``async_register_admin_service`` takes ``supports_response`` only in newer releases; where
    it refuses the keyword, the same admin check is made here.
    """
    try:
        async_register_admin_service(  # type: ignore[call-arg,unused-ignore]
            hass,
            DOMAIN,
            service,
            handler,  # type: ignore[arg-type,unused-ignore]
            schema,
            supports_response=supports_response,
        )
    except TypeError:  # pragma: no cover - only one branch runs per installed release
        hass.services.async_register(
            DOMAIN, service, _admin_only(hass, handler), schema, supports_response
        )


def _admin_only(hass: HomeAssistant, handler: AdminHandler) -> AdminHandler:
    async def admin_only(call: ServiceCall) -> ServiceResponse:
        if call.context.user_id:
            user = await hass.auth.async_get_user(call.context.user_id)
            if user is None:
                raise UnknownUser(context=call.context)
            if not user.is_admin:
                raise Unauthorized(context=call.context)
        return await handler(call)

    return admin_only
