"""Frozen dataclasses of the radio: network modes, the serving cell, the network's clock (also an
event), and cell changes.

``models`` carries the events in its ``ModemEvent`` union; they live here to keep it short.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Registration  # models imports this module for its event union


@dataclass(frozen=True, slots=True)
class ServingCell:
    """The cell the stick camps on, as cell databases (OpenCellID, CellMapper) number it."""

    area_code: int
    """The location area code (2G/3G), or the tracking area code on LTE."""
    cell_id: int
    """The cell identity (on LTE the 28-bit E-UTRAN cell identity)."""
    tracking_area: bool = False
    """Reported by ``+CEREG`` (LTE): the area code is a tracking area code."""


@dataclass(frozen=True, slots=True)
class NetworkTime:
    """What the network told of its clock: the time (None: only the zone) and the zone.

    Also the event of ``^NWTIME`` (Huawei, with the time) and ``+CTZV`` (3GPP, the zone only).
    """

    time: datetime | None
    """Aware, in the network's zone."""
    utc_offset: timedelta
    daylight_saving_hours: int | None = None


# --- events ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellChanged:
    """``+CREG`` / ``+CGREG`` / ``+CEREG`` pushed: a new registration state or cell."""

    command: str
    """Which of the three reported it (the key of ``ModemStatus.registrations``)."""
    registration: Registration


# --- settings -------------------------------------------------------------------------------


class NetworkMode(enum.Enum):
    """Which radios the stick may use, and in which order it tries them."""

    AUTOMATIC = "automatic"
    """The firmware's own choice: the best radio it finds."""
    LTE_ONLY = "lte_only"
    WCDMA_ONLY = "wcdma_only"
    """3G only (WCDMA, HSPA)."""
    GSM_ONLY = "gsm_only"
    """2G only (GSM, GPRS, EDGE)."""
    LTE_PREFERRED = "lte_preferred"
    """4G, then 3G, then 2G."""
    LTE_WCDMA = "lte_wcdma"
    """4G, then 3G; never 2G."""
    WCDMA_PREFERRED = "wcdma_preferred"
    """3G, then 2G (never 4G)."""
    GSM_PREFERRED = "gsm_preferred"
    """2G, then 3G (never 4G)."""
