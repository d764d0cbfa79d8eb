"""Diagnostics of a stick: useful for a bug report, without secrets."""

from __future__ import annotations

import json

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import JSONEncoder
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.huawei_modem.diagnostics import async_get_config_entry_diagnostics
from emulator import EmulatedStick

PIN = "1234"


@pytest.mark.parametrize(("stick_pin", "entry_pin"), [(PIN, PIN)])
async def test_diagnostics_redact_the_stick_the_sim_and_the_pin(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    diagnostics = await async_get_config_entry_diagnostics(hass, loaded_entry)

    assert diagnostics == snapshot
    text = json.dumps(diagnostics, cls=JSONEncoder)
    identity = stick.device.identity
    secrets = [identity.imei, identity.imsi, identity.iccid, identity.own_number, PIN]
    for secret in secrets:
        assert secret
        assert secret not in text
    assert diagnostics["identity"]["model"] == "E3372"
    assert diagnostics["data"]["status"]["operator"]["name"] == "Telekom.de"
    assert diagnostics["capabilities"]["iccid"] is True
