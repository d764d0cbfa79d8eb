"""The codec corpus: 400 fixed messages (GSM 7-bit short and long, extension characters, UCS-2
Cyrillic and emoji) with the SMS-DELIVER parts a stick would report for each.

A fixture of tests/modem/test_pdu_gsmmodem.py; ``scripts/bench codec`` times the codecs on it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from custom_components.huawei_modem.modem.pdu import (
    concat_header,
    encode_address,
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
