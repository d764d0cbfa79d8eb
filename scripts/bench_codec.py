"""Benchmark: our SMS PDU codec against python-gsmmodem-new's, on one fixed corpus.

Prints encode and decode throughput (messages per second, a message being one text with all its
parts) of both codecs, the ratios, and how many messages each codec gets right. Run it with
``scripts/bench codec`` or ``python -m scripts.bench_codec``. The corpus and the comparison are
test fixtures (tests/modem/codec_corpus.py, tests/modem/codec_comparison.py).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.modem.codec_comparison import (
    Agreement,
    agreement,
    ours_decode,
    ours_encode,
    theirs_decode,
    theirs_encode,
)
from tests.modem.codec_corpus import Message, corpus


def _safely(function: Callable[[Message], object]) -> Callable[[Message], None]:
    def call(message: Message) -> None:
        try:
            function(message)
        except Exception:  # the other codec raises on some messages; they still cost time
            return

    return call


def _seconds(call: Callable[[Message], None], messages: list[Message]) -> float:
    start = time.perf_counter()
    for message in messages:
        call(message)
    return time.perf_counter() - start


def throughput(
    ours: Callable[[Message], object], theirs: Callable[[Message], object], messages: list[Message]
) -> tuple[float, float]:
    """Messages per second of both, best of seven alternating rounds over the whole corpus."""
    calls = (_safely(ours), _safely(theirs))
    best = [float("inf"), float("inf")]
    for _ in range(7):
        for index, call in enumerate(calls):
            best[index] = min(best[index], _seconds(call, messages))
    return len(messages) / best[0], len(messages) / best[1]


def _report_agreement(direction: str, result: Agreement) -> None:
    wrong = sorted((result.theirs_wrong_kinds or {}).items())
    kinds = f" ({', '.join(f'{kind}: {count}' for kind, count in wrong)})" if wrong else ""
    print(
        f"  {direction}: both right on {result.both_right}/{result.total};"
        f" python-gsmmodem-new wrong on {result.theirs_wrong}{kinds};"
        f" ours wrong on {result.ours_wrong}"
    )


def main() -> None:
    messages = corpus()
    parts = sum(len(message.deliver_pdus) for message in messages)
    print(f"SMS PDU codec: {len(messages)} messages ({parts} PDUs), best of 7 alternating rounds")
    for direction, ours, theirs in (
        ("encode", ours_encode, theirs_encode),
        ("decode", ours_decode, theirs_decode),
    ):
        ours_rate, theirs_rate = throughput(ours, theirs, messages)
        print(
            f"  {direction}: ours {ours_rate:8,.0f} msg/s, python-gsmmodem-new"
            f" {theirs_rate:8,.0f} msg/s, ratio {ours_rate / theirs_rate:.1f}x"
        )
    print(
        "  correctness (number and text compared with the corpus; PDUs read back by our decoder):"
    )
    for direction in ("encode", "decode"):
        _report_agreement(direction, agreement(messages, direction))


if __name__ == "__main__":
    main()
