"""The integration's actions: registered once in ``async_setup``, for every stick."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback


@callback
def async_register_actions(hass: HomeAssistant) -> None:
    """Register the actions of the integration (they find their stick by device)."""
