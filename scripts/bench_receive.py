"""Benchmark: from the emulator delivering an SMS to Home Assistant's ``huawei_modem_sms_received``.

A Home Assistant core instance (the test harness's, with the real storage in a temporary folder,
so every message is written and flushed before its event) sets up the integration against an
emulated stick on real pseudo-terminals. Each SMS is handed to the emulator, which stores it on
its SIM and announces it (``+CMTI``); the time until the bus event reaches a listener is its
latency. Meanwhile every event-loop callback is timed, and the longest one of this integration
(its tasks, its callbacks, its AT channel) is reported. Run it with ``scripts/bench receive`` or
``python -m scripts.bench_receive``.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custom_components.huawei_modem.const import EVENT_SMS_RECEIVED
from emulator import EmulatedStick
from scripts.harness import (
    Arrivals,
    home_assistant,
    receive_latencies,
    report_latencies,
    set_up_stick,
    verdict,
)

SINGLE_PART = 300
THREE_PARTS = 50
LONG_TEXT = "A long message in three parts, assembled before its event fires. " * 6
TARGET_MEDIAN_MS = 20.0
TARGET_P99_MS = 100.0
TARGET_CALLBACK_MS = 10.0
OURS = ("custom_components/huawei_modem/",)


# --- timing every event-loop callback ---------------------------------------------------------


@dataclass
class CallbackClock:
    """The longest callback overall and the longest of this integration, in seconds.

    Python's garbage collector pauses whatever callback happens to allocate when a collection is
    due (a full one over Home Assistant's heap takes tens of milliseconds): that time is counted
    apart, as the longest collection, not as the callback's own.
    """

    longest: float = 0.0
    longest_ours: float = 0.0
    ours_name: str = ""
    counted: int = 0
    longest_collection: float = 0.0
    collecting: float = 0.0
    _collection_started: float = 0.0

    def on_collection(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._collection_started = time.perf_counter()
            return
        pause = time.perf_counter() - self._collection_started
        self.collecting += pause
        self.longest_collection = max(self.longest_collection, pause)

    def record(self, handle: asyncio.Handle, seconds: float) -> None:
        self.counted += 1
        self.longest = max(self.longest, seconds)
        name, ours = describe(handle)
        if ours and seconds > self.longest_ours:
            self.longest_ours, self.ours_name = seconds, name


def describe(handle: asyncio.Handle) -> tuple[str, bool]:
    """What a handle runs (a task's coroutine, or a function) and whether it is ours."""
    target: Any = getattr(handle, "_callback", None)
    owner = getattr(target, "__self__", None)
    if isinstance(owner, asyncio.Task):
        target = owner.get_coro()
        code = getattr(target, "cr_code", None) or getattr(target, "gi_code", None)
    else:
        target = getattr(target, "func", target)  # functools.partial
        code = getattr(target, "__code__", None)
    if code is None:
        return repr(target), False
    filename = code.co_filename.replace("\\", "/")
    return f"{code.co_name} ({Path(filename).name})", any(part in filename for part in OURS)


@contextmanager
def timed_callbacks(clock: CallbackClock) -> Iterator[None]:
    """Time every ``Handle._run`` (call_soon, call_later, task steps) while inside."""
    original = asyncio.Handle._run

    def run(handle: asyncio.Handle) -> None:
        clock.collecting = 0.0
        started = time.perf_counter()
        original(handle)
        clock.record(handle, time.perf_counter() - started - clock.collecting)

    asyncio.Handle._run = run  # type: ignore[method-assign]
    gc.callbacks.append(clock.on_collection)
    try:
        yield
    finally:
        gc.callbacks.remove(clock.on_collection)
        asyncio.Handle._run = original  # type: ignore[method-assign]


async def run() -> bool:
    with tempfile.TemporaryDirectory(prefix="bench-receive-") as folder:
        links = Path(folder) / "by-id"
        links.mkdir()
        async with (
            EmulatedStick("E3372", link_dir=links) as stick,
            home_assistant(Path(folder)) as hass,
        ):
            entry = await set_up_stick(hass, stick)
            await asyncio.sleep(0.2)  # the first listing of the SIM
            arrivals = Arrivals(hass, EVENT_SMS_RECEIVED)
            clock = CallbackClock()
            with timed_callbacks(clock):
                single = await receive_latencies(
                    stick, arrivals, SINGLE_PART, "Open the garage door"
                )
                multi = await receive_latencies(stick, arrivals, THREE_PARTS, LONG_TEXT)
            arrivals.remove()
            left = len(stick.stored_messages())
            await hass.config_entries.async_unload(entry.entry_id)

    print(f"Receiving SMS: emulator delivers -> huawei_modem_sms_received ({left} left on the SIM)")
    results = report_latencies(
        f"{SINGLE_PART} single-part SMS", single, TARGET_MEDIAN_MS, TARGET_P99_MS
    )
    results += report_latencies(
        f"{THREE_PARTS} three-part SMS", multi, TARGET_MEDIAN_MS, TARGET_P99_MS
    )
    ours_ms, longest_ms = clock.longest_ours * 1000, clock.longest * 1000
    print(
        f"  longest event-loop callback of the integration {ours_ms:.2f} ms "
        f"(target <= {TARGET_CALLBACK_MS:g}: {verdict(ours_ms <= TARGET_CALLBACK_MS)}; "
        f"{clock.ours_name}); longest of any {longest_ms:.2f} ms, {clock.counted} callbacks"
    )
    print(
        f"  (garbage collection counted apart: longest pause {clock.longest_collection * 1000:.2f}"
        " ms, in whichever callback allocated when it was due)"
    )
    return all(results) and ours_ms <= TARGET_CALLBACK_MS


def main() -> None:
    if not asyncio.run(run()):
        sys.exit(1)


if __name__ == "__main__":
    main()
