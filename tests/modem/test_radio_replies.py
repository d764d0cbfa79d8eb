"""Parsers of the radio replies: ^SYSCFGEX / ^SYSCFG lists and settings, ^NWTIME, +CTZV,
+CGATT, fed with real firmware's replies (ModemManager's Huawei plugin test vectors)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.huawei_modem.modem.errors import UnexpectedReplyError
from custom_components.huawei_modem.modem.huawei_replies import (
    parse_nwtime,
    parse_syscfg,
    parse_syscfg_choices,
    parse_syscfgex,
    parse_syscfgex_orders,
)
from custom_components.huawei_modem.modem.models import (
    ModemStatus,
    Registration,
    RegistrationState,
    SignalQuality,
)
from custom_components.huawei_modem.modem.radio import SYSCFG_MODES, SYSCFGEX_ORDERS, serving_cell
from custom_components.huawei_modem.modem.radio_models import NetworkMode, ServingCell
from custom_components.huawei_modem.modem.replies import parse_cgatt, parse_ctzv
from custom_components.huawei_modem.modem.status import with_registration

M = NetworkMode
_GSM_UMTS = (
    '((2000004e80380,"GSM850/GSM900/GSM1800/GSM1900/WCDMA850/WCDMA900/WCDMA1900/WCDMA2100"),'
    '(3fffffff,"All Bands"))'
)
_LTE = '((800c5,"LTE2100/LTE1800/LTE2600/LTE900/LTE800"),(7fffffffffffffff,"All bands"))'
_BANDS_3G_ONLY = (
    '((3fffffff,"All Bands"),(2000000400180,"GSM900/GSM1800/WCDMA900/WCDMA2100"),'
    '(6A80000,"GSM850/GSM1900/WCDMA850/AWS/WCDMA1900"))'
)


_LTE_TAIL = f"{_GSM_UMTS},(0-3),(0-4),{_LTE}"
_3G_TAIL = f"{_BANDS_3G_ONLY},(0-2),(0-4),,"  # no LTE: its band list is empty


@pytest.mark.parametrize(
    ("listed", "tail", "orders"),
    [
        ('"00","03","02","01","99"', _LTE_TAIL, ("00", "03", "02", "01", "99")),
        ('"030201","0302","03","99"', _LTE_TAIL, ("030201", "0302", "03", "99")),
        ('"03"', _LTE_TAIL, ("03",)),
        ('"00","01","02","0102","0201"', _3G_TAIL, ("00", "01", "02", "0102", "0201")),
    ],
)
def test_syscfgex_lists(listed: str, tail: str, orders: tuple[str, ...]) -> None:
    assert parse_syscfgex_orders(f"({listed}),{tail}") == orders


_SYSCFG_BANDS = (
    '((2000000400380,"GSM900/GSM1800/WCDMA900/WCDMA2100"),(280000,"GSM850/GSM1900"),'
    '(3fffffff,"All bands"))'
)


@pytest.mark.parametrize(
    ("value", "modes", "orders"),
    [
        ('(2,13,14,16),(0-3),((400000,"WCDMA2100")),(0-2),(0-4)', {2, 13, 14, 16}, {0, 1, 2, 3}),
        (f"(2,13,14,16),(0),{_SYSCFG_BANDS},(0-2),(0-4)", {2, 13, 14, 16}, {0}),
        (f"(13),(0),{_SYSCFG_BANDS},(0-2),(0-4)", {13}, {0}),
        ("(2,13,14,16),(0-3),,,", {2, 13, 14, 16}, {0, 1, 2, 3}),
        ("", {2, 13, 14, 16}, {0, 1, 2, 3}),  # firmware that lists nothing (ModemManager's note)
    ],
)
def test_syscfg_lists(value: str, modes: set[int], orders: set[int]) -> None:
    assert parse_syscfg_choices(value) == (frozenset(modes), frozenset(orders))


@pytest.mark.parametrize(
    ("value", "setting"),
    [
        ('"00",3FFFFFFF,1,2,7FFFFFFFFFFFFFFF', ("00", "3FFFFFFF", "7FFFFFFFFFFFFFFF")),
        ('"03",3FFFFFFF,1,2,7FFFFFFFFFFFFFFF', ("03", "3FFFFFFF", "7FFFFFFFFFFFFFFF")),
        ('"0201",3fffffff,1,2,', ("0201", "3fffffff", "")),
        ('"0102",3fffffff,1,2', ("0102", "3fffffff", "")),
    ],
)
def test_syscfgex_settings(value: str, setting: tuple[str, str, str]) -> None:
    assert parse_syscfgex(value) == setting


@pytest.mark.parametrize(
    ("value", "setting"),
    [
        ("2,0,400000,0,3", (2, 0)),
        ("2,2,3FFFFFFF,1,2", (2, 2)),
        ("14,2,400000,0,3", (14, 2)),
        ("13,1,400000,0,3", (13, 1)),
    ],
)
def test_syscfg_settings(value: str, setting: tuple[int, int]) -> None:
    assert parse_syscfg(value) == setting


@pytest.mark.parametrize(
    "parse",
    [parse_syscfgex_orders, parse_syscfg_choices, parse_syscfgex, parse_syscfg, parse_nwtime],
)
def test_unreadable_radio_replies(parse: object) -> None:
    with pytest.raises(UnexpectedReplyError):
        parse("garbage")  # type: ignore[operator]


@pytest.mark.parametrize(
    ("value", "utc", "offset", "dst"),
    [
        ("14/08/05,04:00:21+40,00", "2014-08-04T18:00:21", 600, 0),
        ("14/08/05,04:00:21+20,01", "2014-08-04T23:00:21", 300, 1),
        ("14/08/05,04:00:21+40,02", "2014-08-04T18:00:21", 600, 2),
        ("26/01/02,01:30:00-20", "2026-01-02T06:30:00", -300, None),
    ],
)
def test_nwtime(value: str, utc: str, offset: int, dst: int | None) -> None:
    network_time = parse_nwtime(value)
    assert network_time.time == datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert network_time.utc_offset == timedelta(minutes=offset)
    assert network_time.daylight_saving_hours == dst


@pytest.mark.parametrize("value", ["14/13/05,04:00:21+40,00", "14/08/05,04:00+40,00"])
def test_impossible_network_times(value: str) -> None:
    with pytest.raises(UnexpectedReplyError):
        parse_nwtime(value)


@pytest.mark.parametrize(("value", "minutes"), [("+04", 60), ("-08", -120), ("+22", 330)])
def test_ctzv_is_a_zone_without_a_time(value: str, minutes: int) -> None:
    zone = parse_ctzv(value)
    assert (zone.time, zone.utc_offset) == (None, timedelta(minutes=minutes))


@pytest.mark.parametrize(("value", "attached"), [("1", True), ("0", False)])
def test_cgatt(value: str, attached: bool) -> None:
    assert parse_cgatt(value) is attached


def _registered(area: str | None, cell: str | None) -> Registration:
    return Registration(RegistrationState.HOME, area, cell)


@pytest.mark.parametrize(
    ("registrations", "cell"),
    [
        (
            {"+CREG": _registered("1A2B", "01C3D4E5"), "+CEREG": _registered("0BCD", "0000BEEF")},
            ServingCell(0x0BCD, 0xBEEF, tracking_area=True),
        ),
        (
            {
                "+CREG": _registered("1A2B", "01C3D4E5"),
                "+CEREG": Registration(RegistrationState.SEARCHING),
            },
            ServingCell(0x1A2B, 0x01C3D4E5, tracking_area=False),
        ),
        ({"+CREG": _registered(None, None)}, None),
        ({"+CGREG": _registered("FFFE", "zz")}, None),
        ({}, None),
    ],
)
def test_serving_cell(registrations: dict[str, Registration], cell: ServingCell | None) -> None:
    assert serving_cell(registrations) == cell


def test_every_mode_has_a_command_form() -> None:
    assert set(SYSCFGEX_ORDERS.values()) == set(M)
    assert set(SYSCFG_MODES.values()) <= set(M)


def test_a_pushed_registration_updates_the_state_and_roaming() -> None:
    home = _registered("1A2B", "01C3D4E5")
    status = ModemStatus(SignalQuality(), registration=RegistrationState.HOME)
    status = replace(status, registrations={"+CREG": home, "+CGREG": home})
    roaming = Registration(RegistrationState.ROAMING, "0001", "00000002")
    status = with_registration(status, "+CREG", roaming)
    assert status.registrations == {"+CREG": roaming, "+CGREG": home}
    assert (status.registration, status.roaming) == (RegistrationState.HOME, False)
    status = with_registration(status, "+CGREG", Registration(RegistrationState.SEARCHING))
    assert (status.registration, status.roaming) == (RegistrationState.ROAMING, True)
