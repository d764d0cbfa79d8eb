"""Every shim between Home Assistant versions, in one place.

The tests run on Home Assistant 2024.3; the integration must also run on current releases.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import Any, Final, TypeVar

import voluptuous as vol
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, Unauthorized, UnknownUser
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import DOMAIN

try:  # Home Assistant 2024.4 and later
    from homeassistant.config_entries import (  # type: ignore[attr-defined,unused-ignore]
        ConfigFlowResult,
    )
except ImportError:  # pragma: no cover - only one branch runs per installed version
    from homeassistant.data_entry_flow import (  # type: ignore[assignment,unused-ignore]
        FlowResult as ConfigFlowResult,
    )

__all__ = [
    "ConfigFlowResult",
    "coordinator_entry_kwargs",
    "get_runtime_data",
    "set_runtime_data",
    "translated_error",
    "update_failed",
]

_T = TypeVar("_T")
_ErrorT = TypeVar("_ErrorT", bound=HomeAssistantError)

# ConfigEntry.runtime_data appeared in 2024.5; before, the object lives in hass.data.
HAS_RUNTIME_DATA: Final = "runtime_data" in getattr(ConfigEntry, "__annotations__", {})

# DataUpdateCoordinator(config_entry=...) appeared in 2024.11; newer releases warn when it is
# missing (the context-variable fallback is on its way out). 2024.3 only has the context variable.
COORDINATOR_TAKES_ENTRY: Final = (
    "config_entry" in inspect.signature(DataUpdateCoordinator.__init__).parameters
)


def coordinator_entry_kwargs(entry: ConfigEntry) -> dict[str, Any]:
    """The keyword arguments that tie a DataUpdateCoordinator to ``entry``."""
    return {"config_entry": entry} if COORDINATOR_TAKES_ENTRY else {}


def set_runtime_data(hass: HomeAssistant, entry: ConfigEntry, data: object) -> None:
    """Keep ``data`` with ``entry`` until the entry is unloaded."""
    if HAS_RUNTIME_DATA:  # pragma: no cover - Home Assistant 2024.5 and later
        entry.runtime_data = data  # type: ignore[attr-defined,unused-ignore]
        return
    per_entry: dict[str, object] = hass.data.setdefault(DOMAIN, {})
    per_entry[entry.entry_id] = data

    def forget() -> None:
        per_entry.pop(entry.entry_id, None)

    entry.async_on_unload(forget)


def get_runtime_data(hass: HomeAssistant, entry: ConfigEntry, kind: type[_T]) -> _T:
    """What ``set_runtime_data`` kept with ``entry``, checked to be a ``kind``."""
    if HAS_RUNTIME_DATA:  # pragma: no cover - Home Assistant 2024.5 and later
        data: object = entry.runtime_data  # type: ignore[attr-defined,unused-ignore]
    else:
        data = hass.data[DOMAIN][entry.entry_id]
    if not isinstance(data, kind):
        raise TypeError(f"{entry.entry_id} holds {type(data).__name__}, not {kind.__name__}")
    return data


# Since 2024.4 an error raised with only a translation key renders its message from the
# translations; on 2024.3 its message stays empty (logs, automation traces, the setup reason), so
# there it is given the English text.
ERRORS_RENDER_TRANSLATIONS: Final = hasattr(HomeAssistantError, "_translate")


@cache
def _english_exception_messages() -> dict[str, str]:
    strings = json.loads((Path(__file__).parent / "translations" / "en.json").read_text("utf-8"))
    return {key: entry["message"] for key, entry in strings["exceptions"].items()}


def english_exception_message(key: str, placeholders: dict[str, str]) -> str:
    """The ``exceptions.<key>`` message of the English translation, placeholders filled in."""
    template = _english_exception_messages().get(key, key)
    try:
        return template.format(**placeholders)
    except (KeyError, IndexError, ValueError):
        return template


def translated_error(kind: type[_ErrorT], key: str, **placeholders: str) -> _ErrorT:
    """A Home Assistant error whose message is the ``exceptions.<key>`` translation."""
    args = () if ERRORS_RENDER_TRANSLATIONS else (english_exception_message(key, placeholders),)
    return kind(
        *args, translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def update_failed(key: str, **placeholders: str) -> UpdateFailed:
    """A translated UpdateFailed where it can be one (a plain Exception before 2024.11)."""
    if issubclass(UpdateFailed, HomeAssistantError):  # pragma: no cover - newer releases
        return translated_error(UpdateFailed, key, **placeholders)  # type: ignore[type-var,unused-ignore]
    return UpdateFailed(english_exception_message(key, placeholders))


# Config flow: UsbServiceInfo moved to homeassistant.helpers.service_info.usb in 2025.1; the old
# location in the usb component is gone since 2026.2.
try:
    from homeassistant.helpers.service_info.usb import (  # type: ignore[import-not-found,unused-ignore]
        UsbServiceInfo,
    )
except ImportError:  # pragma: no cover - only one branch runs per installed version
    from homeassistant.components.usb import (  # type: ignore[assignment,no-redef,unused-ignore]
        UsbServiceInfo,
    )

__all__ += ["UsbServiceInfo"]


# Admin-only actions: async_register_admin_service takes supports_response only in newer
# releases (2024.3 drops the handler's response); before, the same admin check is made here.
ADMIN_SERVICE_TAKES_RESPONSE: Final = (
    "supports_response" in inspect.signature(async_register_admin_service).parameters
)


@callback
def register_admin_action(
    hass: HomeAssistant,
    service: str,
    handler: Callable[[ServiceCall], Awaitable[ServiceResponse]],
    schema: vol.Schema,
    supports_response: SupportsResponse,
) -> None:
    """Register ``DOMAIN.service`` for admin users only (any caller without a user is allowed)."""
    if ADMIN_SERVICE_TAKES_RESPONSE:  # pragma: no cover - newer releases
        async_register_admin_service(  # type: ignore[call-arg,unused-ignore]
            hass,
            DOMAIN,
            service,
            handler,  # type: ignore[arg-type,unused-ignore]
            schema,
            supports_response=supports_response,
        )
        return

    async def admin_only(call: ServiceCall) -> ServiceResponse:
        if call.context.user_id:
            user = await hass.auth.async_get_user(call.context.user_id)
            if user is None:
                raise UnknownUser(context=call.context)
            if not user.is_admin:
                raise Unauthorized(context=call.context)
        return await handler(call)

    hass.services.async_register(
        DOMAIN, service, admin_only, schema, supports_response=supports_response
    )


__all__ += ["register_admin_action"]


# Legacy notify: the services a platform set up are listed per integration in hass.data (a HassKey
# in newer releases, the same string underneath). Notify has no per-entry unload, so a stick's
# service leaves the list itself, or a later notify reload would register it again.
try:
    from homeassistant.components.notify.legacy import NOTIFY_SERVICES
except ImportError:  # pragma: no cover - only one branch runs per installed version
    NOTIFY_SERVICES = "notify_services"  # type: ignore[assignment,unused-ignore]


def forget_legacy_notify_service(hass: HomeAssistant, integration: str, service: object) -> None:
    """Drop ``service`` from the legacy notify services of ``integration``."""
    services: list[object] = hass.data.get(NOTIFY_SERVICES, {}).get(integration, [])
    if service in services:
        services.remove(service)


__all__ += ["forget_legacy_notify_service"]
