"""What a ``+CUSD`` status means: an answer, a menu, or why there is nothing to show."""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.models import UssdResponse
from custom_components.huawei_modem.modem.ussd import Unanswered, unanswered


@pytest.mark.parametrize(
    ("response", "why"),
    [
        (UssdResponse(0, "Ihr Guthaben: 12,34 EUR"), None),
        (UssdResponse(1, "1 Guthaben\n2 Tarif"), None),
        (UssdResponse(2, "Tarif: Prepaid S"), None),  # the network's last word ends the session
        (UssdResponse(2, ""), Unanswered.NO_ANSWER),
        (UssdResponse(4, ""), Unanswered.NOT_SUPPORTED),
        (UssdResponse(4, "ignored"), Unanswered.NOT_SUPPORTED),
        (UssdResponse(5, ""), Unanswered.TIMED_OUT),
    ],
)
def test_a_status_says_whether_there_is_an_answer(
    response: UssdResponse, why: Unanswered | None
) -> None:
    assert unanswered(response) is why


def test_a_menu_needs_a_reply_and_an_answer_does_not() -> None:
    assert UssdResponse(1, "1 Guthaben").needs_reply
    assert not UssdResponse(0, "Ihr Guthaben").needs_reply
