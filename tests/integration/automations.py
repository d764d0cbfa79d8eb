"""Automations as the editor saves them, for the trigger and blueprint tests."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components import automation
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_mock_service

from custom_components.huawei_modem.compat import HAS_INTEGRATION_TRIGGERS

needs_integration_triggers = pytest.mark.skipif(
    not HAS_INTEGRATION_TRIGGERS,
    reason="this Home Assistant release has no integration triggers (device triggers only)",
)

RECORDED = "{{ [trigger.%s] }}"
"""A trigger variable in a list: a sender such as ``+4917...`` is not rendered as a number."""


def recording(*fields: str) -> dict[str, Any]:
    """The action ``test.record`` with the trigger variables ``fields`` as its data."""
    return {"action": "test.record", "data": {name: RECORDED % name for name in fields}}


def record_calls(hass: HomeAssistant) -> list[ServiceCall]:
    """What the ``test.record`` action was called with."""
    return async_mock_service(hass, "test", "record")


def recorded(call: ServiceCall) -> dict[str, Any]:
    """The data of a ``test.record`` call: each value out of its list."""
    return {
        name: value[0] if isinstance(value, list) else value for name, value in call.data.items()
    }


async def load_automations(hass: HomeAssistant, *automations: dict[str, Any]) -> list[str]:
    """Load ``automations`` (as ``automations.yaml`` holds them); the states of their entities
    (``unavailable`` for one whose configuration is refused)."""
    configs = [{"id": str(index), **config} for index, config in enumerate(automations)]
    assert await async_setup_component(hass, automation.DOMAIN, {automation.DOMAIN: configs})
    await hass.async_block_till_done()
    return [state.state for state in hass.states.async_all(automation.DOMAIN)]


async def automate(hass: HomeAssistant, *automations: dict[str, Any]) -> None:
    """Load ``automations`` and check that they are all on."""
    assert await load_automations(hass, *automations) == ["on"] * len(automations)


async def switch_off_automations(hass: HomeAssistant) -> None:
    """Every automation off, its timers cancelled."""
    await hass.services.async_call(
        automation.DOMAIN, "turn_off", {"entity_id": "all"}, blocking=True
    )
