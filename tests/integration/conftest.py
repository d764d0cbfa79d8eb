"""Fixtures for the tests that run inside Home Assistant's test harness."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import EmulatedStick


@pytest.fixture(autouse=True)
def _auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from this checkout."""


@pytest.fixture(name="stick_model")
def stick_model_fixture() -> str:
    """The emulated model; override in a module or parametrize indirectly."""
    return "E3372"


@pytest.fixture(name="stick_pin")
def stick_pin_fixture() -> str | None:
    """The emulated SIM's PIN (None: PIN check off); override to test the PIN step."""
    return None


@pytest.fixture(name="stick")
async def stick_fixture(
    tmp_path: Path, stick_model: str, stick_pin: str | None
) -> AsyncIterator[EmulatedStick]:
    """An emulated stick plugged in, with by-id style links in a temporary folder."""
    stick = EmulatedStick(stick_model, pin=stick_pin, link_dir=tmp_path / "by-id", reset_delay=0.2)
    async with stick:
        yield stick
