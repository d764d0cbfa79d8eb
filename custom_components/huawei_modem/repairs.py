"""Repairs: a configured stick that came back in CD-ROM mode is switched to modem mode."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .compat import RepairsFlowResult, vol
from .const import DOMAIN
from .modem.usb import UsbStick
from .modeswitch import SwitchRun, SwitchTarget, async_switch_stick
from .runtime import runtime_of


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The fix flow of a ``cdrom_mode`` issue (the only fixable one)."""
    assert data is not None
    target = SwitchTarget(
        int(data["vid"] or 0), int(data["pid"] or 0), _int(data["bus"]), _int(data["address"])
    )
    return CdromModeRepairFlow(str(data["entry_id"]), target)


class CdromModeRepairFlow(RepairsFlow):
    """Explain, switch the stick with progress, and let the coordinator reconnect."""

    def __init__(self, entry_id: str, target: SwitchTarget) -> None:
        self._entry_id = entry_id
        self._target = target
        self._switch: SwitchRun[UsbStick] = SwitchRun()

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """What happened and what the switch does; submit to run it."""
        if user_input is not None:
            return await self.async_step_switching()
        return self._show_confirm({})

    async def async_step_switching(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        target = self._target
        return self._switch.progress(self, lambda: async_switch_stick(target), self._placeholders())

    async def async_step_modeswitch_failed(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Why it failed; submitting the form runs the switch again."""
        return self._show_confirm({"base": self._switch.error_key})

    async def async_step_switched(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Back as a modem: the coordinator reconnects (asked now rather than in a few seconds)."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is not None and entry.state is ConfigEntryState.LOADED:
            await runtime_of(entry).coordinator.async_request_refresh()
        return self.async_create_entry(data={})

    def _show_confirm(self, errors: dict[str, str]) -> RepairsFlowResult:
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            errors=errors,
            description_placeholders=self._placeholders(),
        )

    def _placeholders(self) -> dict[str, str]:
        issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id)
        known = issue.translation_placeholders if issue and issue.translation_placeholders else {}
        return {
            "title": self._target.usb_id,
            "usb_id": self._target.usb_id,
            **known,
            **self._switch.error_placeholders,
        }


def _int(value: str | int | float | None) -> int | None:
    return None if value is None else int(value)
