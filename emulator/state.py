"""What survives a restart of the emulator itself (``state_file``): flash and SIM contents."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from .device import Device
from .profile import PortProfile, ProfileError


def snapshot(device: Device) -> dict[str, Any]:
    sim = device.sim
    return {
        "setport": str(device.stored_profile),
        "next_reference": device.next_reference,
        "smsc": device.smsc,
        "sim": {
            "pin": sim.pin,
            "puk": sim.puk,
            "pin_enabled": sim.pin_enabled,
            "pin_tries": sim.pin_tries,
            "puk_tries": sim.puk_tries,
        },
        "memories": {name: memory.dump() for name, memory in device.storage.memories.items()},
    }


def restore(device: Device, data: dict[str, Any]) -> None:
    with contextlib.suppress(KeyError, ProfileError):
        device.stored_profile = PortProfile.parse(str(data["setport"]))
    device.active_profile = device.stored_profile
    device.next_reference = int(data.get("next_reference", device.next_reference)) % 256
    device.smsc = str(data.get("smsc", device.smsc))
    sim_data = data.get("sim", {})
    sim = device.sim
    sim.pin = str(sim_data.get("pin", sim.pin))
    sim.puk = str(sim_data.get("puk", sim.puk))
    sim.pin_enabled = bool(sim_data.get("pin_enabled", sim.pin_enabled))
    sim.pin_tries = int(sim_data.get("pin_tries", sim.pin_tries))
    sim.puk_tries = int(sim_data.get("puk_tries", sim.puk_tries))
    for name, slots in data.get("memories", {}).items():
        if name in device.storage.memories:
            device.storage.memories[name].load(slots)


class StateFile:
    """Writes the snapshot only when it changed; atomically (write, then rename)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._last = ""

    def load_into(self, device: Device) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        restore(device, json.loads(text))
        self._last = text

    def save(self, device: Device) -> None:
        text = json.dumps(snapshot(device), indent=1, sort_keys=True)
        if text == self._last:
            return
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, self.path)
        self._last = text
