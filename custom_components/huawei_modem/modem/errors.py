"""Errors of the modem layer: one tree, rooted at ModemError, every name ending in ``Error``.

Callers catch the narrowest class they can act on (a wrong PIN, a refused SMS part) and
``ModemError`` for the rest; docs/architecture.md shows where each layer handles them.

```
ModemError
├── PduError (also ValueError) > InvalidNumberError
├── ConnectionLostError           the port went away (unplug, reset, closed)
│   └── PortNotOpenError          the port was not open: nothing was written
├── AtTimeoutError                no final result in time
├── UnexpectedReplyError          a reply the parsers cannot read
├── UnsafePortProfileError        (also ValueError) a ^SETPORT profile refused before it is sent
│   ├── PortProfileWithoutAtPortError   no PCUI (AT) port: the stick would be unreachable
│   └── PortCodesNotListedError         codes the stick does not list
├── AtCommandError                a final error result: ERROR
│   ├── CommandNotSupportedError  COMMAND NOT SUPPORT, TOO MANY PARAMETERS
│   ├── CallSetupError            NO CARRIER, BUSY, NO ANSWER, NO DIALTONE (a call not set up)
│   ├── CmeError(code)            +CME ERROR: <code>
│   └── CmsError(code)            +CMS ERROR: <code>
│       └── SmsRefusedError       an SMS part refused, with the parts sent before it
├── NetworkModeNotOfferedError    (also ValueError) a network mode the stick does not list
├── SmsInterruptedError           an SMS cut off midway (timeout, unplug), with the parts sent
├── VoiceNotSupportedError        the stick's firmware has voice off (``^CVOICE`` 1) or none
├── PinError                      the SIM refuses to be used
│   ├── InvalidPinFormatError     (also ValueError) not 4 to 8 digits: nothing was sent
│   ├── SimMissingError
│   ├── SimFailureError
│   ├── PinRequiredError > WrongPinError(attempts_left)
│   └── PukRequiredError(puk_attempts_left)
└── UsbError                      listing or switching sticks on the USB bus (modem/usb.py)
```
"""

from __future__ import annotations

CME_MEANINGS: dict[int, str] = {
    3: "operation not allowed",
    4: "operation not supported",
    10: "SIM not inserted",
    11: "SIM PIN required",
    12: "SIM PUK required",
    13: "SIM failure",
    14: "SIM busy",
    15: "SIM wrong",
    16: "incorrect password",
    17: "SIM PIN2 required",
    18: "SIM PUK2 required",
    20: "memory full",
    21: "invalid index",
    22: "not found",
    30: "no network service",
    100: "unknown error",
}

CMS_MEANINGS: dict[int, str] = {
    1: "unassigned number",
    8: "operator determined barring",
    21: "short message transfer rejected",
    27: "destination out of service",
    38: "network out of order",
    41: "temporary failure",
    42: "congestion",
    208: "SIM SMS storage full",
    300: "ME failure",
    302: "operation not allowed",
    303: "operation not supported",
    304: "invalid PDU mode parameter",
    310: "SIM not inserted",
    311: "SIM PIN required",
    313: "SIM failure",
    314: "SIM busy",
    316: "SIM PUK required",
    320: "memory failure",
    321: "invalid memory index",
    322: "memory full",
    330: "SMSC address unknown",
    331: "no network service",
    332: "network timeout",
    500: "unknown error",
}


def cme_meaning(code: int) -> str:
    """Readable meaning of a ``+CME ERROR`` code (27.007 §9.2)."""
    if code in CME_MEANINGS:
        return CME_MEANINGS[code]
    return "vendor specific error" if code >= 256 else "unknown error"


def cms_meaning(code: int) -> str:
    """Readable meaning of a ``+CMS ERROR`` code (27.005 §3.2.5)."""
    if code in CMS_MEANINGS:
        return CMS_MEANINGS[code]
    if code < 128:
        return "refused by the network"
    return "SMS protocol error" if code < 256 else "unknown error"


class ModemError(Exception):
    """Base of every error of the modem layer."""


class PduError(ModemError, ValueError):
    """A PDU that cannot be decoded or a text/number that cannot be encoded."""


class InvalidNumberError(PduError):
    """A phone number that cannot be sent to."""


class ConnectionLostError(ModemError):
    """The port went away (unplugged, reset, closed) or is not open."""


class PortNotOpenError(ConnectionLostError):
    """A command found the port closed before anything of it was written."""


class AtTimeoutError(ModemError):
    """A command got no final result in time."""

    def __init__(self, command: str, timeout: float) -> None:
        super().__init__(f"{command}: no answer within {timeout:g} s")
        self.command = command
        self.timeout = timeout


class UnexpectedReplyError(ModemError):
    """A reply this layer cannot read."""


class UnsafePortProfileError(ModemError, ValueError):
    """A port profile refused before it reaches the stick (unreadable, or unsafe below)."""

    def __init__(self, message: str, profile: str) -> None:
        super().__init__(message)
        self.profile = profile


class PortProfileWithoutAtPortError(UnsafePortProfileError):
    """A profile with no PCUI (AT) port: the stick would have no port left to talk to."""

    def __init__(self, profile: str) -> None:
        super().__init__(f"{profile} has no PCUI (AT) port: 2 or 12", profile)


class PortCodesNotListedError(UnsafePortProfileError):
    """A profile with codes the stick does not list; ``supported``: code -> name it lists."""

    def __init__(self, profile: str, codes: tuple[str, ...], supported: dict[str, str]) -> None:
        super().__init__(f"{profile}: codes {list(codes)} are not listed", profile)
        self.codes = codes
        self.supported = supported


class AtCommandError(ModemError):
    """A command ended with an error result (plain ``ERROR`` unless a subclass says more)."""

    def __init__(self, command: str, result: str, detail: str | None = None) -> None:
        super().__init__(f"{command}: {detail or result}")
        self.command = command
        self.result = result


class CommandNotSupportedError(AtCommandError):
    """Huawei's ``COMMAND NOT SUPPORT`` or ``TOO MANY PARAMETERS``."""


class CallSetupError(AtCommandError):
    """V.250's final results of a call that could not be set up: ``NO CARRIER`` (no network,
    the call refused), ``BUSY``, ``NO ANSWER``, ``NO DIALTONE``; ``result`` says which."""


class NetworkModeNotOfferedError(ModemError, ValueError):
    """A network mode the stick's firmware does not list (nothing was sent)."""

    def __init__(self, mode: str, offered: tuple[str, ...]) -> None:
        super().__init__(f"network mode {mode} is not offered; the stick offers {list(offered)}")
        self.mode = mode
        self.offered = offered


class VoiceNotSupportedError(ModemError):
    """A voice call asked of a stick whose firmware has no voice (nothing was sent)."""


class CmeError(AtCommandError):
    """``+CME ERROR: <code>``: a mobile equipment error."""

    def __init__(self, command: str, code: int) -> None:
        self.code = code
        self.meaning = cme_meaning(code)
        super().__init__(command, f"+CME ERROR: {code}", f"+CME ERROR {code} ({self.meaning})")


class CmsError(AtCommandError):
    """``+CMS ERROR: <code>``: an SMS service error."""

    def __init__(self, command: str, code: int) -> None:
        self.code = code
        self.meaning = cms_meaning(code)
        super().__init__(command, f"+CMS ERROR: {code}", f"+CMS ERROR {code} ({self.meaning})")


class SmsRefusedError(CmsError):
    """``+CMS ERROR`` for one part of an SMS (``AT+CMGS``).

    ``sent_references``: the message references of the parts sent before it, in order (empty:
    nothing went out); ``part_count``: how many parts the message has.
    """

    def __init__(
        self, command: str, code: int, *, sent_references: tuple[int, ...], part_count: int
    ) -> None:
        super().__init__(command, code)
        self.sent_references = sent_references
        self.part_count = part_count

    @property
    def sent_count(self) -> int:
        """How many parts went out before the refusal."""
        return len(self.sent_references)

    def __str__(self) -> str:
        return f"{super().__str__()}; {self.sent_count} of {self.part_count} parts sent"


class SmsInterruptedError(ModemError):
    """Sending an SMS stopped midway (``cause``: a timeout, the port gone) after some parts.

    ``sent_references``: the message references of the parts that went out, in order;
    ``part_count``: how many parts the message has.
    """

    def __init__(
        self, cause: ModemError, *, sent_references: tuple[int, ...], part_count: int
    ) -> None:
        super().__init__(
            f"{cause}; {len(sent_references)} of {part_count} parts sent "
            f"(references {', '.join(map(str, sent_references))})"
        )
        self.cause = cause
        self.sent_references = sent_references
        self.part_count = part_count

    @property
    def sent_count(self) -> int:
        return len(self.sent_references)


class PinError(ModemError):
    """The SIM cannot be used until the user acts."""


class InvalidPinFormatError(PinError, ValueError):
    """A PIN that is not 4 to 8 digits; it was not sent."""


class SimMissingError(PinError):
    """No SIM in the stick."""


class SimFailureError(PinError):
    """The SIM is broken or blocked for good (no PUK tries left)."""


class PinRequiredError(PinError):
    """The SIM waits for its PIN."""

    def __init__(self, message: str, attempts_left: int | None = None) -> None:
        super().__init__(message)
        self.attempts_left = attempts_left


class WrongPinError(PinRequiredError):
    """The PIN was refused; ``attempts_left`` before the SIM asks for its PUK (None: unknown)."""


class PukRequiredError(PinError):
    """The SIM is locked behind its PUK; ``puk_attempts_left`` before it is destroyed."""

    def __init__(self, message: str, puk_attempts_left: int | None = None) -> None:
        super().__init__(message)
        self.puk_attempts_left = puk_attempts_left


# USB stick management (modem/usb.py): listing sticks on the bus and switching their mode.


class UsbError(ModemError):
    """A stick could not be listed or switched on the USB bus."""


class NoUsbBackendError(UsbError):
    """pyusb found no libusb (or other) backend to reach the USB bus."""


class UsbPermissionError(UsbError):
    """The USB device node of the stick may not be opened; ``udev_rule`` grants it."""

    def __init__(self, message: str, udev_rule: str) -> None:
        super().__init__(message)
        self.udev_rule = udev_rule


class StickNotFoundError(UsbError):
    """No such stick on the bus, or it went away before the switch message was sent."""


class NotInStorageModeError(UsbError):
    """The stick is not in mass-storage (CD-ROM) mode, so it is not switched."""

    def __init__(self, message: str, vid: int, pid: int) -> None:
        super().__init__(message)
        self.vid = vid
        self.pid = pid


class InvalidSwitchMessageError(UsbError, ValueError):
    """A modeswitch message that is not 31 bytes starting with ``USBC``; nothing was sent."""


class ModeswitchTimeoutError(UsbError):
    """The switched stick did not come back as a serial modem in time."""

    def __init__(self, message: str, timeout: float) -> None:
        super().__init__(message)
        self.timeout = timeout


class UnexpectedModeError(UsbError):
    """The switched stick came back, but not as a serial modem (e.g. as HiLink)."""

    def __init__(self, message: str, vid: int, pid: int) -> None:
        super().__init__(message)
        self.vid = vid
        self.pid = pid
