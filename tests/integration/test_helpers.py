"""The small pure helpers of the Home Assistant layer."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.update_coordinator import UpdateFailed
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import CONF_DEVICE, DOMAIN
from custom_components.huawei_modem.coordinator import HuaweiModemCoordinator
from custom_components.huawei_modem.errors import translated_error, update_failed
from custom_components.huawei_modem.modem.errors import (
    AtTimeoutError,
    ModemError,
    PinError,
    PukRequiredError,
    WrongPinError,
)
from custom_components.huawei_modem.sim_state import pin_failure_key

from .helpers import rendered


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (WrongPinError("refused", 2), "pin_refused"),
        (PinError("refused"), "pin_refused"),
        (PukRequiredError("locked", 10), "puk_required"),
        (AtTimeoutError("AT+CPIN", 10), "pin_unconfirmed"),
    ],
)
def test_each_pin_failure_is_explained(error: ModemError, key: str) -> None:
    assert pin_failure_key(error) == key


async def test_identity_is_unknown_before_the_first_update(hass: HomeAssistant) -> None:
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_DEVICE: "/dev/null-stick"})
    entry.add_to_hass(hass)
    coordinator = HuaweiModemCoordinator(hass, entry)

    with pytest.raises(RuntimeError):
        _ = coordinator.identity
    await coordinator.async_shutdown()


def test_a_translated_error_carries_its_key_and_placeholders() -> None:
    error = translated_error(ServiceValidationError, "invalid_number", number="12ab")
    assert (error.translation_domain, error.translation_key) == (DOMAIN, "invalid_number")
    assert error.translation_placeholders == {"number": "12ab"}
    assert rendered(error).startswith('"12ab" is not a phone number an SMS can go to')


def test_update_failed_is_translated() -> None:
    error = update_failed("communication_failed", error="port gone")
    assert isinstance(error, UpdateFailed)
    assert rendered(error) == "Lost contact with the stick: port gone"
