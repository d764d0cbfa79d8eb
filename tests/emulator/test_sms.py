"""SMS in PDU mode: storage, indications, list/read/delete, sending, status reports."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from custom_components.huawei_modem.modem import gsm7
from custom_components.huawei_modem.modem.pdu import (
    SmsDeliver,
    SmsStatusReport,
    decode_pdu,
    encode_sms,
)
from emulator import EmulatedStick

from .conftest import AtClient, open_client


def _submit(number: str, text: str, **options: object) -> list[tuple[str, int]]:
    return [(part.pdu, part.tpdu_length) for part in encode_sms(number, text, **options)]  # type: ignore[arg-type]


async def _send(client: AtClient, pdu: str, length: int) -> list[str]:
    await client.drain()
    client.send(f"AT+CMGS={length}\r")
    assert await client.wait_for(b"> ") == b"\r\n> "
    client.send(pdu + "\x1a")
    return await client.read_final()


@pytest.fixture
async def sms_client(pcui: AtClient) -> AtClient:
    await pcui.ok("AT+CMEE=1;+CMGF=0;+CNMI=2,1,0,2,0")
    return pcui


async def test_cpms_query_and_select(stick: EmulatedStick, sms_client: AtClient) -> None:
    assert await sms_client.ok("AT+CPMS?") == ['+CPMS: "SM",0,30,"SM",0,30,"SM",0,30']
    stick.deliver_sms("+491701234567", "one")
    assert await sms_client.ok('AT+CPMS="SM","ME","SM"') == ["+CPMS: 1,30,0,100,1,30"]
    assert await sms_client.command('AT+CPMS="XX"') == ["+CMS ERROR: 302"]


async def test_incoming_sms_is_indicated_read_and_marked_read(
    stick: EmulatedStick, sms_client: AtClient
) -> None:
    when = datetime(2024, 3, 1, 12, 30, 15, tzinfo=timezone(timedelta(hours=1)))
    stick.deliver_sms("+491701234567", "Hallo Welt", timestamp=when)
    assert await sms_client.wait_for(b'+CMTI: "SM",0\r\n')
    header, pdu = await sms_client.ok("AT+CMGR=0")
    assert header.startswith("+CMGR: 0,,")
    message = decode_pdu(pdu)
    assert isinstance(message, SmsDeliver)
    assert (message.number, message.text, message.timestamp) == (
        "+491701234567",
        "Hallo Welt",
        when,
    )
    assert int(header.rsplit(",", 1)[1]) == len(bytes.fromhex(pdu)) - 8
    assert (await sms_client.ok("AT+CMGR=0"))[0].startswith("+CMGR: 1,,")
    assert await sms_client.command("AT+CMGR=5") == ["+CMS ERROR: 321"]


async def test_cmgl_lists_by_stat_with_pdu_lines(
    stick: EmulatedStick, sms_client: AtClient
) -> None:
    for text in ("first", "second", "third"):
        stick.deliver_sms("+491701234567", text)
    await sms_client.ok("AT+CMGR=1")
    unread = await sms_client.ok("AT+CMGL=0")
    assert [line.split(",")[0] for line in unread[::2]] == ["+CMGL: 0", "+CMGL: 2"]
    assert all(line.endswith(",,") is False and ",0,," in line for line in unread[::2])
    texts = [decode_pdu(pdu).text for pdu in unread[1::2]]
    assert texts == ["first", "third"]
    assert len(await sms_client.ok("AT+CMGL=1")) == 6
    assert len(await sms_client.ok("AT+CMGL=4")) == 6
    assert await sms_client.ok("AT+CMGL=0") == []


async def test_cmgd_and_delflag(stick: EmulatedStick, sms_client: AtClient) -> None:
    for text in ("a", "b", "c"):
        stick.deliver_sms("+491701234567", text)
    await sms_client.ok("AT+CMGD=1")
    assert sorted(stick.stored_messages()) == [0, 2]
    await sms_client.ok("AT+CMGR=0")
    await sms_client.ok("AT+CMGD=0,1")
    assert sorted(stick.stored_messages()) == [2]
    await sms_client.ok("AT+CMGD=0,4")
    assert stick.stored_messages() == {}


async def test_direct_delivery_with_mt2(stick: EmulatedStick, sms_client: AtClient) -> None:
    await sms_client.ok("AT+CNMI=2,2,0,0,0")
    pdus = stick.deliver_sms("+491701234567", "direct")
    data = await sms_client.wait_for(pdus[0].encode() + b"\r\n")
    length = len(bytes.fromhex(pdus[0])) - 8
    assert data == f"\r\n+CMT: ,{length}\r\n{pdus[0]}\r\n".encode()
    assert stick.stored_messages() == {}


async def test_multipart_emoji_out_of_order(stick: EmulatedStick, sms_client: AtClient) -> None:
    text = "Grüße 😀 " * 20
    stick.deliver_sms("+491701234567", text, part_order=[3, 1, 2])
    lines = await sms_client.ok("AT+CMGL=4")
    parts = [decode_pdu(pdu) for pdu in lines[1::2]]
    assert [part.concat.sequence for part in parts if part.concat] == [3, 1, 2]
    assert {part.concat.total for part in parts if part.concat} == {3}
    by_sequence = sorted(parts, key=lambda part: part.concat.sequence if part.concat else 0)
    assert "".join(part.text for part in by_sequence) == text


async def test_alphanumeric_sender_and_flash(stick: EmulatedStick, sms_client: AtClient) -> None:
    stick.deliver_sms("MyBank", "Code 1234", flash=True)
    _, pdu = await sms_client.ok("AT+CMGR=0")
    message = decode_pdu(pdu)
    assert isinstance(message, SmsDeliver)
    assert (message.number, message.message_class) == ("MyBank", 0)


async def test_memory_full(stick: EmulatedStick, sms_client: AtClient) -> None:
    await sms_client.ok("AT+CMGD=0,4")
    for number in range(30):
        stick.deliver_sms("+491701234567", f"message {number}")
    await sms_client.drain()
    stick.deliver_sms("+491701234567", "one too many")
    assert await sms_client.wait_for(b'^SMMEMFULL: "SM"\r\n')
    pdu, length = _submit("+491701234567", "x")[0]
    sms_client.send(f"AT+CMGW={length}\r")
    await sms_client.wait_for(b"> ")
    sms_client.send(pdu + "\x1a")
    assert await sms_client.read_final() == ["+CMS ERROR: 322"]
    # The network's retry lands as soon as the slot is free, before the OK of the delete.
    assert await sms_client.ok("AT+CMGD=4") == ['+CMTI: "SM",4']
    assert decode_pdu(stick.stored_messages()[4].pdu).text == "one too many"


async def test_cmgs_sends_and_records(stick: EmulatedStick, sms_client: AtClient) -> None:
    first = stick.device.next_reference
    ((pdu, length),) = _submit("+491701234567", "Hallo 😀", request_status_report=False)
    assert await _send(sms_client, pdu, length) == [f"+CMGS: {first}", "OK"]
    sent = stick.sent[-1]
    assert (sent.number, sent.text, sent.parts, sent.references) == (
        "+491701234567",
        "Hallo 😀",
        1,
        (first,),
    )
    assert sent.status_report_requested is False


async def test_message_references_wrap_at_256(stick: EmulatedStick, sms_client: AtClient) -> None:
    stick.device.next_reference = 255
    ((pdu, length),) = _submit("+491701234567", "x")
    assert (await _send(sms_client, pdu, length))[0] == "+CMGS: 255"
    assert (await _send(sms_client, pdu, length))[0] == "+CMGS: 0"


async def test_multipart_send_is_joined(stick: EmulatedStick, sms_client: AtClient) -> None:
    text = "long message " * 30
    parts = _submit("+491701234567", text)
    references = []
    for pdu, length in parts:
        references.append(int((await _send(sms_client, pdu, length))[0].split(": ")[1]))
    assert len(stick.sent) == 1
    assert stick.sent[0].text == text
    assert stick.sent[0].references == tuple(references)
    assert stick.sent[0].parts == len(parts) > 1


async def test_cmgs_errors(stick: EmulatedStick, sms_client: AtClient) -> None:
    ((pdu, length),) = _submit("+491701234567", "x")
    assert await _send(sms_client, pdu, length + 1) == ["+CMS ERROR: 304"]
    assert await _send(sms_client, "00ZZ", 1) == ["+CMS ERROR: 304"]
    sms_client.send(f"AT+CMGS={length}\r")
    await sms_client.wait_for(b"> ")
    sms_client.send(pdu[:10] + "\x1b")
    assert await sms_client.read_final() == ["OK"]
    stick.refuse_sms(21)
    assert await _send(sms_client, pdu, length) == ["+CMS ERROR: 21"]
    assert (await _send(sms_client, pdu, length))[-1] == "OK"
    stick.refuse_sms(42, count=None)
    assert await _send(sms_client, pdu, length) == ["+CMS ERROR: 42"]
    assert await _send(sms_client, pdu, length) == ["+CMS ERROR: 42"]
    stick.accept_sms()
    stick.set_network("NOSERVICE")
    assert await _send(sms_client, pdu, length) == ["+CMS ERROR: 331"]
    assert len(stick.sent) == 1


async def test_cmgs_refused_after_accepted_parts(
    stick: EmulatedStick, sms_client: AtClient
) -> None:
    parts = _submit("+491701234567", "lang " * 80)
    assert len(parts) == 3
    stick.refuse_sms(41, after=1)
    results = [(await _send(sms_client, pdu, length))[-1] for pdu, length in parts]
    assert results == ["OK", "+CMS ERROR: 41", "OK"]
    stick.refuse_sms(42, after=1)
    stick.accept_sms()  # forgets the accepted ones still to come as well
    assert stick.sms.refuse_after == 0


async def test_cmgs_without_sim_or_pin() -> None:
    async with EmulatedStick(pin="1234") as stick:
        client = await open_client(stick)
        await client.ok("AT+CMEE=1")
        assert await client.command("AT+CMGS=20") == ["+CME ERROR: 11"]
        stick.remove_sim()
        await client.drain()
        assert await client.command("AT+CMGS=20") == ["+CMS ERROR: 310"]
        client.close()


@pytest.mark.parametrize(("ds", "status"), [(1, 0), (2, 0x41)])
async def test_status_reports(
    stick: EmulatedStick, sms_client: AtClient, ds: int, status: int
) -> None:
    stick.sms.status_report_status = status
    await sms_client.ok(f"AT+CNMI=2,1,0,{ds},0")
    ((pdu, length),) = _submit("+491701234567", "report me", request_status_report=True)
    reference = int((await _send(sms_client, pdu, length))[0].split(": ")[1])
    assert stick.sent[-1].status_report_requested
    if ds == 1:
        await sms_client.wait_for(b"+CDS: ")
        await sms_client.wait_for(b"\r\n")
        report_pdu = (await sms_client.wait_for(b"\r\n")).decode().strip()
    else:
        await sms_client.wait_for(b'+CDSI: "SM",')
        index = int((await sms_client.wait_for(b"\r\n")).decode().strip())
        report_pdu = stick.stored_messages()[index].pdu
    report = decode_pdu(report_pdu)
    assert isinstance(report, SmsStatusReport)
    assert (report.reference, report.number, report.status) == (reference, "+491701234567", status)


async def test_sms_to_own_number_comes_back(stick: EmulatedStick, sms_client: AtClient) -> None:
    ((pdu, length),) = _submit("+4915112345678", "loop")
    await _send(sms_client, pdu, length)
    await sms_client.wait_for(b"+CMTI:")
    (message,) = stick.stored_messages().values()
    assert decode_pdu(message.pdu).text == "loop"


async def test_csca_and_text_mode(sms_client: AtClient) -> None:
    assert await sms_client.ok("AT+CSCA?") == ['+CSCA: "+491760000443",145']
    await sms_client.ok("AT+CMGF=1")
    assert await sms_client.command("AT+CMGL=4") == ["+CMS ERROR: 303"]


async def test_ussd_packed_request_and_answer(stick: EmulatedStick, sms_client: AtClient) -> None:
    stick.set_ussd_answer("*100#", "Guthaben 5,00 EUR")
    request = gsm7.pack_septets(gsm7.encode_gsm7("*100#")).hex().upper()
    await sms_client.ok(f'AT+CUSD=1,"{request}",15')
    line = (await sms_client.wait_for(b",15\r\n")).decode().strip()
    assert line.startswith('+CUSD: 0,"')
    packed = bytes.fromhex(line.split('"')[1])
    assert gsm7.decode_gsm7(gsm7.unpack_septets(packed, 17)) == "Guthaben 5,00 EUR"


async def _ussd_answer(client: AtClient, request: str) -> str:
    await client.ok(f'AT+CUSD=1,"{request}",15')
    await client.wait_for(b"+CUSD:", limit=1.0)
    return "+CUSD:" + (await client.wait_for(b"\r\n", limit=1.0)).decode().rstrip()


# TS 23.038 §6.1.2.3.1: 7 spare bits at the end hold a CR ("1234567" + CR here), never zeros
# that would read as "@"; a real "@" on the octet boundary is sent as it is.
@pytest.mark.parametrize(
    ("answer", "packed"),
    [("1234567", "31D98C56B3DD1A"), ("1234567@", "31D98C56B3DD00"), ("12345", "31D98C5603")],
)
async def test_ussd_answer_is_padded_with_cr(
    stick: EmulatedStick, sms_client: AtClient, answer: str, packed: str
) -> None:
    stick.set_ussd_answer("*100#", answer)
    assert await _ussd_answer(sms_client, "AA180C3602") == f'+CUSD: 0,"{packed}",15'


async def test_ussd_request_drops_only_its_padding_cr(
    stick: EmulatedStick, sms_client: AtClient
) -> None:
    stick.set_ussd_answer("*100*1#", "ok")
    # "*100*1#" + the padding CR: the code is found.
    assert (await _ussd_answer(sms_client, "AA180CA68A8D1A")).startswith('+CUSD: 0,"')
    # The same 7 septets followed by zero bits read "*100*1#@", a code the network does not know.
    assert await _ussd_answer(sms_client, "AA180CA68A8D00") == "+CUSD: 2"


async def test_ussd_menu_and_plain_text(sms_client: AtClient) -> None:
    menu = gsm7.pack_septets(gsm7.encode_gsm7("*101#")).hex()
    await sms_client.ok(f'AT+CUSD=1,"{menu}",15')
    assert await sms_client.wait_for(b'+CUSD: 1,"')
    await sms_client.ok("AT+CUSD=2")
    await sms_client.ok('AT+CUSD=1,"*100#",15')
    assert await sms_client.wait_for(b"+CUSD: 4\r\n")


async def test_e303_wants_ussdmode_first() -> None:
    async with EmulatedStick("E303") as stick:
        client = await open_client(stick)
        request = gsm7.pack_septets(gsm7.encode_gsm7("*100#")).hex()
        assert await client.command(f'AT+CUSD=1,"{request}",15') == ["ERROR"]
        await client.ok("AT^USSDMODE=0")
        await client.ok(f'AT+CUSD=1,"{request}",15')
        assert await client.wait_for(b",15\r\n")
        client.close()


async def test_e3131_cmgl_uses_the_cr_cr_lf_quirk() -> None:
    async with EmulatedStick("E3131") as stick:
        client = await open_client(stick)
        pdus = stick.deliver_sms("+491701234567", "quirk")
        client.send("AT+CMGL=4\r")
        data = await client.wait_for(b"OK\r\n")
        assert data.startswith(b"\r\n+CMGL: 0,0,,")
        assert f"\r\r\n{pdus[0]}\r\r\n".encode() in data
        client.close()
