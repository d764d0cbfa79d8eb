"""What a loaded stick keeps while its config entry is set up: one typed object per entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry

from .coordinator import HuaweiModemCoordinator
from .inbox import SmsInbox
from .outbox import Outbox
from .phone import PhoneLine


@dataclass(frozen=True, slots=True)
class HuaweiModemData:
    """The stick's coordinator (its Modem, status and identity), inbox, outbox and phone line."""

    coordinator: HuaweiModemCoordinator
    inbox: SmsInbox
    outbox: Outbox
    phone: PhoneLine


type HuaweiModemConfigEntry = ConfigEntry[HuaweiModemData]


def runtime_of(entry: ConfigEntry[Any]) -> HuaweiModemData:
    """The runtime data of a loaded entry found by id (typed as any entry's)."""
    data: HuaweiModemData = entry.runtime_data
    return data
