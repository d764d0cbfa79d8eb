"""The actions that talk through a stick: ``send_sms`` and ``send_ussd``.

``huawei_modem.send_sms`` sends one message to one or more numbers and answers with the message
references per number; the notify platform sends through ``async_send_sms`` too.
``huawei_modem.send_ussd`` answers with the network's text. Both need a reachable stick.
"""

from __future__ import annotations

from collections.abc import Sequence

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util.json import JsonObjectType, JsonValueType

from ..compat import vol
from ..const import (
    ATTR_CODE,
    ATTR_DELIVERY_REPORT,
    ATTR_DEVICE_ID,
    ATTR_FLASH,
    ATTR_NUMBER,
    ATTR_SMS_TEXT,
    DOMAIN,
    SERVICE_SEND_SMS,
    SERVICE_SEND_USSD,
)
from ..coordinator import HuaweiModemCoordinator
from ..errors import translated_error
from ..issues import raise_budget_issue
from ..modem.errors import (
    AtCommandError,
    AtTimeoutError,
    CmsError,
    ConnectionLostError,
    ModemError,
    PduError,
    PortNotOpenError,
    SmsInterruptedError,
    SmsRefusedError,
)
from ..modem.models import SentMessage, UssdResponse
from ..modem.pdu import normalize_number, split_text
from ..modem.sms_budget import BudgetLimit, SmsOverBudgetError
from ..modem.ussd import Unanswered, unanswered
from ..runtime import HuaweiModemData
from .lookup import stick_of_device

SEND_SMS_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_NUMBER): vol.All(cv.ensure_list, [cv.string], vol.Length(min=1)),
        vol.Required(ATTR_SMS_TEXT): vol.All(cv.string, vol.Length(min=1)),
        vol.Optional(ATTR_FLASH, default=False): cv.boolean,
        vol.Optional(ATTR_DELIVERY_REPORT, default=False): cv.boolean,
    }
)
SEND_USSD_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_CODE): vol.All(cv.string, vol.Length(min=1)),
    }
)

BUDGET_ERRORS: dict[BudgetLimit, str] = {
    BudgetLimit.PARTS_PER_MESSAGE: "sms_too_many_parts",
    BudgetLimit.PARTS_PER_HOUR: "sms_hourly_limit",
}
"""The limit of the cost guard a send would pass, as the translation key of its error."""

UNANSWERED_KEYS: dict[Unanswered, str] = {
    Unanswered.NOT_SUPPORTED: "ussd_not_supported",
    Unanswered.TIMED_OUT: "ussd_timeout",
    Unanswered.NO_ANSWER: "ussd_no_answer",
}
"""Why the network gave no answer, as the translation key of the error the user sees."""


@callback
def async_register_message_actions(hass: HomeAssistant) -> None:
    """Register ``send_sms`` and ``send_ussd``."""

    async def send_sms(call: ServiceCall) -> ServiceResponse:
        stick = stick_of_device(hass, call.data[ATTR_DEVICE_ID], reachable=True)
        messages = await async_send_sms(
            stick,
            call.data[ATTR_NUMBER],
            call.data[ATTR_SMS_TEXT],
            flash=call.data[ATTR_FLASH],
            delivery_report=call.data[ATTR_DELIVERY_REPORT],
        )
        return {"messages": messages}

    async def send_ussd(call: ServiceCall) -> ServiceResponse:
        stick = stick_of_device(hass, call.data[ATTR_DEVICE_ID], reachable=True)
        answer = await async_send_ussd(stick.coordinator, call.data[ATTR_CODE])
        return {"text": answer.text, "needs_reply": answer.needs_reply}

    hass.services.async_register(
        DOMAIN, SERVICE_SEND_SMS, send_sms, SEND_SMS_SCHEMA, SupportsResponse.OPTIONAL
    )
    hass.services.async_register(
        DOMAIN, SERVICE_SEND_USSD, send_ussd, SEND_USSD_SCHEMA, SupportsResponse.ONLY
    )


# --- SMS ------------------------------------------------------------------------------------------


def valid_numbers(numbers: Sequence[str], error_key: str = "invalid_number") -> list[str]:
    """Every number normalised (duplicates dropped), or the error ``error_key`` about the first
    bad one."""
    valid: list[str] = []
    for number in numbers:
        try:
            normalized = normalize_number(number)
        except PduError as err:
            raise translated_error(ServiceValidationError, error_key, number=number) from err
        if normalized not in valid:
            valid.append(normalized)
    return valid


def check_message(text: str) -> int:
    """The parts of a text that fits into an SMS (at most 255), or the error that it does not."""
    try:
        _, parts = split_text(text)
    except PduError as err:
        raise translated_error(ServiceValidationError, "invalid_message", error=str(err)) from err
    return len(parts)


def reserve_parts(stick: HuaweiModemData, parts: int, recipients: Sequence[str]) -> None:
    """Count a send against the stick's cost guard, or refuse it (with a repair issue)."""
    try:
        stick.outbox.reserve(parts, len(recipients))
    except SmsOverBudgetError as err:
        raise_budget_issue(stick.coordinator.hass, stick.coordinator.entry, err, recipients)
        raise translated_error(
            HomeAssistantError,
            BUDGET_ERRORS[err.limit_kind],
            parts=str(err.parts),
            limit=str(err.limit),
            used=str(err.used),
        ) from err


async def async_send_sms(
    stick: HuaweiModemData,
    numbers: Sequence[str],
    text: str,
    *,
    flash: bool = False,
    delivery_report: bool = False,
) -> list[JsonValueType]:
    """Send ``text`` to every number in turn; per number, the references of its parts.

    Every number and the text are checked before the first message goes out.
    """
    recipients = valid_numbers(numbers)
    reserve_parts(stick, check_message(text), recipients)
    messages: list[JsonValueType] = []
    sent_to: list[str] = []
    for number in recipients:
        try:
            sent = await stick.outbox.async_send(
                number, text, flash=flash, delivery_report=delivery_report
            )
        except ModemError as err:
            raise send_error(err, number, sent_to) from err
        messages.append(sent_entry(number, sent))
        sent_to.append(number)
    return messages


def refusal_placeholders(error: CmsError) -> dict[str, str]:
    """The network's refusal code and its meaning, for the error message."""
    return {"code": str(error.code), "meaning": error.meaning}


def send_error(error: ModemError, number: str, sent_to: Sequence[str]) -> HomeAssistantError:
    """Why the SMS to ``number`` did not go out, naming the numbers it had gone to already."""
    placeholders = {"number": number}
    if isinstance(error, SmsRefusedError | SmsInterruptedError) and error.sent_count:
        placeholders |= {
            "sent_parts": str(error.sent_count),
            "parts": str(error.part_count),
            "references": ", ".join(map(str, error.sent_references)),
        }
        if isinstance(error, SmsRefusedError):
            placeholders |= refusal_placeholders(error)
            key = "sms_part_refused"
        else:
            placeholders["error"] = str(error.cause)
            key = "sms_part_failed"
    elif isinstance(error, CmsError):
        placeholders |= refusal_placeholders(error)
        key = "sms_refused"
    elif isinstance(error, AtTimeoutError | ConnectionLostError) and not isinstance(
        error, PortNotOpenError
    ):
        placeholders["error"] = str(error)
        key = "sms_unconfirmed"  # the network may have taken it before the stick fell silent
    else:
        placeholders["error"] = str(error)
        key = "sms_failed"
    if sent_to:
        placeholders["sent"] = ", ".join(sent_to)
        key = f"{key}_after_sent"
    return translated_error(HomeAssistantError, key, **placeholders)


def sent_entry(number: str, sent: SentMessage) -> JsonObjectType:
    """What the action answers about one recipient."""
    references: list[JsonValueType] = list(sent.references)
    return {"number": number, "references": references}


# --- USSD -----------------------------------------------------------------------------------------


async def async_send_ussd(coordinator: HuaweiModemCoordinator, code: str) -> UssdResponse:
    """The network's answer to a USSD code (or to a menu choice of an open session)."""
    try:
        answer = await coordinator.modem.ussd(code)
    except PduError as err:
        raise translated_error(ServiceValidationError, "invalid_ussd_code", code=code) from err
    except AtTimeoutError as err:
        raise translated_error(HomeAssistantError, "ussd_timeout", code=code) from err
    except AtCommandError as err:
        raise translated_error(
            HomeAssistantError, "ussd_refused", code=code, error=str(err)
        ) from err
    except ModemError as err:
        raise translated_error(
            HomeAssistantError, "ussd_failed", code=code, error=str(err)
        ) from err
    if (why := unanswered(answer)) is not None:
        raise translated_error(HomeAssistantError, UNANSWERED_KEYS[why], code=code)
    return answer
