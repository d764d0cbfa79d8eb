"""How calls end: a call that rang here (missed, rejected, lost) and one dialled out (outcomes)."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.huawei_modem.modem import calls
from custom_components.huawei_modem.modem.call_models import (
    CallEnded,
    Caller,
    CallOutcome,
    CallResult,
    IncomingCallEnd,
    IncomingCallEnded,
    incoming_end,
    setup_result,
    unanswered_result,
)
from custom_components.huawei_modem.modem.errors import ConnectionLostError, InvalidNumberError
from custom_components.huawei_modem.modem.modem import Modem
from emulator import EmulatedStick

from .conftest import SENDER, Recorder, only
from .test_modem_calls import quick

CALLER = Caller(SENDER, 145)


def record_ends(modem: Modem) -> Recorder[IncomingCallEnded]:
    ends: Recorder[IncomingCallEnded] = Recorder()
    modem.subscribe(IncomingCallEnded, ends)
    return ends


# --- the rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ended", "end"),
    [
        (CallEnded(1, 0, 16, 29), IncomingCallEnd.MISSED),
        (CallEnded(1, 0, None, None), IncomingCallEnd.MISSED),
        (CallEnded(1, 0, 21, 104), IncomingCallEnd.REJECTED),
        (CallEnded(1, 0, 16, 104), IncomingCallEnd.REJECTED),
        (CallEnded(1, 0, 21, 29), IncomingCallEnd.REJECTED),
    ],
)
def test_incoming_end(ended: CallEnded, end: IncomingCallEnd) -> None:
    assert incoming_end(ended) is end


@pytest.mark.parametrize(
    ("cause", "outcome"),
    [
        (16, CallOutcome.NO_ANSWER),
        (17, CallOutcome.BUSY),
        (19, CallOutcome.NO_ANSWER),
        (21, CallOutcome.REJECTED),
        (34, CallOutcome.FAILED),
        (None, CallOutcome.FAILED),
    ],
)
def test_unanswered_result(cause: int | None, outcome: CallOutcome) -> None:
    assert unanswered_result(CallEnded(1, 0, cause, 29)) == CallResult(outcome, cause=cause)


@pytest.mark.parametrize(
    ("result", "outcome"),
    [
        ("NO CARRIER", CallOutcome.NO_NETWORK),
        ("NO DIALTONE", CallOutcome.NO_NETWORK),
        ("BUSY", CallOutcome.BUSY),
        ("NO ANSWER", CallOutcome.NO_ANSWER),
    ],
)
def test_setup_result(result: str, outcome: CallOutcome) -> None:
    assert setup_result(result).outcome is outcome


# --- a call that rang here ------------------------------------------------------------------------


async def test_a_missed_call(stick: EmulatedStick, modem: Modem) -> None:
    quick(stick)
    ends = record_ends(modem)
    stick.device.calls.incoming(SENDER, rings=2)
    await ends.wait_for(1)
    assert ends == [IncomingCallEnded(CALLER, 2, IncomingCallEnd.MISSED)]


async def test_a_rejected_call(stick: EmulatedStick, modem: Modem) -> None:
    quick(stick)
    ends = record_ends(modem)
    stick.device.calls.incoming(SENDER, rings=None, withheld=True)
    await asyncio.sleep(0.12)
    await modem.hang_up()
    await ends.wait_for(1)
    end = ends[0]
    assert (end.end, end.caller) == (IncomingCallEnd.REJECTED, Caller(None, 129, 1))
    assert end.ring_count >= 1


async def test_a_call_whose_rings_stop_without_an_end(
    stick: EmulatedStick, modem: Modem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A firmware that sends no ``^CEND`` for a call the caller gave up still ends it."""
    quick(stick)
    monkeypatch.setattr(calls, "RING_SILENCE", 0.2)
    ends = record_ends(modem)
    stick.device.calls.incoming(SENDER, rings=None)
    await asyncio.sleep(0.12)
    stick.device.calls.drop()  # silence, no ^CEND
    await ends.wait_for(1)
    assert ends[0].end is IncomingCallEnd.MISSED


async def test_a_ringing_call_ends_when_the_stick_goes_away(
    stick: EmulatedStick, modem: Modem
) -> None:
    quick(stick)
    ends = record_ends(modem)
    stick.device.calls.incoming(SENDER, rings=None)
    await asyncio.sleep(0.08)
    stick.unplug()
    await ends.wait_for(1)
    assert (ends[0].caller, ends[0].end) == (CALLER, IncomingCallEnd.LOST)
    await asyncio.sleep(0.2)
    assert len(ends) == 1


async def test_no_call_end_without_a_ring(stick: EmulatedStick, modem: Modem) -> None:
    ends = record_ends(modem)
    stick.unplug()
    await asyncio.sleep(0.1)
    assert ends == []


# --- dialling out ---------------------------------------------------------------------------------


@only("E3372")
async def test_an_answered_call_is_hung_up_after_its_time(
    stick: EmulatedStick, modem: Modem
) -> None:
    quick(stick)
    result = await modem.call(SENDER, ring_for=2, talk_for=1.2)
    assert result == CallResult(CallOutcome.ANSWERED, 1, 16)
    assert stick.device.calls.current is None


@only("E3372")
@pytest.mark.parametrize(
    ("mode", "outcome"),
    [
        ("reject", CallOutcome.REJECTED),
        ("busy", CallOutcome.BUSY),
        ("never_answer", CallOutcome.NO_ANSWER),
        ("no_network", CallOutcome.NO_NETWORK),
    ],
)
async def test_an_unanswered_call(
    stick: EmulatedStick, modem: Modem, mode: str, outcome: CallOutcome
) -> None:
    quick(stick)
    stick.device.calls.far_end.mode = mode
    result = await modem.call(SENDER, ring_for=2, talk_for=1)
    assert result.outcome is outcome
    assert stick.device.calls.current is None


@only("E3372")
async def test_a_call_rings_only_as_long_as_asked(stick: EmulatedStick, modem: Modem) -> None:
    quick(stick)
    stick.device.calls.far_end.answer_after = 5
    result = await modem.call(SENDER, ring_for=0.2, talk_for=1)
    assert result == CallResult(CallOutcome.NO_ANSWER)
    assert stick.device.calls.current is None  # hung up by us


async def test_a_stick_left_answering_by_itself_never_answers(
    stick: EmulatedStick, modem: Modem
) -> None:
    """Another program set ``ATS0=1`` before: the Modem turns it off at open."""
    stick.device.calls.auto_answer_rings = 1
    await modem.close()
    await modem.open()
    assert stick.device.calls.auto_answer_rings == 0
    quick(stick)
    ends = record_ends(modem)
    stick.device.calls.incoming(SENDER, rings=2)
    await ends.wait_for(1)
    assert ends[0].end is IncomingCallEnd.MISSED


@pytest.mark.parametrize("stick", ["E3131", "E303"], indirect=True)
async def test_a_call_on_a_stick_without_voice(stick: EmulatedStick, modem: Modem) -> None:
    result = await modem.call(SENDER, ring_for=1, talk_for=1)
    assert result.outcome is CallOutcome.NOT_SUPPORTED


@only("E3372")
async def test_a_call_to_a_bad_number(stick: EmulatedStick, modem: Modem) -> None:
    with pytest.raises(InvalidNumberError):
        await modem.call("+49 170 CALLME", ring_for=1, talk_for=1)
    assert stick.device.calls.current is None


@only("E3372")
async def test_a_call_cut_by_an_unplug(stick: EmulatedStick, modem: Modem) -> None:
    quick(stick)
    call = asyncio.create_task(modem.call(SENDER, ring_for=2, talk_for=5))
    await asyncio.sleep(0.2)
    stick.unplug()
    with pytest.raises(ConnectionLostError):
        await call


@only("E3372")
async def test_commands_are_served_while_a_call_is_up(stick: EmulatedStick, modem: Modem) -> None:
    quick(stick)
    call = asyncio.create_task(modem.call(SENDER, ring_for=2, talk_for=0.6))
    await asyncio.sleep(0.2)
    status = await modem.status()
    sent = await modem.send_sms(SENDER, "während des Anrufs")
    assert status.signal is not None
    assert len(sent.references) == 1
    assert (await call).outcome is CallOutcome.ANSWERED
