"""Modem end to end against the emulated sticks: port profiles and reset."""

from __future__ import annotations

from unittest.mock import patch

import pytest

from custom_components.huawei_modem.modem.errors import (
    CommandNotSupportedError,
    PortCodesNotListedError,
    PortProfileWithoutAtPortError,
    UnsafePortProfileError,
)
from custom_components.huawei_modem.modem.models import Disconnected, PortProfile
from custom_components.huawei_modem.modem.modem import Modem
from emulator import EmulatedStick

from .conftest import Recorder, make_modem, only

# --- port profile and reset -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("stick", "current", "has"),
    [("E3372", "A1,A2;10,12,13,16,A1,A2", "14"), ("E3131", "A1,A2;1,3,2,16,A1,A2", "2")],
    indirect=["stick"],
)
async def test_port_profiles(modem: Modem, current: str, has: str) -> None:
    profiles = await modem.port_profiles()
    assert str(profiles.current) == current
    assert has in profiles.supported


@pytest.mark.parametrize(
    ("stick", "profile"),
    [
        ("E3372", "FF;10,13,16"),  # no PCUI: the stick would have no AT port left
        ("E3131", "FF;1,2,14"),  # 14 (4G GPS) is not listed by this stick
        ("E3372", "FF;10,12,99"),
        ("E3372", "garbage"),
        ("E3372", PortProfile(("FF",), ("1", "3"))),
    ],
    indirect=["stick"],
)
async def test_unsafe_profiles_are_refused(
    stick: EmulatedStick, modem: Modem, profile: str | PortProfile
) -> None:
    before = stick.device.stored_profile
    with pytest.raises(UnsafePortProfileError):
        await modem.set_port_profile(profile)
    assert stick.device.stored_profile == before


@only("E3131")
async def test_a_refused_profile_says_why(modem: Modem) -> None:
    with pytest.raises(PortProfileWithoutAtPortError) as without_at:
        await modem.set_port_profile("FF;1,3,16")
    assert without_at.value.profile == "FF;1,3,16"

    with pytest.raises(PortCodesNotListedError) as not_listed:
        await modem.set_port_profile("ff;1,2,14,99")
    assert not_listed.value.profile == "FF;1,2,14,99"
    assert not_listed.value.codes == ("14", "99")
    assert not_listed.value.supported["2"] == (await modem.port_profiles()).supported["2"]


@only("E3372")
async def test_a_profile_change_asks_for_the_codes_once(modem: Modem) -> None:
    with patch.object(Modem, "_command", autospec=True, side_effect=Modem._command) as command:
        await modem.set_port_profile("FF;10,12")
    asked = [call.args[1] for call in command.call_args_list]
    assert asked == ["AT^SETPORT=?", "AT^SETPORT?", 'AT^SETPORT="FF;10,12"']


@only("E303")
async def test_no_port_profiles_on_an_old_stick(modem: Modem) -> None:
    with pytest.raises(CommandNotSupportedError):
        await modem.port_profiles()


@only("E3372")
async def test_set_profile_reset_and_reconnect(stick: EmulatedStick, modem: Modem) -> None:
    stick.reset_delay = 0.05
    lost: Recorder[Disconnected] = Recorder()
    modem.subscribe(Disconnected, lost)
    previous = await modem.set_port_profile("FF;10,12")
    assert str(previous) == "A1,A2;10,12,13,16,A1,A2"
    await modem.reset()
    assert not modem.is_open
    assert len(lost) == 1
    await stick.wait_plugged()
    again = make_modem(stick)
    await again.open()
    assert str((await again.port_profiles()).current) == "FF;10,12"
    assert "diag" not in stick.ports
    await again.close()
