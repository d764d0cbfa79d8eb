"""The subentry flows of a stick: add and change its recipients (contacts).

A recipient is a name (the subentry's title, the name of its notify entity), a number checked as
the ``send_sms`` action checks numbers and kept normalised, and whether its SMS go out as flash
SMS and with a delivery report. A number is a recipient of a stick at most once.

``checked_number`` serves every subentry type that is a phone number (``invalid_number`` and
``number_taken`` in its ``config_subentries`` strings); ``SUBENTRY_FLOWS`` lists the types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigSubentry,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME
from homeassistant.helpers.selector import (
    BooleanSelector,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .compat import vol
from .const import ATTR_DELIVERY_REPORT, ATTR_FLASH, ATTR_NUMBER, SUBENTRY_RECIPIENT
from .modem.errors import PduError
from .modem.pdu import normalize_number
from .subentries import subentries_of

RECIPIENT_SCHEMA: Final = vol.Schema(
    {
        vol.Required(CONF_NAME): TextSelector(),
        vol.Required(ATTR_NUMBER): TextSelector(TextSelectorConfig(type=TextSelectorType.TEL)),
        vol.Required(ATTR_FLASH, default=False): BooleanSelector(),
        vol.Required(ATTR_DELIVERY_REPORT, default=False): BooleanSelector(),
    }
)


class RecipientFlow(ConfigSubentryFlow):
    """Add a recipient to a stick, or change one."""

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """A new recipient: name, number, flash and delivery report."""
        return self._recipient_step("user", user_input, None)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a recipient (its notify entity keeps its entity id)."""
        return self._recipient_step("reconfigure", user_input, self._get_reconfigure_subentry())

    def _recipient_step(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        changing: ConfigSubentry | None,
    ) -> SubentryFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            name = user_input[CONF_NAME].strip()
            number = checked_number(
                self._get_entry(), SUBENTRY_RECIPIENT, user_input[ATTR_NUMBER], changing, errors
            )
            if not name:
                errors[CONF_NAME] = "no_name"
            if number is not None and not errors:
                data = {
                    ATTR_NUMBER: number,
                    ATTR_FLASH: user_input[ATTR_FLASH],
                    ATTR_DELIVERY_REPORT: user_input[ATTR_DELIVERY_REPORT],
                }
                if changing is None:
                    return self.async_create_entry(title=name, data=data)
                return self.async_update_and_abort(
                    self._get_entry(), changing, title=name, data=data
                )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                RECIPIENT_SCHEMA, user_input or _form_values(changing)
            ),
            errors=errors,
        )


def checked_number(
    entry: ConfigEntry,
    subentry_type: str,
    number: str,
    changing: ConfigSubentry | None,
    errors: dict[str, str],
) -> str | None:
    """``number`` normalised as ``send_sms`` normalises it, unless it is no number an SMS can go
    to or another subentry of ``subentry_type`` has it already (then None, the reason in
    ``errors``)."""
    try:
        normalized = normalize_number(number)
    except PduError:
        errors[ATTR_NUMBER] = "invalid_number"
        return None
    others = (
        subentry
        for subentry in subentries_of(entry, subentry_type)
        if changing is None or subentry.subentry_id != changing.subentry_id
    )
    if any(subentry.data[ATTR_NUMBER] == normalized for subentry in others):
        errors[ATTR_NUMBER] = "number_taken"
        return None
    return normalized


def _form_values(recipient: ConfigSubentry | None) -> Mapping[str, Any] | None:
    """What the form shows for ``recipient`` (nothing for a new one)."""
    if recipient is None:
        return None
    return {CONF_NAME: recipient.title, **recipient.data}


SUBENTRY_FLOWS: Final[dict[str, type[ConfigSubentryFlow]]] = {SUBENTRY_RECIPIENT: RecipientFlow}
"""The subentry types of a stick and their flows (the config flow offers them)."""
