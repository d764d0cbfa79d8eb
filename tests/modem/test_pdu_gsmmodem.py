"""Our codec against python-gsmmodem-new's on the benchmark corpus."""

from __future__ import annotations

import pytest

from .codec_comparison import agreement, ours_decode, ours_encode, theirs_decode
from .codec_corpus import SENDER, Message, corpus

pytest.importorskip("gsmmodem.pdu")


@pytest.fixture(scope="module")
def messages() -> list[Message]:
    return corpus()


def test_corpus_covers_every_kind(messages: list[Message]) -> None:
    kinds = {message.kind for message in messages}
    assert kinds == {
        "gsm7 short",
        "gsm7 long",
        "gsm7 extension",
        "ucs2 cyrillic",
        "ucs2 emoji",
        "ucs2 emoji long",
    }
    assert sum(len(message.deliver_pdus) > 1 for message in messages) > len(messages) // 4


@pytest.mark.parametrize("direction", ["encode", "decode"])
def test_we_agree_wherever_python_gsmmodem_is_right(
    messages: list[Message], direction: str
) -> None:
    result = agreement(messages, direction)
    assert result.ours_wrong == 0
    assert result.both_right + result.theirs_wrong == result.total
    # Their codec is right on every GSM 7-bit and plain UCS-2 message: a real comparison.
    assert result.both_right >= len([m for m in messages if "emoji" not in m.kind])


def test_same_decoded_text_message_by_message(messages: list[Message]) -> None:
    for message in messages:
        if "emoji" in message.kind:
            continue  # theirs returns UTF-16 halves for emoji
        assert ours_decode(message) == theirs_decode(message) == (SENDER, message.text)


def test_our_encoding_decodes_to_the_corpus_text(messages: list[Message]) -> None:
    from gsmmodem.pdu import decodeSmsPdu  # type: ignore[import-untyped]

    for message in messages[:60]:
        if "emoji" in message.kind:
            continue
        texts = [decodeSmsPdu(pdu)["text"] for pdu in ours_encode(message)]
        assert "".join(texts) == message.text
