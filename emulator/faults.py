"""Misbehaviour to switch on: delays, stalls, missing final results, cut replies, noise inside."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Faults:
    """Read by the AT ports before every reply; the counters count down per reply."""

    reply_delay: float = 0.0
    stall_next: int = 0
    drop_final_next: int = 0
    cut_next: int = 0
    cut_pause: float = 0.05
    noise_in_replies: float = 0.0

    def take(self, name: str) -> bool:
        """Consume one of a ``*_next`` counter; True when the fault applies to this reply."""
        count: int = getattr(self, name)
        if count <= 0:
            return False
        setattr(self, name, count - 1)
        return True
