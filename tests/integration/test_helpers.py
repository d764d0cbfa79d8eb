"""The small pure helpers of the Home Assistant layer."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.compat import (
    ERRORS_RENDER_TRANSLATIONS,
    english_exception_message,
    get_runtime_data,
    set_runtime_data,
    translated_error,
    update_failed,
)
from custom_components.huawei_modem.const import CONF_DEVICE, DOMAIN
from custom_components.huawei_modem.coordinator import (
    HuaweiModemCoordinator,
    merge_signal,
    pin_failure_key,
)
from custom_components.huawei_modem.modem.errors import (
    AtTimeout,
    ModemError,
    PinError,
    PukRequired,
    WrongPin,
)
from custom_components.huawei_modem.modem.models import AccessTechnology, SignalQuality

LTE = SignalQuality(AccessTechnology.LTE, csq=20, rssi_dbm=-80, rsrp_dbm=-100, sinr_db=5.0)


def test_a_pushed_rssi_changes_only_the_csq_values() -> None:
    merged = merge_signal(LTE, SignalQuality(csq=10, rssi_dbm=-93))
    assert (merged.csq, merged.rssi_dbm, merged.rsrp_dbm) == (10, -93, -100)


def test_a_pushed_hcsq_replaces_the_details_and_keeps_the_csq() -> None:
    pushed = SignalQuality(AccessTechnology.WCDMA, rssi_dbm=-85, rscp_dbm=-90, ecio_db=-7.0)
    assert merge_signal(LTE, pushed) == SignalQuality(
        AccessTechnology.WCDMA, csq=20, rssi_dbm=-85, rscp_dbm=-90, ecio_db=-7.0
    )


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (WrongPin("refused", 2), "pin_refused"),
        (PinError("refused"), "pin_refused"),
        (PukRequired("locked", 10), "puk_required"),
        (AtTimeout("AT+CPIN", 10), "pin_unconfirmed"),
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


async def test_runtime_data_of_another_kind_is_refused(hass: HomeAssistant) -> None:
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_DEVICE: "/dev/null-stick"})
    entry.add_to_hass(hass)
    set_runtime_data(hass, entry, "not a coordinator")

    with pytest.raises(TypeError):
        get_runtime_data(hass, entry, HuaweiModemCoordinator)


def test_a_translated_error_reads_as_the_english_message_where_home_assistant_does_not_render_it(
    hass: HomeAssistant,
) -> None:
    error = translated_error(ServiceValidationError, "invalid_number", number="12ab")
    assert (error.translation_domain, error.translation_key) == (DOMAIN, "invalid_number")
    assert error.translation_placeholders == {"number": "12ab"}
    if not ERRORS_RENDER_TRANSLATIONS:
        assert str(error).startswith('"12ab" is not a phone number an SMS can go to')


def test_an_english_message_survives_missing_placeholders_and_unknown_keys() -> None:
    assert english_exception_message("communication_failed", {}) == (
        "Lost contact with the stick: {error}"
    )
    assert english_exception_message("no_such_key", {"a": "b"}) == "no_such_key"


def test_update_failed_carries_the_english_message() -> None:
    assert str(update_failed("communication_failed", error="port gone")) == (
        "Lost contact with the stick: port gone"
    )
