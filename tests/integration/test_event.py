"""The SMS event entity of a stick: it relays the stick's received and delivered events."""

from __future__ import annotations

from homeassistant.components.event import ATTR_EVENT_TYPE, ATTR_EVENT_TYPES
from homeassistant.core import HomeAssistant, State
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import EVENT_SMS_DELIVERED
from emulator import EmulatedStick

from .helpers import device_id_of, until

SMS_EVENT = "event.e3372_sms"
SENDER = "+491701234567"


def sms_event(hass: HomeAssistant) -> State:
    state = hass.states.get(SMS_EVENT)
    assert state is not None
    return state


async def test_a_received_sms_triggers_the_event_entity(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    assert sms_event(hass).state == "unknown"
    assert sms_event(hass).attributes[ATTR_EVENT_TYPES] == ["sms_received", "sms_delivered"]

    stick.deliver_sms(SENDER, "Open the garage")
    await until(hass, lambda: sms_event(hass).state != "unknown")

    attributes = sms_event(hass).attributes
    assert attributes[ATTR_EVENT_TYPE] == "sms_received"
    assert attributes["sender"] == SENDER
    assert attributes["text"] == "Open the garage"
    assert attributes["parts"] == 1
    assert "device_id" not in attributes


async def test_a_delivery_report_of_this_stick_triggers_it_and_others_do_not(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    report = {"reference": 7, "recipient": SENDER, "delivered": True}
    hass.bus.async_fire(EVENT_SMS_DELIVERED, {"device_id": "another stick", **report})
    await hass.async_block_till_done()
    assert sms_event(hass).state == "unknown"

    hass.bus.async_fire(EVENT_SMS_DELIVERED, {"device_id": device_id_of(hass), **report})
    await hass.async_block_till_done()

    attributes = sms_event(hass).attributes
    assert attributes[ATTR_EVENT_TYPE] == "sms_delivered"
    assert attributes["recipient"] == SENDER
    assert attributes["delivered"] is True


async def test_it_stays_available_while_the_stick_is_away(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    stick.unplug()
    signal = "sensor.e3372_signal_strength"
    await until(hass, lambda: getattr(hass.states.get(signal), "state", None) == "unavailable")
    assert sms_event(hass).state == "unknown"
