"""The emulated stick models and the USB / port-profile facts they are built from."""

from __future__ import annotations

from dataclasses import dataclass

HUAWEI_VID = 0x12D1
MASS_STORAGE_PID = 0x1F01

# AT^SETPORT codes (reference section 3): code -> (name listed by AT^SETPORT=?, serial role).
SETPORT_CODES: dict[str, tuple[str, str | None]] = {
    "A1": ("CDROM", None),
    "A2": ("SD", None),
    "A": ("BLUE TOOTH", None),
    "1": ("MODEM", "modem"),
    "2": ("PCUI", "pcui"),
    "3": ("DIAG", "diag"),
    "5": ("GPS", "gps"),
    "7": ("NDIS", None),
    "10": ("4G MODEM", "modem"),
    "12": ("4G PCUI", "pcui"),
    "13": ("4G DIAG", "diag"),
    "14": ("4G GPS", "gps"),
    "16": ("NCM", None),
}
PCUI_CODES = frozenset({"2", "12"})
MASS_STORAGE_CODES = frozenset({"A1", "A2"})


@dataclass(frozen=True, slots=True)
class Model:
    """One emulated stick model.

    ``huawei_commands`` lists the ``^`` commands the firmware knows; every other ``^`` command
    answers ``COMMAND NOT SUPPORT``. ``quirk_crlf`` names the commands whose listing lines end in
    ``\\r\\r\\n`` instead of ``\\r\\n``.
    """

    name: str
    usb_pid: int
    usb_name: str
    firmware: str
    hardware: str
    access_techs: tuple[str, ...]
    default_access_tech: str
    huawei_commands: frozenset[str]
    default_setport: str
    setport_codes: tuple[str, ...]
    quirk_crlf: frozenset[str]
    ussd_mode_required: bool
    sms_capacity: int
    voice: bool = False  # ^CVOICE mode 0: answers and dials voice calls (all models see RING)

    @property
    def has_lte(self) -> bool:
        return "LTE" in self.access_techs

    def supports(self, huawei_command: str) -> bool:
        return huawei_command in self.huawei_commands


_COMMON_HUAWEI = frozenset(
    {"^CPIN", "^ICCID", "^FHVER", "^CURC", "^PORTSEL", "^RESET", "^USSDMODE", "^SYSINFO"}
)
_MODERN_HUAWEI = _COMMON_HUAWEI | {"^HCSQ", "^SYSINFOEX", "^SETPORT", "^GETPORTMODE", "^NWTIME"}

E3372 = Model(
    name="E3372",
    usb_pid=0x1506,
    usb_name="HUAWEI_MOBILE_HUAWEI_MOBILE",
    firmware="21.286.03.01.209",
    hardware="CH2E3372SM Ver.A",
    access_techs=("LTE", "WCDMA", "GSM"),
    default_access_tech="LTE",
    huawei_commands=_MODERN_HUAWEI | {"^CVOICE", "^SYSCFGEX"},
    default_setport="A1,A2;10,12,13,16,A1,A2",
    setport_codes=("A1", "A2", "A", "1", "2", "3", "5", "7", "10", "12", "13", "14", "16"),
    quirk_crlf=frozenset({"^SETPORT=?"}),
    ussd_mode_required=False,
    sms_capacity=30,
    voice=True,
)
# Data-card firmware: knows ^CVOICE but reports voice off (mode 1); RING/+CLIP still arrive.
E3131 = Model(
    name="E3131",
    usb_pid=0x1506,
    usb_name="HUAWEI_Technology_HUAWEI_Mobile",
    firmware="21.158.13.00.209",
    hardware="CH1E3131SM Ver.A",
    access_techs=("WCDMA", "GSM"),
    default_access_tech="WCDMA",
    huawei_commands=_MODERN_HUAWEI | {"^CVOICE", "^SYSCFG"},
    default_setport="A1,A2;1,3,2,16,A1,A2",
    setport_codes=("A1", "A2", "1", "2", "3", "5", "7", "16"),
    quirk_crlf=frozenset({"+CMGL"}),
    ussd_mode_required=False,
    sms_capacity=30,
)
# The older E303: only ^SYSINFO, no port profiles; a fixed legacy 3-port layout (12d1:1001).
E303 = Model(
    name="E303",
    usb_pid=0x1001,
    usb_name="HUAWEI_Technology_HUAWEI_Mobile",
    firmware="21.157.01.00.00",
    hardware="CD1E303M",
    access_techs=("WCDMA", "GSM"),
    default_access_tech="WCDMA",
    huawei_commands=_COMMON_HUAWEI | {"^SYSCFG"},
    default_setport="FF;1,3,2",
    setport_codes=(),
    quirk_crlf=frozenset({"+CMGL"}),
    ussd_mode_required=True,
    sms_capacity=20,
)

MODELS: dict[str, Model] = {model.name: model for model in (E3372, E3131, E303)}
