"""One serial function of the stick: bytes in, echo, AT replies and unsolicited lines out.

An ``AtPort`` runs one worker task that takes command lines from its input in order (a real
stick handles one command at a time) and writes framed replies; faults and noise apply here.
A ``SilentPort`` is a diag or GPS port (or an AT port of a profile without PCUI): no AT at all.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Protocol

from .device import Device
from .engine import Engine, Reply, Session
from .faults import Faults

Sink = Callable[[bytes], None]
CTRL_Z, ESC, CR = 0x1A, 0x1B, 0x0D
_NUMERIC_FINAL = {"OK": "0", "CONNECT": "1", "RING": "2", "NO CARRIER": "3", "ERROR": "4"}
# A Qualcomm-style diag error frame: what probing a diag port with "AT\r" gets back.
_DIAG_ANSWER = bytes.fromhex("1341540db58a7e")


class Port(Protocol):
    """What the transports and the stick need from a port."""

    role: str

    def feed(self, data: bytes) -> None: ...

    def attach(self, sink: Sink) -> None: ...

    def detach(self, sink: Sink) -> None: ...

    def write_raw(self, data: bytes) -> None: ...

    def send_unsolicited(self, lines: list[str]) -> None: ...

    def close(self) -> asyncio.Task[None] | None: ...


class _Output:
    """Fan-out of the bytes a port sends (its pty, and TCP clients for the PCUI)."""

    def __init__(self) -> None:
        self.sinks: list[Sink] = []

    def attach(self, sink: Sink) -> None:
        self.sinks.append(sink)

    def detach(self, sink: Sink) -> None:
        with contextlib.suppress(ValueError):
            self.sinks.remove(sink)

    def write_raw(self, data: bytes) -> None:
        for sink in list(self.sinks):
            sink(data)


class SilentPort(_Output):
    """Never answers AT; a diag port answers probes with binary error frames."""

    def __init__(self, role: str, *, diag: bool) -> None:
        super().__init__()
        self.role = role
        self._diag = diag

    def feed(self, data: bytes) -> None:
        if self._diag and CR in data:
            self.write_raw(_DIAG_ANSWER)

    def send_unsolicited(self, lines: list[str]) -> None:
        return

    def close(self) -> asyncio.Task[None] | None:
        self.sinks.clear()
        return None


class AtPort(_Output):
    """An AT-answering port (PCUI or modem)."""

    def __init__(
        self,
        role: str,
        device: Device,
        faults: Faults,
        *,
        noise: Callable[[AtPort], str | None],
        after_command: Callable[[], None],
    ) -> None:
        super().__init__()
        self.role = role
        self.session = Session()
        self._device = device
        self._faults = faults
        self._noise = noise
        self._after_command = after_command
        self._engine = Engine(device, self.session, self._read_after_prompt)
        self._inbox = bytearray()
        self._arrived = asyncio.Event()
        self._in_prompt = False
        self._replying = False
        self._held: list[list[str]] = []
        self._worker = asyncio.get_running_loop().create_task(
            self._serve(), name=f"emulator {role}"
        )

    # --- input --------------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        if self.session.echo:
            self.write_raw(bytes(byte for byte in data if byte not in (CTRL_Z, ESC)))
        self._inbox += data
        self._arrived.set()

    async def _take_until(self, terminators: bytes) -> tuple[bytes, int]:
        while True:
            positions = [i for i in (self._inbox.find(t) for t in terminators) if i >= 0]
            if positions:
                end = min(positions)
                data, terminator = bytes(self._inbox[:end]), self._inbox[end]
                del self._inbox[: end + 1]
                return data, terminator
            self._arrived.clear()
            await self._arrived.wait()

    async def _read_after_prompt(self) -> str | None:
        self.write_raw(b"\r\n> ")
        self._in_prompt = True
        try:
            data, terminator = await self._take_until(bytes([CTRL_Z, ESC]))
        finally:
            self._in_prompt = False
        return None if terminator == ESC else data.decode("latin-1")

    async def _serve(self) -> None:
        while True:
            raw, _ = await self._take_until(b"\r")
            line = raw.decode("latin-1").replace("\n", "")
            reply = await self._engine.run_line(line)
            if reply is not None:
                await self._send_reply(reply)
                self._after_command()

    # --- output -------------------------------------------------------------------------------

    def send_unsolicited(self, lines: list[str]) -> None:
        if self._replying:
            self._held.append(lines)
        else:
            self.write_raw(_frame_unsolicited(lines))

    async def _send_reply(self, reply: Reply) -> None:
        faults = self._faults
        if faults.reply_delay:
            await asyncio.sleep(faults.reply_delay)
        if faults.take("drop_final_next"):
            reply.final = None
        data = self._with_interleaving(self._frame(reply))
        self._replying = True
        try:
            await self._write_with_faults(data)
        finally:
            self._replying = False
            self._flush_held()

    def _frame(self, reply: Reply) -> list[bytes]:
        """Reply segments; unsolicited lines may land at every boundary between them."""
        verbose = self.session.verbose
        segments = [
            (("\r\n" if verbose and index == 0 else "") + text + terminator).encode("latin-1")
            for index, (text, terminator) in enumerate(reply.lines)
        ]
        if reply.final is not None:
            final = reply.final if verbose else _NUMERIC_FINAL.get(reply.final, reply.final)
            segments.append(f"\r\n{final}\r\n".encode() if verbose else f"{final}\r".encode())
        return segments

    def _with_interleaving(self, segments: list[bytes]) -> bytes:
        out = bytearray(segments[0] if segments else b"")
        for segment in segments[1:]:
            if self._device.rng.random() < self._faults.noise_in_replies:
                line = self._noise(self)
                if line is not None:
                    out += _frame_unsolicited([line])
            out += segment
        return bytes(out)

    async def _write_with_faults(self, data: bytes) -> None:
        half = len(data) // 2
        if self._faults.take("stall_next"):
            self.write_raw(data[:half])
            return
        if self._faults.take("cut_next"):
            self.write_raw(data[:half])
            await asyncio.sleep(self._faults.cut_pause)
            self.write_raw(data[half:])
            return
        self.write_raw(data)

    def _flush_held(self) -> None:
        held, self._held = self._held, []
        for lines in held:
            self.write_raw(_frame_unsolicited(lines))

    def close(self) -> asyncio.Task[None] | None:
        self.sinks.clear()
        self._worker.cancel()
        return self._worker


def _frame_unsolicited(lines: list[str]) -> bytes:
    return ("\r\n" + "\r\n".join(lines) + "\r\n").encode("latin-1")
