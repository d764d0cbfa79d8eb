"""EmulatedStick: a Huawei USB stick on pseudo-terminals (and TCP), with controls and faults."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from . import commands as _commands  # noqa: F401  (fills the command table)
from .device import Device, Identity, SmsBehaviour, UssdAnswer
from .faults import Faults
from .models import HUAWEI_VID, MASS_STORAGE_PID, MODELS, Model
from .network import ACCESS_TECHS, Signal
from .noise import hcsq_report, mode_report, noise_line, rssi_report
from .port import AtPort, Port, SilentPort
from .profile import PortProfile, UsbInfo, UsbInterface, layout
from .pty import PtyEndpoint, open_ptys
from .sim import Sim
from .sms import SentSms
from .state import StateFile
from .storage import StoredMessage
from .tcp import TcpBridge

_AT_ROLES = ("pcui", "modem")
GARBAGE = b"\x00\xff\xfe\xc3(garbage\xa0\r\n"  # invalid UTF-8 on purpose


class EmulatedStick:
    """A stick on the running event loop. ``await start()``, ``await stop()`` or ``async with``.

    ``ports`` maps roles ("pcui", "modem", "diag", "gps") to the current /dev/pts names,
    ``stable_paths`` to the by-id style symlinks in ``link_dir``; ``tcp_url`` reaches the PCUI.
    """

    def __init__(
        self,
        model: str = "E3372",
        *,
        pin: str | None = None,
        puk: str = "12345678",
        imei: str = "866123045678901",
        imsi: str = "262011234567890",
        iccid: str = "89490200001234567890",
        own_number: str | None = "+4915112345678",
        smsc: str = "+491760000443",
        link_dir: Path | None = None,
        tcp_port: int | None = None,
        noise_interval: float | None = None,
        reply_delay: float = 0.0,
        reset_delay: float = 0.5,
        sms_capacity: int | None = None,
        state_file: Path | None = None,
        seed: int = 0,
        auto_modeswitch: bool = True,
        usb_serial: str | None = None,
    ) -> None:
        self.model: Model = MODELS[model]
        sim = Sim(pin=pin or "0000", puk=puk, pin_enabled=pin is not None)
        self.device = Device(
            self.model,
            Identity(imei=imei, imsi=imsi, iccid=iccid, own_number=own_number),
            sim,
            smsc=smsc,
            sms_capacity=sms_capacity or self.model.sms_capacity,
            seed=seed,
        )
        self.faults = Faults(reply_delay=reply_delay)
        self.link_dir = link_dir
        self.noise_interval = noise_interval
        self.reset_delay = reset_delay
        self.auto_modeswitch = auto_modeswitch
        self.usb_serial = usb_serial
        self._state = StateFile(state_file) if state_file else None
        self._tcp = (
            TcpBridge(lambda: self._ports.get("pcui"), tcp_port) if tcp_port is not None else None
        )
        self._ports: dict[str, Port] = {}
        self._ptys: dict[str, PtyEndpoint] = {}
        self._links: dict[str, Path] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._previous_names: set[str] = set()
        self._mass_storage = False
        self._on_bus = asyncio.Event()
        self.device.emit = self._emit
        self.device.spawn = self._spawn
        self.device.request_reset = self._on_reset_command

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> EmulatedStick:
        if self._state is not None:
            self._state.load_into(self.device)
        self.device.power_on()
        if self._tcp is not None:
            await self._tcp.start()
        self._plug()
        if self.noise_interval:
            self._spawn(self._noise_loop(self.noise_interval))
        return self

    async def stop(self) -> None:
        self._unplug()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._tcp is not None:
            await self._tcp.stop()
        self._save()

    async def __aenter__(self) -> EmulatedStick:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._track(task)

    def _track(self, task: asyncio.Task[None]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _save(self) -> None:
        if self._state is not None:
            self._state.save(self.device)

    # --- where the stick is -------------------------------------------------------------------

    @property
    def ports(self) -> dict[str, str]:
        """Role -> current pty path (empty while unplugged or in mass-storage mode)."""
        return {role: endpoint.name for role, endpoint in self._ptys.items()}

    @property
    def stable_paths(self) -> dict[str, Path]:
        """Role -> /dev/serial/by-id style symlink in ``link_dir``."""
        return dict(self._links)

    @property
    def tcp_url(self) -> str | None:
        return self._tcp.url if self._tcp is not None else None

    @property
    def plugged(self) -> bool:
        return bool(self._ptys) or self._mass_storage

    @property
    def usb(self) -> UsbInfo | None:
        """The USB identity right now; None while off the bus."""
        if self._mass_storage:
            storage = (UsbInterface(0, 0x08, 0x06, 0x50, "CDROM", None),)
            return UsbInfo(HUAWEI_VID, MASS_STORAGE_PID, self.usb_serial, storage)
        if not self._ptys:
            return None
        return UsbInfo(HUAWEI_VID, self.model.usb_pid, self.usb_serial, self._interfaces())

    def _interfaces(self) -> tuple[UsbInterface, ...]:
        return layout(self.device.active_profile.composition)

    # --- plugging -----------------------------------------------------------------------------

    def _plug(self) -> None:
        profile = self.device.active_profile
        self._on_bus.set()
        if profile.has_switch_phase and not self.auto_modeswitch:
            self._mass_storage = True
            return
        self._mass_storage = False
        serial = [iface for iface in self._interfaces() if iface.role is not None]
        endpoints = open_ptys(len(serial), self._previous_names)
        for iface, endpoint in zip(serial, endpoints, strict=True):
            assert iface.role is not None
            self._attach(iface, endpoint, has_pcui=profile.has_pcui)

    def _attach(self, iface: UsbInterface, endpoint: PtyEndpoint, *, has_pcui: bool) -> None:
        role = iface.role or "?"
        port = self._make_port(role, answers_at=has_pcui and role.rstrip("0123456789") in _AT_ROLES)
        endpoint.start(port.feed)
        port.attach(endpoint.write)
        self._ports[role] = port
        self._ptys[role] = endpoint
        if self.link_dir is not None:
            self._links[role] = self._make_link(iface.number, endpoint.name)

    def _make_port(self, role: str, *, answers_at: bool) -> Port:
        if not answers_at:
            return SilentPort(role, diag=role.startswith("diag"))
        return AtPort(
            role, self.device, self.faults, noise=self._noise_for, after_command=self._save
        )

    def _make_link(self, interface: int, target: str) -> Path:
        assert self.link_dir is not None
        serial = f"_{self.usb_serial}" if self.usb_serial else ""
        link = self.link_dir / f"usb-{self.model.usb_name}{serial}-if{interface:02d}-port0"
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        link.symlink_to(target)
        return link

    def _unplug(self) -> None:
        self._previous_names = {
            endpoint.name for endpoint in self._ptys.values()
        } or self._previous_names
        for port in self._ports.values():
            task = port.close()
            if task is not None:
                self._track(task)
        for endpoint in self._ptys.values():
            endpoint.close()
        for link in self._links.values():
            with contextlib.suppress(FileNotFoundError):
                link.unlink()
        if self._tcp is not None:
            self._tcp.drop_clients()
        self._ports, self._ptys, self._links = {}, {}, {}
        self._mass_storage = False
        self._on_bus.clear()
        self.device.calls.drop()

    def unplug(self) -> None:
        """Pull the stick: ptys and links vanish, a program holding a pty gets EIO/hang-up."""
        self._unplug()

    def replug(self) -> None:
        """Plug it back: power-on state, new pty names, same links."""
        self._unplug()
        self.device.power_on()
        self._plug()

    def modeswitch(self) -> None:
        """What usb_modeswitch does to a stick in its CD-ROM phase: the serial composition."""
        if self._mass_storage:
            self._mass_storage = False
            self.auto_modeswitch, auto = True, self.auto_modeswitch
            try:
                self._plug()
            finally:
                self.auto_modeswitch = auto

    async def reset(self) -> None:
        """Like ``AT^RESET``: off the bus for ``reset_delay`` s, back with the stored profile."""
        self._unplug()
        await asyncio.sleep(self.reset_delay)
        self.device.power_on()
        self._plug()

    def _on_reset_command(self) -> None:
        self._spawn(self.reset())

    async def wait_plugged(self, limit: float = 5.0) -> None:
        """Wait until the stick is back on the bus (after a reset); TimeoutError after ``limit``."""
        async with asyncio.timeout(limit):
            await self._on_bus.wait()

    def restore_profile(self, profile: str | None = None) -> None:
        """Reflash: store ``profile`` (default: the model's) even without a PCUI, then replug."""
        self.device.store_profile(PortProfile.parse(profile or self.model.default_setport))
        self._save()
        self.replug()

    # --- unsolicited --------------------------------------------------------------------------

    def _urc_port(self) -> Port | None:
        role = "modem" if self.device.settings.portsel == 1 else "pcui"
        return self._ports.get(role)

    def _emit(self, lines: list[str]) -> None:
        port = self._urc_port()
        if port is not None:
            port.send_unsolicited(lines)

    def _noise_for(self, port: AtPort) -> str | None:
        if self.device.settings.curc == 0 or port is not self._urc_port():
            return None
        return noise_line(self.device)

    async def _noise_loop(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            port = self._urc_port()
            if isinstance(port, AtPort) and (line := self._noise_for(port)) is not None:
                port.send_unsolicited([line])

    def send_unsolicited(self, *lines: str) -> None:
        """Any unsolicited line(s), e.g. ``RING``; sent to the URC port."""
        self._emit(list(lines))

    def storm(self, count: int) -> None:
        """``count`` unsolicited lines at once (``^RSSI``, ``^MODE``, ``^BOOT``, ...), as a stick
        sends them when its reports pile up."""
        port = self._urc_port()
        if isinstance(port, AtPort):
            port.send_unsolicited([noise_line(self.device) for _ in range(count)])

    def inject_garbage(self, data: bytes = GARBAGE, role: str = "pcui") -> None:
        """Bytes straight into a port's output stream (invalid UTF-8 by default)."""
        port = self._ports.get(role)
        if port is not None:
            port.write_raw(data)

    # --- controls: messages -------------------------------------------------------------------

    def deliver_sms(
        self,
        sender: str,
        text: str,
        *,
        timestamp: datetime | None = None,
        flash: bool = False,
        encoding: str = "auto",
        part_order: Sequence[int] | None = None,
    ) -> list[str]:
        """An incoming SMS (split into parts as needed); returns the PDUs in arrival order."""
        pdus = self.device.deliver_sms(
            sender, text, timestamp=timestamp, flash=flash, encoding=encoding, part_order=part_order
        )
        self._save()
        return [pdu.hex for pdu in pdus]

    @property
    def sent(self) -> list[SentSms]:
        """Every SMS the stick sent, decoded, in order."""
        return list(self.device.sent)

    @property
    def sms(self) -> SmsBehaviour:
        """Network behaviour for SMS: send delay, status-report delay and outcome, refusals."""
        return self.device.sms

    def refuse_sms(self, code: int = 21, count: int | None = 1, *, after: int = 0) -> None:
        """The network refuses ``count`` SMS (None: all) with ``+CMS ERROR: <code>``, once it
        has accepted ``after`` more (each part of a long message counts as one)."""
        self.device.sms.refuse_code, self.device.sms.refuse_count = code, count
        self.device.sms.refuse_after = after

    def accept_sms(self) -> None:
        self.device.sms.refuse_code = self.device.sms.refuse_count = None
        self.device.sms.refuse_after = 0

    def stored_messages(self, memory: str = "SM") -> dict[int, StoredMessage]:
        return dict(self.device.storage.memories[memory].slots)

    def set_sms_capacity(self, capacity: int, memory: str = "SM") -> int:
        """Shrink or grow a message memory (a SIM that fills up); never below a stored message's
        index, so each stays readable. Held-back SMS are retried. Returns the capacity set."""
        store = self.device.storage.memories[memory]
        store.capacity = max([capacity, *(index + 1 for index in store.slots)])
        self.device.retry_undelivered()
        self._save()
        return store.capacity

    def set_ussd_answer(self, code: str, text: str, *, further_action: bool = False) -> None:
        self.device.ussd_answers[code] = UssdAnswer(text, further_action)

    # --- controls: radio and SIM --------------------------------------------------------------

    def set_signal(self, rssi_dbm: int | None = None, **measurements: float) -> None:
        """Change signal (rssi_dbm, rsrp_dbm, sinr_db, rsrq_db, rscp_dbm, ecio_db)."""
        values: dict[str, Any] = dict(measurements)
        if rssi_dbm is not None:
            values["rssi_dbm"] = rssi_dbm
        self.device.signal = replace(self.device.signal, **values)
        self._report_radio()

    @property
    def signal(self) -> Signal:
        return self.device.signal

    def set_network(
        self,
        access_tech: str | None = None,
        *,
        operator: str | None = None,
        operator_short: str | None = None,
        operator_numeric: str | None = None,
        registration: int | None = None,
        roaming: bool | None = None,
    ) -> None:
        """Access tech (LTE/WCDMA/GSM/NOSERVICE), operator names, registration stat, roaming."""
        network = self.device.network
        if access_tech is not None:
            if access_tech not in ACCESS_TECHS:
                raise ValueError(f"access tech {access_tech!r} not in {ACCESS_TECHS}")
            if access_tech != "NOSERVICE" and access_tech not in self.model.access_techs:
                raise ValueError(f"{self.model.name} has no {access_tech}")
            network.access_tech = access_tech
        network.operator_long = operator or network.operator_long
        network.operator_short = operator_short or network.operator_short
        network.operator_numeric = operator_numeric or network.operator_numeric
        if registration is not None:
            network.registration = registration
        if roaming is not None:
            network.registration = 5 if roaming else 1
        self._report_radio()
        self.device.registration_changed()

    def _report_radio(self) -> None:
        if self.device.settings.curc == 0:
            return
        self._emit([rssi_report(self.device)])
        if self.model.supports("^HCSQ"):
            self._emit([hcsq_report(self.device)])
        self._emit([mode_report(self.device)])

    def remove_sim(self) -> None:
        self.device.set_sim_inserted(False)

    def insert_sim(self) -> None:
        self.device.set_sim_inserted(True)
