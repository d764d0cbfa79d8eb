"""Benchmark: our SMS PDU codec against python-gsmmodem-new's, on one fixed corpus.

Prints encode and decode throughput (messages per second, a message being one text with all its
parts) of both codecs, the ratios, and how many messages each codec gets right. Run it with
``scripts/bench codec`` or ``python -m scripts.bench_codec``.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custom_components.huawei_modem.modem.pdu import (
    concat_header,
    decode_pdu,
    encode_address,
    encode_sms,
    encode_smsc,
    encode_timestamp,
    encode_user_data,
    split_text,
)

SEED = 20240517
CORPUS_SIZE = 400
SENDER = "+4915112345678"
SMSC = "+491710760000"
SENT_AT = datetime(2024, 5, 17, 13, 45, 30, tzinfo=timezone(timedelta(hours=2)))

WORDS = (
    "the meeting is moved to tomorrow at ten please bring the report and call me back when "
    "you can your parcel arrives today code 4711 is valid for ten minutes reply STOP to end"
).split()
EXTENSION = "€[]{}|^~\\"
CYRILLIC = "привет как дела встреча завтра в десять"
EMOJI = "😀👍🎉🚀❤🙂"


@dataclass(frozen=True)
class Message:
    """One corpus entry: what is sent, and the SMS-DELIVER parts a stick would report for it."""

    kind: str
    number: str
    text: str
    reference: int
    deliver_pdus: tuple[str, ...]


def _words(rng: random.Random, characters: int) -> str:
    text = ""
    while len(text) < characters:
        text += rng.choice(WORDS) + " "
    return text[:characters].strip() or "x"


def _sprinkle(rng: random.Random, text: str, alphabet: str, every: int) -> str:
    characters = list(text)
    for index in range(0, len(characters), every):
        characters[index] = rng.choice(alphabet)
    return "".join(characters)


def _texts(rng: random.Random) -> Iterable[tuple[str, str]]:
    def words(low: int, high: int) -> str:
        return _words(rng, rng.randrange(low, high))

    makers: list[tuple[str, Callable[[], str]]] = [
        ("gsm7 short", lambda: words(10, 160)),
        ("gsm7 long", lambda: words(161, 900)),
        ("gsm7 extension", lambda: _sprinkle(rng, words(20, 400), EXTENSION, 9)),
        (
            "ucs2 cyrillic",
            lambda: _sprinkle(rng, CYRILLIC * 4, CYRILLIC, 3)[: rng.randrange(10, 160)],
        ),
        ("ucs2 emoji", lambda: _sprinkle(rng, words(10, 60), EMOJI, 7)),
        ("ucs2 emoji long", lambda: _sprinkle(rng, words(71, 300), EMOJI, 11)),
    ]
    for index in range(CORPUS_SIZE):
        kind, make = makers[index % len(makers)]
        yield kind, make()


def deliver_pdus(text: str, reference: int) -> tuple[str, ...]:
    """The SMS-DELIVER parts of ``text`` as a stick reports them (SMSC field first)."""
    encoding, parts = split_text(text)
    head = encode_smsc(SMSC)
    dcs = 0x08 if encoding == "ucs2" else 0x00
    pdus = []
    for sequence, part in enumerate(parts, start=1):
        header = concat_header(reference, len(parts), sequence) if len(parts) > 1 else b""
        length, user_data = encode_user_data(part, encoding, header)
        tpdu = (
            bytes((0x44 if header else 0x04,))
            + encode_address(SENDER)
            + bytes((0x00, dcs))
            + encode_timestamp(SENT_AT)
            + bytes((length,))
            + user_data
        )
        pdus.append((head + tpdu).hex().upper())
    return tuple(pdus)


def corpus() -> list[Message]:
    """The fixed corpus: short/long GSM 7-bit, extension characters, UCS-2 with emoji."""
    rng = random.Random(SEED)
    messages = []
    for index, (kind, text) in enumerate(_texts(rng)):
        reference = index % 256
        number = "+49170" + f"{index:07d}" if index % 4 else "0170" + f"{index:07d}"
        messages.append(Message(kind, number, text, reference, deliver_pdus(text, reference)))
    return messages


# --- the two codecs, called the same way ---------------------------------------------------------


def ours_encode(message: Message) -> list[str]:
    pdus = encode_sms(message.number, message.text, reference=message.reference)
    return [pdu.pdu for pdu in pdus]


def ours_decode(message: Message) -> tuple[str, str]:
    """(number, joined text) of the DELIVER parts, decoded by our codec."""
    parts = [decode_pdu(pdu) for pdu in message.deliver_pdus]
    return parts[0].number, "".join(part.text for part in parts)


def theirs_encode(message: Message) -> list[str]:
    from gsmmodem.pdu import encodeSmsSubmitPdu  # type: ignore[import-untyped]

    pdus = encodeSmsSubmitPdu(
        message.number, message.text, reference=message.reference, requestStatusReport=False
    )
    return [str(pdu) for pdu in pdus]


def theirs_decode(message: Message) -> tuple[str, str]:
    from gsmmodem.pdu import decodeSmsPdu

    parts: list[dict[str, Any]] = [decodeSmsPdu(pdu) for pdu in message.deliver_pdus]
    return str(parts[0]["number"]), "".join(str(part["text"]) for part in parts)


def _submit_contents(pdus: list[str]) -> tuple[str, str]:
    """(number, joined text) of SUBMIT PDUs, read back with our codec."""
    parts = [decode_pdu(pdu) for pdu in pdus]
    return parts[0].number, "".join(part.text for part in parts)


# --- agreement ----------------------------------------------------------------------------------


@dataclass
class Agreement:
    """How many corpus messages each codec handles correctly, and where they differ."""

    total: int = 0
    ours_wrong: int = 0
    both_right: int = 0
    theirs_wrong: int = 0
    theirs_wrong_kinds: dict[str, int] | None = None

    def count_theirs_wrong(self, kind: str) -> None:
        self.theirs_wrong += 1
        kinds = self.theirs_wrong_kinds = self.theirs_wrong_kinds or {}
        kinds[kind] = kinds.get(kind, 0) + 1


def _outcome(run: Callable[[], tuple[str, str]], expected: tuple[str, str]) -> bool:
    try:
        return run() == expected
    except Exception:  # a crash of the other codec counts as a wrong result
        return False


def _runs(message: Message, direction: str) -> tuple[Callable[[], tuple[str, str]], ...]:
    """How ours and theirs produce (number, text) for ``message``."""
    if direction == "decode":
        return (lambda: ours_decode(message), lambda: theirs_decode(message))
    return (
        lambda: _submit_contents(ours_encode(message)),
        lambda: _submit_contents(theirs_encode(message)),
    )


def agreement(messages: list[Message], direction: str) -> Agreement:
    """Compare both codecs with the truth (the corpus text) in "encode" or "decode" direction.

    Encoded PDUs are read back with our decoder, which the tests check against published PDUs.
    """
    result = Agreement()
    for message in messages:
        expected = (SENDER if direction == "decode" else message.number, message.text)
        ours, theirs = _runs(message, direction)
        ours_right, theirs_right = _outcome(ours, expected), _outcome(theirs, expected)
        result.total += 1
        result.ours_wrong += not ours_right
        if theirs_right:
            result.both_right += ours_right
        else:
            result.count_theirs_wrong(message.kind)
    return result


# --- timing ------------------------------------------------------------------------------------


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
