"""notify.<stick name>: the legacy notify platform of a stick, through reload and unload."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from emulator import EmulatedStick

from .helpers import rendered

NOTIFY = "notify"
SERVICE = "e3372"  # the entry's title, the stick's model
NUMBERS = ["+491701234567", "+49 151 7654321"]


async def notify(hass: HomeAssistant, **data: Any) -> None:
    await hass.services.async_call(NOTIFY, SERVICE, data, blocking=True)


async def test_a_notification_goes_to_every_target(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    await notify(hass, message="Waschmaschine fertig 🎉", title="ignored", target=NUMBERS)

    assert [(sent.number, sent.text) for sent in stick.sent] == [
        ("+491701234567", "Waschmaschine fertig 🎉"),
        ("+491517654321", "Waschmaschine fertig 🎉"),
    ]


async def test_data_asks_for_flash_and_a_delivery_report(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    stick.sms.status_report_delay = 3600

    await notify(
        hass, message="Alarm", target=NUMBERS[0], data={"flash": True, "delivery_report": True}
    )

    [sent] = stick.sent
    assert (sent.message_class, sent.status_report_requested) == (0, True)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"message": "Hallo"}, "no_target"),
        ({"message": "Hallo", "target": []}, "no_target"),
        (
            {"message": "Hallo", "target": NUMBERS, "data": {"priority": "high"}},
            "invalid_notify_data",
        ),
        ({"message": "Hallo", "target": [*NUMBERS, "Mama"]}, "invalid_number"),
    ],
)
async def test_mistakes_are_explained_and_nothing_is_sent(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    data: dict[str, Any],
    key: str,
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await notify(hass, **data)

    assert raised.value.translation_key == key
    assert rendered(raised.value)
    assert stick.sent == []


async def test_the_service_follows_reload_and_leaves_with_the_entry(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()

    await notify(hass, message="Nach dem Neuladen", target=NUMBERS[0])
    assert [sent.text for sent in stick.sent] == ["Nach dem Neuladen"]

    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert not hass.services.has_service(NOTIFY, SERVICE)

    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    await hass.async_block_till_done()
    await notify(hass, message="Wieder da", target=NUMBERS[0])
    assert [sent.text for sent in stick.sent] == ["Nach dem Neuladen", "Wieder da"]
