"""What the network's ``+CUSD`` status says about an answer to a USSD code (3GPP TS 27.007)."""

from __future__ import annotations

from enum import Enum

from .models import UssdResponse, UssdStatus

__all__ = ["Unanswered", "UssdStatus", "unanswered"]


class Unanswered(Enum):
    """Why an answer to a USSD code carries nothing for the user."""

    NOT_SUPPORTED = "not_supported"
    TIMED_OUT = "timed_out"
    NO_ANSWER = "no_answer"


def unanswered(response: UssdResponse) -> Unanswered | None:
    """Why ``response`` is no answer, or None when it is one (a text, or a menu)."""
    if response.status == UssdStatus.NOT_SUPPORTED:
        return Unanswered.NOT_SUPPORTED
    if response.status == UssdStatus.TIMED_OUT:
        return Unanswered.TIMED_OUT
    if response.status == UssdStatus.ENDED and not response.text:
        return Unanswered.NO_ANSWER
    return None
