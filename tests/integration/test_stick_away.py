"""A stick away for minutes: a repair issue says since when, and goes when the stick is back."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem import away_watch
from custom_components.huawei_modem.const import DOMAIN
from emulator import EmulatedStick

from .helpers import later, state_of, until

SIGNAL = "sensor.e3372_signal_strength"


def away_issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"stick_away_{entry.entry_id}")


class Clock:
    """The wall clock the away watch reads, moved by the test."""

    def __init__(self) -> None:
        self.now = dt_util.utcnow()

    def utcnow(self) -> object:
        return self.now


@pytest.fixture(name="clock")
def clock_fixture(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    utc = SimpleNamespace(utcnow=clock.utcnow, as_local=dt_util.as_local)
    monkeypatch.setattr(away_watch, "dt_util", utc)
    return clock


async def away_for(hass: HomeAssistant, clock: Clock, minutes: float) -> None:
    """Let the reconnect attempts (every 5 s) run for ``minutes``."""
    for _ in range(round(minutes * 60 / 6)):
        clock.now += timedelta(seconds=6)
        await later(hass, 6)


async def test_a_stick_away_for_minutes_raises_an_issue_that_clears_itself(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    clock: Clock,
) -> None:
    port = str(stick.stable_paths["pcui"])
    stick.unplug()
    await until(hass, lambda: state_of(hass, SIGNAL) == STATE_UNAVAILABLE)
    await away_for(hass, clock, 2.5)
    assert away_issue(hass, loaded_entry) is None  # a replug or a restart takes less

    await away_for(hass, clock, 1)
    issue = away_issue(hass, loaded_entry)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["title"] == "E3372"
    assert issue.translation_placeholders["port"] == port
    assert state_of(hass, SIGNAL) == STATE_UNAVAILABLE

    stick.replug()
    await later(hass, 6)
    await until(hass, lambda: state_of(hass, SIGNAL) != STATE_UNAVAILABLE)
    assert away_issue(hass, loaded_entry) is None


async def test_a_short_absence_raises_nothing(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    clock: Clock,
) -> None:
    stick.unplug()
    await until(hass, lambda: state_of(hass, SIGNAL) == STATE_UNAVAILABLE)
    await away_for(hass, clock, 1)
    stick.replug()
    await later(hass, 6)
    await until(hass, lambda: state_of(hass, SIGNAL) != STATE_UNAVAILABLE)
    stick.unplug()  # away again: the clock starts again
    await until(hass, lambda: state_of(hass, SIGNAL) == STATE_UNAVAILABLE)
    await away_for(hass, clock, 2.5)
    assert away_issue(hass, loaded_entry) is None
