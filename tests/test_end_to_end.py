"""End to end: a real Home Assistant, the emulated stick, and a person's steps over the REST API."""

from __future__ import annotations

import time
import urllib.error
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
import yaml

from .real_hass import (
    ROOT,
    Develop,
    fetch,
    onboard,
    render,
    request,
    run_develop,
    wait_until_serving,
)

pytestmark = [pytest.mark.slow, pytest.mark.newest_hass]

BRAND_ICON = ROOT / "custom_components" / "huawei_modem" / "brand" / "icon.png"
PIN = "1234"
SIGNAL = "sensor.huawei_e3372_signal_strength"


def add_stick(develop: Develop, token: str) -> dict[str, Any]:
    """Settings > Add integration > Huawei USB Modem: port, PIN, done."""
    flows = f"{develop.base_url}/api/config/config_entries/flow"
    form = request(flows, token=token, json_body={"handler": "huawei_modem"})
    assert form["step_id"] == "user"
    pin_form = request(
        f"{flows}/{form['flow_id']}", token=token, json_body={"device": develop.pcui_path}
    )
    assert pin_form["step_id"] == "pin"
    assert pin_form["description_placeholders"]["attempts_left"] == "3"
    done = request(f"{flows}/{form['flow_id']}", token=token, json_body={"pin": PIN})
    assert done["type"] == "create_entry", done
    return dict(done["result"])


def states_of_stick(develop: Develop, token: str) -> dict[str, str]:
    states = request(f"{develop.base_url}/api/states", token=token)
    return {s["entity_id"]: s["state"] for s in states if ".huawei_e3372_" in s["entity_id"]}


def wait_for(
    develop: Develop, token: str, condition: Callable[[dict[str, str]], bool], what: str
) -> dict[str, str]:
    deadline = time.monotonic() + 90
    while True:
        states = states_of_stick(develop, token)
        if condition(states):
            return states
        assert time.monotonic() < deadline, f"{what}: {states}"
        time.sleep(0.5)


def test_a_person_adds_the_stick_and_watches_it_through_a_replug(
    tmp_path: Path, socket_enabled: None
) -> None:
    with run_develop(tmp_path, "--pin", PIN) as develop:
        wait_until_serving(develop.base_url, timeout=240)
        token = onboard(develop.base_url)

        entry = add_stick(develop, token)
        assert entry["title"] == "Huawei E3372"
        assert entry["state"] == "loaded"

        states = wait_for(develop, token, lambda s: s.get(SIGNAL) not in (None, "unknown"), "up")
        assert -113 <= float(states[SIGNAL]) <= -51
        assert states["sensor.huawei_e3372_operator"]
        assert states["sensor.huawei_e3372_sim_state"] == "ready"

        develop.emulator("signal", "--rssi", "-97")
        wait_for(develop, token, lambda s: s[SIGNAL] == "-97", "pushed signal")

        send_an_sms(develop, token)
        add_a_recipient_and_notify_her(develop, token, entry["entry_id"])
        receive_an_sms(develop, token)
        ring_to_open_the_gate(develop, token)
        alarm_call_falls_back_to_sms(develop, token)
        change_the_options(develop, token, entry["entry_id"])

        develop.emulator("unplug")
        wait_for(develop, token, lambda s: s[SIGNAL] == "unavailable", "unplugged")
        develop.emulator("replug")
        states = wait_for(develop, token, lambda s: s[SIGNAL] != "unavailable", "replugged")
        assert states["sensor.huawei_e3372_sim_state"] == "ready", "the stored PIN was not used"

        assert warnings_of_ours(develop) == []
        assert brand_icon_served(develop, token) == BRAND_ICON.read_bytes()


def brand_icon_served(develop: Develop, token: str) -> bytes:
    """The integration's own icon, which current releases serve instead of a broken image."""
    return fetch(f"{develop.base_url}/api/brands/integration/huawei_modem/icon.png", token=token)


def send_an_sms(develop: Develop, token: str) -> None:
    """The send_sms action, as an automation would call it, reaches the (emulated) network."""
    device_id = render(develop.base_url, token, f"{{{{ device_id('{SIGNAL}') }}}}")
    answer = request(
        f"{develop.base_url}/api/services/huawei_modem/send_sms?return_response",
        token=token,
        json_body={"device_id": device_id, "number": ["+491701234567"], "message": "Hallo ☀"},
    )
    assert answer["service_response"]["messages"][0]["number"] == "+491701234567"
    assert "Hallo ☀" in develop.emulator("sent")


def add_a_recipient_and_notify_her(develop: Develop, token: str, entry_id: str) -> None:
    """The stick's entry > Add recipient: her notify entity sends her an SMS."""
    flows = f"{develop.base_url}/api/config/config_entries/subentries/flow"
    form = request(flows, token=token, json_body={"handler": [entry_id, "recipient"]})
    anna = {"name": "Anna", "number": "+49 170 7654321", "flash": False, "delivery_report": False}
    done = request(f"{flows}/{form['flow_id']}", token=token, json_body=anna)
    assert done["type"] == "create_entry", done
    wait_until(develop, token, "notify.huawei_e3372_anna", "unknown")
    request(
        f"{develop.base_url}/api/services/notify/send_message",
        token=token,
        json_body={"entity_id": "notify.huawei_e3372_anna", "message": "Hallo Anna"},
    )
    assert "Hallo Anna" in develop.emulator("sent")


def receive_an_sms(develop: Develop, token: str) -> None:
    develop.emulator("sms", "--sender", "+491517654321", "Gate open")
    event_entity = "event.huawei_e3372_sms"
    wait_for(develop, token, lambda s: s.get(event_entity) not in (None, "unknown"), "received")


def readme_example(marker: str) -> dict[str, Any]:
    """The README's YAML example that contains ``marker``, as Home Assistant would load it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [block.split("```", 1)[0] for block in readme.split("```yaml\n")[1:]]
    (block,) = (block for block in blocks if marker in block)
    return dict(yaml.safe_load(block))


def ring_to_open_the_gate(develop: Develop, token: str) -> None:
    """The README's gate automation, saved as the automation editor does: a call from an allowed
    number opens the gate, one from another number does not."""
    (automation,) = readme_example("Ring to open the gate")["automation"]
    request(
        f"{develop.base_url}/api/config/automation/config/ring_to_open_the_gate",
        token=token,
        json_body=automation,
    )
    wait_until(develop, token, "automation.ring_to_open_the_gate", "on")
    develop.emulator("call", "--from", "+4930999999", "--hang-up-after", "1")
    wait_for_call(develop, token, "+4930999999", "missed")
    assert state_of(develop, token, "switch.gate") == "off"
    develop.emulator("call", "--from", "+491701234567", "--hang-up-after", "1")
    wait_until(develop, token, "switch.gate", "on")
    wait_for_call(develop, token, "+491701234567", "missed")


def wait_for_call(develop: Develop, token: str, caller: str, event_type: str) -> None:
    """Until the stick's call event entity shows ``event_type`` of a call from ``caller``."""
    url = f"{develop.base_url}/api/states/event.huawei_e3372_call"
    deadline = time.monotonic() + 30
    while True:
        attributes = request(url, token=token)["attributes"]
        if (attributes.get("caller"), attributes.get("event_type")) == (caller, event_type):
            return
        assert time.monotonic() < deadline, attributes
        time.sleep(0.3)


def alarm_call_falls_back_to_sms(develop: Develop, token: str) -> None:
    """The README's alarm script: the far end is busy, so the SMS goes out instead."""
    script = readme_example("water_alarm")["script"]["water_alarm"]
    device_id = render(develop.base_url, token, f"{{{{ device_id('{SIGNAL}') }}}}")
    script = for_this_stick(script, device_id)
    request(
        f"{develop.base_url}/api/config/script/config/water_alarm", token=token, json_body=script
    )
    develop.emulator("far-end", "--busy")
    request(f"{develop.base_url}/api/services/script/water_alarm", token=token, json_body={})
    assert "Nobody answered the alarm call" in develop.emulator("sent")


def for_this_stick(example: Any, device_id: str) -> Any:
    """``example`` with this stick's device id wherever it names one."""
    if isinstance(example, dict):
        return {
            key: device_id if key == "device_id" else for_this_stick(value, device_id)
            for key, value in example.items()
        }
    if isinstance(example, list):
        return [for_this_stick(item, device_id) for item in example]
    return example


def state_of(develop: Develop, token: str, entity_id: str) -> str:
    """The entity's state; ``absent`` while Home Assistant does not have it (yet)."""
    try:
        return str(request(f"{develop.base_url}/api/states/{entity_id}", token=token)["state"])
    except urllib.error.HTTPError as err:
        if err.code != HTTPStatus.NOT_FOUND:
            raise
        return "absent"


def wait_until(develop: Develop, token: str, entity_id: str, state: str) -> None:
    deadline = time.monotonic() + 60
    while (found := state_of(develop, token, entity_id)) != state:
        assert time.monotonic() < deadline, f"{entity_id} is {found}, not {state}"
        time.sleep(0.3)


def change_the_options(develop: Develop, token: str, entry_id: str) -> None:
    """Configure > a new update interval: the entry reloads and comes back."""
    flows = f"{develop.base_url}/api/config/config_entries/options/flow"
    form = request(flows, token=token, json_body={"handler": entry_id})
    done = request(
        f"{flows}/{form['flow_id']}",
        token=token,
        json_body={"scan_interval": 20, "delete_received": True},
    )
    assert done["type"] == "create_entry", done
    wait_for(develop, token, lambda s: s.get(SIGNAL) not in (None, "unavailable"), "reloaded")


# What Home Assistant says of every custom integration, and what this test provokes on purpose.
EXPECTED_WARNINGS = (
    "We found a custom integration huawei_modem which has not been tested",
    "The stick went away",
)


def warnings_of_ours(develop: Develop) -> list[str]:
    """Lines of the real Home Assistant's log at WARNING or above that name this integration."""
    log = develop.workdir / "config" / "home-assistant.log"
    return [
        line
        for line in log.read_text(errors="replace").splitlines()
        if any(f" {level} (" in line for level in ("WARNING", "ERROR", "CRITICAL"))
        and "huawei_modem" in line
        and not any(expected in line for expected in EXPECTED_WARNINGS)
    ]
