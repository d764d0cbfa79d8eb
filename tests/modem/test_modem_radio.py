"""Modem against the emulated sticks: network modes (^SYSCFGEX on the E3372, ^SYSCFG on the E3131
and E303), cell reports pushed as events, packet attach and the network's time."""

from __future__ import annotations

from dataclasses import replace
from unittest.mock import AsyncMock

import pytest

from custom_components.huawei_modem.modem.errors import (
    CmeError,
    CommandNotSupportedError,
    NetworkModeNotOfferedError,
)
from custom_components.huawei_modem.modem.models import AccessTechnology, Capabilities
from custom_components.huawei_modem.modem.modem import Modem
from custom_components.huawei_modem.modem.radio import serving_cell
from custom_components.huawei_modem.modem.radio_models import (
    CellChanged,
    NetworkMode,
    NetworkTime,
    ServingCell,
)
from emulator import EmulatedStick
from emulator.cell import move_cell

from .conftest import Recorder, make_modem, only

M = NetworkMode
OFFERED = {
    "E3372": (M.AUTOMATIC, M.LTE_ONLY, M.WCDMA_ONLY, M.GSM_ONLY),
    "E3131": (M.AUTOMATIC, M.GSM_PREFERRED, M.WCDMA_PREFERRED, M.GSM_ONLY, M.WCDMA_ONLY),
    "E303": (M.AUTOMATIC, M.GSM_PREFERRED, M.WCDMA_PREFERRED, M.GSM_ONLY, M.WCDMA_ONLY),
}
RADIO_OF = {
    M.LTE_ONLY: AccessTechnology.LTE,
    M.WCDMA_ONLY: AccessTechnology.WCDMA,
    M.GSM_ONLY: AccessTechnology.GSM,
    M.GSM_PREFERRED: AccessTechnology.GSM,
    M.WCDMA_PREFERRED: AccessTechnology.WCDMA,
}


async def test_the_offered_modes_of_each_model(stick: EmulatedStick, modem: Modem) -> None:
    assert await modem.network_modes() == OFFERED[stick.model.name]
    assert await modem.network_mode() is M.AUTOMATIC


async def test_each_offered_mode_is_set_read_back_and_changes_the_radio(
    stick: EmulatedStick, modem: Modem
) -> None:
    radio = stick.device.radio
    radio.band, radio.roam, radio.domain = "2000004E80380", 0, 1
    for mode in reversed(OFFERED[stick.model.name]):
        assert await modem.set_network_mode(mode) is mode
        assert await modem.network_mode() is mode
        if mode in RADIO_OF:
            assert (await modem.status()).access_technology is RADIO_OF[mode]
    assert (radio.band, radio.roam, radio.domain) == ("2000004E80380", 0, 1)  # never touched


@pytest.mark.parametrize("mode", [M.LTE_ONLY, M.LTE_PREFERRED])
@only("E3131")
async def test_a_mode_not_offered_is_refused_before_anything_is_sent(
    stick: EmulatedStick, modem: Modem, mode: NetworkMode
) -> None:
    await modem.network_modes()
    with pytest.raises(NetworkModeNotOfferedError) as refused:
        await modem.set_network_mode(mode)
    assert refused.value.mode == mode.value
    assert "automatic" in refused.value.offered
    assert isinstance(refused.value, ValueError)
    assert (stick.device.radio.syscfg_mode, stick.device.radio.syscfg_order) == (2, 0)


@only("E303")
async def test_a_firmware_without_either_command(stick: EmulatedStick) -> None:
    model = stick.device.model
    stick.device.model = replace(model, huawei_commands=model.huawei_commands - {"^SYSCFG"})
    async with make_modem(stick) as modem:
        with pytest.raises(CommandNotSupportedError):
            await modem.network_modes()
        with pytest.raises(CommandNotSupportedError):
            await modem.set_network_mode(M.AUTOMATIC)


async def test_a_stick_that_is_no_huawei_is_not_asked() -> None:
    modem = Modem("/dev/null")
    modem._command = AsyncMock()  # type: ignore[method-assign]
    with pytest.raises(CommandNotSupportedError):
        await modem.network_modes()
    modem._command.assert_not_awaited()


async def test_a_sim_error_is_not_taken_for_a_missing_command() -> None:
    modem = Modem("/dev/null")
    modem._capabilities = Capabilities(huawei=True)
    modem._command = AsyncMock(side_effect=CmeError("AT^SYSCFGEX=?", 11))  # type: ignore[method-assign]
    with pytest.raises(CmeError):
        await modem.network_modes()
    modem._command.side_effect = None
    modem._command.return_value = ['^SYSCFGEX: ("00","03"),((3fffffff,"All")),(0-3),(0-4),,']
    assert await modem.network_modes() == (M.AUTOMATIC, M.LTE_ONLY)


# --- cells --------------------------------------------------------------------------------------


async def test_the_status_has_the_cell_and_packet_attach(
    stick: EmulatedStick, modem: Modem
) -> None:
    status = await modem.status()
    assert status.packet_attached is True
    tracking = stick.model.name == "E3372"
    assert serving_cell(status.registrations) == ServingCell(0x1A2B, 0x01C3D4E5, tracking)


async def test_a_cell_move_is_pushed_as_events(stick: EmulatedStick, modem: Modem) -> None:
    events: Recorder[CellChanged] = Recorder()
    modem.subscribe(CellChanged, events)
    move_cell(stick.device, 0x3C4D, 0x0000BEEF, 0x5E6F)
    await events.wait_for(3 if stick.model.has_lte else 2)
    pushed = {event.command: event.registration for event in events}
    assert pushed["+CREG"].area_code == "3C4D"
    assert pushed["+CGREG"].cell_id == "0000BEEF"
    if "+CEREG" in pushed:
        assert serving_cell(pushed) == ServingCell(0x5E6F, 0xBEEF, tracking_area=True)
    else:
        assert serving_cell(pushed) == ServingCell(0x3C4D, 0xBEEF, tracking_area=False)


@pytest.mark.parametrize("stick", ["E3372", "E3131"], indirect=True)
async def test_the_network_time_asked_comes_as_an_event(stick: EmulatedStick, modem: Modem) -> None:
    events: Recorder[NetworkTime] = Recorder()
    modem.subscribe(NetworkTime, events)
    await modem.ask_network_time()
    await events.wait_for(1)
    network_time = events[0]
    assert network_time.time is not None
    assert network_time.utc_offset.total_seconds() == 3600


@only("E303")
async def test_the_e303_pushes_only_a_zone(stick: EmulatedStick, modem: Modem) -> None:
    events: Recorder[NetworkTime] = Recorder()
    modem.subscribe(NetworkTime, events)
    await modem.ask_network_time()  # COMMAND NOT SUPPORT: nothing to ask
    await modem.set_network_mode(M.GSM_ONLY)  # registers again: +CTZV
    await events.wait_for(1)
    assert events[0].time is None
    assert events[0].utc_offset.total_seconds() == 3600
