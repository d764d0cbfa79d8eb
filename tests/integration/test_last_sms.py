"""The last received SMS on the stick's page: when, from whom, what (unless the options hide it)."""

from __future__ import annotations

from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import CONF_SHOW_SMS_TEXT
from emulator import EmulatedStick

from .helpers import SENDER, change_options, restart, state_of, until

RECEIVED = "sensor.e3372_last_sms_received"
FROM = "sensor.e3372_last_sms_from"
TEXT = "sensor.e3372_last_sms_text"


async def test_the_last_sms_is_on_the_page_and_stays_after_a_restart(
    hass: HomeAssistant, stick: EmulatedStick, ready_entry: MockConfigEntry, received: list[Event]
) -> None:
    assert state_of(hass, FROM) == "unknown"
    before = dt_util.utcnow()
    stick.deliver_sms(SENDER, "Die Haustür ist offen")
    await until(hass, lambda: bool(received))
    assert state_of(hass, FROM) == SENDER
    assert state_of(hass, TEXT) == "Die Haustür ist offen"
    when = dt_util.parse_datetime(state_of(hass, RECEIVED))
    assert when is not None
    assert when >= before.replace(microsecond=0)

    await restart(hass, ready_entry)
    assert state_of(hass, FROM) == SENDER
    assert state_of(hass, TEXT) == "Die Haustür ist offen"
    assert dt_util.parse_datetime(state_of(hass, RECEIVED)) == when


async def test_a_long_text_is_cut_to_a_state(
    hass: HomeAssistant, stick: EmulatedStick, ready_entry: MockConfigEntry, received: list[Event]
) -> None:
    stick.deliver_sms(SENDER, "Lang " * 100)
    await until(hass, lambda: bool(received))
    text = state_of(hass, TEXT)
    assert len(text) == 255
    assert text.endswith("…")
    assert received[0].data["text"].startswith(text[:-1])


async def test_the_options_can_hide_the_text(
    hass: HomeAssistant, stick: EmulatedStick, ready_entry: MockConfigEntry, received: list[Event]
) -> None:
    assert er.async_get(hass).async_get(TEXT) is not None
    await change_options(hass, ready_entry, **{CONF_SHOW_SMS_TEXT: False})
    assert er.async_get(hass).async_get(TEXT) is None
    assert hass.states.get(TEXT) is None
    stick.deliver_sms(SENDER, "Geheim")
    await until(hass, lambda: state_of(hass, FROM) == SENDER)
    assert all("Geheim" not in str(state.as_dict()) for state in hass.states.async_all("sensor"))
