"""The cost guard: SMS beyond the limits per message and per hour are refused, nothing is sent,
a repair issue says what was refused, and a sensor counts the parts of the last hour."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem import outbox
from custom_components.huawei_modem.const import (
    CONF_MAX_PARTS_PER_HOUR,
    CONF_MAX_PARTS_PER_MESSAGE,
    DOMAIN,
)
from custom_components.huawei_modem.modem.sms_budget import HOUR
from emulator import EmulatedStick

from .helpers import change_options, rendered, state_of
from .test_send import NUMBER, send_sms

PARTS_SENT = "sensor.e3372_sms_parts_sent_in_the_last_hour"
THREE_PARTS = "Feuer im Keller! " * 25


def budget_issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"sms_over_budget_{entry.entry_id}")


async def test_the_defaults_allow_ten_parts_per_message(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    assert state_of(hass, PARTS_SENT) == "0"
    with pytest.raises(HomeAssistantError) as refused:
        await send_sms(hass, loaded_entry, number=NUMBER, message="x" * 1600)  # 11 parts
    assert refused.value.translation_key == "sms_too_many_parts"
    assert rendered(refused.value).startswith(
        "The SMS would take 11 parts, more than the 10 the cost guard allows per message; "
        "nothing was sent."
    )
    issue = budget_issue(hass, loaded_entry)
    assert issue is not None
    assert issue.translation_key == "sms_refused_parts_per_message"
    assert issue.translation_placeholders == {
        "title": "E3372",
        "numbers": NUMBER,
        "parts": "11",
        "limit": "10",
        "used": "0",
    }
    assert stick.sent == []
    await send_sms(hass, loaded_entry, number=NUMBER, message="x" * 1530)  # 10 parts
    assert state_of(hass, PARTS_SENT) == "10"


async def test_the_hourly_limit_refuses_the_whole_send(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    await change_options(hass, loaded_entry, **{CONF_MAX_PARTS_PER_HOUR: 7})
    await send_sms(hass, loaded_entry, number=NUMBER, message=THREE_PARTS)
    assert state_of(hass, PARTS_SENT) == "3"

    with pytest.raises(HomeAssistantError) as refused:
        await send_sms(
            hass, loaded_entry, number=[NUMBER, "+491517654321"], message=THREE_PARTS
        )  # 6 more would be 9
    assert refused.value.translation_key == "sms_hourly_limit"
    assert len(stick.sent) == 1  # neither of the two
    issue = budget_issue(hass, loaded_entry)
    assert issue is not None
    assert issue.translation_key == "sms_refused_parts_per_hour"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["numbers"] == f"{NUMBER}, +491517654321"
    assert state_of(hass, PARTS_SENT) == "3"

    await send_sms(hass, loaded_entry, number=NUMBER, message=THREE_PARTS)  # 6: still fits
    assert state_of(hass, PARTS_SENT) == "6"


async def test_the_hour_passes(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await change_options(hass, loaded_entry, **{CONF_MAX_PARTS_PER_HOUR: 3})
    await send_sms(hass, loaded_entry, number=NUMBER, message=THREE_PARTS)
    with pytest.raises(HomeAssistantError):
        await send_sms(hass, loaded_entry, number=NUMBER, message="eins")
    later = outbox.time.monotonic() + HOUR
    monkeypatch.setattr(outbox.time, "monotonic", lambda: later)
    await send_sms(hass, loaded_entry, number=NUMBER, message="eins")
    assert [sent.text for sent in stick.sent] == [THREE_PARTS, "eins"]


async def test_new_options_clear_the_issue(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    await change_options(hass, loaded_entry, **{CONF_MAX_PARTS_PER_MESSAGE: 2})
    with pytest.raises(HomeAssistantError):
        await send_sms(hass, loaded_entry, number=NUMBER, message=THREE_PARTS)
    assert budget_issue(hass, loaded_entry) is not None
    await change_options(hass, loaded_entry, **{CONF_MAX_PARTS_PER_MESSAGE: 3})
    assert budget_issue(hass, loaded_entry) is None
    await send_sms(hass, loaded_entry, number=NUMBER, message=THREE_PARTS)
    assert [sent.parts for sent in stick.sent] == [3]


async def test_the_notify_action_is_guarded_too(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    await change_options(hass, loaded_entry, **{CONF_MAX_PARTS_PER_MESSAGE: 2})
    with pytest.raises(HomeAssistantError) as refused:
        await hass.services.async_call(
            "notify", "e3372", {"message": THREE_PARTS, "target": NUMBER}, blocking=True
        )
    assert refused.value.translation_key == "sms_too_many_parts"
    assert stick.sent == []
