"""The cost guard's rules: parts per message, parts per hour, a sliding hour."""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.sms_budget import (
    HOUR,
    BudgetLimit,
    SendBudget,
    SmsOverBudgetError,
)


def test_a_message_with_too_many_parts_is_refused_and_not_counted() -> None:
    budget = SendBudget(max_parts_per_message=3, max_parts_per_hour=60)
    with pytest.raises(SmsOverBudgetError) as refused:
        budget.reserve(4, 1, now=0)
    error = refused.value
    assert (error.limit_kind, error.parts, error.limit, error.used) == (
        BudgetLimit.PARTS_PER_MESSAGE,
        4,
        3,
        0,
    )
    assert budget.used(0) == 0
    budget.reserve(3, 1, now=0)
    assert budget.used(0) == 3


def test_the_hourly_limit_counts_every_recipient_and_refuses_the_whole_send() -> None:
    budget = SendBudget(max_parts_per_message=10, max_parts_per_hour=10)
    budget.reserve(2, 3, now=0)  # 6 parts
    with pytest.raises(SmsOverBudgetError) as refused:
        budget.reserve(2, 3, now=1)  # 6 more would be 12
    assert (refused.value.limit_kind, refused.value.parts, refused.value.used) == (
        BudgetLimit.PARTS_PER_HOUR,
        6,
        6,
    )
    assert budget.used(1) == 6
    budget.reserve(2, 2, now=2)  # exactly 10
    assert budget.used(2) == 10


def test_the_hour_slides() -> None:
    budget = SendBudget(max_parts_per_message=10, max_parts_per_hour=5)
    budget.reserve(5, 1, now=100)
    with pytest.raises(SmsOverBudgetError):
        budget.reserve(1, 1, now=100 + HOUR - 1)
    assert budget.used(100 + HOUR) == 0
    budget.reserve(5, 1, now=100 + HOUR)
