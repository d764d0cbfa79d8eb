"""Benchmark: incoming calls to ``huawei_modem_call``, and SMS while a call rings.

A Home Assistant core instance (the test harness's, with real storage in a temporary folder) sets
up the integration against an emulated stick on real pseudo-terminals, as ``bench_receive`` does.

1. Calls: the emulator rings (``RING`` and ``+CLIP`` in one write; the integration turned caller
   ID on when it opened the stick) for one incoming call after the other, each giving up after
   one ring. The time from the emulator writing the ring lines to a bus listener seeing the
   call's ``ringing`` event (ring 1) is its latency.
2. SMS while a call rings: ``bench_receive``'s single-part latency and ``bench_send``'s rate one
   after the other, in batches for ``WINDOW`` seconds at a time, alternately quiet and with a
   call ringing all along as a real network rings it (every 3 s, until the caller gives up:
   missed); 36 s of each in all, in pairs quiet-ringing, ringing-quiet, ... Short alternating
   turns rather than one 30-s call: the machine is shared, and its load swings by more than the
   10 % this compares, so both sides must take turns to see the same swings (and what drifts
   over the run, such as the hour's count of sent parts, weighs on both alike). How far the quiet
   turns alone spread is printed too.

Run it with ``scripts/bench calls`` or ``python -m scripts.bench_calls``.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homeassistant.core import HomeAssistant

from custom_components.huawei_modem.const import EVENT_CALL, EVENT_SMS_RECEIVED
from emulator import EmulatedStick
from scripts.harness import (
    EVENT_TIMEOUT,
    Arrival,
    Arrivals,
    home_assistant,
    percentile,
    receive_latencies,
    report_latencies,
    send_in_turn,
    set_up_stick,
    stick_device_id,
    verdict,
)

CALLS = 200
CALL_RING_INTERVAL = 0.05  # s: the next call can start soon after the one ring of the last
TARGET_MEDIAN_MS = 20.0
TARGET_P99_MS = 100.0

REAL_RING_INTERVAL = 3.0  # s: a real stick rings every 3 to 6 s
RINGS_PER_CALL = 2
WINDOW = REAL_RING_INTERVAL * RINGS_PER_CALL  # s: each turn, quiet or with a call ringing
TURNS = 6  # of each, in pairs quiet-ringing, ringing-quiet, ...: 36 s (12 rings) against 36 s
BATCH = 10  # SMS received, then sent, in turn, until the window is over
TEXT = "Open the garage door"
TARGET_DIFFERENCE = 0.10  # while a call rings, at most 10 % worse than quiet
RING_LINES = ("RING", "+CRING: VOICE")


class RingClock:
    """When the emulator writes each ring (its ``RING`` / ``+CRING`` line and the ``+CLIP``).

    Wraps the emulated device's ``emit`` (the stick's one way out for unsolicited lines), so the
    emulator itself is unchanged; the stamp is taken right before the lines are written.
    """

    def __init__(self, stick: EmulatedStick) -> None:
        self.rings: asyncio.Queue[tuple[float, int]] = asyncio.Queue()
        self._device = stick.device
        self._emit: Callable[[list[str]], None] = stick.device.emit
        stick.device.emit = self._stamped

    def _stamped(self, lines: list[str]) -> None:
        call = self._device.calls.current
        if lines and lines[0] in RING_LINES and call is not None:
            self.rings.put_nowait((time.perf_counter(), call.rings))
        self._emit(lines)

    def remove(self) -> None:
        self._device.emit = self._emit


async def call_latencies(stick: EmulatedStick, calls: Arrivals, clock: RingClock) -> list[float]:
    """``CALLS`` calls of one ring each; milliseconds from the ring to its ``ringing`` event."""
    stick.device.calls.ring_interval = CALL_RING_INTERVAL
    measured = []
    for index in range(CALLS):
        number = f"+49171{index:07d}"
        stick.device.calls.incoming(number, rings=1)
        rang_at, ring = await asyncio.wait_for(clock.rings.get(), timeout=EVENT_TIMEOUT)
        ringing, ended = await calls.next(), await calls.next()
        expected = {"caller": number, "ring_count": 1, "state": "ringing"}
        if ring != 1 or {key: ringing.data.get(key) for key in expected} != expected:
            raise RuntimeError(f"call {index}: ring {ring}, event {dict(ringing.data)}")
        if ended.data.get("state") != "missed":
            raise RuntimeError(f"call {index} did not end missed: {dict(ended.data)}")
        measured.append((ringing.at - rang_at) * 1000)
    return measured


@dataclass
class SmsFigures:
    """What one condition (quiet or ringing) measured, over its turns."""

    latencies: list[float] = field(default_factory=list)
    batch_seconds: list[float] = field(default_factory=list)  # sending each batch
    turn_medians: list[float] = field(default_factory=list)  # receive latency, each turn

    @property
    def median(self) -> float:
        return statistics.median(self.latencies)

    @property
    def sent(self) -> int:
        return BATCH * len(self.batch_seconds)

    @property
    def rate(self) -> float:
        """SMS per second, from the median batch (a pause of the shared machine in one batch
        would weigh on the whole total)."""
        return BATCH / statistics.median(self.batch_seconds)


@dataclass
class Bench:
    """The running core, the stick, its device id and the SMS received event."""

    hass: HomeAssistant
    stick: EmulatedStick
    device_id: str
    received: Arrivals
    batches: int = 0  # numbers each batch's texts: the inbox takes a repeated text as a repeat


async def sms_turn(bench: Bench, figures: SmsFigures) -> None:
    """Receive and send ``BATCH`` SMS in turn for ``WINDOW`` seconds, adding to ``figures``."""
    end, first = time.perf_counter() + WINDOW, len(figures.latencies)
    while time.perf_counter() < end:
        bench.batches += 1
        text = f"{TEXT} ({bench.batches})"
        figures.latencies += await receive_latencies(bench.stick, bench.received, BATCH, text)
        figures.batch_seconds.append(await send_in_turn(bench.hass, bench.device_id, BATCH))
    figures.turn_medians.append(statistics.median(figures.latencies[first:]))


async def ringing_turn(bench: Bench, calls: Arrivals, figures: SmsFigures) -> list[Arrival]:
    """``sms_turn`` while a call rings all along; the call's events, up to its end."""
    bench.stick.device.calls.incoming("+491709876543", rings=RINGS_PER_CALL)
    await sms_turn(bench, figures)
    events: list[Arrival] = []
    while not events or events[-1].data.get("state") == "ringing":
        events.append(await calls.next())
    return events


def compare(
    name: str, figures: tuple[float, float, str], *, worse_when_higher: bool, note: str
) -> bool:
    """One line: quiet and ringing, the change, and whether it is within the target."""
    quiet, ringing, unit = figures
    change = (ringing - quiet) / quiet
    met = (change if worse_when_higher else -change) <= TARGET_DIFFERENCE
    direction = "higher" if worse_when_higher else "lower"
    print(
        f"  {name:<24} quiet {quiet:7.2f} {unit}, ringing {ringing:7.2f} {unit}: {change:+6.1%}"
        f" (target: at most {TARGET_DIFFERENCE:.0%} {direction}: {verdict(met)})   ({note})"
    )
    return met


async def run() -> bool:
    with tempfile.TemporaryDirectory(prefix="bench-calls-") as folder:
        links = Path(folder) / "by-id"
        links.mkdir()
        async with (
            EmulatedStick("E3372", link_dir=links) as stick,
            home_assistant(Path(folder)) as hass,
        ):
            entry = await set_up_stick(hass, stick)
            await asyncio.sleep(0.2)  # the first listing of the SIM
            if not stick.device.calls.clip:
                raise RuntimeError("the integration did not turn caller ID (+CLIP) on")
            calls = Arrivals(hass, EVENT_CALL)
            clock = RingClock(stick)
            ring_latencies = await call_latencies(stick, calls, clock)

            bench = Bench(
                hass, stick, stick_device_id(hass, entry), Arrivals(hass, EVENT_SMS_RECEIVED)
            )
            quiet, ringing = SmsFigures(), SmsFigures()
            stick.device.calls.ring_interval = REAL_RING_INTERVAL
            call_events: list[Arrival] = []
            for turn in range(TURNS):  # what drifts over the run weighs on both alike
                if turn % 2 == 0:
                    await sms_turn(bench, quiet)
                call_events += await ringing_turn(bench, calls, ringing)
                if turn % 2 == 1:
                    await sms_turn(bench, quiet)

            clock.remove()
            calls.remove()
            bench.received.remove()
            await hass.config_entries.async_unload(entry.entry_id)

    print("Calls: emulator rings (RING + CLIP) -> huawei_modem_call (ringing, ring 1)")
    results = report_latencies(
        f"{CALLS} incoming calls", ring_latencies, TARGET_MEDIAN_MS, TARGET_P99_MS
    )
    states = Counter(str(event.data.get("state")) for event in call_events)
    print(
        f"SMS while a call rings: {TURNS} turns of {WINDOW:g} s quiet and {TURNS} of {WINDOW:g} s"
        f" with a call ringing every {REAL_RING_INTERVAL:g} s (events: {states['ringing']} rings,"
        f" {states['missed']} missed)"
    )
    print(
        "  (how loud the machine is: the quiet turns' receive medians alone range "
        f"{min(quiet.turn_medians):.2f}-{max(quiet.turn_medians):.2f} ms, "
        f"{max(quiet.turn_medians) / min(quiet.turn_medians) - 1:.0%} apart; the ringing turns'"
        f" {min(ringing.turn_medians):.2f}-{max(ringing.turn_medians):.2f} ms)"
    )
    results.append(
        compare(
            "receive latency, median",
            (quiet.median, ringing.median, "ms"),
            worse_when_higher=True,
            note=f"p99 {percentile(quiet.latencies, 0.99):.2f} / "
            f"{percentile(ringing.latencies, 0.99):.2f} ms, "
            f"{len(quiet.latencies)} / {len(ringing.latencies)} single-part SMS",
        )
    )
    results.append(
        compare(
            "send rate, in turn",
            (quiet.rate, ringing.rate, "SMS/s"),
            worse_when_higher=False,
            note=f"median of {BATCH}-SMS batches; {quiet.sent} / {ringing.sent} SMS",
        )
    )
    return all(results)


def main() -> None:
    if not asyncio.run(run()):
        sys.exit(1)


if __name__ == "__main__":
    main()
