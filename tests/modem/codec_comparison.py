"""Our codec and python-gsmmodem-new's, called the same way on the corpus, and compared with the
truth (the corpus text). A fixture of tests/modem/test_pdu_gsmmodem.py and ``scripts/bench codec``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from custom_components.huawei_modem.modem.pdu import decode_pdu, encode_sms

from .codec_corpus import SENDER, Message


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
