"""AT command handlers; importing this package fills ``engine.TABLE``."""

from . import basic, calls, identity, messages, ports, radio, simcard, ussd

__all__ = ["basic", "calls", "identity", "messages", "ports", "radio", "simcard", "ussd"]
