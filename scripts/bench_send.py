"""Benchmark: single-part SMS per second through the ``huawei_modem.send_sms`` action.

A Home Assistant test instance (the one the integration tests use) with the integration set up
against a zero-delay emulated stick on a pseudo-terminal; the action is called one message
after the other, as an automation would, and then from many callers at once. Meanwhile every
event-loop callback is timed: the longest one that ran code of the integration is reported, and
the longest of any kind (Home Assistant and the emulator included) as an upper bound. Run it with
``scripts/bench send`` or ``python -m scripts.bench_send``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, CoroutineType
from typing import Any

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homeassistant.core import HomeAssistant

from emulator import EmulatedStick
from scripts.harness import (
    home_assistant,
    send_in_turn,
    send_sms,
    set_up_stick,
    stick_device_id,
)

MESSAGES = 300
CONCURRENT_CALLERS = 10
TARGET_PER_SECOND = 50.0
TARGET_CALLBACK_MS = 10.0
INTEGRATION = str(Path(__file__).resolve().parent.parent / "custom_components" / "huawei_modem")


@dataclass
class CallbackTimes:
    """The longest event-loop callback seen, of the integration and of anything."""

    ours: float = 0.0
    ours_what: str = "-"
    any: float = 0.0
    any_what: str = "-"


def _code_files(handle: asyncio.Handle) -> Iterator[str]:
    """The source files of what a callback runs (for a task: its chain of awaited coroutines)."""
    callback: Any = handle._callback  # type: ignore[attr-defined]
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, asyncio.Task):
        awaited: Any = owner.get_coro()
        while isinstance(awaited, CoroutineType):
            yield awaited.cr_code.co_filename
            awaited = awaited.cr_await
        return
    code = getattr(getattr(callback, "__func__", callback), "__code__", None)
    if isinstance(code, CodeType):
        yield code.co_filename
    protocol = getattr(owner, "_protocol", None)  # a transport: whose bytes it reads
    if protocol is not None:
        yield getattr(sys.modules.get(type(protocol).__module__), "__file__", None) or ""


def _describe(handle: asyncio.Handle) -> str:
    owner = getattr(handle._callback, "__self__", None)  # type: ignore[attr-defined]
    if isinstance(owner, asyncio.Task):
        return f"task {owner.get_coro().__qualname__}"  # type: ignore[union-attr]
    return repr(handle)[:100]


@contextmanager
def timed_callbacks() -> Iterator[CallbackTimes]:
    """Time every callback the event loop runs while inside the block."""
    times = CallbackTimes()
    original = asyncio.Handle._run

    def run(handle: asyncio.Handle) -> None:
        start = time.perf_counter()
        original(handle)
        took = time.perf_counter() - start
        if took > times.any:
            times.any, times.any_what = took, _describe(handle)
        if took > times.ours and any(f.startswith(INTEGRATION) for f in _code_files(handle)):
            times.ours, times.ours_what = took, _describe(handle)

    asyncio.Handle._run = run  # type: ignore[method-assign]
    try:
        yield times
    finally:
        asyncio.Handle._run = original  # type: ignore[method-assign]


async def _many_at_once(hass: HomeAssistant, device_id: str) -> float:
    async def caller(first: int) -> None:
        for index in range(first, MESSAGES, CONCURRENT_CALLERS):
            await send_sms(hass, device_id, index)

    start = time.perf_counter()
    await asyncio.gather(*(caller(first) for first in range(CONCURRENT_CALLERS)))
    return MESSAGES / (time.perf_counter() - start)


async def _bench() -> tuple[float, float, CallbackTimes, int]:
    with tempfile.TemporaryDirectory() as folder:
        async with (
            EmulatedStick("E3372", link_dir=Path(folder)) as stick,
            home_assistant(Path(folder)) as hass,
        ):
            entry = await set_up_stick(hass, stick)
            device_id = stick_device_id(hass, entry)
            with timed_callbacks() as times:
                sequential = MESSAGES / await send_in_turn(hass, device_id, MESSAGES)
                concurrent = await _many_at_once(hass, device_id)
            sent = len(stick.sent)
            await hass.config_entries.async_unload(entry.entry_id)
    return sequential, concurrent, times, sent


def main() -> None:
    sequential, concurrent, times, sent = asyncio.run(_bench())
    print(f"Sending: {MESSAGES} single-part SMS through huawei_modem.send_sms, zero-delay emulator")
    print(f"  one after the other:   {sequential:7.1f} SMS/s  (target >= {TARGET_PER_SECOND:.0f})")
    print(f"  {CONCURRENT_CALLERS} callers at once:    {concurrent:7.1f} SMS/s  (queued in turn)")
    print(f"  recorded by the stick: {sent} of {2 * MESSAGES}")
    print(
        f"  longest event-loop callback of the integration: {times.ours * 1000:5.2f} ms"
        f"  (target <= {TARGET_CALLBACK_MS:.0f} ms)"
    )
    print(f"    {times.ours_what}")
    print(f"  longest event-loop callback of anything:        {times.any * 1000:5.2f} ms")
    print(f"    {times.any_what}")
    ok = (
        min(sequential, concurrent) >= TARGET_PER_SECOND
        and times.ours * 1000 <= TARGET_CALLBACK_MS
        and sent == 2 * MESSAGES
    )
    print(f"  {'targets met' if ok else 'TARGETS MISSED'}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
