"""Rules the typed results carry themselves."""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.models import StorageUsage


@pytest.mark.parametrize(
    ("used", "total", "full"),
    [(0, 30, False), (29, 30, False), (30, 30, True), (31, 30, True), (0, 0, False)],
)
def test_a_memory_is_full_when_no_message_fits(used: int, total: int, full: bool) -> None:
    assert StorageUsage("SM", used, total).full is full
