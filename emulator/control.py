"""Driving a running emulator from another process: JSON lines over a Unix socket.

Request: ``{"action": "sms", "sender": "+49...", "text": "..."}``; answer: ``{"ok": true, ...}``
or ``{"ok": false, "error": "..."}``. The socket is ``<link_dir>/control.sock``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from .calls import FAR_END_MODES
from .cell import cell_state, move_cell
from .stick import EmulatedStick

SOCKET_NAME = "control.sock"
Action = Callable[[EmulatedStick, dict[str, Any]], Awaitable[dict[str, Any]]]
ACTIONS: dict[str, Action] = {}


def _action(name: str) -> Callable[[Action], Action]:
    def decorator(function: Action) -> Action:
        ACTIONS[name] = function
        return function

    return decorator


@_action("sms")
async def _sms(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    timestamp = request.get("timestamp")
    pdus = stick.deliver_sms(
        request["sender"],
        request["text"],
        timestamp=datetime.fromisoformat(timestamp) if timestamp else None,
        flash=bool(request.get("flash", False)),
        encoding=request.get("encoding", "auto"),
        part_order=request.get("part_order"),
    )
    return {"pdus": pdus}


@_action("signal")
async def _signal(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    stick.set_signal(**{key: value for key, value in request.items() if key != "action"})
    return {"signal": asdict(stick.signal)}


@_action("network")
async def _network(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    stick.set_network(**{key: value for key, value in request.items() if key != "action"})
    return {"network": asdict(stick.device.network)}


@_action("cell")
async def _cell(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    fields = {key: request.get(key) for key in ("lac", "ci", "tac")}
    values = {key: int(value, 16) if value else None for key, value in fields.items()}
    move_cell(stick.device, values["lac"], values["ci"], values["tac"])
    return {"cell": cell_state(stick.device)}


@_action("sim")
async def _sim(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    if request["inserted"]:
        stick.insert_sim()
    else:
        stick.remove_sim()
    return {}


@_action("unplug")
async def _unplug(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    stick.unplug()
    return {}


@_action("replug")
async def _replug(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    stick.replug()
    return {"ports": stick.ports}


@_action("reset")
async def _reset(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    await stick.reset()
    return {"ports": stick.ports}


@_action("status")
async def _status(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    return describe(stick)


@_action("sent")
async def _sent(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    return {"sent": [{**asdict(sms), "sent_at": sms.sent_at.isoformat()} for sms in stick.sent]}


@_action("refuse")
async def _refuse(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    code = request.get("code")
    if code is None:
        stick.accept_sms()
    else:
        stick.refuse_sms(int(code), request.get("count", 1), after=int(request.get("after", 0)))
    return {}


@_action("ussd")
async def _ussd(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    stick.set_ussd_answer(
        request["code"], request["text"], further_action=bool(request.get("menu"))
    )
    return {}


@_action("fault")
async def _fault(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    for key, value in request.items():
        if key != "action":
            if not hasattr(stick.faults, key):
                raise KeyError(key)
            setattr(stick.faults, key, value)
    return {"faults": asdict(stick.faults)}


@_action("garbage")
async def _garbage(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    data = bytes.fromhex(request["hex"]) if request.get("hex") else None
    if data is None:
        stick.inject_garbage()
    else:
        stick.inject_garbage(data)
    return {}


@_action("storm")
async def _storm(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    stick.storm(int(request.get("count", 100)))
    return {}


@_action("storage")
async def _storage(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    """The message memories; ``capacity`` resizes the SIM's (``SM``) first."""
    if request.get("capacity") is not None:
        stick.set_sms_capacity(int(request["capacity"]))
    memories = {
        name: {
            "used": memory.used,
            "capacity": memory.capacity,
            "messages": [{"index": i, **asdict(sms)} for i, sms in sorted(memory.slots.items())],
        }
        for name, memory in stick.device.storage.memories.items()
    }
    return {"memories": memories, "held_back": stick.device.held_back}


@_action("call")
async def _call(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    rings = request.get("hang_up_after")
    call = stick.device.calls.incoming(
        str(request.get("number", "")),
        withheld=bool(request.get("withheld")),
        unavailable=bool(request.get("unavailable")),
        rings=None if rings is None else int(rings),
    )
    return {"call": asdict(call)}


@_action("far_end")
async def _far_end(stick: EmulatedStick, request: dict[str, Any]) -> dict[str, Any]:
    far_end = stick.device.calls.far_end
    mode = str(request.get("mode", "answer"))
    if mode not in FAR_END_MODES:
        raise ValueError(f"far end {mode!r} not in {FAR_END_MODES}")
    far_end.mode = mode
    far_end.answer_after = float(request.get("answer_after", far_end.answer_after))
    return {"far_end": asdict(far_end)}


def describe(stick: EmulatedStick) -> dict[str, Any]:
    usb = stick.usb
    return {
        "model": stick.model.name,
        "ports": stick.ports,
        "stable_paths": {role: str(path) for role, path in stick.stable_paths.items()},
        "tcp_url": stick.tcp_url,
        "usb": asdict(usb) if usb else None,
    }


class ControlServer:
    """Serves ``ACTIONS`` for one stick on a Unix socket."""

    def __init__(self, stick: EmulatedStick, path: Path) -> None:
        self.stick = stick
        self.path = path
        self._server: asyncio.Server | None = None
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._server = await asyncio.start_unix_server(self._client, str(self.path))

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                answer = await self.handle(line)
                writer.write(json.dumps(answer).encode() + b"\n")
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def handle(self, line: bytes) -> dict[str, Any]:
        try:
            request = json.loads(line)
            action = ACTIONS[request["action"]]
            async with self._lock:
                return {"ok": True, **await action(self.stick, request)}
        except Exception as error:  # any failure is the caller's answer
            return {"ok": False, "error": f"{type(error).__name__}: {error}"}


async def request(link_dir: Path, payload: dict[str, Any], limit: float = 10.0) -> dict[str, Any]:
    """Send one request to the emulator serving ``link_dir``; returns its answer."""
    async with asyncio.timeout(limit):
        reader, writer = await asyncio.open_unix_connection(str(link_dir / SOCKET_NAME))
        try:
            writer.write(json.dumps(payload).encode() + b"\n")
            await writer.drain()
            answer: dict[str, Any] = json.loads(await reader.readline())
        finally:
            writer.close()
            await writer.wait_closed()
    return answer
