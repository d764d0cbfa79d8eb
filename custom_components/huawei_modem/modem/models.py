"""Frozen dataclasses returned by the modem API and carried by its events."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .call_models import (
    CallAlerting,
    CallConnected,
    CallDialling,
    CallEnded,
    CallRinging,
    IncomingCallEnded,
)
from .pdu import SmsDeliver, SmsStatusReport, SmsSubmit
from .radio_models import CellChanged, NetworkTime

PCUI_CODES = frozenset({"2", "12"})
NO_SWITCH_PHASE = "FF"


class SimState(enum.Enum):
    """What the SIM needs before it can be used."""

    READY = "ready"
    PIN_REQUIRED = "pin_required"
    PUK_REQUIRED = "puk_required"
    MISSING = "missing"
    FAILURE = "failure"
    BUSY = "busy"
    OTHER = "other"
    """A lock this layer does not handle (PIN2, PH-SIM, network personalisation)."""


class RegistrationState(enum.IntEnum):
    """``<stat>`` of +CREG / +CGREG / +CEREG."""

    NOT_REGISTERED = 0
    HOME = 1
    SEARCHING = 2
    DENIED = 3
    UNKNOWN = 4
    ROAMING = 5


class AccessTechnology(enum.Enum):
    """The radio in use, as far as the stick tells."""

    GSM = "GSM"
    WCDMA = "WCDMA"
    LTE = "LTE"
    NONE = "none"
    UNKNOWN = "unknown"


class MessageStatus(enum.IntEnum):
    """``<stat>`` of a stored message in PDU mode."""

    UNREAD = 0
    READ = 1
    UNSENT = 2
    SENT = 3
    ALL = 4


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the stick and its SIM are; the IMEI is the stable identity of a stick."""

    manufacturer: str
    model: str
    firmware: str
    imei: str
    imsi: str | None = None
    iccid: str | None = None
    own_number: str | None = None


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What the firmware answers to, found out once after opening."""

    huawei: bool = False
    hcsq: bool = False
    sysinfoex: bool = False
    sysinfo: bool = False
    huawei_cpin: bool = False
    iccid: bool = False
    setport: bool = False
    getportmode: bool = False
    registration_commands: tuple[str, ...] = ("+CREG",)
    """The registration queries the stick knows, among +CREG, +CGREG and +CEREG."""
    voice: bool = False
    """``AT^CVOICE?`` mode 0: the stick dials and answers voice calls (every stick sees RING)."""


@dataclass(frozen=True, slots=True)
class SimStatus:
    """The SIM state and the tries left (None where the stick does not say)."""

    state: SimState
    pin_attempts_left: int | None = None
    puk_attempts_left: int | None = None


@dataclass(frozen=True, slots=True)
class SignalQuality:
    """Signal as the stick reports it: +CSQ always, the ^HCSQ values where available."""

    access_technology: AccessTechnology = AccessTechnology.UNKNOWN
    csq: int | None = None
    """+CSQ rssi 0-31 (None: unknown)."""
    rssi_dbm: float | None = None
    rsrp_dbm: float | None = None
    rsrq_db: float | None = None
    sinr_db: float | None = None
    rscp_dbm: float | None = None
    ecio_db: float | None = None


@dataclass(frozen=True, slots=True)
class SystemInfo:
    """^SYSINFOEX (or the older ^SYSINFO) in names rather than codes."""

    service_status: int
    """0 no service, 1 restricted, 2 valid, 3 restricted regional, 4 power saving."""
    service_domain: int
    roaming: bool
    sim_valid: bool
    sim_missing: bool
    access_technology: AccessTechnology
    mode_name: str | None = None
    submode_name: str | None = None

    @property
    def in_service(self) -> bool:
        return self.service_status == 2


@dataclass(frozen=True, slots=True)
class Operator:
    """+COPS: the serving network."""

    name: str | None
    access_technology: AccessTechnology = AccessTechnology.UNKNOWN


@dataclass(frozen=True, slots=True)
class Registration:
    """+CREG / +CGREG / +CEREG: state and, when reported, the cell."""

    state: RegistrationState
    area_code: str | None = None
    cell_id: str | None = None

    @property
    def registered(self) -> bool:
        return self.state in (RegistrationState.HOME, RegistrationState.ROAMING)


@dataclass(frozen=True, slots=True)
class StorageUsage:
    """One message memory: ``SM`` (SIM) or ``ME`` (stick)."""

    memory: str
    used: int
    total: int

    @property
    def full(self) -> bool:
        """No room for another message (a memory of size 0 is no memory, not a full one)."""
        return self.total != 0 and self.used >= self.total


@dataclass(frozen=True, slots=True)
class ModemStatus:
    """Everything a dashboard shows, fetched in one call."""

    signal: SignalQuality
    operator: Operator | None = None
    access_technology: AccessTechnology = AccessTechnology.UNKNOWN
    registration: RegistrationState = RegistrationState.UNKNOWN
    roaming: bool = False
    sms_storage: StorageUsage | None = None
    system_info: SystemInfo | None = None
    registrations: dict[str, Registration] = field(default_factory=dict)
    packet_attached: bool | None = None
    """``+CGATT``: attached to the packet domain (None: the stick did not say)."""


@dataclass(frozen=True, slots=True)
class StoredPdu:
    """A raw entry of +CMGL / +CMGR: index (None for +CMGR), status, PDU hex."""

    index: int | None
    status: MessageStatus
    pdu: str


Message = SmsDeliver | SmsSubmit | SmsStatusReport


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A message in the stick's memory; ``message`` is None if its PDU cannot be decoded."""

    index: int
    status: MessageStatus
    pdu: str
    message: Message | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class SentMessage:
    """Result of ``send_sms``: one message reference per part, in order."""

    references: tuple[int, ...]

    @property
    def parts(self) -> int:
        return len(self.references)


class UssdStatus(enum.IntEnum):
    """The ``+CUSD: <m>`` status numbers (3GPP TS 27.007); what they mean: ``ussd.py``."""

    DONE = 0
    """An answer; the session is over."""
    NEEDS_REPLY = 1
    """A menu: the network waits for the next code."""
    ENDED = 2
    """The network ended the session (with or without a last text)."""
    NOT_SUPPORTED = 4
    TIMED_OUT = 5


@dataclass(frozen=True, slots=True)
class UssdResponse:
    """The network's answer to a USSD code."""

    status: int
    """A ``UssdStatus`` number (kept an int: a network may send one 27.007 does not name)."""
    text: str
    dcs: int | None = None

    @property
    def needs_reply(self) -> bool:
        return self.status == UssdStatus.NEEDS_REPLY


@dataclass(frozen=True, slots=True)
class PortProfile:
    """``AT^SETPORT``: the composition at plug-in (``FF``: none) and the one after the switch."""

    plug_in: tuple[str, ...]
    composition: tuple[str, ...]

    @property
    def has_pcui(self) -> bool:
        return any(code in PCUI_CODES for code in self.composition)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.plug_in + self.composition) - {NO_SWITCH_PHASE}

    def __str__(self) -> str:
        return f"{','.join(self.plug_in)};{','.join(self.composition)}"


@dataclass(frozen=True, slots=True)
class PortProfiles:
    """The current profile and what ``AT^SETPORT=?`` lists: code -> name."""

    current: PortProfile
    supported: dict[str, str]


@dataclass(frozen=True, slots=True)
class PortLayout:
    """``AT^GETPORTMODE``: the functions in interface order, name (lower case) -> number."""

    mode: str | None
    ports: dict[str, int]

    @property
    def pcui_interface(self) -> int | None:
        return self.ports.get("pcui")


# --- events ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewMessageStored:
    """``+CMTI``: a message landed in ``memory`` at ``index``; read it, store it, then delete."""

    memory: str
    index: int


@dataclass(frozen=True, slots=True)
class MessageReceived:
    """``+CMT``: a message delivered straight to us, not stored on the stick."""

    message: Message | None
    pdu: str


@dataclass(frozen=True, slots=True)
class StatusReportReceived:
    """``+CDS`` (report inline) or ``+CDSI`` (stored in ``memory`` at ``index``)."""

    report: SmsStatusReport | None = None
    memory: str | None = None
    index: int | None = None


@dataclass(frozen=True, slots=True)
class StorageFull:
    """``^SMMEMFULL``: ``memory`` is full (None: not named); the network holds back the rest."""

    memory: str | None


@dataclass(frozen=True, slots=True)
class UssdReceived:
    """``+CUSD``: a USSD answer or a network-initiated USSD."""

    response: UssdResponse


@dataclass(frozen=True, slots=True)
class SignalChanged:
    """``^HCSQ`` or ``^RSSI`` pushed by the stick."""

    signal: SignalQuality


@dataclass(frozen=True, slots=True)
class ModeChanged:
    """``^MODE``: the radio changed."""

    access_technology: AccessTechnology
    mode: int
    submode: int | None


@dataclass(frozen=True, slots=True)
class SimStateChanged:
    """``^SIMST``: the SIM changed state (255: removed)."""

    code: int


@dataclass(frozen=True, slots=True)
class Disconnected:
    """The port went away; ``Modem.open()`` brings it back once the stick is there again."""

    reason: str


ModemEvent = (
    NewMessageStored
    | MessageReceived
    | StatusReportReceived
    | StorageFull
    | UssdReceived
    | SignalChanged
    | ModeChanged
    | SimStateChanged
    | CallRinging
    | CallDialling
    | CallAlerting
    | CallConnected
    | CallEnded
    | IncomingCallEnded
    | CellChanged
    | NetworkTime
    | Disconnected
)
