"""The SIM card: presence, PIN and PUK with the retry counters of a real card."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import AtError, CmeError

PIN_TRIES = 3
PUK_TRIES = 10


class SimState(enum.Enum):
    """What ``AT+CPIN?`` reports (``None`` codes are errors instead)."""

    READY = "READY"
    PIN = "SIM PIN"
    PUK = "SIM PUK"
    ABSENT = "absent"
    DEAD = "dead"


@dataclass
class Sim:
    """The card; its PIN exists even while the PIN check is off (``pin_enabled``)."""

    pin: str
    puk: str
    pin_enabled: bool = True
    pin_tries: int = PIN_TRIES
    puk_tries: int = PUK_TRIES
    inserted: bool = True
    unlocked: bool = False

    @property
    def state(self) -> SimState:
        if not self.inserted:
            return SimState.ABSENT
        if self.puk_tries == 0:
            return SimState.DEAD
        if self.pin_tries == 0:
            return SimState.PUK
        if self.pin_enabled and not self.unlocked:
            return SimState.PIN
        return SimState.READY

    @property
    def ready(self) -> bool:
        return self.state is SimState.READY

    def power_on(self) -> None:
        """A reset or replug: the card asks for its PIN again."""
        self.unlocked = False

    def require_ready(self) -> None:
        """Raise the +CME ERROR a real stick gives when the card is not usable."""
        error = {
            SimState.ABSENT: 10,
            SimState.PIN: 11,
            SimState.PUK: 12,
            SimState.DEAD: 13,
        }.get(self.state)
        if error is not None:
            raise CmeError(error)

    def enter(self, code: str, new_pin: str | None = None) -> None:
        """``AT+CPIN=<code>[,<newpin>]``."""
        state = self.state
        if state is SimState.PIN:
            self._enter_pin(code)
        elif state is SimState.PUK:
            self._enter_puk(code, new_pin)
        elif state is SimState.READY:
            raise CmeError(3)
        else:
            self.require_ready()

    def _enter_pin(self, pin: str) -> None:
        if not _valid_code(pin, 4, 8):
            raise CmeError(16)
        self._check_pin(pin)
        self.unlocked = True

    def _enter_puk(self, puk: str, new_pin: str | None) -> None:
        if new_pin is None:
            raise CmeError(12)
        if not _valid_code(puk, 8, 8) or not _valid_code(new_pin, 4, 8):
            raise CmeError(16)
        if puk != self.puk:
            self.puk_tries -= 1
            raise CmeError(16)
        self.pin, self.pin_tries, self.puk_tries = new_pin, PIN_TRIES, PUK_TRIES
        self.pin_enabled = self.unlocked = True

    def set_lock(self, enable: bool, pin: str) -> None:
        """``AT+CLCK="SC",<0|1>,<pin>``: switch the PIN check off or on."""
        self.require_ready()
        self._check_pin(pin)
        self.pin_enabled = enable
        self.unlocked = True

    def change_pin(self, old: str, new: str) -> None:
        """``AT+CPWD="SC",<old>,<new>``."""
        self.require_ready()
        if not self.pin_enabled:
            raise CmeError(3)
        if not _valid_code(new, 4, 8):
            raise AtError()
        self._check_pin(old)
        self.pin = new

    def _check_pin(self, pin: str) -> None:
        """A PIN verification outside +CPIN: a wrong one costs a try all the same."""
        if pin != self.pin:
            self.pin_tries -= 1
            raise CmeError(16)
        self.pin_tries = PIN_TRIES

    def huawei_cpin(self) -> str:
        """``^CPIN: <code>,<times>,<puk>,<pin>,<puk2>,<pin2>``."""
        state = self.state
        times = {SimState.PIN: str(self.pin_tries), SimState.PUK: str(self.puk_tries)}
        return (
            f"^CPIN: {state.value},{times.get(state, '')},"
            f"{self.puk_tries},{self.pin_tries},{PUK_TRIES},{PIN_TRIES}"
        )


def _valid_code(code: str, shortest: int, longest: int) -> bool:
    return code.isdigit() and shortest <= len(code) <= longest
