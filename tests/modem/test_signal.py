"""The signal model: the +CSQ percentage and how pushes merge into the polled signal."""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.models import AccessTechnology, SignalQuality
from custom_components.huawei_modem.modem.signal import merge_signal, signal_percent

LTE = SignalQuality(AccessTechnology.LTE, csq=20, rssi_dbm=-80, rsrp_dbm=-100, sinr_db=5.0)


def test_a_pushed_rssi_changes_only_the_csq_values() -> None:
    merged = merge_signal(LTE, SignalQuality(csq=10, rssi_dbm=-93))
    assert (merged.csq, merged.rssi_dbm, merged.rsrp_dbm) == (10, -93, -100)


def test_a_pushed_hcsq_replaces_the_details_and_keeps_the_csq() -> None:
    pushed = SignalQuality(AccessTechnology.WCDMA, rssi_dbm=-85, rscp_dbm=-90, ecio_db=-7.0)
    assert merge_signal(LTE, pushed) == SignalQuality(
        AccessTechnology.WCDMA, csq=20, rssi_dbm=-85, rscp_dbm=-90, ecio_db=-7.0
    )


@pytest.mark.parametrize(("csq", "percent"), [(None, None), (0, 0), (21, 68), (31, 100)])
def test_the_csq_scale_as_a_percentage(csq: int | None, percent: int | None) -> None:
    assert signal_percent(SignalQuality(csq=csq)) == percent
