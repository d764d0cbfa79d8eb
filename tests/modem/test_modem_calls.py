"""Modem end to end against the emulated sticks: caller ID, rings, hanging up, dialling out."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from custom_components.huawei_modem.modem.at import Unsolicited
from custom_components.huawei_modem.modem.call_models import (
    CallAlerting,
    CallConnected,
    CallDialling,
    CallEndCause,
    CallEnded,
    Caller,
    CallRinging,
    CliValidity,
)
from custom_components.huawei_modem.modem.calls import RingPairing
from custom_components.huawei_modem.modem.errors import (
    CallSetupError,
    InvalidNumberError,
    VoiceNotSupportedError,
)
from custom_components.huawei_modem.modem.models import Disconnected, NewMessageStored
from custom_components.huawei_modem.modem.modem import Modem
from emulator import EmulatedStick

from .conftest import SENDER, Recorder, only


def record_calls(modem: Modem) -> Recorder[Any]:
    events: Recorder[Any] = Recorder()
    for event_type in (CallRinging, CallDialling, CallAlerting, CallConnected, CallEnded):
        modem.subscribe(event_type, events)
    return events


def quick(stick: EmulatedStick) -> None:
    stick.device.calls.hurry()


# --- pairing a ring with its +CLIP --------------------------------------------------------------


def test_a_ring_waits_for_its_clip() -> None:
    pairing = RingPairing()
    assert pairing.feed(Unsolicited("RING", "")) == []
    assert pairing.waiting
    caller = Caller("+4930123", 145)
    assert pairing.feed(Unsolicited("+CLIP", '"+4930123",145,,,,0')) == [CallRinging(caller, 1)]
    assert pairing.feed(Unsolicited("+CRING", "VOICE")) == []
    assert pairing.flush() == [CallRinging(caller, 2)]
    assert pairing.flush() == []


def test_a_ring_without_clip_is_given_up_at_the_next_line() -> None:
    pairing = RingPairing()
    pairing.feed(Unsolicited("RING", ""))
    assert pairing.feed(Unsolicited("RING", "")) == [CallRinging(None, 1)]
    assert pairing.feed(Unsolicited("+CMTI", '"SM",1')) == [CallRinging(None, 2)]
    pairing.ended()
    pairing.feed(Unsolicited("RING", ""))
    assert pairing.flush() == [CallRinging(None, 1)]


# --- capabilities -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stick", "voice"), [("E3372", True), ("E3131", False), ("E303", False)], indirect=["stick"]
)
async def test_voice_capability(stick: EmulatedStick, modem: Modem, voice: bool) -> None:
    assert modem.capabilities.voice is voice
    assert (stick.device.calls.clip, stick.device.calls.crc) == (True, True)


# --- incoming -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "caller"),
    [
        ({"number": SENDER}, Caller(SENDER, 145, CliValidity.SHOWN)),
        ({"number": "01701234567"}, Caller("01701234567", 129, CliValidity.SHOWN)),
        ({"number": SENDER, "withheld": True}, Caller(None, 129, CliValidity.WITHHELD)),
        ({"number": SENDER, "unavailable": True}, Caller(None, 129, CliValidity.UNAVAILABLE)),
    ],
)
async def test_caller_id(
    stick: EmulatedStick, modem: Modem, options: dict[str, Any], caller: Caller
) -> None:
    quick(stick)
    events = record_calls(modem)
    stick.device.calls.incoming(rings=1, **options)
    await events.wait_for(2)
    assert events[0] == CallRinging(caller, 1)
    assert isinstance(events[1], CallEnded)
    assert events[1].reason is CallEndCause.NORMAL_CLEARING  # the caller gave up


async def test_rings_are_counted(stick: EmulatedStick, modem: Modem) -> None:
    quick(stick)
    events = record_calls(modem)
    stick.device.calls.incoming(SENDER, rings=3)
    await events.wait_for(4)
    assert [event.ring_count for event in events[:3]] == [1, 2, 3]
    assert isinstance(events[3], CallEnded)
    assert (events[3].cause, events[3].end_status) == (16, 29)
    stick.device.calls.incoming(SENDER, rings=1)
    await events.wait_for(6)
    assert events[4] == CallRinging(Caller(SENDER, 145), 1)  # a new call counts from 1


async def test_hang_up_while_ringing(stick: EmulatedStick, modem: Modem) -> None:
    quick(stick)
    events = record_calls(modem)
    stick.device.calls.incoming(SENDER, rings=None)
    await events.wait_for(1)
    await modem.hang_up()
    async with asyncio.timeout(2):
        while not isinstance(events[-1], CallEnded):
            await events.wait_for(len(events) + 1)
    ended = events[-1]
    assert (ended.reason, ended.end_status) == (CallEndCause.CALL_REJECTED, 104)
    assert stick.device.calls.current is None


async def test_sms_while_a_call_rings(stick: EmulatedStick, modem: Modem) -> None:
    quick(stick)
    events = record_calls(modem)
    new: Recorder[NewMessageStored] = Recorder()
    modem.subscribe(NewMessageStored, new)
    stick.device.calls.incoming(SENDER, rings=None)
    await events.wait_for(1)
    stick.deliver_sms(SENDER, "während es klingelt")
    await new.wait_for(1)
    message = await modem.read_sms(new[0].index)
    assert message.message is not None
    sent = await modem.send_sms(SENDER, "Antwort")
    assert len(sent.references) == 1
    await events.wait_for(len(events) + 1)
    assert all(isinstance(event, CallRinging) for event in events)
    assert [event.ring_count for event in events] == list(range(1, len(events) + 1))
    await modem.hang_up()


async def test_unplugged_during_a_call(stick: EmulatedStick, modem: Modem) -> None:
    quick(stick)
    events = record_calls(modem)
    lost: Recorder[Disconnected] = Recorder()
    modem.subscribe(Disconnected, lost)
    stick.device.calls.incoming(SENDER, rings=None)
    await events.wait_for(1)
    stick.unplug()
    await lost.wait_for(1)
    seen = len(events)
    await asyncio.sleep(0.4)  # longer than a ring interval and the wait for a +CLIP
    assert len(events) == seen


# --- dialling out -------------------------------------------------------------------------------


@only("E3372")
async def test_dial_and_the_far_end_answers(stick: EmulatedStick, modem: Modem) -> None:
    quick(stick)
    events = record_calls(modem)
    await modem.dial("+49 170 1234567")
    await events.wait_for(3)
    call_id = events[0].call_id
    assert events == [CallDialling(call_id), CallAlerting(call_id), CallConnected(call_id)]
    assert stick.device.calls.current is not None
    assert stick.device.calls.current.number == "+491701234567"
    await modem.hang_up()
    await events.wait_for(4)
    assert events[3] == CallEnded(call_id, 0, 16, 104)


@only("E3372")
@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("reject", CallEndCause.CALL_REJECTED),
        ("busy", CallEndCause.USER_BUSY),
        ("never_answer", CallEndCause.NO_ANSWER),
    ],
)
async def test_dial_and_the_far_end_refuses(
    stick: EmulatedStick, modem: Modem, mode: str, reason: CallEndCause
) -> None:
    quick(stick)
    stick.device.calls.far_end.mode = mode
    events = record_calls(modem)
    await modem.dial(SENDER)
    await events.wait_for(3)
    assert [type(event) for event in events] == [CallDialling, CallAlerting, CallEnded]
    assert events[2].reason is reason
    assert events[2].end_status == 29


@only("E3372")
async def test_dial_without_network(stick: EmulatedStick, modem: Modem) -> None:
    """``NO CARRIER`` is a typed error of ``dial`` (CallSetupError), no event."""
    stick.device.calls.far_end.mode = "no_network"
    events = record_calls(modem)
    with pytest.raises(CallSetupError) as refused:
        await modem.dial(SENDER)
    assert refused.value.result == "NO CARRIER"
    await asyncio.sleep(0.05)
    assert events == []
    assert (await modem.status()).signal is not None  # the channel serves on


@pytest.mark.parametrize("stick", ["E3131", "E303"], indirect=True)
async def test_dial_without_voice(stick: EmulatedStick, modem: Modem) -> None:
    with pytest.raises(VoiceNotSupportedError):
        await modem.dial(SENDER)
    assert stick.device.calls.current is None


@only("E3372")
@pytest.mark.parametrize("number", ["", "+49 170 CALLME", "1" * 21])
async def test_dial_a_bad_number(stick: EmulatedStick, modem: Modem, number: str) -> None:
    with pytest.raises(InvalidNumberError):
        await modem.dial(number)
    assert stick.device.calls.current is None
