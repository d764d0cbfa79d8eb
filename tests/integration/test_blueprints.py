"""The blueprints of the repository, loaded by Home Assistant's blueprint integration and run
against the emulated stick: an automation per blueprint (``use_blueprint``), fired as in life."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from homeassistant.core import Event, HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.huawei_modem.const import DOMAIN, EVENT_CALL
from emulator import EmulatedStick

from .automations import automate, switch_off_automations
from .helpers import device_id_of, settle, until

BLUEPRINTS = Path(__file__).parents[2] / "blueprints" / "automation" / DOMAIN
FRIEND = "+491701234567"
STRANGER = "+4915199999999"


class _InputLoader(yaml.SafeLoader):
    """Reads a blueprint as YAML: ``!input name`` as the name."""


_InputLoader.add_constructor("!input", lambda loader, node: loader.construct_scalar(node))


def blueprint_of(path: Path) -> dict[str, Any]:
    """The ``blueprint:`` block of a blueprint file."""
    document: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=_InputLoader)
    return document["blueprint"]


@pytest.fixture(autouse=True)
def _blueprints_in_the_config(hass: HomeAssistant, tmp_path: Path) -> None:
    """A configuration folder whose blueprints/automation/huawei_modem is the repository's."""
    config = tmp_path / "config"
    (config / "blueprints" / "automation").mkdir(parents=True)
    (config / "blueprints" / "automation" / DOMAIN).symlink_to(BLUEPRINTS)
    hass.config.config_dir = str(config)


async def use_blueprint(hass: HomeAssistant, name: str, **inputs: Any) -> None:
    """An automation made from the blueprint ``name`` with ``inputs`` (the stick added)."""
    inputs = {"stick": device_id_of(hass), **inputs}
    await automate(hass, {"use_blueprint": {"path": f"{DOMAIN}/{name}.yaml", "input": inputs}})


def ends(calls: list[Event]) -> int:
    return sum(call.data["state"] != "ringing" for call in calls)


def texts_to(stick: EmulatedStick, number: str) -> list[str]:
    return [sent.text for sent in stick.sent if sent.number == number]


# --- (a) forward every SMS ----------------------------------------------------------------------


async def test_every_sms_is_forwarded_to_the_phone(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    phone = async_mock_service(hass, "notify", "mobile_app_my_phone")
    await use_blueprint(hass, "forward_sms", notify_action="notify.mobile_app_my_phone")

    stick.deliver_sms(STRANGER, "Your parcel arrives today")
    await until(hass, lambda: bool(phone))

    assert [call.data for call in phone] == [
        {"title": f"SMS from {STRANGER}", "message": "Your parcel arrives today"}
    ]


# --- (b) an SMS command -------------------------------------------------------------------------


async def test_a_command_from_an_allowed_number_runs_and_is_answered(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    heating = async_mock_service(hass, "climate", "turn_on")
    await use_blueprint(
        hass,
        "sms_command",
        allowed_numbers=["+49 170 1234567"],
        command="heating on",
        command_actions=[{"action": "climate.turn_on", "target": {"entity_id": "climate.hall"}}],
        answer="Heating on, {{ 20 + 1 }} °C set.",
    )

    stick.deliver_sms(STRANGER, "heating on")  # not allowed
    stick.deliver_sms(FRIEND, "Heating off")  # not the command
    stick.deliver_sms(FRIEND, " Heating ON ")
    await until(hass, lambda: bool(texts_to(stick, FRIEND)))

    assert texts_to(stick, FRIEND) == ["Heating on, 21 °C set."]
    assert [call.data["entity_id"] for call in heating] == [["climate.hall"]]
    assert texts_to(stick, STRANGER) == []


# --- (c) ring to open the gate ------------------------------------------------------------------


@pytest.mark.parametrize(("first_ring_only", "opened"), [(True, 1), (False, 3)])
async def test_a_call_from_an_allowed_number_opens_the_gate(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    first_ring_only: bool,
    opened: int,
) -> None:
    gate = async_mock_service(hass, "switch", "turn_on")
    await use_blueprint(
        hass,
        "ring_to_open",
        allowed_numbers=[FRIEND],
        open_actions=[{"action": "switch.turn_on", "target": {"entity_id": "switch.gate"}}],
        first_ring_only=first_ring_only,
    )
    stick.device.calls.hurry()
    calls = async_capture_events(hass, EVENT_CALL)

    for count, caller in enumerate((STRANGER, FRIEND), start=1):
        stick.device.calls.incoming(caller, rings=3)
        await until(hass, lambda count=count: ends(calls) == count)
    await hass.async_block_till_done()

    assert len(gate) == opened
    assert {tuple(call.data["entity_id"]) for call in gate} == {("switch.gate",)}


# --- (d) a low prepaid balance --------------------------------------------------------------------


@pytest.mark.parametrize(("threshold", "alerted"), [(20, True), (10, False)])
async def test_a_balance_below_the_threshold_is_told(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    threshold: float,
    alerted: bool,
) -> None:
    phone = async_mock_service(hass, "notify", "mobile_app_my_phone")
    at = (dt_util.now() + timedelta(minutes=2)).replace(second=0, microsecond=0)
    await use_blueprint(
        hass,
        "low_balance",
        code="*100#",
        threshold=threshold,
        check_time=at.strftime("%H:%M:%S"),
        notify_action="notify.mobile_app_my_phone",
    )
    balance_asked = stick.device.ussd_answers["*100#"]

    async_fire_time_changed(hass, at + timedelta(seconds=1))
    await settle(hass)
    await until(hass, lambda: bool(phone) or not alerted)

    expected = [{"title": "Prepaid balance low", "message": balance_asked.text}]
    assert [call.data for call in phone] == (expected if alerted else [])
    await switch_off_automations(hass)  # the next check's timer would outlive the test


# --- (e) an SMS when an entity goes unavailable ---------------------------------------------------


@pytest.mark.parametrize(
    ("away_for", "told"), [(timedelta(minutes=6), True), (timedelta(minutes=2), False)]
)
async def test_an_sms_goes_out_when_the_internet_is_down(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    away_for: timedelta,
    told: bool,
) -> None:
    hass.states.async_set("binary_sensor.internet", "on", {"friendly_name": "Internet"})
    await use_blueprint(
        hass,
        "entity_unavailable_sms",
        watched_entity="binary_sensor.internet",
        numbers=[FRIEND],
        delay={"minutes": 5},
    )

    hass.states.async_set("binary_sensor.internet", "unavailable", {"friendly_name": "Internet"})
    await hass.async_block_till_done()
    async_fire_time_changed(hass, dt_util.utcnow() + away_for)
    await settle(hass)
    hass.states.async_set("binary_sensor.internet", "on", {"friendly_name": "Internet"})
    await hass.async_block_till_done()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=10))
    await settle(hass)
    await until(hass, lambda: bool(stick.sent) or not told)

    assert [sms.split(" since ")[0] for sms in texts_to(stick, FRIEND)] == (
        ["Internet has been unavailable"] if told else []
    )


# --- every blueprint ----------------------------------------------------------------------------


def test_every_blueprint_picks_a_stick_of_this_integration() -> None:
    names = sorted(path.stem for path in BLUEPRINTS.glob("*.yaml"))
    assert names == [
        "entity_unavailable_sms",
        "forward_sms",
        "low_balance",
        "ring_to_open",
        "sms_command",
    ]
    for path in BLUEPRINTS.glob("*.yaml"):
        blueprint = blueprint_of(path)
        assert blueprint["input"]["stick"]["selector"] == {
            "device": {"filter": [{"integration": DOMAIN}]}
        }
        assert blueprint["source_url"].endswith(f"/blueprints/automation/{DOMAIN}/{path.name}")


def test_the_readme_imports_every_blueprint_from_its_source() -> None:
    readme = (BLUEPRINTS.parents[2] / "README.md").read_text(encoding="utf-8")
    for path in BLUEPRINTS.glob("*.yaml"):
        blueprint = blueprint_of(path)
        link = "redirect/blueprint_import/?blueprint_url=" + quote(blueprint["source_url"], safe="")
        assert link in readme, path.name
