"""Modem end to end against the emulated sticks: faults, retries and less travelled paths."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from custom_components.huawei_modem.modem.errors import (
    AtTimeoutError,
    CmeError,
    CmsError,
    ConnectionLostError,
    PinError,
    PukRequiredError,
    SimFailureError,
    UnexpectedReplyError,
    WrongPinError,
)
from custom_components.huawei_modem.modem.models import (
    AccessTechnology,
    Capabilities,
    Disconnected,
    SignalChanged,
    SimState,
    SimStateChanged,
    UssdReceived,
)
from custom_components.huawei_modem.modem.modem import Modem
from custom_components.huawei_modem.modem.pdu import SmsDeliver
from emulator import EmulatedStick

from .conftest import MODELS, PIN, SENDER, Recorder, make_modem, only

# --- faults ---------------------------------------------------------------------------------


@only("E3372")
async def test_port_vanishes_mid_command_and_comes_back(stick: EmulatedStick, modem: Modem) -> None:
    lost: Recorder[Disconnected] = Recorder()
    modem.subscribe(Disconnected, lost)
    stick.faults.stall_next = 1
    command = asyncio.create_task(modem.identify())
    await asyncio.sleep(0.05)
    stick.unplug()
    with pytest.raises(ConnectionLostError):
        await command
    await lost.wait_for(1)
    assert not modem.is_open
    with pytest.raises(ConnectionLostError):
        await modem.open()  # nothing to open while unplugged
    stick.replug()
    await modem.open()
    assert (await modem.identify()).imei == "866123045678901"


async def test_unsolicited_lines_inside_every_reply(stick: EmulatedStick, modem: Modem) -> None:
    stick.deliver_sms(SENDER, "noise around me")
    stick.faults.noise_in_replies = 1.0
    signals: Recorder[SignalChanged] = Recorder()
    modem.subscribe(SignalChanged, signals)
    identity = await modem.identify()
    assert identity.imei == "866123045678901"
    status = await modem.status()
    assert status.operator is not None
    assert status.operator.name == "Telekom.de"
    [listed] = await modem.list_sms()
    read = await modem.read_sms(listed.index)
    assert isinstance(read.message, SmsDeliver)
    assert read.message.text == "noise around me"
    assert (await modem.send_sms(SENDER, "x" * 200)).parts == 2
    if modem.capabilities.setport:
        assert (await modem.port_profiles()).current.has_pcui
    assert (await modem.ussd("*100#")).text == "Ihr Guthaben: 12,34 EUR"


@only("E3131")
async def test_garbage_bytes(stick: EmulatedStick, modem: Modem) -> None:
    stick.inject_garbage()
    assert (await modem.identify()).model == "E3131"
    stick.inject_garbage(b"\xff\xfe\x00\r\n+CSQ: \xff\r\n")
    assert (await modem.status()).signal.csq == 21


@only("E3372")
async def test_stalled_reply_then_recovery(stick: EmulatedStick, modem: Modem) -> None:
    stick.faults.stall_next = 1
    with pytest.raises(AtTimeoutError):
        await modem._channel.command("AT+CGMM", reply_timeout=0.1)
    assert await modem._channel.command("AT+CGMM") == ["E3372"]


@only("E3372")
async def test_missing_final_result_then_recovery(stick: EmulatedStick, modem: Modem) -> None:
    stick.faults.drop_final_next = 1
    with pytest.raises(AtTimeoutError):
        await modem._channel.command("AT+CGMI", reply_timeout=0.1)
    assert (await modem.identify()).manufacturer == "huawei"


@only("E3372")
async def test_cut_replies(stick: EmulatedStick, modem: Modem) -> None:
    stick.faults.cut_next = 3
    stick.faults.cut_pause = 0.02
    assert (await modem.identify()).model == "E3372"


@only("E3372")
async def test_reopen_at_a_moved_port_keeps_the_listeners(
    stick: EmulatedStick, modem: Modem
) -> None:
    states: Recorder[SimStateChanged] = Recorder()
    modem.subscribe(SimStateChanged, states)
    moved = stick.ports["pcui"]
    await modem.reopen(moved)
    assert (modem.url, modem.is_open) == (moved, True)
    stick.send_unsolicited("^SIMST:1")
    await states.wait_for(1)
    assert states == [SimStateChanged(1)]


@only("E3372")
async def test_open_fails_cleanly_on_a_silent_port(stick: EmulatedStick) -> None:
    silent = make_modem(stick, str(stick.stable_paths["diag"]), timeout=0.1)
    with pytest.raises(AtTimeoutError):
        await silent.open()
    assert not silent.is_open


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.usefixtures("socket_enabled")
async def test_socket_url(tmp_path: Path, model: str) -> None:
    async with EmulatedStick(model, link_dir=tmp_path, tcp_port=0) as stick:
        assert stick.tcp_url is not None
        async with make_modem(stick, stick.tcp_url) as modem:
            assert (await modem.identify()).model == model
            assert (await modem.ussd("*100#")).text == "Ihr Guthaben: 12,34 EUR"


# --- retries --------------------------------------------------------------------------------


@only("E3372")
async def test_busy_sim_is_retried(modem: Modem, monkeypatch: pytest.MonkeyPatch) -> None:
    channel = modem._channel
    real = channel.command
    failures: list[Exception] = [CmeError("AT+CGMI", 14), CmsError("AT+CGMI", 314)]

    async def busy_then_real(command: str, **kwargs: float | None) -> list[str]:
        if failures:
            raise failures.pop(0)
        return await real(command, **kwargs)

    monkeypatch.setattr(channel, "command", busy_then_real)
    assert (await modem.identify()).manufacturer == "huawei"
    failures.extend([CmeError("AT+CGMI", 14)] * 4)
    with pytest.raises(CmeError) as busy:
        await modem.identify()
    assert (busy.value.code, failures) == (14, [])
    failures.extend([CmeError("AT+CMGD=0", 16), CmeError("AT+CMGD=0", 14)])
    with pytest.raises(CmeError) as refused:
        await modem.delete_sms(0)
    assert refused.value.code == 16
    assert len(failures) == 1  # not retried


# --- less travelled paths -------------------------------------------------------------------


@only("E3131")
async def test_a_generic_3gpp_stick(modem: Modem, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(modem, "_capabilities", Capabilities(registration_commands=("+CREG",)))
    status = await modem.status()
    assert status.system_info is None
    assert status.access_technology is AccessTechnology.WCDMA  # from +COPS
    assert status.signal.access_technology is AccessTechnology.UNKNOWN
    assert (await modem.identify()).iccid is None
    assert status.signal.csq == 21


async def test_probes_answered_with_an_error_still_count(tmp_path: Path) -> None:
    async with EmulatedStick("E3372", link_dir=tmp_path) as stick:
        stick.remove_sim()
        async with make_modem(stick) as modem:
            assert modem.capabilities.iccid  # ^ICCID? answered +CME ERROR: 10
            assert modem.capabilities.huawei_cpin


@only("E3372")
async def test_sms_set_up_again_after_a_refusal(
    modem: Modem, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = modem._channel.command

    async def refuse_pdu_mode(command: str, **kwargs: float | None) -> list[str]:
        if command == "AT+CMGF=0":
            raise CmsError(command, 310)
        return await real(command, **kwargs)

    monkeypatch.setattr(modem._channel, "command", refuse_pdu_mode)
    await modem._prepare_sms()
    assert not modem._sms_ready
    monkeypatch.setattr(modem._channel, "command", real)
    assert await modem.list_sms() == []
    assert modem._sms_ready
    modem._sms_ready = False
    await modem.send_sms("+491709999999", "after set-up")
    assert modem._sms_ready


@only("E3372")
async def test_ussd_waiter_fails_when_the_port_goes(stick: EmulatedStick, modem: Modem) -> None:
    stick.device.ussd_delay = 5.0
    request = asyncio.create_task(modem.ussd("*100#"))
    await asyncio.sleep(0.05)
    stick.unplug()
    with pytest.raises(ConnectionLostError):
        await request


@only("E3372")
async def test_network_initiated_ussd(stick: EmulatedStick, modem: Modem) -> None:
    pushed: Recorder[UssdReceived] = Recorder()
    modem.subscribe(UssdReceived, pushed)
    stick.send_unsolicited('+CUSD: 1,"Hallo",15')
    await pushed.wait_for(1)
    assert pushed[0].response.text == "Hallo"


@only("E3372")
async def test_sim_errors(
    stick: EmulatedStick, modem: Modem, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick.device.sim.puk_tries = 0
    assert (await modem.sim_status()).state is SimState.FAILURE
    with pytest.raises(SimFailureError):
        await modem.unlock(PIN)

    async def unknown_error(command: str, **kwargs: float | None) -> list[str]:
        raise CmeError(command, 100)

    monkeypatch.setattr(modem._channel, "command", unknown_error)
    with pytest.raises(CmeError):
        await modem.sim_status()


@pytest.mark.parametrize(
    ("code", "after", "expected"),
    [
        (16, None, WrongPinError),  # the state cannot be read afterwards: still a wrong PIN
        (3, "READY,,10,3,10,3", PinError),
        (12, "SIM PUK,10,10,0,10,3", PukRequiredError),
    ],
)
@only("E3372")
async def test_pin_refusals(
    modem: Modem,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    after: str | None,
    expected: type[PinError],
) -> None:
    answers = iter(["^CPIN: SIM PIN,3,10,3,10,3", None, after])

    async def scripted(command: str, **kwargs: str | float | None) -> list[str]:
        answer = next(answers)
        if command.startswith("AT+CPIN="):
            raise CmeError(str(kwargs["shown_as"]), code)
        if answer is None:
            raise ConnectionLostError("gone")
        return [answer if answer.startswith("^") else f"^CPIN: {answer}"]

    monkeypatch.setattr(modem._channel, "command", scripted)
    with pytest.raises(expected) as refused:
        await modem.unlock(PIN)
    assert type(refused.value) is expected
    assert PIN not in str(refused.value)


@only("E3372")
async def test_reset_of_a_stick_that_stays(
    stick: EmulatedStick, modem: Modem, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick.device.request_reset = lambda: None
    monkeypatch.setattr(modem._channel, "timeout", 0.05)
    await modem.reset()
    assert not modem.is_open


@only("E3372")
async def test_an_unreadable_message_reference(
    modem: Modem, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def odd_reply(command: str, payload: str, **kwargs: float | None) -> list[str]:
        return ["+CMGS: x"]

    monkeypatch.setattr(modem._channel, "command_with_prompt", odd_reply)
    with pytest.raises(UnexpectedReplyError):
        await modem.send_sms("+491709999999", "x")
