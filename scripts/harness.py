"""What the Home Assistant benchmarks share: a running core with the integration set up on a stick,
the bus events they time, the SMS they receive and send, and how their figures are reported.

Not a benchmark section itself (``scripts/bench`` runs the ``scripts/bench_*.py`` modules).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.loader import DATA_CUSTOM_COMPONENTS
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.huawei_modem.const import CONF_DEVICE, CONF_MAX_PARTS_PER_HOUR, DOMAIN
from emulator import EmulatedStick

SENDER = "+491701234567"
EVENT_TIMEOUT = 5.0
UNLIMITED_PARTS_PER_HOUR = 1_000_000  # the benchmarks send thousands; the cost guard is not timed


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
    """A config entry for the emulated stick's PC UI port, set up, with no hourly SMS limit."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=stick.device.identity.imei,
        title=stick.model.name,
        data={CONF_DEVICE: str(stick.stable_paths["pcui"])},
        options={CONF_MAX_PARTS_PER_HOUR: UNLIMITED_PARTS_PER_HOUR},
    )
    entry.add_to_hass(hass)
    if not await hass.config_entries.async_setup(entry.entry_id):
        raise RuntimeError("the integration did not set up against the emulator")
    await hass.async_block_till_done()
    return entry


def stick_device_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """The device registry id of the entry's stick (what the actions and events name)."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    if not devices:
        raise RuntimeError("the stick has no device")
    return devices[0].id


# --- bus events, timed ------------------------------------------------------------------------


@dataclass(frozen=True)
class Arrival:
    """One bus event and the moment (``time.perf_counter``) a listener saw it."""

    at: float
    data: Mapping[str, Any]


class Arrivals:
    """The events of one type, each with the time a listener saw it, in order."""

    def __init__(self, hass: HomeAssistant, event_type: str) -> None:
        self.seen: asyncio.Queue[Arrival] = asyncio.Queue()
        self.remove: Callable[[], None] = hass.bus.async_listen(event_type, self._on_event)

    @callback
    def _on_event(self, event: Event) -> None:
        self.seen.put_nowait(Arrival(time.perf_counter(), event.data))

    async def next(self) -> Arrival:
        """The next event (waits at most ``EVENT_TIMEOUT`` seconds)."""
        return await asyncio.wait_for(self.seen.get(), timeout=EVENT_TIMEOUT)

    def drain(self) -> list[Arrival]:
        """The events seen and not taken yet."""
        taken = []
        while not self.seen.empty():
            taken.append(self.seen.get_nowait())
        return taken


# --- SMS in and out ---------------------------------------------------------------------------


async def receive_latencies(
    stick: EmulatedStick, arrivals: Arrivals, count: int, text: str
) -> list[float]:
    """Deliver ``count`` messages one after the other; milliseconds from delivery to event.

    ``arrivals`` listens for ``huawei_modem_sms_received``.
    """
    measured = []
    for number in range(count):
        started = time.perf_counter()
        stick.deliver_sms(SENDER, f"{number}: {text}")
        arrived = await arrivals.next()
        measured.append((arrived.at - started) * 1000)
        await asyncio.sleep(0.001)  # a breath between messages, as a network would leave
    return measured


async def send_sms(hass: HomeAssistant, device_id: str, index: int) -> None:
    """One single-part SMS through the ``send_sms`` action, waiting for its outcome."""
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"device_id": device_id, "number": f"+49170{index:07d}", "message": f"Test {index}"},
        blocking=True,
        return_response=True,
    )


async def send_in_turn(hass: HomeAssistant, device_id: str, count: int) -> float:
    """Send ``count`` SMS one after the other, as an automation would; the seconds it took."""
    start = time.perf_counter()
    for index in range(count):
        await send_sms(hass, device_id, index)
    return time.perf_counter() - start


# --- figures ----------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def report_latencies(
    name: str, values: list[float], target_median: float, target_p99: float
) -> list[bool]:
    """One line: median and 99th percentile against their targets, and the maximum."""
    median, p99 = statistics.median(values), percentile(values, 0.99)
    met = [median <= target_median, p99 <= target_p99]
    print(
        f"  {name:<24} median {median:6.2f} ms (target <= {target_median:g}: "
        f"{verdict(met[0])})   p99 {p99:6.2f} ms (target <= "
        f"{target_p99:g}: {verdict(met[1])})   max {max(values):6.2f} ms"
    )
    return met
