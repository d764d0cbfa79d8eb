"""The cost guard of a stick: how many SMS parts one message and one hour may use.

Pure: the caller gives the clock (``time.monotonic()`` seconds). A send is reserved as a whole
(every part to every recipient) before the first part goes out, so a refused send sends nothing
and two sends at once cannot both slip under the hourly limit.
"""

from __future__ import annotations

import enum
from collections import deque
from typing import Final

from .errors import ModemError

HOUR: Final = 3600.0
DEFAULT_MAX_PARTS_PER_MESSAGE: Final = 10
DEFAULT_MAX_PARTS_PER_HOUR: Final = 60


class BudgetLimit(enum.Enum):
    """Which limit a send would pass."""

    PARTS_PER_MESSAGE = "parts_per_message"
    PARTS_PER_HOUR = "parts_per_hour"


class SmsOverBudgetError(ModemError):
    """A send refused by the cost guard before anything went out.

    ``parts``: what the send would use (per message for ``PARTS_PER_MESSAGE``, in all for
    ``PARTS_PER_HOUR``); ``limit``: the limit it passes; ``used``: parts sent in the last hour.
    """

    def __init__(self, limit_kind: BudgetLimit, *, parts: int, limit: int, used: int) -> None:
        super().__init__(f"{limit_kind.value}: {parts} parts, limit {limit}, {used} used")
        self.limit_kind = limit_kind
        self.parts = parts
        self.limit = limit
        self.used = used


class SendBudget:
    """The parts sent in the last hour, and the limits a send is checked against."""

    def __init__(
        self,
        max_parts_per_message: int = DEFAULT_MAX_PARTS_PER_MESSAGE,
        max_parts_per_hour: int = DEFAULT_MAX_PARTS_PER_HOUR,
    ) -> None:
        self.max_parts_per_message = max_parts_per_message
        self.max_parts_per_hour = max_parts_per_hour
        self._sent: deque[tuple[float, int]] = deque()
        self._used = 0  # the sum of the parts in _sent

    def used(self, now: float) -> int:
        """Parts reserved within the hour before ``now``."""
        while self._sent and self._sent[0][0] <= now - HOUR:
            self._used -= self._sent.popleft()[1]
        return self._used

    def reserve(self, parts_per_message: int, recipients: int, now: float) -> None:
        """Count a send of ``parts_per_message`` parts to ``recipients`` numbers, or refuse it."""
        used = self.used(now)
        if parts_per_message > self.max_parts_per_message:
            raise SmsOverBudgetError(
                BudgetLimit.PARTS_PER_MESSAGE,
                parts=parts_per_message,
                limit=self.max_parts_per_message,
                used=used,
            )
        total = parts_per_message * recipients
        if used + total > self.max_parts_per_hour:
            raise SmsOverBudgetError(
                BudgetLimit.PARTS_PER_HOUR, parts=total, limit=self.max_parts_per_hour, used=used
            )
        self._sent.append((now, total))
        self._used += total
