"""Final error results a command handler raises; the engine formats them per +CMEE."""

from __future__ import annotations

CME_TEXT = {
    3: "operation not allowed",
    4: "operation not supported",
    10: "SIM not inserted",
    11: "SIM PIN required",
    12: "SIM PUK required",
    13: "SIM failure",
    14: "SIM busy",
    15: "SIM wrong",
    16: "incorrect password",
    20: "memory full",
    21: "invalid index",
    22: "not found",
    30: "no network service",
    100: "unknown",
}
CMS_TEXT = {
    21: "Short message transfer rejected",
    300: "ME failure",
    302: "operation not allowed",
    303: "operation not supported",
    304: "invalid PDU mode parameter",
    310: "SIM not inserted",
    311: "SIM PIN required",
    313: "SIM failure",
    316: "SIM PUK required",
    320: "memory failure",
    321: "invalid memory index",
    322: "memory full",
    330: "SMSC address unknown",
    331: "no network service",
    332: "network timeout",
    500: "unknown error",
}


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
