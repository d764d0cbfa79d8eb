"""Config flow: add a stick from its ports or from USB discovery, enter its PIN, move it.

A stick in CD-ROM mode is switched to modem mode first (the steps in ``modeswitch.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Final

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers.selector import (
    Selector,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.service_info.usb import UsbServiceInfo
from serialx import SerialPortInfo

from .compat import vol
from .const import (
    CONF_DEVICE,
    CONF_PIN,
    DOMAIN,
)
from .modem.discovery import PortCandidate
from .modem.errors import (
    InvalidPinFormatError,
    PinError,
    PukRequiredError,
    SimFailureError,
    SimMissingError,
    WrongPinError,
)
from .modem.models import SimState
from .modem.usb import StickMode, mode_of
from .modeswitch import ModeswitchSteps
from .options_flow import HuaweiModemOptionsFlow
from .ports import (
    NO_AT_PORT_MODES,
    async_list_serial_ports,
    async_list_usb_sticks,
    chosen_ids,
    port_selector,
)
from .probe import (
    FoundStick,
    async_candidates,
    async_find_stick,
    async_pin_attempts_left,
    async_unlock,
    error_key,
)
from .subentry_flows import SUBENTRY_FLOWS

_MODE_ABORTS: Final = {StickMode.STORAGE: "storage_mode", StickMode.HILINK: "hilink_mode"}
_SIM_ABORTS: Final = {
    SimState.PUK_REQUIRED: "puk_required",
    SimState.MISSING: "sim_missing",
    SimState.FAILURE: "sim_failure",
}
_PIN_ABORTS: Final[list[tuple[type[PinError], str]]] = [
    (PukRequiredError, "puk_required"),
    (SimMissingError, "sim_missing"),
    (SimFailureError, "sim_failure"),
]

PIN_SCHEMA: Final = vol.Schema(
    {vol.Required(CONF_PIN): TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))}
)


class HuaweiModemConfigFlow(ModeswitchSteps, domain=DOMAIN):
    """Add a Huawei USB stick."""

    VERSION = 1

    def __init__(self) -> None:
        super().__init__()
        self._found: FoundStick | None = None
        self._device: str | None = None
        self._attempts_left: int | None = None
        self._found_callback: Callable[[FoundStick], Awaitable[ConfigFlowResult]] | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        return HuaweiModemOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """The subentry types of a stick and their flows (subentry_flows.py)."""
        return SUBENTRY_FLOWS

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
            if (switching := await self._async_offer_switch(device, ports)) is not None:
                return switching
            self._abort_if_not_a_modem(device, ports)
            try:
                stick = await self._async_find_stick(
                    await async_candidates(self.hass, device, ports)
                )
            except Exception as err:  # every error is shown in the form
                errors["base"] = error_key(err)
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
        ids = chosen_ids(device, ports)
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

    # --- CD-ROM mode: after the switch (the steps before are in modeswitch.py) -------------------

    async def async_step_switched(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The stick is a modem now: find its AT port among its new ports, then as usual."""
        ports = self._switch.result or []
        listed = await async_list_serial_ports()
        try:
            stick = await self._async_find_stick(
                await async_candidates(self.hass, ports[0].device, listed)
            )
        except Exception as err:  # shown in the port form: the user can pick a port
            return await self._async_show_port_form("user", listed, {"base": error_key(err)}, None)
        assert self._found_callback is not None
        return await self._found_callback(stick)

    # --- USB discovery --------------------------------------------------------------------------

    async def async_step_usb(self, discovery_info: UsbServiceInfo) -> ConfigFlowResult:
        """One flow per tty of a stick: the first to find its IMEI stays, the others abort."""
        mode = mode_of(int(discovery_info.vid, 16), int(discovery_info.pid, 16))
        if (reason := _MODE_ABORTS.get(mode)) is not None:
            return self.async_abort(reason=reason)
        ports = await async_list_serial_ports()
        candidates = await async_candidates(self.hass, discovery_info.device, ports)
        self._abort_if_port_configured(candidates)
        try:
            stick = await self._async_find_stick(candidates)
        except Exception as err:  # the reason names what went wrong
            return self.async_abort(reason=error_key(err))
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
                pin = await async_unlock(self.hass, self._port(), user_input[CONF_PIN])
            except WrongPinError as err:
                self._attempts_left = err.attempts_left
                errors["base"] = "wrong_pin"
            except InvalidPinFormatError:
                errors["base"] = "invalid_pin"
            except PinError as err:
                raise AbortFlow(_pin_abort(err)) from err
            except Exception as err:  # every error is shown in the form
                errors["base"] = error_key(err)
            else:
                return unlocked(pin)
        attempts = "?" if self._attempts_left is None else str(self._attempts_left)
        return self.async_show_form(
            step_id=step_id,
            data_schema=PIN_SCHEMA,
            errors=errors,
            description_placeholders={"attempts_left": attempts, "device": self._port()},
        )

    # --- reauth ---------------------------------------------------------------------------------

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The SIM refused the stored PIN: ask for it again."""
        self._device = entry_data[CONF_DEVICE]
        self._attempts_left = await async_pin_attempts_left(self.hass, self._device)
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

    async def _async_find_stick(self, candidates: Sequence[PortCandidate]) -> FoundStick:
        """The AT port among ``candidates``, the identity and SIM (kept for the next steps)."""
        self._found = await async_find_stick(self.hass, candidates)
        self._device = self._found.device
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


def _pin_abort(err: PinError) -> str:
    return next((reason for kind, reason in _PIN_ABORTS if isinstance(err, kind)), "sim_not_ready")
