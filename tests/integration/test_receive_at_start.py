"""No event before anyone can hear it: what the stick holds while Home Assistant starts or stops.

Automations attach their triggers once Home Assistant has started, after every integration was
set up. SMS and delivery reports found or announced before then stay on the SIM and are fired
once Home Assistant has started, to the automations listening.
"""

from __future__ import annotations

import pytest
from homeassistant.components import automation
from homeassistant.core import CoreState, HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.huawei_modem.const import EVENT_SMS_DELIVERED, EVENT_SMS_RECEIVED
from emulator import EmulatedStick

from .helpers import LONG_GSM, SENDER, restart, settle, until
from .test_delivery import deliver_report, sent_awaiting_report


async def listening_automation(hass: HomeAssistant, event_type: str) -> list[ServiceCall]:
    """An automation that records every ``event_type`` it hears (as a user's would)."""
    heard = async_mock_service(hass, "test", "heard")
    config = {
        "alias": f"record {event_type}",
        "trigger": {"platform": "event", "event_type": event_type},
        "action": {"service": "test.heard", "data": {"event": "{{ trigger.event.data }}"}},
    }
    assert await async_setup_component(hass, automation.DOMAIN, {automation.DOMAIN: config})
    return heard


async def start(hass: HomeAssistant) -> None:
    """Once every integration is set up: start (automations arm their triggers), started."""
    await hass.async_start()
    await hass.async_block_till_done()


@pytest.fixture
def _booting(hass: HomeAssistant) -> None:
    """Home Assistant sets its integrations up (the harness's instance runs already)."""
    hass.set_state(CoreState.not_running)


@pytest.mark.usefixtures("_booting")
async def test_sms_waiting_at_start_reach_the_automation(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry
) -> None:
    stick.deliver_sms(SENDER, "Sent while Home Assistant was down")
    stick.deliver_sms("+4930123456", LONG_GSM)
    heard = await listening_automation(hass, EVENT_SMS_RECEIVED)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    assert len(stick.stored_messages()) == 4  # the SIM keeps them until someone listens

    await start(hass)
    await until(hass, lambda: len(heard) == 2 and not stick.stored_messages())
    texts = [call.data["event"]["text"] for call in heard]
    assert texts == ["Sent while Home Assistant was down", LONG_GSM]


@pytest.mark.usefixtures("_booting")
async def test_sms_arriving_while_home_assistant_starts_reach_the_automation(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry
) -> None:
    heard = await listening_automation(hass, EVENT_SMS_RECEIVED)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    for number in range(3):
        stick.deliver_sms(SENDER, f"Message {number} during a slow start")
    await settle(hass)
    assert len(stick.stored_messages()) == 3

    await start(hass)
    await until(hass, lambda: len(heard) == 3 and not stick.stored_messages())
    assert sorted(call.data["event"]["text"] for call in heard) == [
        f"Message {number} during a slow start" for number in range(3)
    ]


async def test_a_delivery_report_during_the_start_reaches_the_automation(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    stick.sms.status_report_delay = 3600  # the network takes its time
    reference = await sent_awaiting_report(hass, loaded_entry)
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    hass.set_state(CoreState.not_running)  # Home Assistant restarts
    heard = await listening_automation(hass, EVENT_SMS_DELIVERED)
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    await settle(hass)
    deliver_report(stick, reference)
    await settle(hass)
    assert heard == []

    await start(hass)
    await until(hass, lambda: len(heard) == 1)
    assert heard[0].data["event"]["delivered"] is True


async def test_sms_arriving_while_home_assistant_stops_wait_for_the_next_start(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry
) -> None:
    """Once Home Assistant stops, automations no longer run: the SIM keeps the message."""
    heard = await listening_automation(hass, EVENT_SMS_RECEIVED)
    await settle(hass)
    hass.set_state(CoreState.stopping)
    stick.deliver_sms(SENDER, "Sent while Home Assistant stops")
    await settle(hass)
    assert heard == []
    assert len(stick.stored_messages()) == 1

    hass.set_state(CoreState.running)  # the next start
    await restart(hass, loaded_entry)
    await until(hass, lambda: len(heard) == 1 and not stick.stored_messages())
    assert heard[0].data["event"]["text"] == "Sent while Home Assistant stops"
