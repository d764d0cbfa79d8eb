"""AT^SETPORT profiles and the USB layout they produce."""

from __future__ import annotations

from dataclasses import dataclass

from .models import MASS_STORAGE_CODES, PCUI_CODES, SETPORT_CODES

# bInterfaceProtocol of the vendor-specific (class 0xff) serial interfaces, by SETPORT code.
_SERIAL_PROTOCOL = {"1": 0x01, "2": 0x02, "3": 0x03, "5": 0x05, "10": 0x10, "12": 0x12}
_SERIAL_PROTOCOL |= {"13": 0x13, "14": 0x14}
# Functions that take two USB interfaces (communication + data), each (class, subclass, protocol).
_MULTI_INTERFACE = {
    "16": ((0x02, 0x0D, 0x00), (0x0A, 0x00, 0x01)),
    "7": ((0xFF, 0x02, 0x07), (0xFF, 0x02, 0x07)),
}
_SINGLE_INTERFACE = {"A1": (0x08, 0x06, 0x50), "A2": (0x08, 0x06, 0x50), "A": (0xE0, 0x01, 0x01)}


class ProfileError(ValueError):
    """A ^SETPORT string the stick refuses."""


@dataclass(frozen=True, slots=True)
class PortProfile:
    """``<plug-in phase>;<composition>``; a plug-in phase of ``FF`` means none."""

    plug_in: tuple[str, ...]
    composition: tuple[str, ...]

    @classmethod
    def parse(cls, text: str, allowed: tuple[str, ...] | None = None) -> PortProfile:
        first, separator, second = text.strip().strip('"').partition(";")
        if not separator or not second:
            raise ProfileError(f"no ';' in {text!r}")
        plug_in = _codes(first)
        composition = _codes(second)
        if plug_in != ("FF",) and not set(plug_in) <= MASS_STORAGE_CODES:
            raise ProfileError(f"plug-in phase {first!r} is not FF or mass storage")
        if "FF" in composition or len(set(composition)) != len(composition):
            raise ProfileError(f"bad composition {second!r}")
        if allowed is not None:
            unknown = (set(composition) | set(plug_in)) - set(allowed) - {"FF"}
            if unknown:
                raise ProfileError(f"codes not supported: {sorted(unknown)}")
        return cls(plug_in, composition)

    @property
    def has_switch_phase(self) -> bool:
        return self.plug_in != ("FF",)

    @property
    def has_pcui(self) -> bool:
        return any(code in PCUI_CODES for code in self.composition)

    def __str__(self) -> str:
        return f"{','.join(self.plug_in)};{','.join(self.composition)}"


def _codes(part: str) -> tuple[str, ...]:
    codes = tuple(code.strip().upper() for code in part.split(","))
    if not all(code == "FF" or code in SETPORT_CODES for code in codes):
        raise ProfileError(f"unknown code in {part!r}")
    return codes


@dataclass(frozen=True, slots=True)
class UsbInterface:
    """One USB interface of the stick as Linux would see it."""

    number: int
    interface_class: int
    subclass: int
    protocol: int
    function: str
    role: str | None


@dataclass(frozen=True, slots=True)
class UsbInfo:
    """What ``lsusb -v`` would say about the stick right now."""

    vid: int
    pid: int
    serial: str | None
    interfaces: tuple[UsbInterface, ...]

    def interface_of(self, role: str) -> UsbInterface | None:
        return next((iface for iface in self.interfaces if iface.role == role), None)


def layout(codes: tuple[str, ...]) -> tuple[UsbInterface, ...]:
    """USB interfaces for a composition, numbered in order; serial roles get unique names."""
    interfaces: list[UsbInterface] = []
    roles: set[str] = set()
    for code in codes:
        function, role = SETPORT_CODES[code]
        if code in _SERIAL_PROTOCOL and role is not None:
            unique = _unique_role(role, roles)
            roles.add(unique)
            iface = UsbInterface(
                len(interfaces), 0xFF, 0x02, _SERIAL_PROTOCOL[code], function, unique
            )
            interfaces.append(iface)
            continue
        for cls, sub, proto in _MULTI_INTERFACE.get(
            code, (_SINGLE_INTERFACE.get(code, (0xFF, 0, 0)),)
        ):
            interfaces.append(UsbInterface(len(interfaces), cls, sub, proto, function, None))
    return tuple(interfaces)


def _unique_role(role: str, taken: set[str]) -> str:
    candidate, number = role, 2
    while candidate in taken:
        candidate, number = f"{role}{number}", number + 1
    return candidate
