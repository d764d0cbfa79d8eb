"""AT command handlers; importing this package fills ``engine.TABLE``."""

from . import basic, identity, messages, ports, radio, simcard, ussd

__all__ = ["basic", "identity", "messages", "ports", "radio", "simcard", "ussd"]
