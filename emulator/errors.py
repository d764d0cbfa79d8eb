"""Final error results a command handler raises; the engine formats them per +CMEE."""

from __future__ import annotations

from custom_components.huawei_modem.modem.errors import CME_MEANINGS, CMS_MEANINGS

# The standard texts (27.007 / 27.005) a stick prints with +CMEE=2 are the meanings the modem
# layer shows for the numeric codes: one table serves both.
CME_TEXT = CME_MEANINGS
CMS_TEXT = CMS_MEANINGS


class AtError(Exception):
    """Plain ``ERROR``."""

    def final(self, cmee: int) -> str:
        return "ERROR"


class CmeError(AtError):
    """``+CME ERROR: <n>`` (``ERROR`` while +CMEE=0)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code

    def final(self, cmee: int) -> str:
        if cmee == 0:
            return "ERROR"
        if cmee == 2:
            return f"+CME ERROR: {CME_TEXT.get(self.code, 'unknown')}"
        return f"+CME ERROR: {self.code}"


class CmsError(AtError):
    """``+CMS ERROR: <n>``: reported even while +CMEE=0, as 27.005 final result."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code

    def final(self, cmee: int) -> str:
        if cmee == 2:
            return f"+CMS ERROR: {CMS_TEXT.get(self.code, 'unknown error')}"
        return f"+CMS ERROR: {self.code}"


class NotSupportedError(AtError):
    """Huawei's answer to a ``^`` command the firmware lacks."""

    def final(self, cmee: int) -> str:
        return "COMMAND NOT SUPPORT"


class TooManyParametersError(AtError):
    """Huawei's answer to surplus parameters."""

    def final(self, cmee: int) -> str:
        return "TOO MANY PARAMETERS"
