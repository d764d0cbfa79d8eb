"""The subentry flows of a stick: add and change its recipients (contacts) and trusted senders.

Both are a name (the subentry's title) and a number checked as the ``send_sms`` action checks
numbers and kept normalised; a number is a recipient of a stick at most once, and a trusted sender
at most once.

A recipient (the name of its notify entity) has whether its SMS go out as flash SMS and with a
delivery report. A trusted sender (assist_sms.py) has an optional passphrase, the Assist agent and
language its commands go to (Home Assistant's by default), and how many commands an hour it may
send.

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
from homeassistant.const import CONF_LANGUAGE, CONF_NAME
from homeassistant.helpers.selector import (
    BooleanSelector,
    ConversationAgentSelector,
    LanguageSelector,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .compat import vol
from .const import (
    ATTR_DELIVERY_REPORT,
    ATTR_FLASH,
    ATTR_NUMBER,
    CONF_AGENT_ID,
    CONF_COMMANDS_PER_HOUR,
    CONF_PASSPHRASE,
    DEFAULT_COMMANDS_PER_HOUR,
    SUBENTRY_RECIPIENT,
    SUBENTRY_TRUSTED_SENDER,
)
from .modem.errors import PduError
from .modem.pdu import normalize_number
from .options_flow import whole_number
from .subentries import subentries_of

NAME_AND_NUMBER: Final = {
    vol.Required(CONF_NAME): TextSelector(),
    vol.Required(ATTR_NUMBER): TextSelector(TextSelectorConfig(type=TextSelectorType.TEL)),
}
RECIPIENT_SCHEMA: Final = vol.Schema(
    {
        **NAME_AND_NUMBER,
        vol.Required(ATTR_FLASH, default=False): BooleanSelector(),
        vol.Required(ATTR_DELIVERY_REPORT, default=False): BooleanSelector(),
    }
)
MAX_COMMANDS_PER_HOUR: Final = 60
TRUSTED_SENDER_SCHEMA: Final = vol.Schema(
    {
        **NAME_AND_NUMBER,
        vol.Optional(CONF_PASSPHRASE): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD)
        ),
        vol.Optional(CONF_AGENT_ID): ConversationAgentSelector(),
        vol.Optional(CONF_LANGUAGE): LanguageSelector(),
        vol.Required(CONF_COMMANDS_PER_HOUR, default=DEFAULT_COMMANDS_PER_HOUR): whole_number(
            1, MAX_COMMANDS_PER_HOUR
        ),
    }
)


class NumberSubentryFlow(ConfigSubentryFlow):
    """Add a subentry that is a name and a number (with settings of its type), or change one."""

    subentry_type: str
    schema: vol.Schema

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """A new one: name, number and settings."""
        return self._number_step("user", user_input, None)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change one (a recipient's notify entity keeps its entity id)."""
        return self._number_step("reconfigure", user_input, self._get_reconfigure_subentry())

    def settings(self, user_input: dict[str, Any]) -> dict[str, Any]:
        """What is kept beside the number."""
        raise NotImplementedError

    def _number_step(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        changing: ConfigSubentry | None,
    ) -> SubentryFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            name = user_input[CONF_NAME].strip()
            number = checked_number(
                self._get_entry(), self.subentry_type, user_input[ATTR_NUMBER], changing, errors
            )
            if not name:
                errors[CONF_NAME] = "no_name"
            if number is not None and not errors:
                data = {ATTR_NUMBER: number, **self.settings(user_input)}
                if changing is None:
                    return self.async_create_entry(title=name, data=data)
                return self.async_update_and_abort(
                    self._get_entry(), changing, title=name, data=data
                )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                self.schema, user_input or _form_values(changing)
            ),
            errors=errors,
        )


class RecipientFlow(NumberSubentryFlow):
    """A recipient: name, number, flash and delivery report."""

    subentry_type = SUBENTRY_RECIPIENT
    schema = RECIPIENT_SCHEMA

    def settings(self, user_input: dict[str, Any]) -> dict[str, Any]:
        return {
            ATTR_FLASH: user_input[ATTR_FLASH],
            ATTR_DELIVERY_REPORT: user_input[ATTR_DELIVERY_REPORT],
        }


class TrustedSenderFlow(NumberSubentryFlow):
    """A trusted sender: name, number, passphrase, Assist agent and language, commands an hour.

    Without an agent its commands go to Home Assistant's own; without a language, to the
    language of Home Assistant.
    """

    subentry_type = SUBENTRY_TRUSTED_SENDER
    schema = TRUSTED_SENDER_SCHEMA

    def settings(self, user_input: dict[str, Any]) -> dict[str, Any]:
        chosen = {
            key: user_input[key] for key in (CONF_AGENT_ID, CONF_LANGUAGE) if user_input.get(key)
        }
        return {
            CONF_PASSPHRASE: user_input.get(CONF_PASSPHRASE, "").strip(),
            CONF_COMMANDS_PER_HOUR: user_input[CONF_COMMANDS_PER_HOUR],
            **chosen,
        }


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


def _form_values(subentry: ConfigSubentry | None) -> Mapping[str, Any] | None:
    """What the form shows for ``subentry`` (nothing for a new one)."""
    if subentry is None:
        return None
    return {CONF_NAME: subentry.title, **subentry.data}


SUBENTRY_FLOWS: Final[dict[str, type[ConfigSubentryFlow]]] = {
    SUBENTRY_RECIPIENT: RecipientFlow,
    SUBENTRY_TRUSTED_SENDER: TrustedSenderFlow,
}
"""The subentry types of a stick and their flows (the config flow offers them)."""
