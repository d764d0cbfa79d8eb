"""End to end: a real Home Assistant, the emulated stick, and a person's steps over the REST API."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

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
        receive_an_sms(develop, token)
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


def receive_an_sms(develop: Develop, token: str) -> None:
    develop.emulator("sms", "--sender", "+491517654321", "Gate open")
    event_entity = "event.huawei_e3372_sms"
    wait_for(develop, token, lambda s: s.get(event_entity) not in (None, "unknown"), "received")


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
