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
from collections.abc import Awaitable
from types import TracebackType
from typing import TypeVar

from .at import Unsolicited
from .calls import CallSession
from .errors import (
    AtCommandError,
    AtTimeoutError,
    CmeError,
    CmsError,
    ConnectionLostError,
    InvalidPinFormatError,
    ModemError,
    PduError,
    PinError,
    PortCodesNotListedError,
    PortProfileWithoutAtPortError,
    SmsInterruptedError,
    SmsRefusedError,
    UnexpectedReplyError,
)
from .events import event_of
from .huawei_replies import (
    as_port_profile,
    encode_ussd,
    parse_huawei_cpin,
    parse_port_profile,
    parse_setport_supported,
)
from .models import (
    Capabilities,
    Disconnected,
    Identity,
    MessageStatus,
    ModemStatus,
    PortProfile,
    PortProfiles,
    SentMessage,
    SimState,
    SimStatus,
    StoredMessage,
    StoredPdu,
    UssdReceived,
    UssdResponse,
)
from .pdu import OutgoingPdu, decode_pdu, encode_sms
from .probe import detect_capabilities, read_identity
from .radio import RadioSession
from .replies import parse_cmgl, parse_cmgr, parse_cpin, split_fields, value_of
from .sim import PIN, SIM_STATE_BY_CME, pin_refusal, sim_error
from .status import read_status, status_commands

_LOGGER = logging.getLogger(__name__)

_NEW_MESSAGE_INDICATIONS = "AT+CNMI=2,1,0,2,0"
"""New SMS stored and announced (+CMTI), status reports stored and announced (+CDSI)."""


class Modem(CallSession, RadioSession):
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
        super().__init__(
            url, timeout=timeout, settle=settle, busy_retries=busy_retries, busy_delay=busy_delay
        )
        self._sms_timeout = sms_timeout
        self._ussd_timeout = ussd_timeout
        self._capabilities = Capabilities()
        self._ussd_answer: asyncio.Future[UssdResponse] | None = None
        self._ussd_lock = asyncio.Lock()
        self._sms_ready = False
        self._channel.add_unsolicited_listener(self._on_unsolicited)
        self._channel.add_lost_listener(self._on_lost)

    # --- lifecycle ------------------------------------------------------------------------------

    @property
    def capabilities(self) -> Capabilities:
        """What the stick answered to when it was opened."""
        return self._capabilities

    async def open(self) -> None:
        """Open the port, set the stick up and find out what it can do.

        Works again after the port went away. Raises ConnectionLostError, AtTimeoutError,
        AtCommandError.
        """
        await self._channel.open()
        try:
            await self._initialize()
        except BaseException:
            await self._channel.close()
            raise

    async def reopen(self, url: str) -> None:
        """Open the stick at ``url`` from now on (its AT port moved); every listener stays."""
        await self.close()
        self._move(url)
        await self.open()

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
        self._capabilities = await detect_capabilities(self._command)
        if self._capabilities.huawei:
            await self._optional("AT^PORTSEL=0")  # unsolicited lines on this (PCUI) port
            await self._optional("AT^USSDMODE=0")  # some sticks refuse +CUSD until it is set
        await self._optional("AT+COPS=3,0")  # long alphanumeric operator names
        await self._set_up_calls()
        await self._enable_cell_reports()
        await self._prepare_sms()

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

    def _on_unsolicited(self, unsolicited: Unsolicited) -> None:
        self._call_events(unsolicited)
        event = event_of(unsolicited, self._capabilities)
        if event is None:
            return
        if isinstance(event, UssdReceived):
            self._answer_ussd(event.response)
        self._fire(event)
        self._call_event_fired(event)

    def _on_lost(self, error: ConnectionLostError) -> None:
        if self._ussd_answer is not None and not self._ussd_answer.done():
            self._ussd_answer.set_exception(error)
        self._calls_lost(error)
        self._fire(Disconnected(str(error)))

    # --- identity -------------------------------------------------------------------------------

    async def identify(self) -> Identity:
        """Manufacturer, model, firmware, IMEI; IMSI, ICCID and own number when the SIM tells."""
        return await read_identity(self._command, self._optional, self._capabilities)

    # --- SIM ------------------------------------------------------------------------------------

    async def sim_status(self) -> SimStatus:
        """SIM state, and the PIN/PUK tries left where the stick tells (``^CPIN``)."""
        try:
            if self._capabilities.huawei_cpin:
                return parse_huawei_cpin(value_of(await self._command("AT^CPIN?"), "^CPIN"))
            return SimStatus(parse_cpin(value_of(await self._command("AT+CPIN?"), "+CPIN")))
        except CmeError as err:
            if err.code in SIM_STATE_BY_CME:
                return SimStatus(SIM_STATE_BY_CME[err.code])
            raise

    async def unlock(self, pin: str) -> None:
        """Send ``pin`` once if the SIM asks for it; never retried, never kept.

        Raises InvalidPinFormatError (nothing sent), WrongPinError (with the tries left),
        PukRequiredError, SimMissingError, SimFailureError or PinError; AtTimeoutError /
        ConnectionLostError are not retried either.
        """
        if not PIN.fullmatch(pin):
            raise InvalidPinFormatError("a PIN is 4 to 8 digits")
        status = await self.sim_status()
        if status.state is SimState.READY:
            return
        if status.state is not SimState.PIN_REQUIRED:
            raise sim_error(status)
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
        return pin_refusal(error, after)

    # --- status ---------------------------------------------------------------------------------

    async def status(self) -> ModemStatus:
        """Signal, operator, radio, registration and cell, roaming, packet attach, SMS storage.

        One command line (one round trip); when the stick refuses part of it (e.g. +CPMS with a
        locked SIM), each command is asked on its own and refusals are left out.
        """
        return read_status(await self._together(status_commands(self._capabilities)))

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
    ) -> SentMessage:
        """Send ``text`` (split into parts as needed); the message reference of every part.

        Raises PduError / InvalidNumberError before anything is sent, SmsRefusedError (a
        CmsError with the references of the parts already sent) when the network refuses a
        part, AtTimeoutError (the stick was sent Esc) or ConnectionLostError when nothing went
        out, SmsInterruptedError (with the references sent and the cause) when they cut a long
        message off midway.
        """
        pdus = encode_sms(number, text, request_status_report=request_status_report, flash=flash)
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
            except ModemError as err:
                if not references:
                    raise
                raise SmsInterruptedError(
                    err, sent_references=tuple(references), part_count=len(pdus)
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

    def _answer_ussd(self, response: UssdResponse) -> None:
        if self._ussd_answer is not None and not self._ussd_answer.done():
            self._ussd_answer.set_result(response)

    # --- ports ----------------------------------------------------------------------------------

    async def port_profiles(self) -> PortProfiles:
        """The current ``^SETPORT`` profile and the codes this stick lists."""
        return PortProfiles(await self._current_port_profile(), await self._port_codes())

    async def _current_port_profile(self) -> PortProfile:
        return parse_port_profile(value_of(await self._command("AT^SETPORT?"), "^SETPORT"))

    async def _port_codes(self) -> dict[str, str]:
        return parse_setport_supported(await self._command("AT^SETPORT=?"))

    async def set_port_profile(self, profile: PortProfile | str) -> PortProfile:
        """Store a new port profile (effective after ``reset()``); returns the previous one.

        Asks the stick once for the codes it lists (CommandNotSupportedError: it has no
        ``^SETPORT``), then refuses before anything is stored: PortProfileWithoutAtPortError
        when the profile has no PCUI port (the stick would have no AT port left),
        PortCodesNotListedError when it uses a code the stick does not list,
        UnsafePortProfileError when it cannot be read at all.
        """
        wanted = as_port_profile(profile)
        supported = await self._port_codes()  # first: a stick without ^SETPORT says so
        if not wanted.has_pcui:
            raise PortProfileWithoutAtPortError(str(wanted))
        unknown = wanted.codes - set(supported)
        if unknown:
            raise PortCodesNotListedError(str(wanted), tuple(sorted(unknown)), supported)
        previous = await self._current_port_profile()
        await self._command(f'AT^SETPORT="{wanted}"')
        return previous

    async def reset(self) -> None:
        """Restart the stick and return once its port is gone (``Disconnected`` fires).

        ``open()`` again once the stick is back on the bus (it may take a few seconds).
        """
        await self._command("AT^RESET")
        if not await self._channel.wait_gone(self._channel.timeout):
            await self._channel.close()


# --- helpers ------------------------------------------------------------------------------------

_T = TypeVar("_T")


def _int(text: str, what: str) -> int:
    try:
        return int(split_fields(text)[0])
    except ValueError:
        raise UnexpectedReplyError(f"{what}: {text!r} is not a number") from None


async def _within(future: Awaitable[_T], seconds: float, what: str) -> _T:
    try:
        async with asyncio.timeout(seconds):
            return await future
    except TimeoutError:
        raise AtTimeoutError(what, seconds) from None


def _stored(entry: StoredPdu, index: int) -> StoredMessage:
    try:
        message = decode_pdu(entry.pdu)
    except PduError as err:
        return StoredMessage(index, entry.status, entry.pdu, None, str(err))
    return StoredMessage(index, entry.status, entry.pdu, message)
