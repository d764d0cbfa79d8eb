"""Modem end to end against the emulated sticks (E3372, E3131, E303)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from unittest.mock import patch

import pytest

from custom_components.huawei_modem.modem.errors import (
    AtTimeoutError,
    CmeError,
    CmsError,
    CommandNotSupportedError,
    ConnectionLostError,
    InvalidNumberError,
    InvalidPinFormatError,
    PinError,
    PortCodesNotListedError,
    PortProfileWithoutAtPortError,
    PukRequiredError,
    SimFailureError,
    SimMissingError,
    SmsRefusedError,
    UnexpectedReplyError,
    UnsafePortProfileError,
    WrongPinError,
)
from custom_components.huawei_modem.modem.models import (
    AccessTechnology,
    Capabilities,
    Disconnected,
    MessageReceived,
    MessageStatus,
    ModeChanged,
    NewMessageStored,
    PortProfile,
    RegistrationState,
    SignalChanged,
    SimState,
    SimStateChanged,
    SimStatus,
    StatusReportReceived,
    StorageFull,
    UssdReceived,
)
from custom_components.huawei_modem.modem.modem import Modem
from custom_components.huawei_modem.modem.pdu import SmsDeliver, SmsStatusReport
from emulator import EmulatedStick

from .conftest import Recorder

MODELS = ("E3372", "E3131", "E303")
PIN = "1234"
SENDER = "+491701234567"


def make_modem(stick: EmulatedStick, url: str | None = None, timeout: float = 1.0) -> Modem:
    return Modem(
        url or str(stick.stable_paths["pcui"]),
        timeout=timeout,
        sms_timeout=1.0,
        ussd_timeout=1.0,
        busy_delay=0.01,
        settle=0.05,
    )


@pytest.fixture(params=MODELS)
async def stick(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[EmulatedStick]:
    async with EmulatedStick(request.param, link_dir=tmp_path) as emulated:
        yield emulated


@pytest.fixture(params=MODELS)
async def locked_stick(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[EmulatedStick]:
    async with EmulatedStick(request.param, pin=PIN, link_dir=tmp_path) as emulated:
        yield emulated


@pytest.fixture
async def modem(stick: EmulatedStick) -> AsyncIterator[Modem]:
    async with make_modem(stick) as opened:
        yield opened


@pytest.fixture
async def locked_modem(locked_stick: EmulatedStick) -> AsyncIterator[Modem]:
    async with make_modem(locked_stick) as opened:
        yield opened


def only(model: str) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("stick", [model], indirect=True)


# --- identity and capabilities --------------------------------------------------------------


async def test_identify(stick: EmulatedStick, modem: Modem) -> None:
    identity = await modem.identify()
    assert identity.manufacturer == "huawei"
    assert identity.model == stick.model.name
    assert identity.firmware == stick.model.firmware
    assert identity.imei == "866123045678901"
    assert identity.imsi == "262011234567890"
    assert identity.iccid == "89490200001234567890"
    assert identity.own_number == "+4915112345678"
    assert modem.is_open
    assert modem.url == str(stick.stable_paths["pcui"])


@pytest.mark.parametrize(
    ("stick", "hcsq", "sysinfoex", "setport", "registrations"),
    [
        ("E3372", True, True, True, ("+CREG", "+CGREG", "+CEREG")),
        ("E3131", True, True, True, ("+CREG", "+CGREG")),
        ("E303", False, False, False, ("+CREG", "+CGREG")),
    ],
    indirect=["stick"],
)
async def test_capabilities(
    modem: Modem, hcsq: bool, sysinfoex: bool, setport: bool, registrations: tuple[str, ...]
) -> None:
    caps = modem.capabilities
    assert caps.huawei
    assert caps.sysinfo
    assert (caps.hcsq, caps.sysinfoex, caps.setport, caps.getportmode) == (
        hcsq,
        sysinfoex,
        setport,
        setport,
    )
    assert caps.registration_commands == registrations


async def test_identity_of_a_locked_sim(locked_modem: Modem) -> None:
    identity = await locked_modem.identify()
    assert identity.imei == "866123045678901"
    assert identity.iccid == "89490200001234567890"
    assert identity.imsi is None
    assert identity.own_number is None


# --- SIM and PIN ----------------------------------------------------------------------------


async def test_unlock(locked_stick: EmulatedStick, locked_modem: Modem) -> None:
    assert await locked_modem.sim_status() == SimStatus(SimState.PIN_REQUIRED, 3, 10)
    await locked_modem.unlock(PIN)
    assert (await locked_modem.sim_status()).state is SimState.READY
    assert (await locked_modem.identify()).imsi == "262011234567890"
    locked_stick.deliver_sms(SENDER, "after unlock")
    [stored] = await locked_modem.list_sms()
    assert isinstance(stored.message, SmsDeliver)
    assert stored.message.text == "after unlock"


async def test_unlock_when_ready_sends_nothing(stick: EmulatedStick, modem: Modem) -> None:
    await modem.unlock("9999")
    assert stick.device.sim.pin_tries == 3


async def test_a_malformed_pin_is_not_sent(
    locked_stick: EmulatedStick, locked_modem: Modem
) -> None:
    for pin in ("12", "123456789", "12a4", ""):
        with pytest.raises(InvalidPinFormatError):
            await locked_modem.unlock(pin)
    assert locked_stick.device.sim.pin_tries == 3


async def test_pin_flow_ends_at_puk_without_retry(
    locked_stick: EmulatedStick, locked_modem: Modem
) -> None:
    sim = locked_stick.device.sim
    for left in (2, 1):
        with pytest.raises(WrongPinError) as wrong:
            await locked_modem.unlock("0000")
        assert wrong.value.attempts_left == left
        assert sim.pin_tries == left  # exactly one try used per call
        assert "0000" not in str(wrong.value)
    with pytest.raises(PukRequiredError) as puk:
        await locked_modem.unlock("0000")
    assert puk.value.puk_attempts_left == 10
    assert sim.pin_tries == 0
    # The right PIN now: refused before anything is sent, the PUK counter untouched.
    with pytest.raises(PukRequiredError):
        await locked_modem.unlock(PIN)
    assert (sim.pin_tries, sim.puk_tries) == (0, 10)
    assert await locked_modem.sim_status() == SimStatus(SimState.PUK_REQUIRED, 0, 10)


async def test_missing_sim(stick: EmulatedStick, modem: Modem) -> None:
    changes: Recorder[SimStateChanged] = Recorder()
    modem.subscribe(SimStateChanged, changes)
    stick.remove_sim()
    await changes.wait_for(1)
    assert changes == [SimStateChanged(255)]
    assert (await modem.sim_status()).state is SimState.MISSING
    with pytest.raises(SimMissingError):
        await modem.unlock(PIN)
    assert (await modem.identify()).imsi is None


@only("E3372")
async def test_sim_state_from_plain_cpin(modem: Modem, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(modem, "_capabilities", modem.capabilities.__class__())
    assert await modem.sim_status() == SimStatus(SimState.READY)


# --- status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stick", "technology", "rsrp"),
    [("E3372", AccessTechnology.LTE, -95), ("E3131", AccessTechnology.WCDMA, None)],
    indirect=["stick"],
)
async def test_status(modem: Modem, technology: AccessTechnology, rsrp: float | None) -> None:
    status = await modem.status()
    assert status.access_technology is technology
    assert status.signal.access_technology is technology
    assert status.signal.csq == 21
    assert status.signal.rssi_dbm == -71
    assert status.signal.rsrp_dbm == rsrp
    assert status.operator is not None
    assert status.operator.name == "Telekom.de"
    assert status.registration is RegistrationState.HOME
    assert not status.roaming
    assert status.sms_storage is not None
    assert (status.sms_storage.used, status.sms_storage.total) == (0, 30)


@only("E303")
async def test_status_without_huawei_signal(modem: Modem) -> None:
    status = await modem.status()
    assert status.access_technology is AccessTechnology.WCDMA
    assert (status.signal.csq, status.signal.rssi_dbm, status.signal.rscp_dbm) == (21, -71, None)
    assert status.system_info is not None
    assert status.system_info.submode_name == "HSPA+"


async def test_status_roaming_and_weak_signal(stick: EmulatedStick, modem: Modem) -> None:
    stick.set_network(roaming=True, operator="Vodafone.de")
    stick.set_signal(rssi_dbm=-101)
    status = await modem.status()
    assert status.roaming
    assert status.registration is RegistrationState.ROAMING
    assert status.operator is not None
    assert status.operator.name == "Vodafone.de"
    assert status.signal.csq == 6


async def test_status_without_service(stick: EmulatedStick, modem: Modem) -> None:
    stick.set_network("NOSERVICE")
    status = await modem.status()
    assert status.operator is None
    assert status.signal.csq is None
    assert status.access_technology is AccessTechnology.NONE
    assert status.registration is not RegistrationState.HOME


async def test_status_with_a_locked_sim_falls_back(locked_modem: Modem) -> None:
    status = await locked_modem.status()
    assert status.sms_storage is None  # +CPMS refused while the PIN is pending
    assert status.signal.csq == 21
    assert status.registration is RegistrationState.NOT_REGISTERED


async def test_signal(stick: EmulatedStick, modem: Modem) -> None:
    stick.set_signal(rssi_dbm=-81)
    signal = (await modem.status()).signal
    assert (signal.csq, signal.rssi_dbm) == (16, -81)


# --- pushed events --------------------------------------------------------------------------


@only("E3372")
async def test_signal_and_mode_pushes(stick: EmulatedStick, modem: Modem) -> None:
    signals: Recorder[SignalChanged] = Recorder()
    modes: Recorder[ModeChanged] = Recorder()
    modem.subscribe(SignalChanged, signals)
    modem.subscribe(ModeChanged, modes)
    stick.set_network("WCDMA")
    await modes.wait_for(1)
    await signals.wait_for(2)
    assert modes[0].access_technology is AccessTechnology.WCDMA
    assert {event.signal.access_technology for event in signals} >= {AccessTechnology.WCDMA}
    assert any(event.signal.csq == 21 for event in signals)


@only("E303")
async def test_mode_push_of_an_older_stick(stick: EmulatedStick, modem: Modem) -> None:
    modes: Recorder[ModeChanged] = Recorder()
    modem.subscribe(ModeChanged, modes)
    stick.send_unsolicited("^MODE:5,4")
    await modes.wait_for(1)
    assert modes == [ModeChanged(AccessTechnology.WCDMA, 5, 4)]


async def test_unsubscribe_and_broken_listeners(
    stick: EmulatedStick, modem: Modem, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_: SimStateChanged) -> None:
        raise RuntimeError("listener bug")

    removed: Recorder[SimStateChanged] = Recorder()
    kept: Recorder[SimStateChanged] = Recorder()
    modem.subscribe(SimStateChanged, broken)
    unsubscribe = modem.subscribe(SimStateChanged, removed)
    modem.subscribe(SimStateChanged, kept)
    unsubscribe()
    stick.send_unsolicited("^SIMST:1", "^SIMST:x", "+CMTI: broken")
    await kept.wait_for(1)
    assert await modem._channel.command("AT") == []
    assert removed == []
    assert kept == [SimStateChanged(1)]
    assert "listener of" in caplog.text


# --- SMS ------------------------------------------------------------------------------------


async def test_receive_list_read_delete(stick: EmulatedStick, modem: Modem) -> None:
    new: Recorder[NewMessageStored] = Recorder()
    modem.subscribe(NewMessageStored, new)
    stick.deliver_sms(SENDER, "Erste Nachricht")
    stick.deliver_sms("+4930123456", "Grüße 😀")
    await new.wait_for(2)
    assert new == [NewMessageStored("SM", 0), NewMessageStored("SM", 1)]
    unread = await modem.list_sms(MessageStatus.UNREAD)
    assert [(m.index, m.status) for m in unread] == [
        (0, MessageStatus.UNREAD),
        (1, MessageStatus.UNREAD),
    ]
    first = await modem.read_sms(0)
    assert isinstance(first.message, SmsDeliver)
    assert (first.message.number, first.message.text) == (SENDER, "Erste Nachricht")
    assert first.status is MessageStatus.READ
    await modem.delete_sms(0)
    remaining = await modem.list_sms()
    assert [m.index for m in remaining] == [1]
    assert isinstance(remaining[0].message, SmsDeliver)
    assert remaining[0].message.text == "Grüße 😀"
    with pytest.raises(CmsError) as missing:
        await modem.read_sms(0)
    assert missing.value.code == 321
    assert stick.stored_messages().keys() == {1}


async def test_an_undecodable_stored_pdu(stick: EmulatedStick, modem: Modem) -> None:
    from emulator.storage import StoredMessage as EmulatedMessage

    stick.device.storage.memory(0).store(EmulatedMessage("00FF", 1, 1))
    [stored] = await modem.list_sms()
    assert stored.message is None
    assert stored.error


async def test_send_sms(stick: EmulatedStick, modem: Modem) -> None:
    sent = await modem.send_sms("+491709999999", "Hallo vom Home Assistant")
    assert sent.parts == 1
    [record] = stick.sent
    assert (record.number, record.text, record.references) == (
        "+491709999999",
        "Hallo vom Home Assistant",
        sent.references,
    )


@only("E3372")
async def test_send_multipart_unicode(stick: EmulatedStick, modem: Modem) -> None:
    text = "Größe 😀 " * 20
    sent = await modem.send_sms("+491709999999", text, flash=True)
    assert sent.parts == 3
    [record] = stick.sent
    assert (record.text, record.parts, record.references) == (text, 3, sent.references)
    assert record.message_class == 0


@only("E3131")
async def test_send_refused_and_invalid(stick: EmulatedStick, modem: Modem) -> None:
    stick.refuse_sms(21)
    with pytest.raises(SmsRefusedError) as refused:
        await modem.send_sms("+491709999999", "nope")
    assert (refused.value.code, refused.value.sent_references, refused.value.part_count) == (
        21,
        (),
        1,
    )
    with pytest.raises(InvalidNumberError):
        await modem.send_sms("not a number", "nope")
    await modem.send_sms("+491709999999", "yes")
    assert [record.text for record in stick.sent] == ["yes"]


@pytest.mark.parametrize("accepted", [1, 2])
async def test_multipart_refused_midway_tells_the_parts_sent(
    stick: EmulatedStick, modem: Modem, accepted: int
) -> None:
    first = stick.device.next_reference
    stick.refuse_sms(41, after=accepted)
    with pytest.raises(SmsRefusedError) as refused:
        await modem.send_sms("+491709999999", "lang " * 80)  # three parts
    error = refused.value
    sent = tuple((first + part) % 256 for part in range(accepted))
    assert (error.code, error.sent_references, error.part_count) == (41, sent, 3)
    assert str(error).endswith(f"; {accepted} of 3 parts sent")
    assert stick.sent == []  # the message never arrived whole


async def test_send_with_a_locked_sim(locked_stick: EmulatedStick, locked_modem: Modem) -> None:
    with pytest.raises(CmeError) as locked:
        await locked_modem.send_sms("+491709999999", "locked")
    assert locked.value.code == 11
    assert locked_stick.sent == []


async def test_stored_status_report(stick: EmulatedStick, modem: Modem) -> None:
    reports: Recorder[StatusReportReceived] = Recorder()
    modem.subscribe(StatusReportReceived, reports)
    sent = await modem.send_sms("+491709999999", "report please", request_status_report=True)
    await reports.wait_for(1)
    event = reports[0]
    assert (event.memory, event.report) == ("SM", None)
    assert event.index is not None
    stored = await modem.read_sms(event.index)
    assert isinstance(stored.message, SmsStatusReport)
    assert stored.message.reference == sent.references[0]
    assert stored.message.delivered


async def test_a_full_storage_is_announced(stick: EmulatedStick, modem: Modem) -> None:
    full: Recorder[StorageFull] = Recorder()
    modem.subscribe(StorageFull, full)
    stick.device.storage.memories["SM"].capacity = 1
    stick.deliver_sms(SENDER, "fits")
    stick.deliver_sms(SENDER, "waits at the network")
    await full.wait_for(1)
    assert full == [StorageFull("SM")]
    stick.send_unsolicited("^SMMEMFULL")  # some firmware does not name the memory
    await full.wait_for(2)
    assert full == [StorageFull("SM"), StorageFull(None)]
    assert [m.index for m in await modem.list_sms()] == [0]


@only("E3372")
async def test_direct_delivery_and_inline_status_report(stick: EmulatedStick, modem: Modem) -> None:
    received: Recorder[MessageReceived] = Recorder()
    reports: Recorder[StatusReportReceived] = Recorder()
    modem.subscribe(MessageReceived, received)
    modem.subscribe(StatusReportReceived, reports)
    await modem._channel.command("AT+CNMI=2,2,0,1,0")
    stick.deliver_sms(SENDER, "direct")
    await received.wait_for(1)
    assert isinstance(received[0].message, SmsDeliver)
    assert received[0].message.text == "direct"
    sent = await modem.send_sms("+491709999999", "report inline", request_status_report=True)
    await reports.wait_for(1)
    assert reports[0].report is not None
    assert reports[0].report.reference == sent.references[0]
    stick.send_unsolicited("+CMT: ,5", "00FF00FF00")
    await received.wait_for(2)
    assert received[1].message is None


# --- USSD -----------------------------------------------------------------------------------


async def test_ussd(stick: EmulatedStick, modem: Modem) -> None:
    pushed: Recorder[UssdReceived] = Recorder()
    modem.subscribe(UssdReceived, pushed)
    answer = await modem.ussd("*100#")
    assert (answer.status, answer.text) == (0, "Ihr Guthaben: 12,34 EUR")
    menu = await modem.ussd("*101#")
    assert menu.needs_reply
    assert menu.text == "1 Guthaben\n2 Tarif"
    assert (await modem.ussd("2")).text == "Tarif: Prepaid S"
    assert len(pushed) == 3


@pytest.mark.parametrize("text", ["E-Mail: support@", "Mail: @"])  # 16 and 7 septets
async def test_ussd_answer_ending_in_at_sign(stick: EmulatedStick, modem: Modem, text: str) -> None:
    stick.set_ussd_answer("*102#", text)
    assert (await modem.ussd("*102#")).text == text


@only("E3131")
async def test_ussd_without_answer_times_out(stick: EmulatedStick, modem: Modem) -> None:
    stick.device.ussd_delay = 5.0
    modem._ussd_timeout = 0.05
    with pytest.raises(AtTimeoutError):
        await modem.ussd("*100#")


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
