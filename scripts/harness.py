"""What the Home Assistant benchmarks share: a running core and the integration set up on a stick.

Not a benchmark section itself (``scripts/bench`` runs the ``scripts/bench_*.py`` modules).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.loader import DATA_CUSTOM_COMPONENTS
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.huawei_modem.const import CONF_DEVICE, DOMAIN
from emulator import EmulatedStick


@asynccontextmanager
async def home_assistant(storage: Path) -> AsyncIterator[HomeAssistant]:
    """A running Home Assistant core that loads this checkout's custom integration."""
    async with async_test_home_assistant(config_dir=str(storage)) as hass:
        hass.data.pop(DATA_CUSTOM_COMPONENTS)  # let it find custom_components/
        try:
            yield hass
        finally:
            await hass.async_stop(force=True)


async def set_up_stick(hass: HomeAssistant, stick: EmulatedStick) -> MockConfigEntry:
    """A config entry for the emulated stick's PC UI port, set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=stick.device.identity.imei,
        title=stick.model.name,
        data={CONF_DEVICE: str(stick.stable_paths["pcui"])},
    )
    entry.add_to_hass(hass)
    if not await hass.config_entries.async_setup(entry.entry_id):
        raise RuntimeError("the integration did not set up against the emulator")
    await hass.async_block_till_done()
    return entry
