"""Errors shown to the user in their language: raised with a translation key, never a text."""

from __future__ import annotations

from typing import TypeVar

from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.update_coordinator import UpdateFailed

from .const import DOMAIN

_ErrorT = TypeVar("_ErrorT", bound=HomeAssistantError)


def translated_error(kind: type[_ErrorT], key: str, **placeholders: str) -> _ErrorT:
    """A Home Assistant error whose message is the ``exceptions.<key>`` translation.

    Home Assistant renders the message from the loaded translations when it is first read.
    """
    return kind(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def update_failed(key: str, **placeholders: str) -> UpdateFailed:
    """A translated UpdateFailed: the coordinator logs it and the entities go unavailable."""
    return translated_error(UpdateFailed, key, **placeholders)
