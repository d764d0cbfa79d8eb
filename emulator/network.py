"""Radio and registration state, and the lines that report it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

ACCESS_TECHS = ("LTE", "WCDMA", "GSM", "NOSERVICE")

# +COPS <AcT>; ^SYSINFOEX sysmode/submode (code, name); ^SYSINFO sys_mode/sys_submode.
_COPS_ACT = {"GSM": 0, "WCDMA": 2, "LTE": 7}
_SYSINFOEX_MODE = {"GSM": (1, "GSM", 3, "EDGE"), "WCDMA": (3, "WCDMA", 45, "HSPA+")}
_SYSINFOEX_MODE["LTE"] = (6, "LTE", 101, "LTE")
_SYSINFO_MODE = {"GSM": (3, 3), "WCDMA": (5, 9)}

NOT_REGISTERED, HOME, SEARCHING, DENIED, ROAMING = 0, 1, 2, 3, 5


@dataclass
class Signal:
    """Radio measurements in physical units."""

    rssi_dbm: int = -71
    rsrp_dbm: int = -95
    sinr_db: float = 12.0
    rsrq_db: float = -8.0
    rscp_dbm: int = -85
    ecio_db: float = -6.0


@dataclass
class Network:
    """Serving network as the stick sees it; ``registration`` is the home/roaming/denied state."""

    access_tech: str = "LTE"
    operator_long: str = "Telekom.de"
    operator_short: str = "Telekom"
    operator_numeric: str = "26201"
    registration: int = HOME
    lac: int = 0x1A2B
    cell_id: int = 0x01C3D4E5
    tac: int = 0x1A2B

    @property
    def in_service(self) -> bool:
        return self.access_tech != "NOSERVICE" and self.registration in (HOME, ROAMING)

    @property
    def roaming(self) -> bool:
        return self.registration == ROAMING


def csq_value(rssi_dbm: int) -> int:
    """``+CSQ`` rssi: dBm = -113 + 2 * value, clamped to 0..31."""
    return max(0, min(31, (rssi_dbm + 113) // 2))


def _clamp(value: float, top: int) -> int:
    return max(0, min(top, round(value)))


def hcsq_line(tech: str, signal: Signal) -> str:
    """``^HCSQ:"LTE",<rssi>,<rsrp>,<sinr>,<rsrq>`` and its WCDMA/GSM/NOSERVICE forms."""
    values: tuple[int, ...]
    if tech == "LTE":
        values = (
            _clamp(signal.rssi_dbm + 121, 96),
            _clamp(signal.rsrp_dbm + 141, 97),
            _clamp((signal.sinr_db + 20.2) * 5, 251),
            _clamp((signal.rsrq_db + 20) * 2, 34),
        )
    elif tech == "WCDMA":
        values = (
            _clamp(signal.rssi_dbm + 121, 96),
            _clamp(signal.rscp_dbm + 121, 96),
            _clamp((signal.ecio_db + 32.5) * 2, 65),
        )
    elif tech == "GSM":
        values = (_clamp(signal.rssi_dbm + 121, 96),)
    else:
        return '^HCSQ:"NOSERVICE"'
    return f'^HCSQ:"{tech}",' + ",".join(str(value) for value in values)


def sysinfoex_line(network: Network, sim_state: int) -> str:
    """``^SYSINFOEX:<srv>,<domain>,<roam>,<sim>,<lock>,<sysmode>,"<name>",<sub>,"<name>"``."""
    roam = int(network.roaming)
    if not network.in_service:
        return f'^SYSINFOEX:0,0,{roam},{sim_state},,0,"NO SERVICE",0,"NO SERVICE"'
    mode, name, submode, subname = _SYSINFOEX_MODE[network.access_tech]
    return f'^SYSINFOEX:2,3,{roam},{sim_state},,{mode},"{name}",{submode},"{subname}"'


def sysinfo_line(network: Network, sim_state: int) -> str:
    """The older ``^SYSINFO:<srv>,<domain>,<roam>,<sys_mode>,<sim>,<lock>,<submode>``."""
    roam = int(network.roaming)
    if not network.in_service:
        return f"^SYSINFO:0,0,{roam},0,{sim_state},,0"
    mode, submode = _SYSINFO_MODE.get(network.access_tech, (0, 0))
    return f"^SYSINFO:2,3,{roam},{mode},{sim_state},,{submode}"


def mode_line(network: Network, *, sysinfoex: bool) -> str:
    """``^MODE:<mode>,<submode>`` in the codes of the stick's system info: ``^SYSINFOEX``'s where
    it has that command, else ``^SYSINFO``'s (3 GSM, 5 WCDMA), as ModemManager reads them."""
    if not network.in_service:
        return "^MODE:0,0"
    if sysinfoex:
        mode, _, submode, _ = _SYSINFOEX_MODE[network.access_tech]
    else:
        mode, submode = _SYSINFO_MODE.get(network.access_tech, (0, 0))
    return f"^MODE:{mode},{submode}"


def cops_line(network: Network, operator_format: int) -> str:
    """``+COPS: 0,<format>,"<operator>",<AcT>`` or ``+COPS: 0`` without service."""
    if not network.in_service:
        return "+COPS: 0"
    name = (network.operator_long, network.operator_short, network.operator_numeric)
    act = _COPS_ACT[network.access_tech]
    return f'+COPS: 0,{operator_format},"{name[operator_format]}",{act}'


def cops_test_line(network: Network) -> str:
    """``+COPS=?``: the one visible network, then the supported modes and formats."""
    if network.access_tech == "NOSERVICE":
        return "+COPS: ,,(0-4),(0-2)"
    act = _COPS_ACT[network.access_tech]
    entry = (
        f'(2,"{network.operator_long}","{network.operator_short}",'
        f'"{network.operator_numeric}",{act})'
    )
    return f"+COPS: {entry},,(0-4),(0-2)"


def registration_fields(network: Network, with_location: bool, command: str = "+CREG") -> str:
    """``<stat>[,"<lac>","<ci>",<AcT>]`` for +CREG/+CGREG; +CEREG has the TAC for the LAC."""
    stat = _stat(network)
    if with_location and network.in_service:
        area = network.tac if command == "+CEREG" else network.lac
        act = _COPS_ACT[network.access_tech]
        return f'{stat},"{area:04X}","{network.cell_id:08X}",{act}'
    return str(stat)


def _stat(network: Network) -> int:
    if network.access_tech == "NOSERVICE" and network.registration in (HOME, ROAMING):
        return SEARCHING
    return network.registration


@dataclass
class RadioConfig:
    """What ^SYSCFGEX / ^SYSCFG, +CGATT and the network clock set (kept across resets)."""

    syscfgex_order: str = "00"
    syscfg_mode: int = 2
    syscfg_order: int = 0
    band: str = "3FFFFFFF"
    roam: int = 1
    domain: int = 2
    attached: bool = True
    tz_quarters: int = 4
    dst: int = 0


def network_time_fields(now: datetime, config: RadioConfig) -> str:
    """``yy/mm/dd,hh:mm:ss+tz,dst`` as ^NWTIME gives it: local time, zone in quarter hours."""
    local = now.astimezone(timezone(timedelta(minutes=15 * config.tz_quarters)))
    sign = "+" if config.tz_quarters >= 0 else "-"
    stamp = local.strftime("%y/%m/%d,%H:%M:%S")
    return f"{stamp}{sign}{abs(config.tz_quarters):02d},{config.dst:02d}"


def ctzv_line(config: RadioConfig) -> str:
    """3GPP 27.007 ``+CTZV: <tz>`` (quarter hours) of the sticks without ^NWTIME."""
    sign = "+" if config.tz_quarters >= 0 else "-"
    return f"+CTZV: {sign}{abs(config.tz_quarters):02d}"
