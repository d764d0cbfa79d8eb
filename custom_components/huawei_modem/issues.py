"""Every repair issue of the integration, raised and cleared here (the fix flows: repairs.py)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .compat import issue_entry_kwargs
from .const import DOMAIN
from .modem.models import SimState, SimStatus, StorageUsage
from .modem.sms_budget import SmsOverBudgetError
from .modem.usb import UsbStick

_LOGGER = logging.getLogger(__name__)

SIM_ISSUES: dict[SimState, str] = {
    SimState.PUK_REQUIRED: "sim_puk_required",
    SimState.MISSING: "sim_missing",
}
"""SIM states that need the user's hands, and the repair issue each one raises."""


def cdrom_issue_id(entry: ConfigEntry) -> str:
    """The repair issue raised while ``entry``'s stick is back in CD-ROM mode."""
    return f"cdrom_mode_{entry.entry_id}"


def budget_issue_id(entry: ConfigEntry) -> str:
    """The repair issue raised when the cost guard refused an SMS."""
    return f"sms_over_budget_{entry.entry_id}"


def raise_budget_issue(
    hass: HomeAssistant, entry: ConfigEntry, refusal: SmsOverBudgetError, numbers: Sequence[str]
) -> None:
    """Tell the user what the cost guard refused (the latest refusal); cleared by new options."""
    _raise_warning(
        hass,
        entry,
        budget_issue_id(entry),
        f"sms_refused_{refusal.limit_kind.value}",
        {
            "title": entry.title,
            "numbers": ", ".join(numbers),
            "parts": str(refusal.parts),
            "limit": str(refusal.limit),
            "used": str(refusal.used),
        },
    )


def clear_budget_issue(hass: HomeAssistant, entry: ConfigEntry) -> None:
    ir.async_delete_issue(hass, DOMAIN, budget_issue_id(entry))


def storage_issue_id(entry_id: str) -> str:
    """The repair issue raised while the stick's message storage is full."""
    return f"sms_storage_full_{entry_id}"


def raise_cdrom_issue(hass: HomeAssistant, entry: ConfigEntry, stick: UsbStick) -> None:
    """Our stick is away and ``stick`` sits in CD-ROM mode on the bus: offer to switch it."""
    _LOGGER.warning(
        "%s is away and a Huawei stick in CD-ROM mode is on the USB bus (%s)", entry.title, stick
    )
    ir.async_create_issue(
        hass,
        DOMAIN,
        cdrom_issue_id(entry),
        data={
            "entry_id": entry.entry_id,
            "vid": stick.vid,
            "pid": stick.pid,
            "bus": stick.bus,
            "address": stick.address,
        },
        is_fixable=True,
        severity=ir.IssueSeverity.ERROR,
        translation_key="cdrom_mode",
        translation_placeholders={"title": entry.title, "usb_id": stick.usb_id},
        **issue_entry_kwargs(entry),
    )


def away_issue_id(entry: ConfigEntry) -> str:
    """The repair issue raised while the stick has been away for minutes."""
    return f"stick_away_{entry.entry_id}"


def raise_away_issue(hass: HomeAssistant, entry: ConfigEntry, port: str, since: datetime) -> None:
    """The stick's port has not opened since ``since``: say so (cleared when it is back)."""
    when = dt_util.as_local(since).strftime("%Y-%m-%d %H:%M")
    placeholders = {"title": entry.title, "port": port, "since": when}
    _raise_warning(hass, entry, away_issue_id(entry), "stick_away", placeholders)


def clear_away_issue(hass: HomeAssistant, entry: ConfigEntry) -> None:
    ir.async_delete_issue(hass, DOMAIN, away_issue_id(entry))


def clear_cdrom_issue(hass: HomeAssistant, entry: ConfigEntry) -> None:
    ir.async_delete_issue(hass, DOMAIN, cdrom_issue_id(entry))


def sync_sim_issues(hass: HomeAssistant, entry: ConfigEntry, sim: SimStatus) -> None:
    """Raise the issue of a SIM that needs the user's hands; clear the others."""
    for state, key in SIM_ISSUES.items():
        _sync_error_issue(
            hass,
            entry,
            f"{key}_{entry.entry_id}",
            raised=sim.state is state,
            translation_key=key,
            placeholders={"title": entry.title},
        )


def sync_storage_issue(
    hass: HomeAssistant, entry: ConfigEntry, storage: StorageUsage, *, deletes: bool
) -> None:
    """A full message storage raises a repair issue; room again clears it."""
    _sync_error_issue(
        hass,
        entry,
        storage_issue_id(entry.entry_id),
        raised=storage.full,
        translation_key="sms_storage_full" if deletes else "sms_storage_full_keeping",
        placeholders={
            "title": entry.title,
            "used": str(storage.used),
            "total": str(storage.total),
        },
    )


def _raise_warning(
    hass: HomeAssistant,
    entry: ConfigEntry,
    issue_id: str,
    translation_key: str,
    placeholders: dict[str, str],
) -> None:
    """A repair issue that only informs: nothing to fix from it, it goes by itself."""
    _raise_unfixable(hass, entry, issue_id, ir.IssueSeverity.WARNING, translation_key, placeholders)


def _raise_unfixable(
    hass: HomeAssistant,
    entry: ConfigEntry,
    issue_id: str,
    severity: ir.IssueSeverity,
    translation_key: str,
    placeholders: dict[str, str],
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=severity,
        translation_key=translation_key,
        translation_placeholders=placeholders,
        **issue_entry_kwargs(entry),
    )


def _sync_error_issue(
    hass: HomeAssistant,
    entry: ConfigEntry,
    issue_id: str,
    *,
    raised: bool,
    translation_key: str,
    placeholders: dict[str, str],
) -> None:
    """Raise the repair issue ``issue_id`` (an error the user cannot fix from it), or clear it."""
    if raised:
        _raise_unfixable(
            hass, entry, issue_id, ir.IssueSeverity.ERROR, translation_key, placeholders
        )
    else:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
