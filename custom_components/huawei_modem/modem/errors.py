"""Errors of the modem layer: one tree, rooted at ModemError."""


class ModemError(Exception):
    """Base of every error of the modem layer."""


class PduError(ModemError, ValueError):
    """A PDU that cannot be decoded or a text/number that cannot be encoded."""


class InvalidNumberError(PduError):
    """A phone number that cannot be sent to."""
