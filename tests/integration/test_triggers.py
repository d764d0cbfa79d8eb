"""The editor's triggers of a stick (device triggers, integration triggers) against the emulator.

Each automation is written as the automation editor saves it, loaded by the automation
integration, and fired by the emulated stick: an SMS, a delivery report, a call.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import Event, HomeAssistant, ServiceCall
from homeassistant.helpers import trigger as trigger_helper
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_get_device_automations,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.huawei_modem.bus_triggers import KINDS
from custom_components.huawei_modem.const import DOMAIN, EVENT_CALL, EVENT_SMS_DELIVERED
from emulator import EmulatedStick

from .automations import (
    automate,
    load_automations,
    needs_integration_triggers,
    record_calls,
    recorded,
    recording,
)
from .helpers import STRINGS, device_id_of, until
from .test_send import send_sms

CALLER = "+491701234567"
OTHER = "+4915199999999"
TRIGGERS_YAML = STRINGS.parent / "triggers.yaml"


def device_trigger(hass: HomeAssistant, kind: str, **options: Any) -> dict[str, Any]:
    """A device trigger as the editor saves it."""
    device = {"domain": DOMAIN, "device_id": device_id_of(hass), "type": kind}
    return {"trigger": "device", **device, **options}


def integration_trigger(hass: HomeAssistant, kind: str, **options: Any) -> dict[str, Any]:
    """An integration trigger as the editor saves it."""
    return {
        "trigger": f"{DOMAIN}.{kind}",
        "options": {"device_id": [device_id_of(hass)], **options},
    }


TRIGGER_STYLES = [
    pytest.param(device_trigger, id="device trigger"),
    pytest.param(integration_trigger, id="integration trigger", marks=needs_integration_triggers),
]


@pytest.fixture(name="record")
def record_fixture(hass: HomeAssistant) -> list[ServiceCall]:
    return record_calls(hass)


# --- an SMS arrives -------------------------------------------------------------------------------

MESSAGES = [(CALLER, "Heating on"), (OTHER, "heating ON now"), (CALLER, "Lights off")]


@pytest.mark.parametrize("style", TRIGGER_STYLES)
@pytest.mark.parametrize(
    ("options", "fired"),
    [
        ({}, [0, 1, 2]),
        ({"sender": "+49 170 123-4567"}, [0, 2]),
        ({"text_contains": "HEATING"}, [0, 1]),
        ({"text_equals": " heating on "}, [0]),
        ({"sender": OTHER, "text_equals": "heating on"}, []),
    ],
)
async def test_an_sms_arrives(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    received: list[Event],
    record: list[ServiceCall],
    style: Any,
    options: dict[str, str],
    fired: list[int],
) -> None:
    trigger = style(hass, "sms_received", **options)
    await automate(hass, {"triggers": [trigger], "actions": [recording("sender", "text")]})

    for count, (sender, text) in enumerate(MESSAGES, start=1):
        stick.deliver_sms(sender, text)
        await until(hass, lambda count=count: len(received) == count)
    await hass.async_block_till_done()

    expected = [dict(zip(("sender", "text"), MESSAGES[index], strict=True)) for index in fired]
    assert [recorded(call) for call in record] == expected


@pytest.mark.parametrize("style", TRIGGER_STYLES)
async def test_every_field_of_the_sms_reaches_the_actions(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    record: list[ServiceCall],
    style: Any,
) -> None:
    fields = ("device_id", "sender", "text", "timestamp", "parts", "platform", "id")
    action = recording(*fields)
    action["data"]["event"] = "{{ trigger.event.data.text }}"
    await automate(hass, {"triggers": [style(hass, "sms_received")], "actions": [action]})

    stick.deliver_sms(CALLER, "Hallo Welt")
    await until(hass, lambda: bool(record))

    data = recorded(record[0])
    assert (data["device_id"], data["sender"], data["text"]) == (
        device_id_of(hass),
        CALLER,
        "Hallo Welt",
    )
    assert (data["parts"], data["event"], data["id"]) == (1, "Hallo Welt", "0")
    assert data["timestamp"]
    assert data["platform"] in ("device", f"{DOMAIN}.sms_received")


# --- an SMS was (not) delivered -------------------------------------------------------------------


@pytest.mark.parametrize("style", TRIGGER_STYLES)
@pytest.mark.parametrize(("status", "delivered"), [(0x00, True), (0x41, False)])
async def test_an_sms_was_delivered_or_not(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    record: list[ServiceCall],
    style: Any,
    status: int,
    delivered: bool,
) -> None:
    def told(kind: str, **options: str) -> dict[str, Any]:
        action = recording("recipient", "status")
        action["data"]["kind"] = kind
        return {"triggers": [style(hass, kind, **options)], "actions": [action]}

    await automate(
        hass,
        told("sms_delivered"),
        told("sms_not_delivered"),
        told("sms_delivered", recipient=OTHER),
        told("sms_not_delivered", recipient=OTHER),
    )
    reports = async_capture_events(hass, EVENT_SMS_DELIVERED)
    stick.sms.status_report_status = status

    await send_sms(hass, loaded_entry, number=CALLER, message="Hallo", delivery_report=True)
    await until(hass, lambda: bool(reports))
    await hass.async_block_till_done()

    kind = "sms_delivered" if delivered else "sms_not_delivered"
    assert [recorded(call) for call in record] == [
        {"recipient": CALLER, "status": status, "kind": kind}
    ]


# --- an incoming call -----------------------------------------------------------------------------


@pytest.mark.parametrize("style", TRIGGER_STYLES)
@pytest.mark.parametrize(
    ("options", "fired"),
    [
        ({}, [("ringing", 1), ("ringing", 2)]),
        ({"state": ["missed"]}, [("missed", 2)]),
        (
            {"state": ["ringing", "missed"], "caller": CALLER},
            [("ringing", 1), ("ringing", 2), ("missed", 2)],
        ),
        ({"caller": OTHER}, []),
    ],
)
async def test_an_incoming_call(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    record: list[ServiceCall],
    style: Any,
    options: dict[str, Any],
    fired: list[tuple[str, int]],
) -> None:
    calls = async_capture_events(hass, EVENT_CALL)
    trigger = style(hass, "incoming_call", **options)
    await automate(
        hass, {"triggers": [trigger], "actions": [recording("caller", "state", "ring_count")]}
    )
    stick.device.calls.hurry()

    stick.device.calls.incoming(CALLER, rings=2)
    await until(hass, lambda: bool(calls) and calls[-1].data["state"] != "ringing")
    await hass.async_block_till_done()

    assert [(recorded(call)["state"], recorded(call)["ring_count"]) for call in record] == fired
    assert {recorded(call)["caller"] for call in record} <= {CALLER}


# --- what the editor offers -----------------------------------------------------------------------


async def test_the_editor_lists_every_trigger_of_a_stick_with_its_filters(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    device_id = device_id_of(hass)
    triggers = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, device_id)
    ours = [trigger for trigger in triggers if trigger["domain"] == DOMAIN]
    assert sorted(trigger["type"] for trigger in ours) == sorted(KINDS)

    assert await async_setup_component(hass, "device_automation", {})
    client = await hass_ws_client(hass)
    forms = {}
    for trigger in ours:
        request = {"type": "device_automation/trigger/capabilities", "trigger": trigger}
        await client.send_json_auto_id(request)
        answer = await client.receive_json()
        forms[trigger["type"]] = [field["name"] for field in answer["result"]["extra_fields"]]
    assert forms == {
        "sms_received": ["sender", "text_contains", "text_equals"],
        "sms_delivered": ["recipient"],
        "sms_not_delivered": ["recipient"],
        "incoming_call": ["caller", "state"],
    }


@pytest.mark.parametrize("style", TRIGGER_STYLES)
async def test_a_trigger_for_a_device_that_is_no_stick_is_refused(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, style: Any
) -> None:
    trigger = style(hass, "sms_received")
    if "options" in trigger:
        trigger["options"]["device_id"] = ["0123456789abcdef"]
    else:
        trigger["device_id"] = "0123456789abcdef"
    assert await load_automations(hass, {"triggers": [trigger], "actions": []}) != ["on"]


@pytest.mark.parametrize("style", TRIGGER_STYLES)
async def test_an_option_of_another_trigger_is_refused(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, style: Any
) -> None:
    trigger = style(hass, "incoming_call", text_equals="open")
    assert await load_automations(hass, {"triggers": [trigger], "actions": []}) != ["on"]


# --- the editor's words ---------------------------------------------------------------------------


def test_every_trigger_and_filter_has_its_words() -> None:
    strings = yaml.safe_load(STRINGS.read_text(encoding="utf-8"))
    described = yaml.safe_load(TRIGGERS_YAML.read_text(encoding="utf-8"))
    device_words = strings["device_automation"]
    for key, kind in KINDS.items():
        fields = {str(marker) for marker in kind.option_fields()}
        assert key in device_words["trigger_type"]
        assert fields <= set(device_words["extra_fields"])
        assert set(described[key]["fields"]) == {"device_id", *fields}
        assert set(strings["triggers"][key]["fields"]) == {"device_id", *fields}
    assert {key for key in described if not key.startswith(".")} == set(KINDS)
    assert set(strings["selector"]["call_state"]["options"]) == set(
        described["incoming_call"]["fields"]["state"]["selector"]["select"]["options"]
    )


@needs_integration_triggers
async def test_home_assistant_reads_the_trigger_descriptions(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    await load_automations(hass)  # the automation integration sets the trigger helper up
    descriptions = await trigger_helper.async_get_all_descriptions(hass)
    ours = {key: value for key, value in descriptions.items() if key.startswith(f"{DOMAIN}.")}
    assert set(ours) == {f"{DOMAIN}.{key}" for key in KINDS}
    assert all(
        description and "device_id" in description["fields"] for description in ours.values()
    )


def test_every_integration_trigger_has_an_icon() -> None:
    icons = yaml.safe_load((STRINGS.parent / "icons.json").read_text(encoding="utf-8"))["triggers"]
    assert set(icons) == set(KINDS)
    assert all(icon["trigger"].startswith("mdi:") for icon in icons.values())
