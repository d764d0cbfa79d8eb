"""The options of a stick: polling, received SMS (deleted, text shown), calls, the cost guard,
and how many commands a day its trusted senders may give Assist in all.

New options reload the stick; saving them also clears the cost guard's repair issue (the user
has seen the limits).
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)

from .compat import OptionsFlowWithReload, vol
from .const import (
    CONF_ASSIST_COMMANDS_PER_DAY,
    CONF_DELETE_RECEIVED,
    CONF_MAX_PARTS_PER_HOUR,
    CONF_MAX_PARTS_PER_MESSAGE,
    CONF_REJECT_CALLS_AFTER,
    CONF_SCAN_INTERVAL,
    CONF_SHOW_SMS_TEXT,
    DEFAULT_ASSIST_COMMANDS_PER_DAY,
    DEFAULT_DELETE_RECEIVED,
    DEFAULT_REJECT_CALLS_AFTER,
    DEFAULT_SCAN_INTERVAL,
    DEFAULT_SHOW_SMS_TEXT,
)
from .issues import clear_budget_issue
from .modem.sms_budget import DEFAULT_MAX_PARTS_PER_HOUR, DEFAULT_MAX_PARTS_PER_MESSAGE

MIN_SCAN_INTERVAL: Final = 10
MAX_SCAN_INTERVAL: Final = 3600
MAX_REJECT_AFTER: Final = 20
"""The most rings an incoming call may ring before it is rejected (0: never rejected)."""
MAX_SMS_PARTS: Final = 255
MAX_PARTS_PER_HOUR: Final = 10000
MAX_ASSIST_COMMANDS_PER_DAY: Final = 1000


def whole_number(low: int, high: int, unit: str | None = None) -> Any:
    """A whole number from ``low`` to ``high``, typed into a box."""
    config = NumberSelectorConfig(min=low, max=high, step=1, mode=NumberSelectorMode.BOX)
    if unit is not None:
        config["unit_of_measurement"] = unit
    return vol.All(NumberSelector(config), vol.Coerce(int))


OPTIONS_SCHEMA: Final = vol.Schema(
    {
        vol.Required(
            CONF_SCAN_INTERVAL, default=int(DEFAULT_SCAN_INTERVAL.total_seconds())
        ): whole_number(MIN_SCAN_INTERVAL, MAX_SCAN_INTERVAL, "s"),
        vol.Required(CONF_DELETE_RECEIVED, default=DEFAULT_DELETE_RECEIVED): BooleanSelector(),
        vol.Required(CONF_SHOW_SMS_TEXT, default=DEFAULT_SHOW_SMS_TEXT): BooleanSelector(),
        vol.Required(CONF_REJECT_CALLS_AFTER, default=DEFAULT_REJECT_CALLS_AFTER): whole_number(
            0, MAX_REJECT_AFTER
        ),
        vol.Required(
            CONF_MAX_PARTS_PER_MESSAGE, default=DEFAULT_MAX_PARTS_PER_MESSAGE
        ): whole_number(1, MAX_SMS_PARTS),
        vol.Required(CONF_MAX_PARTS_PER_HOUR, default=DEFAULT_MAX_PARTS_PER_HOUR): whole_number(
            1, MAX_PARTS_PER_HOUR
        ),
        vol.Required(
            CONF_ASSIST_COMMANDS_PER_DAY, default=DEFAULT_ASSIST_COMMANDS_PER_DAY
        ): whole_number(1, MAX_ASSIST_COMMANDS_PER_DAY),
    }
)


class HuaweiModemOptionsFlow(OptionsFlowWithReload):
    """One form with every option of a stick."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        if user_input is not None:
            clear_budget_issue(self.hass, self.config_entry)
            return self.async_create_entry(data=user_input)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA, self.config_entry.options
            ),
        )
