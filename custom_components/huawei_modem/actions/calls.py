"""The call actions: ``hang_up`` ends a call, ``call`` makes an alarm call and tells its outcome.

``huawei_modem.call`` returns once the call is over, answering with what happened (answered and
for how long, no answer, busy, rejected, no network, not supported by the stick): a script can
fall back to an SMS on anything but ``answered``. A bad number is refused before anything is
dialled; only a stick that fails on the way raises an error.
"""

from __future__ import annotations

from typing import Final

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv

from ..compat import vol
from ..const import (
    ATTR_DEVICE_ID,
    ATTR_NUMBER,
    ATTR_RING_SECONDS,
    ATTR_TALK_SECONDS,
    DOMAIN,
    SERVICE_CALL,
    SERVICE_HANG_UP,
)
from ..errors import translated_error
from ..modem.errors import ModemError
from .lookup import stick_of_device
from .messages import valid_numbers

DEFAULT_RING_SECONDS: Final = 30
DEFAULT_TALK_SECONDS: Final = 30

HANG_UP_SCHEMA: Final = vol.Schema({vol.Required(ATTR_DEVICE_ID): cv.string})
CALL_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_NUMBER): cv.string,
        vol.Optional(ATTR_RING_SECONDS, default=DEFAULT_RING_SECONDS): vol.All(
            vol.Coerce(int), vol.Range(min=5, max=120)
        ),
        vol.Optional(ATTR_TALK_SECONDS, default=DEFAULT_TALK_SECONDS): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=600)
        ),
    }
)


@callback
def async_register_call_actions(hass: HomeAssistant) -> None:
    """Register ``hang_up`` and ``call``."""

    async def hang_up(call: ServiceCall) -> None:
        stick = stick_of_device(hass, call.data[ATTR_DEVICE_ID], reachable=True)
        try:
            await stick.phone.async_hang_up()
        except ModemError as err:
            raise translated_error(HomeAssistantError, "hang_up_failed", error=str(err)) from err

    async def make_call(call: ServiceCall) -> ServiceResponse:
        stick = stick_of_device(hass, call.data[ATTR_DEVICE_ID], reachable=True)
        (number,) = valid_numbers([call.data[ATTR_NUMBER]], "invalid_call_number")
        try:
            result = await stick.phone.async_call(
                number, call.data[ATTR_RING_SECONDS], call.data[ATTR_TALK_SECONDS]
            )
        except ModemError as err:
            raise translated_error(
                HomeAssistantError, "call_failed", number=number, error=str(err)
            ) from err
        return {"number": number, "outcome": result.outcome.value, "duration": result.duration}

    hass.services.async_register(DOMAIN, SERVICE_HANG_UP, hang_up, HANG_UP_SCHEMA)
    hass.services.async_register(
        DOMAIN, SERVICE_CALL, make_call, CALL_SCHEMA, SupportsResponse.OPTIONAL
    )
