"""The switch out of CD-ROM mode as Home Assistant runs it.

The action, the repair flow and the config flow switch a stick with ``async_switch_stick``; the
flows run it as a progress task (``SwitchRun``). ``ModeswitchSteps`` are the config flow's steps
around it: explain, switch, say why it failed; the flow then finds the AT port among the ports
the modem came back with (its ``switched`` step).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowHandler, FlowResult
from homeassistant.helpers.selector import TextSelector
from serialx import SerialPortInfo

from .compat import vol
from .const import DOMAIN
from .modem.errors import (
    InvalidSwitchMessageError,
    ModeswitchTimeoutError,
    NotInStorageModeError,
    NoUsbBackendError,
    StickNotFoundError,
    UnexpectedModeError,
    UsbError,
    UsbPermissionError,
)
from .modem.usb import (
    DEFAULT_MESSAGE,
    UDEV_RULE,
    StickMode,
    UsbStick,
    async_modeswitch,
    mode_of,
    parse_switch_message,
)
from .ports import async_list_serial_ports, async_list_usb_sticks, chosen_ids

_LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")
_ResultT = TypeVar("_ResultT", bound=FlowResult[Any, Any])

CONF_MESSAGE: Final = "message"
"""The modeswitch step's field: the switch message (hex)."""
TTY_WAIT: Final = 15.0
TTY_POLL_INTERVAL: Final = 0.5
"""After a modeswitch, how long (and how often) to look for the switched stick's serial ports."""

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


class ModeswitchSteps(ConfigFlow):
    """The config flow's steps for a stick in CD-ROM mode (``switched`` is the flow's own)."""

    def __init__(self) -> None:
        self._switch_target: SwitchTarget | None = None
        self._switch_message = DEFAULT_MESSAGE
        self._switch: SwitchRun[list[SerialPortInfo]] = SwitchRun()

    async def _async_offer_switch(
        self, device: str, ports: Sequence[SerialPortInfo]
    ) -> ConfigFlowResult | None:
        """The modeswitch form when ``device`` is a stick in CD-ROM mode, else None."""
        ids = chosen_ids(device, ports)
        if ids is None or mode_of(*ids) is not StickMode.STORAGE:
            return None
        on_bus = [s for s in await async_list_usb_sticks() if (s.vid, s.pid) == ids]
        self._switch_target = SwitchTarget.of(on_bus[0]) if on_bus else SwitchTarget(*ids)
        return await self.async_step_modeswitch()

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
            lambda: async_switch_and_find_ports(target, message),
            {"usb_id": target.usb_id},
        )

    async def async_step_modeswitch_failed(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Say why the switch failed; the form runs it again."""
        return self._show_modeswitch_form({"base": self._switch.error_key})

    def _target(self) -> SwitchTarget:
        assert self._switch_target is not None
        return self._switch_target


async def async_switch_and_find_ports(target: SwitchTarget, message: str) -> list[SerialPortInfo]:
    """Switch ``target`` and wait for the serial ports of the modem it became."""
    stick = await async_switch_stick(target, message)
    for _ in range(int(TTY_WAIT / TTY_POLL_INTERVAL)):
        ports = [port for port in await async_list_serial_ports() if belongs_to(port, stick)]
        if ports:
            return ports
        await asyncio.sleep(TTY_POLL_INTERVAL)
    raise ModeswitchTimeoutError(
        f"{stick} came back, but no serial port of it appeared within {TTY_WAIT:g} s", TTY_WAIT
    )


def belongs_to(port: SerialPortInfo, stick: UsbStick) -> bool:
    """Whether ``port`` is one of the switched ``stick``'s (same ids, same serial if known)."""
    if (port.vid, port.pid) != (stick.vid, stick.pid):
        return False
    return not (port.serial_number and stick.serial_number) or (
        port.serial_number == stick.serial_number
    )
