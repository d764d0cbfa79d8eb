"""What the automation editor's triggers of a stick listen for: one bus event, filtered.

Device triggers (``device_trigger.py``, every release) and integration triggers (``trigger.py``,
the releases that have them) offer the same four kinds, with the same options and the same
trigger variables: the event's fields (``trigger.sender``, ``trigger.text``, ...) and the event
itself (``trigger.event``), as an event trigger has it.

Numbers are compared as ``send_sms`` takes them (separators dropped); a name such as a bank's
sender is compared without regard to case. Texts are compared without regard to case, and
"equals" also without the spaces around the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import selector

from .actions.lookup import entry_of_device
from .compat import vol
from .const import ATTR_DEVICE_ID, EVENT_CALL, EVENT_SMS_DELIVERED, EVENT_SMS_RECEIVED
from .modem.errors import PduError
from .modem.pdu import normalize_number
from .outbox import ATTR_DELIVERED, ATTR_RECIPIENT
from .phone import ATTR_CALLER, ATTR_STATE, CALL_STATES, STATE_RINGING

ATTR_SENDER: Final = "sender"
ATTR_TEXT: Final = "text"
"""The sender and text of ``huawei_modem_sms_received`` (``inbox.event_data``)."""
CONF_TEXT_CONTAINS: Final = "text_contains"
CONF_TEXT_EQUALS: Final = "text_equals"


@dataclass(frozen=True, slots=True)
class TriggerKind:
    """One trigger: its bus event, the values the event must have, the filters it offers."""

    event_type: str
    number_field: str
    """The event's number (sender, recipient, caller); an option of the same name filters it."""
    fixed: Mapping[str, Any] = field(default_factory=dict)
    text_filters: bool = False
    call_states: bool = False

    def option_fields(self) -> dict[vol.Marker, Any]:
        """The options of the trigger beside its stick, as the editor shows and checks them."""
        text = selector.TextSelector()
        fields: dict[vol.Marker, Any] = {
            vol.Optional(self.number_field): selector.TextSelector(
                selector.TextSelectorConfig(type=selector.TextSelectorType.TEL)
            )
        }
        if self.text_filters:
            fields[vol.Optional(CONF_TEXT_CONTAINS)] = text
            fields[vol.Optional(CONF_TEXT_EQUALS)] = text
        if self.call_states:
            fields[vol.Optional(ATTR_STATE, default=[STATE_RINGING])] = selector.SelectSelector(
                selector.SelectSelectorConfig(
                    options=list(CALL_STATES), multiple=True, translation_key="call_state"
                )
            )
        return fields


KINDS: Final = {
    "sms_received": TriggerKind(EVENT_SMS_RECEIVED, ATTR_SENDER, text_filters=True),
    "sms_delivered": TriggerKind(EVENT_SMS_DELIVERED, ATTR_RECIPIENT, {ATTR_DELIVERED: True}),
    "sms_not_delivered": TriggerKind(EVENT_SMS_DELIVERED, ATTR_RECIPIENT, {ATTR_DELIVERED: False}),
    "incoming_call": TriggerKind(EVENT_CALL, ATTR_CALLER, call_states=True),
}
"""Every trigger of a stick, by its key (the device trigger's type, the integration trigger's
name)."""


def comparable_number(number: str) -> str:
    """A number as ``send_sms`` would send to it; anything else (a name) in one case."""
    try:
        return normalize_number(number)
    except PduError:
        return number.strip().casefold()


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events of ``kind`` a trigger fires for, from its sticks and options."""

    kind: TriggerKind
    device_ids: frozenset[str]
    number: str | None = None
    text_contains: str | None = None
    text_equals: str | None = None
    states: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, kind: TriggerKind, device_ids: Iterable[str], options: Mapping[str, Any]
    ) -> EventFilter:
        number = options.get(kind.number_field)
        contains = options.get(CONF_TEXT_CONTAINS)
        equals = options.get(CONF_TEXT_EQUALS)
        return cls(
            kind,
            frozenset(device_ids),
            comparable_number(number) if number else None,
            contains.casefold() if contains else None,
            equals.strip().casefold() if equals else None,
            frozenset(options.get(ATTR_STATE, ())),
        )

    def matches(self, data: Mapping[str, Any]) -> bool:
        return (
            data.get(ATTR_DEVICE_ID) in self.device_ids
            and all(data.get(key) == value for key, value in self.kind.fixed.items())
            and self._number_matches(data.get(self.kind.number_field))
            and self._text_matches(str(data.get(ATTR_TEXT, "")).casefold())
            and (not self.states or data.get(ATTR_STATE) in self.states)
        )

    def _number_matches(self, number: Any) -> bool:
        return self.number is None or comparable_number(str(number)) == self.number

    def _text_matches(self, text: str) -> bool:
        return (self.text_contains is None or self.text_contains in text) and (
            self.text_equals is None or self.text_equals == text.strip()
        )


def trigger_variables(event: Event) -> dict[str, Any]:
    """What a fired trigger adds to ``trigger``: the event's fields, and the event."""
    return {**event.data, "event": event}


def description_of(event: Event) -> str:
    """The trigger's description in a trace: the event and its number."""
    return f"{event.event_type} {next(iter(_numbers(event.data)), '')}".strip()


def _numbers(data: Mapping[str, Any]) -> Iterable[str]:
    return (str(data[key]) for key in (ATTR_SENDER, ATTR_RECIPIENT, ATTR_CALLER) if key in data)


@callback
def async_listen(
    hass: HomeAssistant, event_filter: EventFilter, on_match: Callable[[Event], None]
) -> CALLBACK_TYPE:
    """Call ``on_match`` with every event the filter lets through, until the returned stop."""

    @callback
    def on_event(event: Event) -> None:
        if event_filter.matches(event.data):
            on_match(event)

    return hass.bus.async_listen(event_filter.kind.event_type, on_event)


def check_stick(hass: HomeAssistant, device_id: str) -> str:
    """``device_id`` when it is a stick of this integration, else the configuration is invalid."""
    try:
        entry_of_device(hass, device_id)
    except ServiceValidationError as err:
        raise vol.Invalid(f"device {device_id} is no stick of the Huawei USB Modem") from err
    return device_id
