"""The AT channel against a raw pty the test plays the stick on (and over TCP).

Line framing and final result codes on their own: test_at_framing.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from custom_components.huawei_modem.modem.at import AtChannel, Unsolicited
from custom_components.huawei_modem.modem.errors import (
    AtCommandError,
    AtTimeoutError,
    CmeError,
    CmsError,
    CommandNotSupportedError,
    ConnectionLostError,
)

from .conftest import RawPty, Recorder

PDU = "07919471060040340404D0E474D8FC09000062403121000080054A4EA3C301"


@pytest.fixture
async def channel(raw_pty: RawPty) -> AsyncIterator[AtChannel]:
    at = AtChannel(raw_pty.path, timeout=1.0, settle=0.05)
    await at.open()
    yield at
    await at.close()


def collect(at: AtChannel) -> Recorder[Unsolicited]:
    pushed: Recorder[Unsolicited] = Recorder()
    at.add_unsolicited_listener(pushed)
    return pushed


# --- commands -------------------------------------------------------------------------------


async def test_reply_lines_without_echo_or_final(channel: AtChannel, raw_pty: RawPty) -> None:
    task = asyncio.create_task(channel.command("AT+CGMI"))
    await raw_pty.expect(b"AT+CGMI\r")
    raw_pty.send("AT+CGMI\r\r\nhuawei\r\n\r\nOK\r\n")
    assert await task == ["huawei"]


async def test_unsolicited_lines_inside_a_cmgr_reply(channel: AtChannel, raw_pty: RawPty) -> None:
    pushed = collect(channel)
    task = asyncio.create_task(channel.command("AT+CMGR=3"))
    await raw_pty.expect(b"AT+CMGR=3\r")
    raw_pty.send('\r\n+CMGR: 1,,24\r\n^RSSI:17\r\n^HCSQ:"LTE",30,19,66,0\r\n')
    raw_pty.send(f"+CDS: 25\r\n{PDU}\r\n{PDU}\r\nRING\r\n\r\nOK\r\n")
    assert await task == ["+CMGR: 1,,24", PDU]
    assert pushed == [
        Unsolicited("^RSSI", "17"),
        Unsolicited("^HCSQ", '"LTE",30,19,66,0'),
        Unsolicited("+CDS", "25", PDU),
        Unsolicited("RING", ""),
    ]


async def test_pushed_line_kept_when_it_is_the_reply(channel: AtChannel, raw_pty: RawPty) -> None:
    pushed = collect(channel)
    task = asyncio.create_task(channel.command("AT^HCSQ?"))
    await raw_pty.expect(b"AT^HCSQ?\r")
    raw_pty.send('\r\n^HCSQ:"GSM",40\r\n+CREG: 1\r\nOK\r\n')
    assert await task == ['^HCSQ:"GSM",40']
    assert pushed == [Unsolicited("+CREG", "1")]


async def test_unsolicited_while_idle_and_cmt_with_pdu(channel: AtChannel, raw_pty: RawPty) -> None:
    pushed = collect(channel)
    raw_pty.send(f'\r\n+CMTI: "SM",4\r\n+CMT: ,24\r\n{PDU}\r\n+CDS: 25\r\n^BOOT:1,0\r\n')
    raw_pty.send("stray line\r\nOK\r\n^RSSI:1\r\n")
    await pushed.wait_for(5)
    task = asyncio.create_task(channel.command("AT"))
    await raw_pty.expect(b"AT\r")
    raw_pty.send("\r\nOK\r\n")
    assert await task == []
    assert pushed == [
        Unsolicited("+CMTI", '"SM",4'),
        Unsolicited("+CMT", ",24", PDU),
        Unsolicited("+CDS", "25"),  # its PDU line never came
        Unsolicited("^BOOT", "1,0"),
        Unsolicited("^RSSI", "1"),
    ]


async def test_a_failing_listener_does_not_stop_the_reader(
    channel: AtChannel, raw_pty: RawPty, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_: Unsolicited) -> None:
        raise RuntimeError("listener bug")

    remove = channel.add_unsolicited_listener(broken)
    pushed = collect(channel)
    raw_pty.send("\r\nRING\r\n")
    task = asyncio.create_task(channel.command("AT"))
    await raw_pty.expect(b"AT\r")
    raw_pty.send("\r\nOK\r\n")
    assert await task == []
    assert pushed == [Unsolicited("RING", "")]
    assert "listener failed" in caplog.text
    remove()
    raw_pty.send("\r\nRING\r\n")
    task = asyncio.create_task(channel.command("AT"))
    await raw_pty.expect(b"AT\r")
    raw_pty.send("\r\nOK\r\n")
    await task
    assert len(pushed) == 2


@pytest.mark.parametrize(
    ("final", "error_type"),
    [
        ("ERROR", AtCommandError),
        ("+CME ERROR: 11", CmeError),
        ("+CMS ERROR: 331", CmsError),
        ("COMMAND NOT SUPPORT", CommandNotSupportedError),
    ],
)
async def test_error_results(
    channel: AtChannel, raw_pty: RawPty, final: str, error_type: type[Exception]
) -> None:
    task = asyncio.create_task(channel.command("AT^FOO"))
    await raw_pty.expect(b"AT^FOO\r")
    raw_pty.send(f"\r\n{final}\r\n")
    with pytest.raises(error_type):
        await task


async def test_garbage_bytes_inside_a_reply(channel: AtChannel, raw_pty: RawPty) -> None:
    task = asyncio.create_task(channel.command("AT+CSQ"))
    await raw_pty.expect(b"AT+CSQ\r")
    raw_pty.send(b"\r\n\x00\xff\xfe\xc3(\r\n+CSQ: 20,99\r\n\r\nOK\r\n")
    assert await task == ["\x00ÿþÃ(", "+CSQ: 20,99"]


async def test_one_command_in_flight(channel: AtChannel, raw_pty: RawPty) -> None:
    first = asyncio.create_task(channel.command("AT+CGMI"))
    second = asyncio.create_task(channel.command("AT+CGMM"))
    await raw_pty.expect(b"AT+CGMI\r")
    await asyncio.sleep(0.02)
    assert b"AT+CGMM" not in raw_pty.received
    raw_pty.send("\r\nhuawei\r\n\r\nOK\r\n")
    await raw_pty.expect(b"AT+CGMM\r")
    raw_pty.send("\r\nE3372\r\n\r\nOK\r\n")
    assert await first == ["huawei"]
    assert await second == ["E3372"]


async def test_timeout_then_the_late_reply_is_not_taken_for_the_next(
    channel: AtChannel, raw_pty: RawPty
) -> None:
    with pytest.raises(AtTimeoutError) as caught:
        await channel.command("AT+CSQ", reply_timeout=0.05)
    assert caught.value.timeout == 0.05
    raw_pty.send("\r\n+CSQ: 20,99\r\n\r\nOK\r\n")
    task = asyncio.create_task(channel.command("AT+CGMI"))
    await raw_pty.expect(b"AT+CGMI\r")
    raw_pty.send("\r\nhuawei\r\n\r\nOK\r\n")
    assert await task == ["huawei"]


async def test_settling_is_bounded_on_a_chatty_port(raw_pty: RawPty) -> None:
    at = AtChannel(raw_pty.path, timeout=1.0, settle=0.02)
    await at.open()
    with pytest.raises(AtTimeoutError):
        await at.command("AT", reply_timeout=0.02)
    chatter = asyncio.create_task(_chatter(raw_pty, 0.005))
    task = asyncio.create_task(at.command("AT+CGMI"))
    await raw_pty.expect(b"AT+CGMI\r")
    chatter.cancel()
    raw_pty.send("\r\nhuawei\r\nOK\r\n")
    assert await task == ["huawei"]
    await at.close()


async def _chatter(raw_pty: RawPty, interval: float) -> None:
    while True:
        raw_pty.send("\r\n^RSSI:20\r\n")
        await asyncio.sleep(interval)


# --- the SMS prompt -------------------------------------------------------------------------


async def test_prompt_payload_and_ctrl_z(channel: AtChannel, raw_pty: RawPty) -> None:
    task = asyncio.create_task(channel.command_with_prompt("AT+CMGS=23", "0011AB"))
    await raw_pty.expect(b"AT+CMGS=23\r")
    raw_pty.send("\r\n> ")
    await raw_pty.expect(b"0011AB\x1a")
    raw_pty.send("\r\n^RSSI:12\r\n+CMGS: 7\r\n\r\nOK\r\n")
    assert await task == ["+CMGS: 7"]


async def test_a_prompt_nobody_asked_for_is_ignored(channel: AtChannel, raw_pty: RawPty) -> None:
    task = asyncio.create_task(channel.command("AT"))
    await raw_pty.expect(b"AT\r")
    raw_pty.send("\r\n> \r\nOK\r\n")
    assert await task == []


async def test_no_prompt_is_aborted_with_esc(channel: AtChannel, raw_pty: RawPty) -> None:
    with pytest.raises(AtTimeoutError):
        await channel.command_with_prompt("AT+CMGS=23", "0011AB", reply_timeout=0.05)
    await raw_pty.expect(b"AT+CMGS=23\r\x1b")
    assert b"0011AB" not in raw_pty.received


async def test_no_reply_after_the_pdu_is_aborted_with_esc(
    channel: AtChannel, raw_pty: RawPty
) -> None:
    task = asyncio.create_task(
        channel.command_with_prompt("AT+CMGS=23", "0011AB", reply_timeout=0.2)
    )
    await raw_pty.expect(b"AT+CMGS=23\r")
    raw_pty.send("\r\n> ")
    with pytest.raises(AtTimeoutError):
        await task
    await raw_pty.expect(b"0011AB\x1a\x1b")


async def test_refused_sms(channel: AtChannel, raw_pty: RawPty) -> None:
    task = asyncio.create_task(channel.command_with_prompt("AT+CMGS=23", "0011AB"))
    await raw_pty.expect(b"AT+CMGS=23\r")
    raw_pty.send("\r\n> ")
    await raw_pty.expect(b"\x1a")
    raw_pty.send("\r\n+CMS ERROR: 21\r\n")
    with pytest.raises(CmsError) as caught:
        await task
    assert caught.value.code == 21


# --- the port going away --------------------------------------------------------------------


async def test_port_vanishes_mid_command(raw_pty: RawPty) -> None:
    at = AtChannel(raw_pty.path, timeout=2.0)
    await at.open()
    lost: list[ConnectionLostError] = []
    at.add_lost_listener(lost.append)
    task = asyncio.create_task(at.command("AT+CGMI"))
    await raw_pty.expect(b"AT+CGMI\r")
    raw_pty.vanish()
    with pytest.raises(ConnectionLostError):
        await task
    assert len(lost) == 1
    assert not at.is_open
    with pytest.raises(ConnectionLostError):
        await at.command("AT")
    # The stick comes back (here: on another pty) and the same channel opens again.
    again = RawPty()
    at.url = again.path
    await at.open()
    task = asyncio.create_task(at.command("AT"))
    await again.expect(b"AT\r")
    again.send("\r\nOK\r\n")
    assert await task == []
    await at.close()
    again.close()


async def test_a_failing_lost_listener_is_logged(
    raw_pty: RawPty, caplog: pytest.LogCaptureFixture
) -> None:
    at = AtChannel(raw_pty.path)
    await at.open()
    lost = asyncio.Event()

    def broken(_: ConnectionLostError) -> None:
        lost.set()
        raise RuntimeError("listener bug")

    remove = at.add_lost_listener(broken)
    raw_pty.vanish()
    async with asyncio.timeout(2):
        await lost.wait()
    assert "connection-lost listener failed" in caplog.text
    remove()


async def test_close_fails_the_command_in_flight(raw_pty: RawPty) -> None:
    at = AtChannel(raw_pty.path)
    lost: list[ConnectionLostError] = []
    at.add_lost_listener(lost.append)
    await at.open()
    await at.open()  # already open: nothing happens
    task = asyncio.create_task(at.command("AT"))
    await raw_pty.expect(b"AT\r")
    await at.close()
    with pytest.raises(ConnectionLostError):
        await task
    await at.close()
    assert lost == []


async def test_open_a_missing_port() -> None:
    at = AtChannel("/dev/nonexistent-huawei-stick")
    with pytest.raises(ConnectionLostError, match="cannot open"):
        await at.open()
    with pytest.raises(ConnectionLostError):
        await at.command("AT")


async def test_close_without_an_answer_from_the_transport(
    channel: AtChannel, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(channel, "timeout", 0.05)
    monkeypatch.setattr(channel, "_connection_lost", lambda exc: None)
    await channel.close()
    assert "closed without a word" in caplog.text


# --- socket:// ------------------------------------------------------------------------------


@pytest.mark.usefixtures("socket_enabled")
async def test_socket_url() -> None:
    received: asyncio.Queue[bytes] = asyncio.Queue()
    writers: list[asyncio.StreamWriter] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        while data := await reader.read(100):
            await received.put(data)
            if data.endswith(b"\r"):
                writer.write(b"\r\n^RSSI:20\r\n+CGSN: 866123045678901\r\nOK\r\n")

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    at = AtChannel(f"socket://127.0.0.1:{port}", timeout=2.0)
    pushed = collect(at)
    await at.open()
    assert await at.command("AT+CGSN") == ["+CGSN: 866123045678901"]
    assert pushed == [Unsolicited("^RSSI", "20")]
    lost: Recorder[ConnectionLostError] = Recorder()
    at.add_lost_listener(lost)
    writers[0].close()
    server.close()
    await server.wait_closed()
    await lost.wait_for(1)
    assert not at.is_open
    await at.close()
