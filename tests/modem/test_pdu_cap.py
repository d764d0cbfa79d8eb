"""Capping a text to a number of SMS parts: whole words, an ellipsis the alphabet has."""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.pdu import cap_text, split_text

WORDS = "The kitchen light is on and the heating is set to twenty one degrees. "


def parts_of(text: str) -> tuple[str, int]:
    encoding, parts = split_text(text)
    return encoding, len(parts)


@pytest.mark.parametrize(
    "text", ["Turned on the light", "x" * 160, "ü" * 160, "😀" * 35, WORDS * 6], ids=str.__len__
)
def test_a_text_that_fits_stays_as_it_is(text: str) -> None:
    assert cap_text(text, 3) == text


@pytest.mark.parametrize("max_parts", [1, 2, 3, 5])
def test_a_long_gsm7_text_is_cut_after_a_word_with_three_dots(max_parts: int) -> None:
    text = WORDS * 20

    capped = cap_text(text, max_parts)

    assert capped.endswith("...")
    kept = capped.removesuffix("...")
    assert text.startswith(kept)
    assert text[len(kept)] == " "  # a whole word, the space after it dropped
    assert parts_of(capped) == ("gsm7", max_parts)  # no part wasted, and 7-bit kept
    assert parts_of(kept + text[len(kept) : text.index(" ", len(kept) + 1)] + "...")[1] > (
        max_parts
    )  # the next word would not have fitted


def test_a_ucs2_text_ends_with_the_ellipsis_character() -> None:
    text = "Свет на кухне включён, отопление на двадцать один градус. " * 10

    capped = cap_text(text, 2)

    assert capped.endswith("…")
    assert not capped.endswith(" …")
    assert text.startswith(capped.removesuffix("…"))
    assert parts_of(capped) == ("ucs2", 2)


def test_emoji_and_escaped_characters_are_never_cut_in_half() -> None:
    emoji = cap_text("😀" * 200, 1)
    escaped = cap_text("€" * 200, 1)  # two septets each in GSM 7-bit

    assert emoji == "😀" * 34 + "…"  # 68 of 70 UTF-16 units, the ellipsis one more
    assert escaped == "€" * 78 + "..."  # 156 of 160 septets, the dots three more
    assert parts_of(escaped) == ("gsm7", 1)


def test_a_single_word_longer_than_the_parts_is_cut_inside() -> None:
    assert cap_text("a" * 400, 1) == "a" * 157 + "..."


def test_a_text_beyond_what_sms_can_join_is_capped_too() -> None:
    assert parts_of(cap_text("word " * 20000, 3)) == ("gsm7", 3)


def test_at_least_one_part() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        cap_text("anything", 0)
