"""Config flow: how a person adds a stick in the Home Assistant UI.

This first version asks for the stick's AT port; port detection, USB discovery and the PIN step
build on it.
"""

from __future__ import annotations

import os
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlow

from .compat import ConfigFlowResult
from .const import CONF_DEVICE, DOMAIN

NETWORK_PORT_PREFIX = "socket://"

USER_SCHEMA = vol.Schema({vol.Required(CONF_DEVICE): str})


def port_is_reachable(device: str) -> bool:
    """Tell whether a tty path exists or the device is a network serial port URL."""
    return device.startswith(NETWORK_PORT_PREFIX) or os.path.exists(device)


class HuaweiModemConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Huawei USB stick."""

    VERSION = 1

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the stick's AT port."""
        errors: dict[str, str] = {}
        if user_input is not None:
            device = user_input[CONF_DEVICE].strip()
            self._async_abort_entries_match({CONF_DEVICE: device})
            if await self.hass.async_add_executor_job(port_is_reachable, device):
                return self.async_create_entry(title=device, data={CONF_DEVICE: device})
            errors[CONF_DEVICE] = "port_not_found"
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, user_input),
            errors=errors,
        )
