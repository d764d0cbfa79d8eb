"""What the SIM's answers mean: states behind +CME errors, and why a PIN was refused."""

from __future__ import annotations

import re
from typing import Final

from .errors import (
    CmeError,
    PinError,
    PukRequiredError,
    SimFailureError,
    SimMissingError,
    WrongPinError,
)
from .models import SimState, SimStatus

PIN: Final = re.compile(r"\d{4,8}")
SIM_STATE_BY_CME: Final = {
    10: SimState.MISSING,
    11: SimState.PIN_REQUIRED,
    12: SimState.PUK_REQUIRED,
    13: SimState.FAILURE,
    14: SimState.BUSY,
    15: SimState.FAILURE,
}
_LOCKED_FOR_PIN: Final = frozenset({SimState.PUK_REQUIRED, SimState.MISSING, SimState.FAILURE})
_INCORRECT_PASSWORD: Final = 16


def sim_error(status: SimStatus) -> PinError:
    """The error for a SIM that cannot take a PIN now."""
    if status.state is SimState.PUK_REQUIRED:
        return PukRequiredError("the SIM asks for its PUK", status.puk_attempts_left)
    if status.state is SimState.MISSING:
        return SimMissingError("no SIM in the stick")
    if status.state is SimState.FAILURE:
        return SimFailureError("the SIM is broken or blocked")
    return PinError(f"the SIM is not waiting for a PIN ({status.state.value})")


def pin_refusal(error: CmeError, after: SimStatus) -> PinError:
    """Why the SIM refused a PIN with ``error``, given its status right after."""
    if after.state in _LOCKED_FOR_PIN:
        return sim_error(after)
    if after.state is SimState.PIN_REQUIRED or error.code == _INCORRECT_PASSWORD:
        return WrongPinError("the SIM refused the PIN", after.pin_attempts_left)
    return PinError(f"the SIM refused the PIN: {error.result}")
