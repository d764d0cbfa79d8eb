"""Modem: the async API the integration uses to talk to a stick.

Usage::

    modem = Modem("/dev/serial/by-id/usb-HUAWEI_...-if02-port0")
    await modem.open()
    remove = modem.subscribe(NewMessageStored, on_new_message)
    identity = await modem.identify()
    status = await modem.status()
    await modem.close()

Nothing here stores a PIN: ``unlock(pin)`` sends the PIN it is given at most once.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from types import TracebackType
from typing import Any, Final, TypeVar

from .at import AtChannel, Unsolicited
from .errors import (
    AtCommandError,
    AtTimeout,
    CmeError,
    CmsError,
    ConnectionLost,
    InvalidPinFormat,
    ModemError,
    PduError,
    PinError,
    PukRequired,
    SimFailure,
    SimMissing,
    SmsRefusedError,
    UnexpectedReply,
    UnsafePortProfile,
    WrongPin,
)
from .huawei import (
    best_registration,
    csq_to_dbm,
    encode_ussd,
    parse_cmgl,
    parse_cmgr,
    parse_cnum,
    parse_cops,
    parse_cpin,
    parse_cpms,
    parse_csq,
    parse_cusd,
    parse_getportmode,
    parse_hcsq,
    parse_huawei_cpin,
    parse_memory_index,
    parse_port_profile,
    parse_registration,
    parse_rssi,
    parse_setport_supported,
    parse_sysinfo,
    parse_sysinfoex,
    plain_value,
    split_fields,
    sysinfo_technology,
    sysinfoex_technology,
    value_of,
    values_of,
)
from .models import (
    AccessTechnology,
    Capabilities,
    Disconnected,
    Identity,
    Message,
    MessageReceived,
    MessageStatus,
    ModeChanged,
    ModemEvent,
    ModemStatus,
    NewMessageStored,
    Operator,
    PortLayout,
    PortProfile,
    PortProfiles,
    RegistrationState,
    SentMessage,
    SignalChanged,
    SignalQuality,
    SimState,
    SimStateChanged,
    SimStatus,
    StatusReportReceived,
    StorageFull,
    StoredMessage,
    StoredPdu,
    SystemInfo,
    UssdReceived,
    UssdResponse,
)
from .pdu import OutgoingPdu, SmsStatusReport, decode_pdu, encode_sms

_LOGGER = logging.getLogger(__name__)

EventT = TypeVar("EventT", bound=ModemEvent)
_Listener = tuple[type[Any], Callable[[Any], None]]

_PIN = re.compile(r"\d{4,8}")
REGISTRATION_COMMANDS: Final = ("+CREG", "+CGREG", "+CEREG")
# Retried after a pause: 14 SIM busy (27.007); 515 "please wait, init or command processing in
# progress" (Huawei/Qualcomm firmware while it starts up); 314 SIM busy (27.005).
_BUSY: Final[dict[type[AtCommandError], frozenset[int]]] = {
    CmeError: frozenset({14, 515}),
    CmsError: frozenset({314}),
}
_SIM_STATE_BY_CME: Final = {
    10: SimState.MISSING,
    11: SimState.PIN_REQUIRED,
    12: SimState.PUK_REQUIRED,
    13: SimState.FAILURE,
    14: SimState.BUSY,
    15: SimState.FAILURE,
}
_LOCKED_FOR_PIN: Final = frozenset({SimState.PUK_REQUIRED, SimState.MISSING, SimState.FAILURE})
_NEW_MESSAGE_INDICATIONS = "AT+CNMI=2,1,0,2,0"
"""New SMS stored and announced (+CMTI), status reports stored and announced (+CDSI)."""


class Modem:
    """One stick, reached through its AT (PCUI) port: a tty path or ``socket://host:port``.

    ``timeout``: seconds for an ordinary command. ``sms_timeout``: for each part of an SMS
    (the network answers +CMGS). ``ussd_timeout``: for the network's USSD answer.
    ``busy_retries`` / ``busy_delay``: how often and after how long a "SIM busy" is retried.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        sms_timeout: float = 60.0,
        ussd_timeout: float = 30.0,
        busy_retries: int = 3,
        busy_delay: float = 1.0,
        settle: float = 0.3,
    ) -> None:
        self._channel = AtChannel(url, timeout=timeout, settle=settle)
        self._sms_timeout = sms_timeout
        self._ussd_timeout = ussd_timeout
        self._busy_retries = busy_retries
        self._busy_delay = busy_delay
        self._capabilities = Capabilities()
        self._listeners: list[_Listener] = []
        self._ussd_answer: asyncio.Future[UssdResponse] | None = None
        self._ussd_lock = asyncio.Lock()
        self._sms_ready = False
        self._channel.add_unsolicited_listener(self._on_unsolicited)
        self._channel.add_lost_listener(self._on_lost)

    # --- lifecycle ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self._channel.url

    @property
    def is_open(self) -> bool:
        return self._channel.is_open

    @property
    def capabilities(self) -> Capabilities:
        """What the stick answered to when it was opened."""
        return self._capabilities

    async def open(self) -> None:
        """Open the port, set the stick up and find out what it can do.

        Works again after the port went away. Raises ConnectionLost, AtTimeout, AtCommandError.
        """
        await self._channel.open()
        try:
            await self._initialize()
        except BaseException:
            await self._channel.close()
            raise

    async def close(self) -> None:
        await self._channel.close()

    async def __aenter__(self) -> Modem:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _initialize(self) -> None:
        await self._command("ATE0")
        await self._command("AT+CMEE=1")
        self._capabilities = await self._detect_capabilities()
        if self._capabilities.huawei:
            await self._optional("AT^PORTSEL=0")  # unsolicited lines on this (PCUI) port
            await self._optional("AT^USSDMODE=0")  # some sticks refuse +CUSD until it is set
        await self._optional("AT+COPS=3,0")  # long alphanumeric operator names
        await self._prepare_sms()

    async def _detect_capabilities(self) -> Capabilities:
        manufacturer = plain_value(await self._command("AT+CGMI"), "+CGMI")
        answers = {
            name: await self._answers(command)
            for name, command in (
                ("hcsq", "AT^HCSQ?"),
                ("sysinfoex", "AT^SYSINFOEX"),
                ("sysinfo", "AT^SYSINFO"),
                ("huawei_cpin", "AT^CPIN?"),
                ("iccid", "AT^ICCID?"),
                ("setport", "AT^SETPORT=?"),
                ("getportmode", "AT^GETPORTMODE"),
            )
        }
        registrations = tuple(
            [command for command in REGISTRATION_COMMANDS if await self._answers(f"AT{command}?")]
        )
        huawei = "huawei" in manufacturer.lower() or answers["hcsq"] or answers["sysinfo"]
        return Capabilities(huawei=huawei, registration_commands=registrations, **answers)

    async def _answers(self, command: str) -> bool:
        """Whether the firmware knows ``command`` (a +CME/+CMS error still means it does)."""
        try:
            await self._command(command)
        except (CmeError, CmsError):
            return True
        except AtCommandError:
            return False
        return True

    async def _prepare_sms(self) -> None:
        """PDU mode and new-message indications; a locked SIM may refuse them until unlocked."""
        try:
            await self._command("AT+CMGF=0")
            await self._command(_NEW_MESSAGE_INDICATIONS)
        except AtCommandError as err:
            _LOGGER.debug("%s: SMS not set up yet: %s", self.url, err)
            self._sms_ready = False
        else:
            self._sms_ready = True

    # --- events ---------------------------------------------------------------------------------

    def subscribe(
        self, event_type: type[EventT], callback: Callable[[EventT], None]
    ) -> Callable[[], None]:
        """Call ``callback`` with every event of ``event_type``; returns the unsubscribe."""
        entry: _Listener = (event_type, callback)
        self._listeners.append(entry)
        return lambda: self._listeners.remove(entry)

    def _fire(self, event: ModemEvent) -> None:
        for event_type, callback in list(self._listeners):
            if isinstance(event, event_type):
                try:
                    callback(event)
                except Exception:
                    _LOGGER.exception("%s: listener of %s failed", self.url, event)

    def _on_unsolicited(self, unsolicited: Unsolicited) -> None:
        handler = _EVENT_BUILDERS.get(unsolicited.name)
        if handler is None:
            return
        try:
            event = handler(self, unsolicited)
        except (UnexpectedReply, PduError, ValueError, IndexError) as err:
            _LOGGER.debug("%s: unreadable %s: %s", self.url, unsolicited, err)
            return
        if isinstance(event, UssdReceived):
            self._answer_ussd(event.response)
        self._fire(event)

    def _on_lost(self, error: ConnectionLost) -> None:
        if self._ussd_answer is not None and not self._ussd_answer.done():
            self._ussd_answer.set_exception(error)
        self._fire(Disconnected(str(error)))

    def _new_message(self, unsolicited: Unsolicited) -> ModemEvent:
        memory, index = parse_memory_index(unsolicited.value)
        return NewMessageStored(memory, index)

    def _delivered_message(self, unsolicited: Unsolicited) -> ModemEvent:
        pdu = unsolicited.pdu or ""
        return MessageReceived(_decode_or_none(pdu), pdu)

    def _status_report(self, unsolicited: Unsolicited) -> ModemEvent:
        report = _decode_or_none(unsolicited.pdu or "")
        return StatusReportReceived(report if isinstance(report, SmsStatusReport) else None)

    def _stored_status_report(self, unsolicited: Unsolicited) -> ModemEvent:
        memory, index = parse_memory_index(unsolicited.value)
        return StatusReportReceived(memory=memory, index=index)

    def _storage_full(self, unsolicited: Unsolicited) -> ModemEvent:
        return StorageFull(split_fields(unsolicited.value)[0] or None)

    def _ussd(self, unsolicited: Unsolicited) -> ModemEvent:
        return UssdReceived(parse_cusd(unsolicited.value))

    def _hcsq(self, unsolicited: Unsolicited) -> ModemEvent:
        return SignalChanged(parse_hcsq(unsolicited.value))

    def _rssi(self, unsolicited: Unsolicited) -> ModemEvent:
        return SignalChanged(parse_rssi(unsolicited.value))

    def _mode(self, unsolicited: Unsolicited) -> ModemEvent:
        fields = split_fields(unsolicited.value)
        mode = int(fields[0])
        submode = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None
        technology = (
            sysinfoex_technology(mode) if self._capabilities.sysinfoex else sysinfo_technology(mode)
        )
        return ModeChanged(technology, mode, submode)

    def _sim_state(self, unsolicited: Unsolicited) -> ModemEvent:
        return SimStateChanged(int(split_fields(unsolicited.value)[0]))

    # --- commands -------------------------------------------------------------------------------

    async def _command(self, command: str, *, reply_timeout: float | None = None) -> list[str]:
        """A command, retried while the SIM is busy (never used for PIN commands)."""
        for _ in range(self._busy_retries):
            try:
                return await self._channel.command(command, reply_timeout=reply_timeout)
            except (CmeError, CmsError) as err:
                if err.code not in _BUSY[type(err)]:
                    raise
                _LOGGER.debug("%s: busy, trying again: %s", self.url, err)
            await asyncio.sleep(self._busy_delay)
        return await self._channel.command(command, reply_timeout=reply_timeout)

    async def _optional(self, command: str) -> list[str]:
        """A command whose refusal is fine: its lines, or none."""
        try:
            return await self._command(command)
        except AtCommandError as err:
            _LOGGER.debug("%s: %s", self.url, err)
            return []

    async def command(self, command: str, *, reply_timeout: float | None = None) -> list[str]:
        """Raw AT access (admin only in the integration): the reply lines of ``command``."""
        return await self._channel.command(command, reply_timeout=reply_timeout)

    # --- identity -------------------------------------------------------------------------------

    async def identify(self) -> Identity:
        """Manufacturer, model, firmware, IMEI; IMSI, ICCID and own number when the SIM tells."""
        return Identity(
            manufacturer=plain_value(await self._command("AT+CGMI"), "+CGMI"),
            model=plain_value(await self._command("AT+CGMM"), "+CGMM"),
            firmware=plain_value(await self._command("AT+CGMR"), "+CGMR"),
            imei=plain_value(await self._command("AT+CGSN"), "+CGSN"),
            imsi=await self._optional_value("AT+CIMI", "+CIMI"),
            iccid=await self._iccid(),
            own_number=parse_cnum(await self._optional("AT+CNUM")),
        )

    async def _optional_value(self, command: str, prefix: str) -> str | None:
        lines = await self._optional(command)
        return plain_value(lines, prefix) if lines else None

    async def _iccid(self) -> str | None:
        if not self._capabilities.iccid:
            return None
        return await self._optional_value("AT^ICCID?", "^ICCID")

    # --- SIM ------------------------------------------------------------------------------------

    async def sim_status(self) -> SimStatus:
        """SIM state, and the PIN/PUK tries left where the stick tells (``^CPIN``)."""
        try:
            if self._capabilities.huawei_cpin:
                return parse_huawei_cpin(value_of(await self._command("AT^CPIN?"), "^CPIN"))
            return SimStatus(parse_cpin(value_of(await self._command("AT+CPIN?"), "+CPIN")))
        except CmeError as err:
            if err.code in _SIM_STATE_BY_CME:
                return SimStatus(_SIM_STATE_BY_CME[err.code])
            raise

    async def unlock(self, pin: str) -> None:
        """Send ``pin`` once if the SIM asks for it; never retried, never kept.

        Raises InvalidPinFormat (nothing sent), WrongPin (with the tries left), PukRequired,
        SimMissing, SimFailure or PinError; AtTimeout / ConnectionLost are not retried either.
        """
        if not _PIN.fullmatch(pin):
            raise InvalidPinFormat("a PIN is 4 to 8 digits")
        status = await self.sim_status()
        if status.state is SimState.READY:
            return
        if status.state is not SimState.PIN_REQUIRED:
            raise _sim_error(status)
        try:
            await self._channel.command(f'AT+CPIN="{pin}"', shown_as="AT+CPIN=<PIN>")
        except CmeError as err:
            raise await self._pin_refused(err) from None
        await self._prepare_sms()

    async def _pin_refused(self, error: CmeError) -> PinError:
        try:
            after = await self.sim_status()
        except ModemError:
            after = SimStatus(SimState.OTHER)
        if after.state in _LOCKED_FOR_PIN:
            return _sim_error(after)
        if after.state is SimState.PIN_REQUIRED or error.code == 16:
            return WrongPin("the SIM refused the PIN", after.pin_attempts_left)
        return PinError(f"the SIM refused the PIN: {error.result}")

    # --- status ---------------------------------------------------------------------------------

    def _status_commands(self) -> list[str]:
        caps = self._capabilities
        commands = ["+CSQ"]
        if caps.hcsq:
            commands.append("^HCSQ?")
        if caps.sysinfoex:
            commands.append("^SYSINFOEX")
        elif caps.sysinfo:
            commands.append("^SYSINFO")
        commands.append("+COPS?")
        commands += [f"{command}?" for command in caps.registration_commands]
        commands.append("+CPMS?")
        return commands

    async def status(self) -> ModemStatus:
        """Signal, operator, radio, registration, roaming and SMS storage.

        One command line (one round trip); when the stick refuses part of it (e.g. +CPMS with a
        locked SIM), each command is asked on its own and refusals are left out.
        """
        commands = self._status_commands()
        try:
            lines = await self._command("AT" + ";".join(commands))
        except AtCommandError:
            lines = []
            for command in commands:
                lines += await self._optional(f"AT{command}")
        return self._read_status(lines)

    def _read_status(self, lines: Sequence[str]) -> ModemStatus:
        system_info = _system_info(lines)
        operator = _first(lines, "+COPS", parse_cops)
        registrations = {
            command: parse_registration(value)
            for command in REGISTRATION_COMMANDS
            for value in values_of(lines, command)[:1]
        }
        state = best_registration(list(registrations.values()))
        storage = _first(lines, "+CPMS", parse_cpms)
        signal = _signal(lines)
        return ModemStatus(
            signal=signal,
            operator=operator,
            access_technology=_technology(system_info, operator, signal),
            registration=state,
            roaming=state is RegistrationState.ROAMING or bool(system_info and system_info.roaming),
            sms_storage=storage[0] if storage else None,
            system_info=system_info,
            registrations=registrations,
        )

    async def signal(self) -> SignalQuality:
        """Only the signal (``^HCSQ`` where available, ``+CSQ`` always)."""
        query = "AT+CSQ;^HCSQ?" if self._capabilities.hcsq else "AT+CSQ"
        return _signal(await self._command(query))

    # --- SMS ------------------------------------------------------------------------------------

    async def _sms(self, command: str) -> list[str]:
        if not self._sms_ready:
            await self._prepare_sms()
        return await self._command(command)

    async def send_sms(
        self,
        number: str,
        text: str,
        *,
        request_status_report: bool = False,
        flash: bool = False,
        encoding: str = "auto",
        smsc: str | None = None,
    ) -> SentMessage:
        """Send ``text`` (split into parts as needed); the message reference of every part.

        Raises PduError / InvalidNumberError before anything is sent, SmsRefusedError (a
        CmsError with the references of the parts already sent) when the network refuses a
        part, AtTimeout (the stick was sent Esc) or ConnectionLost.
        """
        pdus = encode_sms(
            number,
            text,
            smsc=smsc,
            request_status_report=request_status_report,
            flash=flash,
            encoding=encoding,
        )
        if not self._sms_ready:
            await self._prepare_sms()
        references: list[int] = []
        for part in pdus:
            try:
                references.append(await self._send_part(part))
            except CmsError as err:
                raise SmsRefusedError(
                    err.command, err.code, sent_references=tuple(references), part_count=len(pdus)
                ) from err
        return SentMessage(tuple(references))

    async def _send_part(self, part: OutgoingPdu) -> int:
        """``AT+CMGS`` of one SMS-SUBMIT: its message reference."""
        lines = await self._channel.command_with_prompt(
            f"AT+CMGS={part.tpdu_length}", part.pdu, reply_timeout=self._sms_timeout
        )
        return _int(value_of(lines, "+CMGS"), "+CMGS")

    async def list_sms(self, status: MessageStatus = MessageStatus.ALL) -> list[StoredMessage]:
        """Messages in the read memory (``status``: which ones; unread ones become read)."""
        entries = parse_cmgl(await self._sms(f"AT+CMGL={int(status)}"))
        return [_stored(entry, entry.index or 0) for entry in entries]

    async def read_sms(self, index: int) -> StoredMessage:
        """The message at ``index`` (CmsError 321 when there is none)."""
        return _stored(parse_cmgr(await self._sms(f"AT+CMGR={index}")), index)

    async def delete_sms(self, index: int) -> None:
        await self._sms(f"AT+CMGD={index}")

    # --- USSD -----------------------------------------------------------------------------------

    async def ussd(self, code: str) -> UssdResponse:
        """Send a USSD code (``*100#``, or a menu answer) and wait for the network's answer."""
        request = encode_ussd(code)
        async with self._ussd_lock:
            answer: asyncio.Future[UssdResponse] = asyncio.get_running_loop().create_future()
            self._ussd_answer = answer
            try:
                await self._command(f'AT+CUSD=1,"{request}",15')
                return await _within(answer, self._ussd_timeout, "AT+CUSD")
            finally:
                self._ussd_answer = None

    async def cancel_ussd(self) -> None:
        """End a USSD session the network keeps open."""
        await self._command("AT+CUSD=2")

    def _answer_ussd(self, response: UssdResponse) -> None:
        if self._ussd_answer is not None and not self._ussd_answer.done():
            self._ussd_answer.set_result(response)

    # --- ports ----------------------------------------------------------------------------------

    async def port_profiles(self) -> PortProfiles:
        """The current ``^SETPORT`` profile and the codes this stick lists."""
        current = parse_port_profile(value_of(await self._command("AT^SETPORT?"), "^SETPORT"))
        return PortProfiles(current, await self._supported_port_codes())

    async def _supported_port_codes(self) -> dict[str, str]:
        return parse_setport_supported(await self._command("AT^SETPORT=?"))

    async def set_port_profile(self, profile: PortProfile | str) -> PortProfile:
        """Store a new port profile (effective after ``reset()``); returns the previous one.

        Refused with UnsafePortProfile, before anything is sent, when it has no PCUI port (the
        stick would have no AT port left) or uses a code the stick does not list.
        """
        wanted = _as_profile(profile)
        if not wanted.has_pcui:
            raise UnsafePortProfile(f"{wanted} has no PCUI (AT) port: 2 or 12")
        unknown = wanted.codes - set(await self._supported_port_codes())
        if unknown:
            raise UnsafePortProfile(f"{wanted}: codes {sorted(unknown)} are not listed")
        previous = (await self.port_profiles()).current
        await self._command(f'AT^SETPORT="{wanted}"')
        return previous

    async def port_layout(self) -> PortLayout:
        """``AT^GETPORTMODE``: which USB interface has which function."""
        return parse_getportmode(value_of(await self._command("AT^GETPORTMODE"), "^GETPORTMODE"))

    async def reset(self) -> None:
        """Restart the stick and return once its port is gone (``Disconnected`` fires).

        ``open()`` again once the stick is back on the bus (it may take a few seconds).
        """
        await self._command("AT^RESET")
        if not await self._channel.wait_gone(self._channel.timeout):
            await self._channel.close()


# --- helpers ------------------------------------------------------------------------------------

_EVENT_BUILDERS: dict[str, Callable[[Modem, Unsolicited], ModemEvent]] = {
    "+CMTI": Modem._new_message,
    "+CMT": Modem._delivered_message,
    "+CDS": Modem._status_report,
    "+CDSI": Modem._stored_status_report,
    "^SMMEMFULL": Modem._storage_full,
    "+CUSD": Modem._ussd,
    "^HCSQ": Modem._hcsq,
    "^RSSI": Modem._rssi,
    "^MODE": Modem._mode,
    "^SIMST": Modem._sim_state,
}

_T = TypeVar("_T")


def _first(lines: Sequence[str], prefix: str, parse: Callable[[str], _T]) -> _T | None:
    """The first ``prefix`` line that reads well (garbage may look like one)."""
    for value in values_of(lines, prefix):
        try:
            return parse(value)
        except UnexpectedReply as err:
            _LOGGER.debug("skipped an unreadable line: %s", err)
    return None


def _int(text: str, what: str) -> int:
    try:
        return int(split_fields(text)[0])
    except ValueError:
        raise UnexpectedReply(f"{what}: {text!r} is not a number") from None


async def _within(future: Awaitable[_T], seconds: float, what: str) -> _T:
    try:
        async with asyncio.timeout(seconds):
            return await future
    except TimeoutError:
        raise AtTimeout(what, seconds) from None


def _decode_or_none(pdu: str) -> Message | None:
    try:
        return decode_pdu(pdu)
    except PduError as err:
        _LOGGER.debug("undecodable PDU %s: %s", pdu, err)
        return None


def _stored(entry: StoredPdu, index: int) -> StoredMessage:
    try:
        message = decode_pdu(entry.pdu)
    except PduError as err:
        return StoredMessage(index, entry.status, entry.pdu, None, str(err))
    return StoredMessage(index, entry.status, entry.pdu, message)


def _signal(lines: Sequence[str]) -> SignalQuality:
    csq = _first(lines, "+CSQ", parse_csq)
    huawei = _first(lines, "^HCSQ", parse_hcsq) or SignalQuality()
    rssi = huawei.rssi_dbm if huawei.rssi_dbm is not None else csq_to_dbm(csq)
    return replace(huawei, csq=csq, rssi_dbm=rssi)


def _system_info(lines: Sequence[str]) -> SystemInfo | None:
    return _first(lines, "^SYSINFOEX", parse_sysinfoex) or _first(lines, "^SYSINFO", parse_sysinfo)


def _technology(
    system_info: SystemInfo | None, operator: Operator | None, signal: SignalQuality
) -> AccessTechnology:
    """The radio in use: ^SYSINFO(EX) knows best, then +COPS, then ^HCSQ."""
    candidates = (
        system_info.access_technology if system_info else AccessTechnology.UNKNOWN,
        operator.access_technology if operator else AccessTechnology.UNKNOWN,
        signal.access_technology,
    )
    return next(
        (tech for tech in candidates if tech is not AccessTechnology.UNKNOWN), candidates[0]
    )


def _as_profile(profile: PortProfile | str) -> PortProfile:
    if isinstance(profile, PortProfile):
        return profile
    try:
        return parse_port_profile(profile)
    except UnexpectedReply as err:
        raise UnsafePortProfile(str(err)) from None


def _sim_error(status: SimStatus) -> PinError:
    """The error for a SIM that cannot take a PIN now."""
    if status.state is SimState.PUK_REQUIRED:
        return PukRequired("the SIM asks for its PUK", status.puk_attempts_left)
    if status.state is SimState.MISSING:
        return SimMissing("no SIM in the stick")
    if status.state is SimState.FAILURE:
        return SimFailure("the SIM is broken or blocked")
    return PinError(f"the SIM is not waiting for a PIN ({status.state.value})")
