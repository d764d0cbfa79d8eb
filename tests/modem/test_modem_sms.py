"""Modem end to end against the emulated sticks: SMS and USSD."""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.errors import (
    AtTimeoutError,
    CmeError,
    CmsError,
    ConnectionLostError,
    InvalidNumberError,
    SmsInterruptedError,
    SmsRefusedError,
)
from custom_components.huawei_modem.modem.models import (
    MessageReceived,
    MessageStatus,
    NewMessageStored,
    StatusReportReceived,
    StorageFull,
    UssdReceived,
)
from custom_components.huawei_modem.modem.modem import Modem
from custom_components.huawei_modem.modem.pdu import OutgoingPdu, SmsDeliver, SmsStatusReport
from emulator import EmulatedStick

from .conftest import SENDER, Recorder, only

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


@pytest.mark.parametrize("cut", ["timeout", "unplug"])
async def test_multipart_cut_off_midway_tells_the_parts_sent(
    stick: EmulatedStick, modem: Modem, monkeypatch: pytest.MonkeyPatch, cut: str
) -> None:
    """A timeout or an unplug after the first part: the error names what went out."""
    send_part = Modem._send_part
    first = stick.device.next_reference

    async def then_trouble(self: Modem, part: OutgoingPdu) -> int:
        reference = await send_part(self, part)
        if cut == "unplug":
            stick.unplug()
        else:
            stick.faults.stall_next = 1
        return reference

    monkeypatch.setattr(Modem, "_send_part", then_trouble)
    modem._sms_timeout = 0.3
    with pytest.raises(SmsInterruptedError) as interrupted:
        await modem.send_sms("+491709999999", "lang " * 80)  # three parts
    error = interrupted.value
    assert (error.sent_references, error.part_count) == ((first,), 3)
    expected = ConnectionLostError if cut == "unplug" else AtTimeoutError
    assert isinstance(error.cause, expected)
    assert str(error).endswith(f"; 1 of 3 parts sent (references {first})")


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
