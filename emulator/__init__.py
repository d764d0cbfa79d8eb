"""A simulated Huawei USB stick (E3372, E3131, E303) on pseudo-terminals and TCP.

Used by the tests, the demo (``scripts/develop``) and the benchmarks; ``python -m emulator``
runs one for people. See ``EmulatedStick`` for the in-process API.
"""

from .device import SmsBehaviour, UssdAnswer
from .faults import Faults
from .models import MODELS, Model
from .network import Signal
from .profile import PortProfile, UsbInfo, UsbInterface
from .sms import SentSms
from .stick import EmulatedStick
from .storage import StoredMessage

__all__ = [
    "MODELS",
    "EmulatedStick",
    "Faults",
    "Model",
    "PortProfile",
    "SentSms",
    "Signal",
    "SmsBehaviour",
    "StoredMessage",
    "UsbInfo",
    "UsbInterface",
    "UssdAnswer",
]
