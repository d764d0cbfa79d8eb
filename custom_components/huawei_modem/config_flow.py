"""Config flow: add a stick from its ports or from USB discovery, enter its PIN, move it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import serialx
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    Selector,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.service_info.usb import UsbServiceInfo
from homeassistant.util.hass_dict import HassKey
from serialx import SerialPortInfo

from .compat import OptionsFlowWithReload, vol
from .const import (
    CONF_DELETE_RECEIVED,
    CONF_DEVICE,
    CONF_PIN,
    CONF_SCAN_INTERVAL,
    DEFAULT_DELETE_RECEIVED,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    MANUFACTURER,
)
from .management import SwitchRun, SwitchTarget, async_switch_stick
from .modem.discovery import PortCandidate, candidates_for, find_at_port
from .modem.errors import (
    AtCommandError,
    AtTimeout,
    ConnectionLost,
    InvalidPinFormat,
    InvalidSwitchMessageError,
    ModeswitchTimeoutError,
    PinError,
    PukRequired,
    SimFailure,
    SimMissing,
    UnexpectedReply,
    UsbError,
    WrongPin,
)
from .modem.models import Identity, SimState, SimStatus
from .modem.modem import Modem
from .modem.usb import (
    DEFAULT_MESSAGE,
    StickMode,
    UsbStick,
    async_list_huawei_devices,
    mode_of,
    parse_switch_message,
)
from .ports import (
    NO_AT_PORT_MODES,
    USB_CHOICE_PREFIX,
    choice_ids,
    port_ids,
    port_selector,
)

_LOGGER = logging.getLogger(__name__)

COMMAND_TIMEOUT: Final = 5.0
"""Seconds a command may take while the flow talks to the stick."""
MIN_SCAN_INTERVAL: Final = 10
MAX_SCAN_INTERVAL: Final = 3600

CONF_MESSAGE: Final = "message"
"""The modeswitch step's field: the switch message (hex)."""
TTY_WAIT: Final = 15.0
TTY_POLL_INTERVAL: Final = 0.5
"""After a modeswitch, how long (and how often) to look for the switched stick's serial ports."""

_PROBE_LOCK: Final[HassKey[asyncio.Lock]] = HassKey(f"{DOMAIN}_probe_lock")
# A stick's ttys are opened exclusively: flows (one per tty on USB discovery) take turns.

_MODE_ABORTS: Final = {StickMode.STORAGE: "storage_mode", StickMode.HILINK: "hilink_mode"}
_SIM_ABORTS: Final = {
    SimState.PUK_REQUIRED: "puk_required",
    SimState.MISSING: "sim_missing",
    SimState.FAILURE: "sim_failure",
}
_PIN_ABORTS: Final[list[tuple[type[PinError], str]]] = [
    (PukRequired, "puk_required"),
    (SimMissing, "sim_missing"),
    (SimFailure, "sim_failure"),
]

PIN_SCHEMA: Final = vol.Schema(
    {vol.Required(CONF_PIN): TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))}
)


class NoAtPortError(Exception):
    """None of the ports answered AT."""


@dataclass(frozen=True, slots=True)
class FoundStick:
    """What the flow learnt from a stick: its AT port, identity and SIM."""

    device: str
    identity: Identity
    sim: SimStatus
    candidates: tuple[PortCandidate, ...]

    @property
    def title(self) -> str:
        model = self.identity.model
        return (
            model if model.lower().startswith(MANUFACTURER.lower()) else f"{MANUFACTURER} {model}"
        )


async def async_list_serial_ports() -> list[SerialPortInfo]:
    """The serial ports of this machine, by stable name where udev gives one."""
    return await serialx.async_list_serial_ports()


async def async_list_usb_sticks() -> list[UsbStick]:
    """Huawei sticks on the USB bus, to tell about the ones without a tty (CD-ROM, HiLink)."""
    try:
        return await async_list_huawei_devices()
    except UsbError as err:
        _LOGGER.debug("Cannot list USB devices: %s", err)
        return []


def _probe_lock(hass: HomeAssistant) -> asyncio.Lock:
    return hass.data.setdefault(_PROBE_LOCK, asyncio.Lock())


def _error_key(err: Exception) -> str:
    if isinstance(err, ConnectionLost | AtTimeout):
        return "cannot_connect"
    if isinstance(err, NoAtPortError | AtCommandError | UnexpectedReply):
        return "not_at_port"
    _LOGGER.exception("Unexpected error while talking to the stick", exc_info=err)
    return "unknown"


class HuaweiModemConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Huawei USB stick."""

    VERSION = 1

    def __init__(self) -> None:
        self._found: FoundStick | None = None
        self._device: str | None = None
        self._attempts_left: int | None = None
        self._switch_target: SwitchTarget | None = None
        self._switch_message = DEFAULT_MESSAGE
        self._switch: SwitchRun[list[SerialPortInfo]] = SwitchRun()
        self._found_callback: Callable[[FoundStick], Awaitable[ConfigFlowResult]] | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        return HuaweiModemOptionsFlow()

    # --- user and reconfigure: pick a port ------------------------------------------------------

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Pick one of the stick's ports, or give a path or a socket:// URL."""
        return await self._async_port_step("user", user_input, self._async_found_by_user)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Move the entry to another port of the same stick."""
        current = {CONF_DEVICE: self._context_entry().data[CONF_DEVICE]}
        return await self._async_port_step(
            "reconfigure", user_input, self._async_reconfigured, current
        )

    async def _async_port_step(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        found: Callable[[FoundStick], Awaitable[ConfigFlowResult]],
        suggested: Mapping[str, Any] | None = None,
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        ports = await async_list_serial_ports()
        self._found_callback = found
        if user_input is not None:
            device = user_input[CONF_DEVICE].strip()
            if (target := await _async_storage_target(device, ports)) is not None:
                self._switch_target = target
                return await self.async_step_modeswitch()
            self._abort_if_not_a_modem(device, ports)
            try:
                stick = await self._async_find_stick(await self._async_candidates(device, ports))
            except Exception as err:  # every error is shown in the form
                errors["base"] = _error_key(err)
            else:
                return await found(stick)
        return await self._async_show_port_form(step_id, ports, errors, user_input or suggested)

    async def _async_show_port_form(
        self,
        step_id: str,
        ports: Sequence[SerialPortInfo],
        errors: dict[str, str],
        values: Mapping[str, Any] | None,
    ) -> ConfigFlowResult:
        schema = vol.Schema({vol.Required(CONF_DEVICE): await self._async_port_selector(ports)})
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, values),
            errors=errors,
        )

    async def _async_port_selector(self, ports: Sequence[SerialPortInfo]) -> Selector[Any]:
        without_tty = [s for s in await async_list_usb_sticks() if s.mode in NO_AT_PORT_MODES]
        return port_selector(ports, without_tty)

    def _abort_if_not_a_modem(self, device: str, ports: Sequence[SerialPortInfo]) -> None:
        """A stick in CD-ROM or HiLink mode has no AT port: say what to do instead."""
        ids = (
            choice_ids(device) if device.startswith(USB_CHOICE_PREFIX) else port_ids(device, ports)
        )
        if ids is not None and (reason := _MODE_ABORTS.get(mode_of(*ids))) is not None:
            raise AbortFlow(reason)

    async def _async_found_by_user(self, stick: FoundStick) -> ConfigFlowResult:
        await self.async_set_unique_id(stick.identity.imei)
        self._abort_if_unique_id_configured(updates={CONF_DEVICE: stick.device})
        return await self._async_unlock_or_create()

    async def _async_reconfigured(self, stick: FoundStick) -> ConfigFlowResult:
        entry = self._context_entry()
        if stick.identity.imei != entry.unique_id:
            return self.async_abort(reason="wrong_device")
        # The entry keeps its port while that is one of this stick's: it may hold it open.
        current = entry.data[CONF_DEVICE]
        device = current if current in {c.path for c in stick.candidates} else stick.device
        return self.async_update_reload_and_abort(
            entry, data={**entry.data, CONF_DEVICE: device}, reason="reconfigure_successful"
        )

    # --- CD-ROM mode: switch the stick to modem mode ---------------------------------------------

    async def async_step_modeswitch(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Explain the switch out of CD-ROM mode; run it once the user agrees."""
        errors: dict[str, str] = {}
        if user_input is not None:
            message = user_input.get(CONF_MESSAGE, DEFAULT_MESSAGE).strip() or DEFAULT_MESSAGE
            try:
                parse_switch_message(message)
            except InvalidSwitchMessageError:
                errors["base"] = "invalid_switch_message"
            else:
                self._switch_message = message
                return await self.async_step_switching()
        return self._show_modeswitch_form(errors)

    def _show_modeswitch_form(self, errors: dict[str, str]) -> ConfigFlowResult:
        schema = vol.Schema({vol.Optional(CONF_MESSAGE): TextSelector()})
        return self.async_show_form(
            step_id="modeswitch",
            data_schema=self.add_suggested_values_to_schema(
                schema, {CONF_MESSAGE: self._switch_message}
            ),
            errors=errors,
            description_placeholders={
                "usb_id": self._target().usb_id,
                **self._switch.error_placeholders,
            },
        )

    async def async_step_switching(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The switch runs off the event loop; the stick drops off the bus and comes back."""
        target, message = self._target(), self._switch_message
        return self._switch.progress(
            self,
            lambda: _async_switch_and_find_ports(target, message),
            {"usb_id": target.usb_id},
        )

    async def async_step_modeswitch_failed(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Say why the switch failed; the form runs it again."""
        return self._show_modeswitch_form({"base": self._switch.error_key})

    async def async_step_switched(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The stick is a modem now: find its AT port among its new ports, then as usual."""
        ports = self._switch.result or []
        listed = await async_list_serial_ports()
        try:
            stick = await self._async_find_stick(
                await self._async_candidates(ports[0].device, listed)
            )
        except Exception as err:  # shown in the port form: the user can pick a port
            return await self._async_show_port_form("user", listed, {"base": _error_key(err)}, None)
        assert self._found_callback is not None
        return await self._found_callback(stick)

    def _target(self) -> SwitchTarget:
        assert self._switch_target is not None
        return self._switch_target

    # --- USB discovery --------------------------------------------------------------------------

    async def async_step_usb(self, discovery_info: UsbServiceInfo) -> ConfigFlowResult:
        """One flow per tty of a stick: the first to find its IMEI stays, the others abort."""
        mode = mode_of(int(discovery_info.vid, 16), int(discovery_info.pid, 16))
        if (reason := _MODE_ABORTS.get(mode)) is not None:
            return self.async_abort(reason=reason)
        ports = await async_list_serial_ports()
        candidates = await self._async_candidates(discovery_info.device, ports)
        self._abort_if_port_configured(candidates)
        try:
            stick = await self._async_find_stick(candidates)
        except Exception as err:  # the reason names what went wrong
            return self.async_abort(reason=_error_key(err))
        await self.async_set_unique_id(stick.identity.imei)
        self._abort_if_unique_id_configured(updates={CONF_DEVICE: stick.device})
        self.context["title_placeholders"] = {"name": stick.title}
        return await self.async_step_usb_confirm()

    def _abort_if_port_configured(self, candidates: Sequence[PortCandidate]) -> None:
        """A configured stick holds its port open: leave it alone rather than probe it."""
        paths = {candidate.path for candidate in candidates}
        for entry in self._async_current_entries(include_ignore=False):
            if entry.data.get(CONF_DEVICE) in paths:
                raise AbortFlow("already_configured")

    async def async_step_usb_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask before adding a discovered stick."""
        stick = self._stick()
        if user_input is not None:
            return await self._async_unlock_or_create()
        self._set_confirm_only()
        return self.async_show_form(
            step_id="usb_confirm",
            description_placeholders={"name": stick.title, "device": stick.device},
        )

    # --- SIM PIN --------------------------------------------------------------------------------

    async def _async_unlock_or_create(self) -> ConfigFlowResult:
        stick = self._stick()
        if stick.sim.state is SimState.READY:
            return self._async_create_entry(pin=None)
        if stick.sim.state is SimState.PIN_REQUIRED:
            self._attempts_left = stick.sim.pin_attempts_left
            return await self.async_step_pin()
        return self.async_abort(reason=_SIM_ABORTS.get(stick.sim.state, "sim_not_ready"))

    async def async_step_pin(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The SIM asks for its PIN: send it once."""
        return await self._async_pin_step("pin", user_input, self._async_create_entry)

    def _async_create_entry(self, pin: str | None) -> ConfigFlowResult:
        stick = self._stick()
        data = {CONF_DEVICE: stick.device} | ({CONF_PIN: pin} if pin else {})
        return self.async_create_entry(title=stick.title, data=data)

    async def _async_pin_step(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        unlocked: Callable[[str | None], ConfigFlowResult],
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                pin = await self._async_unlock(user_input[CONF_PIN])
            except WrongPin as err:
                self._attempts_left = err.attempts_left
                errors["base"] = "wrong_pin"
            except InvalidPinFormat:
                errors["base"] = "invalid_pin"
            except PinError as err:
                raise AbortFlow(_pin_abort(err)) from err
            except Exception as err:  # every error is shown in the form
                errors["base"] = _error_key(err)
            else:
                return unlocked(pin)
        attempts = "?" if self._attempts_left is None else str(self._attempts_left)
        return self.async_show_form(
            step_id=step_id,
            data_schema=PIN_SCHEMA,
            errors=errors,
            description_placeholders={"attempts_left": attempts, "device": self._port()},
        )

    async def _async_unlock(self, pin: str) -> str | None:
        """Send ``pin`` once; the PIN to keep (None when the SIM did not ask for one)."""
        async with _probe_lock(self.hass), Modem(self._port(), timeout=COMMAND_TIMEOUT) as modem:
            asked = (await modem.sim_status()).state is SimState.PIN_REQUIRED
            await modem.unlock(pin)
        return pin if asked else None

    # --- reauth ---------------------------------------------------------------------------------

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The SIM refused the stored PIN: ask for it again."""
        self._device = entry_data[CONF_DEVICE]
        try:
            async with (
                _probe_lock(self.hass),
                Modem(self._device, timeout=COMMAND_TIMEOUT) as modem,
            ):
                self._attempts_left = (await modem.sim_status()).pin_attempts_left
        except Exception as err:  # the count is shown when it can be read
            _LOGGER.debug("Cannot read the PIN attempts left: %s", err)
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the PIN, send it once, keep it and reload the entry."""
        return await self._async_pin_step("reauth_confirm", user_input, self._async_reauthed)

    def _async_reauthed(self, pin: str | None) -> ConfigFlowResult:
        entry = self._context_entry()
        data = {key: value for key, value in entry.data.items() if key != CONF_PIN}
        return self.async_update_reload_and_abort(
            entry, data=data | ({CONF_PIN: pin} if pin else {}), reason="reauth_successful"
        )

    # --- talking to the stick -------------------------------------------------------------------

    async def _async_candidates(
        self, device: str, ports: Sequence[SerialPortInfo]
    ) -> list[PortCandidate]:
        return await self.hass.async_add_executor_job(candidates_for, device, ports)

    async def _async_find_stick(self, candidates: Sequence[PortCandidate]) -> FoundStick:
        """The AT port among ``candidates``, the stick's identity and its SIM state."""
        async with _probe_lock(self.hass):
            found = await find_at_port(candidates)
            if found is None:
                raise NoAtPortError
            async with Modem(found.path, timeout=COMMAND_TIMEOUT) as modem:
                identity = await modem.identify()
                sim = await modem.sim_status()
        self._found = FoundStick(found.path, identity, sim, tuple(candidates))
        self._device = found.path
        return self._found

    def _stick(self) -> FoundStick:
        assert self._found is not None
        return self._found

    def _port(self) -> str:
        assert self._device is not None
        return self._device

    def _context_entry(self) -> ConfigEntry:
        entry = self.hass.config_entries.async_get_entry(self.context["entry_id"])
        assert entry is not None
        return entry


class HuaweiModemOptionsFlow(OptionsFlowWithReload):
    """How often to poll, and whether a stored SMS leaves the SIM (new options reload the stick)."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA, self.config_entry.options
            ),
        )


OPTIONS_SCHEMA: Final = vol.Schema(
    {
        vol.Required(
            CONF_SCAN_INTERVAL, default=int(DEFAULT_SCAN_INTERVAL.total_seconds())
        ): vol.All(
            NumberSelector(
                NumberSelectorConfig(
                    min=MIN_SCAN_INTERVAL,
                    max=MAX_SCAN_INTERVAL,
                    step=1,
                    unit_of_measurement="s",
                    mode=NumberSelectorMode.BOX,
                )
            ),
            vol.Coerce(int),
        ),
        vol.Required(CONF_DELETE_RECEIVED, default=DEFAULT_DELETE_RECEIVED): BooleanSelector(),
    }
)


async def _async_storage_target(
    device: str, ports: Sequence[SerialPortInfo]
) -> SwitchTarget | None:
    """The stick to switch when ``device`` is in CD-ROM mode, with its bus place if known."""
    ids = choice_ids(device) if device.startswith(USB_CHOICE_PREFIX) else port_ids(device, ports)
    if ids is None or mode_of(*ids) is not StickMode.STORAGE:
        return None
    on_bus = [stick for stick in await async_list_usb_sticks() if (stick.vid, stick.pid) == ids]
    return SwitchTarget.of(on_bus[0]) if on_bus else SwitchTarget(*ids)


async def _async_switch_and_find_ports(target: SwitchTarget, message: str) -> list[SerialPortInfo]:
    """Switch ``target`` and wait for the serial ports of the modem it became."""
    stick = await async_switch_stick(target, message)
    for _ in range(int(TTY_WAIT / TTY_POLL_INTERVAL)):
        ports = [port for port in await async_list_serial_ports() if _belongs_to(port, stick)]
        if ports:
            return ports
        await asyncio.sleep(TTY_POLL_INTERVAL)
    raise ModeswitchTimeoutError(
        f"{stick} came back, but no serial port of it appeared within {TTY_WAIT:g} s", TTY_WAIT
    )


def _belongs_to(port: SerialPortInfo, stick: UsbStick) -> bool:
    if (port.vid, port.pid) != (stick.vid, stick.pid):
        return False
    return not (port.serial_number and stick.serial_number) or (
        port.serial_number == stick.serial_number
    )


def _pin_abort(err: PinError) -> str:
    return next((reason for kind, reason in _PIN_ABORTS if isinstance(err, kind)), "sim_not_ready")
