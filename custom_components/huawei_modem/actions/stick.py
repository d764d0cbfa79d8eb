"""The actions that manage a stick (admin only): ``set_port_profile``, ``reset``, ``modeswitch``.

``modeswitch`` switches a stick in CD-ROM mode on the USB bus (no device: it has no AT port
yet); the flows run the same switch (``modeswitch.py``).
"""

from __future__ import annotations

from functools import partial
from typing import Final

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv

from ..compat import register_admin_action, vol
from ..const import ATTR_DEVICE_ID
from ..coordinator import HuaweiModemCoordinator
from ..errors import translated_error
from ..modem.errors import InvalidSwitchMessageError, UnexpectedReplyError, UsbError
from ..modem.huawei_replies import parse_port_profile
from ..modem.models import PortProfile
from ..modem.usb import (
    DEFAULT_MESSAGE,
    HUAWEI_VID,
    UDEV_RULE,
    StickMode,
    async_list_huawei_devices,
    parse_switch_message,
)
from ..modeswitch import SwitchTarget, async_switch_stick, switch_error_key
from .lookup import stick_of_device

_USB_ID: Final = vol.All(cv.string, vol.Match(r"^(0x)?[0-9a-fA-F]{1,4}$"), lambda v: int(v, 16))

SERVICE_MODESWITCH: Final = "modeswitch"
ATTR_VID: Final = "vid"
ATTR_PID: Final = "pid"
ATTR_SWITCH_MESSAGE: Final = "message"
"""The modeswitch's USB message, hex (the action field users write is ``message``)."""
MODESWITCH_SCHEMA: Final = vol.Schema(
    {
        vol.Optional(ATTR_VID, default=f"{HUAWEI_VID:04x}"): _USB_ID,
        vol.Optional(ATTR_PID): _USB_ID,
        vol.Optional(ATTR_SWITCH_MESSAGE): cv.string,
    }
)

SERVICE_SET_PORT_PROFILE: Final = "set_port_profile"
ATTR_PROFILE: Final = "profile"
ATTR_RESET: Final = "reset"
SET_PORT_PROFILE_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_PROFILE): cv.string,
        vol.Optional(ATTR_RESET, default=True): cv.boolean,
    }
)

SERVICE_RESET: Final = "reset"
RESET_SCHEMA: Final = vol.Schema({vol.Required(ATTR_DEVICE_ID): cv.string})


@callback
def async_register_stick_actions(hass: HomeAssistant) -> None:
    """Register the admin-only stick management actions."""
    register_admin_action(
        hass, SERVICE_MODESWITCH, _async_modeswitch, MODESWITCH_SCHEMA, SupportsResponse.OPTIONAL
    )
    register_admin_action(
        hass,
        SERVICE_SET_PORT_PROFILE,
        partial(_async_set_port_profile, hass),
        SET_PORT_PROFILE_SCHEMA,
        SupportsResponse.OPTIONAL,
    )
    register_admin_action(
        hass, SERVICE_RESET, partial(_async_reset, hass), RESET_SCHEMA, SupportsResponse.NONE
    )


async def _async_modeswitch(call: ServiceCall) -> ServiceResponse:
    message = call.data.get(ATTR_SWITCH_MESSAGE, DEFAULT_MESSAGE)
    try:
        parse_switch_message(message)
        target = await _switch_target(call.data[ATTR_VID], call.data.get(ATTR_PID))
        stick = await async_switch_stick(target, message)
    except InvalidSwitchMessageError as err:
        raise translated_error(
            ServiceValidationError, "invalid_switch_message", error=str(err)
        ) from err
    except UsbError as err:
        raise translated_error(
            HomeAssistantError, switch_error_key(err), error=str(err), udev_rule=UDEV_RULE
        ) from err
    return {"vid": f"{stick.vid:04x}", "pid": f"{stick.pid:04x}", "mode": stick.mode.value}


async def _switch_target(vid: int, pid: int | None) -> SwitchTarget:
    """The given ids, or the first Huawei stick in CD-ROM mode on the bus."""
    if pid is not None:
        return SwitchTarget(vid, pid)
    sticks = await async_list_huawei_devices()
    storage = next((s for s in sticks if s.vid == vid and s.mode is StickMode.STORAGE), None)
    if storage is None:
        raise translated_error(ServiceValidationError, "no_stick_in_storage_mode")
    return SwitchTarget.of(storage)


async def _async_set_port_profile(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator_of(hass, call.data[ATTR_DEVICE_ID])
    wanted = _parse_profile(call.data[ATTR_PROFILE])
    reset: bool = call.data[ATTR_RESET]
    previous = await coordinator.async_set_port_profile(wanted, reset=reset)
    return {"previous": str(previous), "profile": str(wanted), "reset": reset}


async def _async_reset(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    await _coordinator_of(hass, call.data[ATTR_DEVICE_ID]).async_restart()
    return None


def _parse_profile(text: str) -> PortProfile:
    try:
        return parse_port_profile(text)
    except UnexpectedReplyError as err:
        raise translated_error(
            ServiceValidationError, "invalid_port_profile", profile=text
        ) from err


def _coordinator_of(hass: HomeAssistant, device_id: str) -> HuaweiModemCoordinator:
    """The coordinator of the set-up stick behind ``device_id``."""
    return stick_of_device(hass, device_id, reachable=False).coordinator
