"""The stick's state behind its AT ports: SIM, radio, messages, settings, and what changes them.

Transport-free: it talks to the outside through three hooks the stick installs: ``emit`` (an
unsolicited block for the URC port), ``spawn`` (run a coroutine, cancelled on stop) and
``request_reset`` (``AT^RESET``).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from custom_components.huawei_modem.modem import gsm7
from custom_components.huawei_modem.modem import pdu as codec
from custom_components.huawei_modem.modem.errors import PduError

from . import network as net
from .calls import Calls
from .cell import time_zone_lines
from .errors import CmsError
from .models import Model
from .profile import PortProfile
from .sim import Sim, SimState
from .sms import Pdu, SentSms, SubmitCollector, compose_deliver, compose_status_report, tpdu_length
from .storage import REC_UNREAD, STO_UNSENT, Storage, StoredMessage

REGISTRATION_COMMANDS = ("+CREG", "+CGREG", "+CEREG")


def _default_urc_modes() -> dict[str, int]:
    return dict.fromkeys(REGISTRATION_COMMANDS, 0)


@dataclass
class PowerOnSettings:
    """What a reset or replug brings back to its default."""

    cnmi: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    curc: int = 1
    portsel: int = 0
    sms_mode: int = 0
    registration_urc: dict[str, int] = field(default_factory=_default_urc_modes)
    cops_format: int = 0
    ussd_mode: int = 0
    ussd_session: bool = False
    cfun: int = 1
    charset: str = "IRA"


@dataclass
class SmsBehaviour:
    """How the network treats SMS: delays, refusals, status-report outcome."""

    send_delay: float = 0.0
    status_report_delay: float = 0.0
    status_report_status: int = 0
    loopback_delay: float = 0.0
    refuse_code: int | None = None
    refuse_count: int | None = None  # None: refuse every SMS while refuse_code is set
    refuse_after: int = 0  # SMS (parts) still accepted before the refusals start


@dataclass(frozen=True, slots=True)
class UssdAnswer:
    """A network's answer to a USSD code; ``further_action`` keeps the session open (m=1)."""

    text: str
    further_action: bool = False


DEFAULT_USSD = {
    "*100#": UssdAnswer("Ihr Guthaben: 12,34 EUR"),
    "*101#": UssdAnswer("1 Guthaben\n2 Tarif", further_action=True),
    "1": UssdAnswer("Ihr Guthaben: 12,34 EUR"),
    "2": UssdAnswer("Tarif: Prepaid S"),
}


@dataclass
class Identity:
    """What the identity commands report."""

    imei: str
    imsi: str
    iccid: str
    own_number: str | None


class Device:
    """Everything the AT commands read and change."""

    def __init__(
        self,
        model: Model,
        identity: Identity,
        sim: Sim,
        *,
        smsc: str,
        sms_capacity: int,
        seed: int,
    ) -> None:
        self.model = model
        self.identity = identity
        self.sim = sim
        self.smsc = smsc
        self.rng = random.Random(seed)
        self.network = net.Network(access_tech=model.default_access_tech)
        self.signal = net.Signal()
        self.radio = net.RadioConfig()
        self._registered = False
        self.storage = Storage(sms_capacity)
        self.settings = self._power_on_settings()
        self.sms = SmsBehaviour()
        self.ussd_answers: dict[str, UssdAnswer] = dict(DEFAULT_USSD)
        self.ussd_delay = 0.0
        self.sent: list[SentSms] = []
        self.stored_profile = PortProfile.parse(model.default_setport)
        self.active_profile = self.stored_profile
        self.next_reference = self.rng.randrange(256)
        self._concat_reference = self.rng.randrange(256)
        self._collector = SubmitCollector()
        self._undelivered: list[Pdu] = []
        self.emit: Callable[[list[str]], None] = lambda lines: None
        self.spawn: Callable[[Coroutine[Any, Any, None]], None] = _close_coroutine
        self.request_reset: Callable[[], None] = lambda: None
        self.calls = Calls(self)

    # --- power --------------------------------------------------------------------------------

    def _power_on_settings(self) -> PowerOnSettings:
        return PowerOnSettings(ussd_mode=1 if self.model.ussd_mode_required else 0)

    def power_on(self) -> None:
        """State after a reset or replug: settings back to default, the SIM locked again."""
        self.settings = self._power_on_settings()
        self.sim.power_on()
        self.active_profile = self.stored_profile
        self.calls.power_on()

    # --- SIM and network ----------------------------------------------------------------------

    @property
    def sim_state_code(self) -> int:
        """^SYSINFO(EX) <sim_state>: 1 valid, 255 missing, 0 locked or invalid."""
        state = self.sim.state
        return {SimState.READY: 1, SimState.ABSENT: 255}.get(state, 0)

    def effective_network(self) -> net.Network:
        """The network as reported: nothing is registered without a usable SIM or radio."""
        if self.sim.ready and self.settings.cfun == 1:
            return self.network
        return net.Network(
            access_tech=self.network.access_tech if self.settings.cfun == 1 else "NOSERVICE",
            registration=net.NOT_REGISTERED,
        )

    def set_sim_inserted(self, inserted: bool) -> None:
        self.sim.inserted = inserted
        self.sim.unlocked = False
        self.emit([f"^SIMST:{1 if inserted else 255}"])
        self.registration_changed()

    def unlock(self, code: str, new_pin: str | None) -> None:
        self.sim.enter(code, new_pin)
        self.registration_changed()

    def registration_changed(self) -> None:
        """Unsolicited +CREG/+CGREG/+CEREG where enabled; retry SMS the network held back."""
        for command, mode in self.settings.registration_urc.items():
            if mode and self.registration_applies(command):
                fields = self.registration_fields(command, with_location=mode == 2)
                self.emit([f"{command}: {fields}"])
        registered = self.effective_network().in_service
        if registered and not self._registered:
            self.emit(time_zone_lines(self))
        self._registered = registered
        self.retry_undelivered()

    def registration_applies(self, command: str) -> bool:
        return command != "+CEREG" or self.model.has_lte

    def registration_fields(self, command: str, *, with_location: bool) -> str:
        network = self.effective_network()
        if command == "+CEREG" and network.access_tech != "LTE":
            return str(net.NOT_REGISTERED)
        return net.registration_fields(network, with_location, command)

    # --- receiving SMS ------------------------------------------------------------------------

    def deliver_sms(
        self,
        sender: str,
        text: str,
        *,
        timestamp: datetime | None = None,
        flash: bool = False,
        encoding: str = "auto",
        part_order: Sequence[int] | None = None,
    ) -> list[Pdu]:
        """An SMS from the network; ``part_order`` lists 1-based part numbers in arrival order."""
        pdus = compose_deliver(
            smsc=self.smsc,
            sender=sender,
            text=text,
            timestamp=timestamp or datetime.now(UTC).astimezone(),
            flash=flash,
            encoding=encoding,
            reference=self._next_concat_reference(),
        )
        order = part_order or range(1, len(pdus) + 1)
        arriving = [pdus[number - 1] for number in order]
        for part in arriving:
            self._receive(part)
        return arriving

    def _next_concat_reference(self) -> int:
        self._concat_reference = (self._concat_reference + 1) % 256
        return self._concat_reference

    def _receive(self, message: Pdu) -> None:
        if not self.effective_network().in_service:
            self._undelivered.append(message)
            return
        mode, mt, *_ = self.settings.cnmi
        if mt == 2 and mode != 0:
            self.emit([f"+CMT: ,{message.length}", message.hex])
            return
        memory = self.storage.memory(2)
        if memory.full:
            self._undelivered.append(message)
            self.emit([f'^SMMEMFULL: "{memory.name}"'])
            return
        index = memory.store(StoredMessage(message.hex, message.length, REC_UNREAD))
        if mt in (1, 2, 3) and mode != 0:
            self.emit([f'+CMTI: "{memory.name}",{index}'])

    @property
    def held_back(self) -> int:
        """Incoming SMS parts the network holds back (no service, or the memory was full)."""
        return len(self._undelivered)

    def retry_undelivered(self) -> None:
        """The network retries held-back messages once the stick can take them."""
        waiting, self._undelivered = self._undelivered, []
        for message in waiting:
            self._receive(message)

    # --- sending SMS --------------------------------------------------------------------------

    def check_can_send(self) -> None:
        """Before the ``> `` prompt: a card must be there and unlocked."""
        if self.sim.state is SimState.ABSENT:
            raise CmsError(310)
        self.sim.require_ready()

    def store_submit(self, pdu_hex: str, length: int) -> int:
        """``AT+CMGW``: keep a SUBMIT as unsent in the write memory."""
        self._decode_submit(pdu_hex, length)
        return self.storage.memory(1).store(StoredMessage(pdu_hex.upper(), length, STO_UNSENT))

    async def send(self, pdu_hex: str, length: int) -> int:
        """``AT+CMGS`` after Ctrl-Z: the message reference, or CmsError."""
        submit = self._decode_submit(pdu_hex, length)
        if self.sms.send_delay:
            await asyncio.sleep(self.sms.send_delay)
        if not self.effective_network().in_service:
            raise CmsError(331)
        reference = self.next_reference
        self.next_reference = (reference + 1) % 256
        self._refuse_if_told()
        self._record(submit, reference, pdu_hex)
        return reference

    def _decode_submit(self, pdu_hex: str, length: int) -> codec.SmsSubmit:
        try:
            if tpdu_length(pdu_hex) != length:
                raise CmsError(304)
            submit = codec.decode_pdu(pdu_hex)
        except (ValueError, PduError):
            raise CmsError(304) from None
        if not isinstance(submit, codec.SmsSubmit):
            raise CmsError(304)
        return submit

    def _refuse_if_told(self) -> None:
        code, count = self.sms.refuse_code, self.sms.refuse_count
        if code is None:
            return
        if self.sms.refuse_after > 0:
            self.sms.refuse_after -= 1
            return
        if count is not None:
            self.sms.refuse_count = count - 1
            if count - 1 <= 0:
                self.sms.refuse_code = self.sms.refuse_count = None
        raise CmsError(code)

    def _record(self, submit: codec.SmsSubmit, reference: int, pdu_hex: str) -> None:
        now = datetime.now(UTC).astimezone()
        if submit.request_status_report:
            self.spawn(self._status_report_later(reference, submit.number, now))
        sent = self._collector.add(submit, reference, pdu_hex.upper(), now)
        if sent is None:
            return
        self.sent.append(sent)
        if self.identity.own_number and _same_number(sent.number, self.identity.own_number):
            self.spawn(self._loopback(sent))

    async def _loopback(self, sent: SentSms) -> None:
        await asyncio.sleep(self.sms.loopback_delay)
        self.deliver_sms(self.identity.own_number or sent.number, sent.text)

    async def _status_report_later(
        self, reference: int, recipient: str, submitted: datetime
    ) -> None:
        await asyncio.sleep(self.sms.status_report_delay)
        report = compose_status_report(
            smsc=self.smsc,
            reference=reference,
            recipient=recipient,
            submitted=submitted,
            discharged=datetime.now(UTC).astimezone(),
            status=self.sms.status_report_status,
        )
        self.deliver_status_report(report)

    def deliver_status_report(self, report: Pdu) -> None:
        mode, _, _, ds, _ = self.settings.cnmi
        if ds == 1 and mode != 0:
            self.emit([f"+CDS: {report.length}", report.hex])
        elif ds == 2:
            memory = self.storage.memory(2)
            if memory.full:
                self.emit([f'^SMMEMFULL: "{memory.name}"'])
                return
            index = memory.store(StoredMessage(report.hex, report.length, REC_UNREAD))
            if mode != 0:
                self.emit([f'+CDSI: "{memory.name}",{index}'])

    # --- USSD ---------------------------------------------------------------------------------

    def ussd_request(self, request: str) -> None:
        """``AT+CUSD=1,"<packed hex>",15``: the answer arrives later as ``+CUSD``."""
        code = _unpack_ussd(request)
        if code is None:
            self.spawn(self._ussd_answer_later(["+CUSD: 4"]))
            return
        answer = self.ussd_answers.get(code)
        if answer is None or (self.settings.ussd_session is False and not code.endswith("#")):
            self.settings.ussd_session = False
            self.spawn(self._ussd_answer_later(["+CUSD: 2"]))
            return
        self.settings.ussd_session = answer.further_action
        packed = gsm7.pack_ussd(answer.text).hex().upper()
        self.spawn(self._ussd_answer_later([f'+CUSD: {int(answer.further_action)},"{packed}",15']))

    async def _ussd_answer_later(self, lines: list[str]) -> None:
        await asyncio.sleep(self.ussd_delay)
        self.emit(lines)

    # --- ports --------------------------------------------------------------------------------

    def store_profile(self, profile: PortProfile) -> None:
        """``AT^SETPORT=``: kept in flash, effective after the next reset."""
        self.stored_profile = profile

    def reset_after(self, delay: float = 0.05) -> None:
        """``AT^RESET``: the OK goes out first, then the stick drops off the bus."""

        async def later() -> None:
            await asyncio.sleep(delay)
            self.request_reset()

        self.spawn(later())


def _unpack_ussd(request: str) -> str | None:
    """Huawei's USSD request: packed GSM 7-bit in hex, CR padded. None when it is not."""
    try:
        packed = bytes.fromhex(request)
    except ValueError:
        return None
    return gsm7.unpack_ussd(packed) if packed else None


def _same_number(first: str, second: str) -> bool:
    return first.lstrip("+") == second.lstrip("+")


def _close_coroutine(coroutine: Coroutine[Any, Any, None]) -> None:
    coroutine.close()
