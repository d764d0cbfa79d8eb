"""Every action of the integration, registered once in ``async_setup`` for every stick.

``send_sms`` and ``send_ussd`` (``messages.py``) talk through a stick; ``hang_up`` and ``call``
(``calls.py``) use its phone line; ``set_port_profile``,
``reset`` and ``modeswitch`` (``stick.py``) manage one and are for admin users only. An action
names its stick by device: ``lookup.py`` finds it, the same way for every action.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback

from .calls import async_register_call_actions
from .messages import async_register_message_actions
from .stick import async_register_stick_actions


@callback
def async_register_actions(hass: HomeAssistant) -> None:
    """Register the actions of the integration (they find their stick by device)."""
    async_register_message_actions(hass)
    async_register_call_actions(hass)
    async_register_stick_actions(hass)
