"""Modem end to end against the emulated sticks: identity, SIM and PIN, status and pushed events."""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.errors import (
    InvalidPinFormatError,
    PukRequiredError,
    SimMissingError,
    WrongPinError,
)
from custom_components.huawei_modem.modem.models import (
    AccessTechnology,
    ModeChanged,
    RegistrationState,
    SignalChanged,
    SimState,
    SimStateChanged,
    SimStatus,
)
from custom_components.huawei_modem.modem.modem import Modem
from custom_components.huawei_modem.modem.pdu import SmsDeliver
from emulator import EmulatedStick

from .conftest import PIN, SENDER, Recorder, only

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
