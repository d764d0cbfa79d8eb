"""The config subentries of a stick (recipients; trusted senders later): finding them, following
them.

Home Assistant's own integrations with subentries (ntfy, threema, discord, smtp, telegram_bot)
reload their entry from an update listener whenever a subentry changes. A stick's entry cannot
have one: ``OptionsFlowWithReload`` refuses an entry with update listeners and the config flow's
reauth and reconfigure warn about them; and a reload would drop the stick's connection for a new
contact. So what shows a subentry follows the entry's changes instead, while the stick stays
connected; Home Assistant itself removes the entities of a removed subentry.
"""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
    ConfigSubentry,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect


def subentries_of(entry: ConfigEntry, subentry_type: str) -> list[ConfigSubentry]:
    """The subentries of ``entry`` that are of ``subentry_type``."""
    return [
        subentry
        for subentry in entry.subentries.values()
        if subentry.subentry_type == subentry_type
    ]


@callback
def async_follow_subentries(
    hass: HomeAssistant, entry: ConfigEntry, changed: Callable[[], None]
) -> None:
    """Call ``changed`` after every update of ``entry`` (a subentry added, changed or removed is
    one), until the entry unloads."""

    @callback
    def entry_changed(change: ConfigEntryChange, changed_entry: ConfigEntry) -> None:
        if change is ConfigEntryChange.UPDATED and changed_entry.entry_id == entry.entry_id:
            changed()

    entry.async_on_unload(
        async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, entry_changed)
    )
