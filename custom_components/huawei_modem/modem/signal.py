"""The signal model: one scale (+CSQ as a percentage) and one rule for merging pushes."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from .models import AccessTechnology, SignalQuality

CSQ_MAX: Final = 31
"""The best +CSQ rssi (27.007); 99 means unknown and is read as None."""


def signal_percent(signal: SignalQuality) -> int | None:
    """+CSQ 0-31 as a percentage."""
    return None if signal.csq is None else round(signal.csq * 100 / CSQ_MAX)


def merge_signal(current: SignalQuality, pushed: SignalQuality) -> SignalQuality:
    """A pushed ``^HCSQ`` replaces the detailed values; a pushed ``^RSSI`` only the CSQ ones."""
    if pushed.access_technology is AccessTechnology.UNKNOWN:
        return replace(current, csq=pushed.csq, rssi_dbm=pushed.rssi_dbm)
    return replace(pushed, csq=current.csq)
