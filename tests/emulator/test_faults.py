"""Unsolicited noise (also inside replies) and the faults: garbage, stalls, cuts, delays."""

from __future__ import annotations

import asyncio
import re
import time

from emulator import EmulatedStick

from .conftest import AtClient, open_client

NOISE = re.compile(rb"\^(RSSI|HCSQ|MODE|BOOT|DSFLOWRPT):")


async def test_periodic_noise_on_pcui_only_until_curc_0() -> None:
    async with EmulatedStick(noise_interval=0.02) as stick:
        pcui = await open_client(stick)
        modem = await open_client(stick, "modem")
        assert NOISE.search(await pcui.silence(0.15))
        assert not NOISE.search(await modem.silence(0.01))
        await pcui.ok("AT^CURC=0")
        await pcui.drain()
        assert not NOISE.search(await pcui.silence(0.1))
        await pcui.ok("AT^PORTSEL=1;^CURC=1")
        assert NOISE.search(await modem.silence(0.1))
        pcui.close()
        modem.close()


async def test_noise_between_header_and_pdu_of_cmgr(stick: EmulatedStick, pcui: AtClient) -> None:
    pdus = stick.deliver_sms("+491701234567", "interleaved")
    stick.faults.noise_in_replies = 1.0
    lines = await pcui.command("AT+CMGR=0")
    assert lines[0].startswith("+CMGR: 0,,")
    assert NOISE.match(lines[1].encode())
    assert lines[2] == pdus[0]
    assert NOISE.match(lines[3].encode())
    assert lines[4] == "OK"


async def test_noise_inside_cmgl_listing(stick: EmulatedStick, pcui: AtClient) -> None:
    stick.deliver_sms("+491701234567", "one")
    stick.deliver_sms("+491701234567", "two")
    stick.faults.noise_in_replies = 1.0
    lines = await pcui.command("AT+CMGL=4")
    assert sum(1 for line in lines if NOISE.match(line.encode())) == 4


async def test_no_noise_in_replies_while_curc_0(stick: EmulatedStick, pcui: AtClient) -> None:
    stick.deliver_sms("+491701234567", "quiet")
    await pcui.ok("AT^CURC=0")
    stick.faults.noise_in_replies = 1.0
    assert len(await pcui.command("AT+CMGR=0")) == 3


async def test_unsolicited_during_slow_reply_waits_for_a_line_boundary(
    stick: EmulatedStick, pcui: AtClient
) -> None:
    stick.faults.cut_next = 1
    stick.faults.cut_pause = 0.1
    pcui.send("ATI\r")
    await asyncio.sleep(0.05)
    stick.send_unsolicited("RING")
    data = await pcui.wait_for(b"OK\r\n")
    assert b"\r\nRING\r\n" not in data
    assert await pcui.wait_for(b"RING\r\n")


async def test_garbage_bytes(stick: EmulatedStick, pcui: AtClient) -> None:
    stick.inject_garbage()
    data = await pcui.silence(0.05)
    assert b"\xff" in data
    stick.inject_garbage(b"\xc3\x28\x00")
    assert await pcui.command("AT+CGMI") == ["\ufffd(\x00", "huawei", "OK"]


async def test_stalled_reply_never_finishes_but_the_next_works(
    stick: EmulatedStick, pcui: AtClient
) -> None:
    stick.faults.stall_next = 1
    pcui.send("ATI\r")
    partial = await pcui.silence(0.2)
    assert partial.startswith(b"\r\nManufacturer")
    assert b"OK" not in partial
    assert await pcui.ok("AT+CGMM") == ["E3372"]


async def test_missing_final_result(stick: EmulatedStick, pcui: AtClient) -> None:
    stick.faults.drop_final_next = 1
    pcui.send("AT+CGMI\r")
    assert await pcui.silence(0.1) == b"\r\nhuawei\r\n"
    assert await pcui.ok("AT+CGMI") == ["huawei"]


async def test_reply_cut_in_half_arrives_in_two_pieces(
    stick: EmulatedStick, pcui: AtClient
) -> None:
    stick.faults.cut_next = 1
    stick.faults.cut_pause = 0.1
    pcui.send("AT+CGMR\r")
    first = await pcui.silence(0.05)
    assert first
    assert not first.endswith(b"OK\r\n")
    rest = await pcui.wait_for(b"OK\r\n")
    assert first + rest == b"\r\n21.286.03.01.209\r\n\r\nOK\r\n"


async def test_reply_delay(stick: EmulatedStick, pcui: AtClient) -> None:
    stick.faults.reply_delay = 0.15
    started = time.monotonic()
    assert await pcui.ok("AT") == []
    assert time.monotonic() - started >= 0.15


async def test_send_delay_is_applied_before_cmgs_answer(
    stick: EmulatedStick, pcui: AtClient
) -> None:
    stick.sms.send_delay = 0.15
    pcui.send("AT+CMGS=14\r")
    await pcui.wait_for(b"> ")
    pcui.send("0001000B919471103254F60000015A\x1a")
    started = time.monotonic()
    lines = await pcui.read_final()
    assert lines[-1] == "OK"
    assert time.monotonic() - started >= 0.14
