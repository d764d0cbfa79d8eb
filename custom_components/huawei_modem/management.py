"""Stick management: the modeswitch out of CD-ROM mode, the port profile and the restart.

The actions (``huawei_modem.modeswitch``, ``huawei_modem.set_port_profile``,
``huawei_modem.reset``) are for admin users only. The modeswitch is shared with the config flow
and the repair flow, which run it as a progress task (``SwitchRun``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from typing import Any, Final, Generic, TypeVar

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.data_entry_flow import FlowHandler, FlowResult
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv

from .compat import register_admin_action, vol
from .const import DOMAIN
from .coordinator import HuaweiModemCoordinator
from .errors import translated_error
from .modem.errors import (
    InvalidSwitchMessageError,
    ModeswitchTimeoutError,
    NotInStorageModeError,
    NoUsbBackendError,
    StickNotFoundError,
    UnexpectedModeError,
    UnexpectedReply,
    UsbError,
    UsbPermissionError,
)
from .modem.huawei import parse_port_profile
from .modem.models import PortProfile, PortProfiles
from .modem.usb import (
    DEFAULT_MESSAGE,
    HUAWEI_VID,
    UDEV_RULE,
    StickMode,
    UsbStick,
    async_list_huawei_devices,
    async_modeswitch,
    parse_switch_message,
)
from .services import entry_of_device, loaded_stick

_LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")
_ResultT = TypeVar("_ResultT", bound=FlowResult[Any, Any])

SERVICE_MODESWITCH: Final = "modeswitch"
SERVICE_SET_PORT_PROFILE: Final = "set_port_profile"
SERVICE_RESET: Final = "reset"
ATTR_VID: Final = "vid"
ATTR_PID: Final = "pid"
ATTR_MESSAGE: Final = "message"
ATTR_PROFILE: Final = "profile"
ATTR_RESET: Final = "reset"

_USB_ID: Final = vol.All(cv.string, vol.Match(r"^(0x)?[0-9a-fA-F]{1,4}$"), lambda v: int(v, 16))

MODESWITCH_SCHEMA: Final = vol.Schema(
    {
        vol.Optional(ATTR_VID, default=f"{HUAWEI_VID:04x}"): _USB_ID,
        vol.Optional(ATTR_PID): _USB_ID,
        vol.Optional(ATTR_MESSAGE): cv.string,
    }
)
SET_PORT_PROFILE_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_PROFILE): cv.string,
        vol.Optional(ATTR_RESET, default=True): cv.boolean,
    }
)
RESET_SCHEMA: Final = vol.Schema({vol.Required(ATTR_DEVICE_ID): cv.string})

SWITCH_ERROR_KEYS: Final[list[tuple[type[UsbError], str]]] = [
    (UsbPermissionError, "usb_permission"),
    (NoUsbBackendError, "usb_no_backend"),
    (StickNotFoundError, "usb_stick_gone"),
    (NotInStorageModeError, "usb_not_in_storage_mode"),
    (InvalidSwitchMessageError, "invalid_switch_message"),
    (ModeswitchTimeoutError, "usb_switch_timeout"),
    (UnexpectedModeError, "usb_unexpected_mode"),
]
"""Why a modeswitch failed, as the translation key that tells the user what to do."""


def switch_error_key(error: UsbError) -> str:
    """The translation key (the same in config, repairs and exceptions) for a failed switch."""
    return next((key for kind, key in SWITCH_ERROR_KEYS if isinstance(error, kind)), "usb_failed")


# --- the switch, shared by the flows and the action ---------------------------------------------


@dataclass(frozen=True, slots=True)
class SwitchTarget:
    """Which stick to switch: its ids and, when known, where it is on the bus."""

    vid: int
    pid: int
    bus: int | None = None
    address: int | None = None

    @classmethod
    def of(cls, stick: UsbStick) -> SwitchTarget:
        return cls(stick.vid, stick.pid, stick.bus, stick.address)

    @property
    def usb_id(self) -> str:
        return f"{self.vid:04x}:{self.pid:04x}"


async def async_switch_stick(
    target: SwitchTarget, message: str | bytes = DEFAULT_MESSAGE
) -> UsbStick:
    """Switch ``target`` to modem mode (off the event loop); the stick as it came back."""
    _LOGGER.info("Switching the Huawei stick %s to modem mode", target.usb_id)
    stick = await async_modeswitch(
        target.vid, target.pid, message=message, bus=target.bus, address=target.address
    )
    _LOGGER.info("The stick %s is back as %s", target.usb_id, stick)
    return stick


class SwitchRun(Generic[_T]):
    """A modeswitch run as a flow's progress task, and how it ended (a UsbError is kept)."""

    def __init__(self) -> None:
        self.task: asyncio.Task[_T] | None = None
        self.result: _T | None = None
        self.error: UsbError | None = None

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def start(self, hass: HomeAssistant, switch: Coroutine[Any, Any, _T]) -> None:
        self.result, self.error = None, None
        self.task = hass.async_create_task(switch, f"{DOMAIN} modeswitch")

    def finish(self) -> bool:
        """Take the finished task's outcome; True when the stick came back as a modem."""
        assert self.task is not None
        assert self.task.done()
        task, self.task = self.task, None
        try:
            self.result = task.result()
        except UsbError as err:
            _LOGGER.warning("Modeswitch failed: %s", err)
            self.error = err
        return self.error is None

    def progress(
        self,
        flow: FlowHandler[Any, _ResultT, Any],
        switch: Callable[[], Coroutine[Any, Any, _T]],
        placeholders: dict[str, str],
    ) -> _ResultT:
        """The flow's ``switching`` step: progress while it runs, then ``switched`` or
        ``modeswitch_failed``."""
        if self.task is None:
            self.start(flow.hass, switch())
        if self.running:
            return flow.async_show_progress(
                step_id="switching",
                progress_action="modeswitch",
                progress_task=self.task,
                description_placeholders=placeholders,
            )
        next_step = "switched" if self.finish() else "modeswitch_failed"
        return flow.async_show_progress_done(next_step_id=next_step)

    @property
    def error_key(self) -> str:
        return switch_error_key(self.error) if self.error is not None else "usb_failed"

    @property
    def error_placeholders(self) -> dict[str, str]:
        return {"error": str(self.error or ""), "udev_rule": UDEV_RULE}


# --- actions ------------------------------------------------------------------------------------


@callback
def async_register_management_actions(hass: HomeAssistant) -> None:
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
    message = call.data.get(ATTR_MESSAGE, DEFAULT_MESSAGE)
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
    check_port_profile(wanted, await coordinator.async_port_profiles())
    reset: bool = call.data[ATTR_RESET]
    previous = await coordinator.async_set_port_profile(wanted, reset=reset)
    return {"previous": str(previous), "profile": str(wanted), "reset": reset}


async def _async_reset(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    await _coordinator_of(hass, call.data[ATTR_DEVICE_ID]).async_restart()
    return None


def _parse_profile(text: str) -> PortProfile:
    try:
        return parse_port_profile(text)
    except UnexpectedReply as err:
        raise translated_error(
            ServiceValidationError, "invalid_port_profile", profile=text
        ) from err


def check_port_profile(wanted: PortProfile, profiles: PortProfiles) -> None:
    """Refuse a profile without an AT (PCUI) port, or with codes the stick does not list."""
    if not wanted.has_pcui:
        raise translated_error(
            ServiceValidationError, "port_profile_without_at_port", profile=str(wanted)
        )
    unknown = wanted.codes - set(profiles.supported)
    if unknown:
        raise translated_error(
            ServiceValidationError,
            "port_profile_codes_not_listed",
            profile=str(wanted),
            codes=", ".join(sorted(unknown)),
            supported=", ".join(f"{code} ({name})" for code, name in profiles.supported.items()),
        )


def _coordinator_of(hass: HomeAssistant, device_id: str) -> HuaweiModemCoordinator:
    """The coordinator of the loaded stick behind ``device_id``."""
    return loaded_stick(entry_of_device(hass, device_id)).coordinator
