"""Every language speaks every string: the same keys and placeholders as the English file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

TRANSLATIONS = Path(__file__).parents[2] / "custom_components" / "huawei_modem" / "translations"
LANGUAGES = ("de", "fr", "es", "it", "nl", "pl")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def flattened(strings: Any, path: str = "") -> dict[str, str]:
    """Every string by its dotted path."""
    if isinstance(strings, dict):
        return {
            key: text
            for name, value in strings.items()
            for key, text in flattened(value, f"{path}.{name}" if path else name).items()
        }
    assert isinstance(strings, str), path
    return {path: strings}


def strings_of(language: str) -> dict[str, str]:
    return flattened(json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_with_its_placeholders(language: str) -> None:
    english, translated = strings_of("en"), strings_of(language)
    assert sorted(translated) == sorted(english)
    for key, text in english.items():
        assert set(PLACEHOLDER.findall(translated[key])) == set(PLACEHOLDER.findall(text)), key
        assert translated[key].strip(), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translation_is_not_the_english_text(language: str) -> None:
    """Most strings read differently in another language (names like "SMS" or "RSRP" may not)."""
    english, translated = strings_of("en"), strings_of(language)
    same = [key for key, text in english.items() if translated.get(key) == text and " " in text]
    assert len(same) <= len(english) // 20, same


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_the_frontend_can_read_every_string(language: str) -> None:
    """The frontend reads strings as ICU messages: a ``<`` opens a tag ("Translation error:
    UNCLOSED_TAG"), and every ``{`` must close."""
    for key, text in strings_of(language).items():
        assert "<" not in text, key
        assert text.count("{") == text.count("}"), key
