"""Voice calls: RING/+CRING with +CLIP, ^CONN/^CEND, dialling to a scripted far end, ^CVOICE."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import EmulatedStick
from emulator.cli import build_parser
from emulator.control import ControlServer

from .conftest import AtClient, open_client

FAST = 0.05
"""The ring interval of a hurried stick (``Calls.hurry``)."""


@pytest.fixture
async def phone(stick: EmulatedStick) -> AsyncIterator[AtClient]:
    """The E3372 (voice on) with fast rings and a far end that answers at once."""
    stick.device.calls.hurry()
    client = await open_client(stick)
    await client.ok("AT+CMEE=1")
    yield client
    client.close()


async def _urc(client: AtClient) -> bytes:
    """The next non-empty line."""
    while not (line := (await client.wait_for(b"\r\n")).strip()):
        pass
    return line


def _id(line: bytes) -> int:
    return int(line.split(b":")[1].split(b",")[0])


@pytest.mark.parametrize(
    ("number", "clip"),
    [
        ("+491701234567", b'+CLIP: "+491701234567",145,,,,0'),
        ("01701234567", b'+CLIP: "01701234567",129,,,,0'),
    ],
)
async def test_incoming_call_rings_with_caller_id(
    stick: EmulatedStick, phone: AtClient, number: str, clip: bytes
) -> None:
    await phone.ok("AT+CLIP=1")
    assert await phone.ok("AT+CLIP?") == ["+CLIP: 1,1"]
    stick.device.calls.incoming(number, rings=None)
    for _ in range(3):
        assert await phone.wait_for(clip + b"\r\n") == b"\r\nRING\r\n" + clip + b"\r\n"
    assert stick.device.calls.current is not None
    assert stick.device.calls.current.rings >= 3


@pytest.mark.parametrize(
    ("withheld", "unavailable", "clip"),
    [(True, False, b'+CLIP: "",129,,,,1'), (False, True, b'+CLIP: "",129,,,,2')],
)
async def test_withheld_and_unavailable_caller_id(
    stick: EmulatedStick, phone: AtClient, withheld: bool, unavailable: bool, clip: bytes
) -> None:
    await phone.ok("AT+CLIP=1")
    stick.device.calls.incoming("+4930", withheld=withheld, unavailable=unavailable, rings=1)
    assert await phone.wait_for(clip + b"\r\n") == b"\r\nRING\r\n" + clip + b"\r\n"


async def test_crc_rings_as_cring_and_no_clip_without_clip(
    stick: EmulatedStick, phone: AtClient
) -> None:
    assert await phone.ok("AT+CRC?") == ["+CRC: 0"]
    await phone.ok("AT+CRC=1")
    assert await phone.ok("AT+CRC?") == ["+CRC: 1"]
    assert await phone.ok("AT+CLIP?") == ["+CLIP: 0,1"]
    stick.device.calls.incoming("+491701234567", rings=1)
    assert await phone.wait_for(b"^CEND") == b"\r\n+CRING: VOICE\r\n\r\n^CEND"


async def test_caller_gives_up_after_n_rings(stick: EmulatedStick, phone: AtClient) -> None:
    call = stick.device.calls.incoming("+491701234567", rings=2)
    data = await phone.wait_for(b"\r\n", limit=1) + await phone.wait_for(b"^CEND", limit=1)
    assert data.count(b"RING") == 2
    assert await phone.wait_for(b"\r\n") == f":{call.id},0,29,16\r\n".encode()
    assert stick.device.calls.current is None
    assert b"RING" not in await phone.silence(3 * FAST)


async def test_answer_then_hang_up(stick: EmulatedStick, phone: AtClient) -> None:
    call = stick.device.calls.incoming("+491701234567", rings=None)
    await phone.wait_for(b"RING\r\n")
    phone.send("ATA\r")
    assert (await phone.wait_for(f"^CONN:{call.id},0\r\n".encode())).endswith(
        f"\r\nOK\r\n\r\n^CONN:{call.id},0\r\n".encode()
    )
    assert b"RING" not in await phone.silence(3 * FAST)
    assert (await phone.command("AT+CGMI"))[-2:] == ["huawei", "OK"]  # still serving
    assert await phone.command("ATH") == ["OK"]
    assert await _urc(phone) == f"^CEND:{call.id},0,104,16".encode()


async def test_s0_answers_by_itself_after_its_rings(stick: EmulatedStick, phone: AtClient) -> None:
    assert await phone.ok("ATS0?") == ["000"]
    await phone.ok("ATS0=2")
    assert await phone.ok("ATS0?") == ["002"]
    call = stick.device.calls.incoming("+491701234567", rings=None)
    data = await phone.wait_for(f"^CONN:{call.id},0\r\n".encode())
    assert data.count(b"RING") == 2
    await phone.ok("ATH")
    await phone.ok("ATS0=0")
    stick.device.calls.incoming("+491701234567", rings=3)
    assert b"^CONN" not in await phone.wait_for(b",29,16\r\n")
    assert await phone.command("ATS0=300") == ["ERROR"]


async def test_rejecting_a_ringing_call_is_cause_21(stick: EmulatedStick, phone: AtClient) -> None:
    call = stick.device.calls.incoming("+491701234567", rings=None)
    await phone.wait_for(b"RING\r\n")
    assert (await phone.command("AT+CHUP"))[-1] == "OK"
    assert f"^CEND:{call.id},0,104,21".encode() in await phone.wait_for(b",21\r\n")
    assert b"RING" not in await phone.silence(3 * FAST)
    assert await phone.command("ATA") == ["NO CARRIER"]
    assert await phone.command("ATH") == ["OK"]


async def test_commands_keep_working_while_it_rings(stick: EmulatedStick, phone: AtClient) -> None:
    await phone.ok("AT+CLIP=1")
    stick.device.calls.incoming("+491701234567", rings=None)
    for _ in range(10):
        lines = await phone.command("AT+CSQ")
        assert lines[-1] == "OK"
        assert any(line.startswith("+CSQ:") for line in lines)
    stick.deliver_sms("+4930123", "während es klingelt")
    assert len(stick.stored_messages()) == 1


@pytest.mark.parametrize(
    ("model", "cvoice"),
    [
        ("E3372", ["^CVOICE: 0,8000,16,20", "OK"]),
        ("E3131", ["^CVOICE: 1,8000,16,20", "OK"]),
        ("E303", ["COMMAND NOT SUPPORT"]),
    ],
)
async def test_cvoice_per_model_and_voiceless_sticks_still_ring(
    model: str, cvoice: list[str]
) -> None:
    async with EmulatedStick(model) as stick:
        stick.device.calls.ring_interval = FAST
        client = await open_client(stick)
        await client.ok("AT+CMEE=1;+CLIP=1")
        assert await client.command("AT^CVOICE?") == cvoice
        stick.device.calls.incoming("+491701234567", rings=None)
        assert b'+CLIP: "+491701234567",145,,,,0' in await client.wait_for(b",0\r\n")
        expected = ["OK"] if stick.model.voice else ["+CME ERROR: 3"]
        assert await client.command("ATA") == expected
        if not stick.model.voice:
            assert (await client.command("ATD+4930123;"))[-1] == "+CME ERROR: 3"
            assert b"RING" in await client.wait_for(b"RING", limit=1)  # still ringing
        client.close()


async def test_dial_answered_then_hung_up(stick: EmulatedStick, phone: AtClient) -> None:
    assert await phone.command("ATD+491701234567;") == ["OK"]
    orig = await phone.wait_for(b",0\r\n")
    assert orig.startswith(b"\r\n^ORIG:")
    call_id = _id(orig)
    assert await _urc(phone) == f"^CONF:{call_id}".encode()
    assert await _urc(phone) == f"^CONN:{call_id},0".encode()
    current = stick.device.calls.current
    assert current is not None
    assert current.state == "active"
    assert (await phone.command("AT+CGMI"))[-1] == "OK"  # still serving while the call is up
    assert await phone.command("AT+CHUP") == ["OK"]
    assert f"^CEND:{call_id},0,104,16".encode() in await phone.wait_for(b",16\r\n")
    assert stick.device.calls.current is None


async def test_dial_sequence_is_orig_conf_conn(stick: EmulatedStick, phone: AtClient) -> None:
    phone.send("ATD01701234567;\r")
    data = await phone.wait_for(b"^CONN")
    assert data.index(b"OK") < data.index(b"^ORIG:") < data.index(b"^CONF:")


@pytest.mark.parametrize(("mode", "cause"), [("reject", 21), ("busy", 17), ("never_answer", 19)])
async def test_dial_far_end_refuses(
    stick: EmulatedStick, phone: AtClient, mode: str, cause: int
) -> None:
    stick.device.calls.far_end.mode = mode
    assert await phone.command("ATD+491701234567;") == ["OK"]
    data = await phone.wait_for(f",{cause}\r\n".encode())
    assert b"^CONN" not in data
    assert b"^CEND:" in data
    assert data.rsplit(b"^CEND:", 1)[1].split(b",")[1:3] == [b"0", b"29"]
    assert stick.device.calls.current is None


async def test_dial_without_network_is_no_carrier(stick: EmulatedStick, phone: AtClient) -> None:
    stick.device.calls.far_end.mode = "no_network"
    assert await phone.command("ATD+491701234567;") == ["NO CARRIER"]
    stick.device.calls.far_end.mode = "answer"
    stick.set_network("NOSERVICE")
    await phone.drain()
    assert await phone.command("ATD+491701234567;") == ["NO CARRIER"]
    assert stick.device.calls.current is None


async def test_bad_dial_strings(stick: EmulatedStick, phone: AtClient) -> None:
    assert await phone.command("ATD+49 170x;") == ["ERROR"]
    assert await phone.command("ATD+491701234567") == ["ERROR"]  # a data call
    stick.device.calls.incoming("+4930", rings=None)
    assert (await phone.command("ATD+491701234567;"))[-1] == "+CME ERROR: 3"  # line busy


async def test_unplug_ends_the_call(stick: EmulatedStick) -> None:
    stick.device.calls.ring_interval = FAST
    stick.device.calls.incoming("+491701234567", rings=None)
    stick.unplug()
    assert stick.device.calls.current is None
    stick.replug()
    client = await open_client(stick)
    assert b"RING" not in await client.silence(3 * FAST)
    assert stick.device.calls.current is None
    assert await client.ok("AT+CLIP?") == ["+CLIP: 0,1"]  # back to power-on settings
    client.close()


async def test_control_actions_and_cli(stick: EmulatedStick, link_dir: Path) -> None:
    server = ControlServer(stick, link_dir / "control.sock")

    async def ask(**payload: object) -> dict[str, object]:
        return await server.handle(json.dumps(payload).encode())

    args = build_parser().parse_args(["far-end", "--link-dir", "d", "--busy"])
    assert (await ask(**({"action": "far-end"} | args.build(args))))["ok"]
    assert stick.device.calls.far_end.mode == "busy"
    args = build_parser().parse_args(["far-end", "--link-dir", "d", "--answer-after", "2.5"])
    assert (await ask(**({"action": "far-end"} | args.build(args))))["ok"]
    assert (stick.device.calls.far_end.mode, stick.device.calls.far_end.answer_after) == (
        "answer",
        2.5,
    )
    assert not (await ask(action="far_end", mode="explode"))["ok"]
    argv = ["call", "--link-dir", "d", "--from", "+491701234567", "--hang-up-after", "3"]
    args = build_parser().parse_args(argv)
    answer = await ask(**({"action": "call"} | args.build(args)))
    assert answer["ok"], answer
    current = stick.device.calls.current
    assert current is not None
    assert current.number == "+491701234567"
    assert not (await ask(action="call", number="+4930"))["ok"]  # one call at a time
    stick.device.calls.hang_up()
    args = build_parser().parse_args(["call", "--link-dir", "d", "--withheld"])
    assert (await ask(**({"action": "call"} | args.build(args))))["ok"]
    current = stick.device.calls.current
    assert current is not None
    assert (current.number, current.clip) == ("", (129, 1))


async def test_rings_stay_whole_among_noisy_replies(stick: EmulatedStick, phone: AtClient) -> None:
    """Noise lands inside replies; ring blocks due during a reply follow it, never split."""
    stick.faults.noise_in_replies = 1.0
    await phone.ok("AT+CLIP=1")
    for number in range(3):
        stick.deliver_sms(f"+49301234{number}", "hallo")
    call = stick.device.calls.incoming("+491701234567", rings=None)
    received = b""
    for _ in range(20):
        phone.send("AT+CMGL=4\r")
        received += await phone.wait_for(b"\r\nOK\r\n")
        await asyncio.sleep(0.01)
    stick.device.calls.hang_up()  # no ring after this one: the count below is final
    received += await phone.silence(3 * FAST)
    text = received.decode()
    assert text.count("RING") == call.rings >= 2
    assert text.count("RING\r\n+CLIP: ") == call.rings
    assert text.count("+CMGL: ") == 60


async def _cli(env: dict[str, str], *argv: str) -> bytes:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "emulator", *argv, stdout=subprocess.PIPE, env=env
    )
    output, _ = await process.communicate()
    return output


@pytest.mark.slow
async def test_cli_call_and_far_end(tmp_path: Path) -> None:
    links = tmp_path / "links"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    serve = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "emulator", "serve", "--link-dir", str(links)),
        *("--ring-interval", "0.1"),
        stdout=subprocess.PIPE,
        env=env,
    )
    try:
        assert serve.stdout is not None
        printed = b""
        async with asyncio.timeout(20):
            while b"Ctrl-C" not in (line := await serve.stdout.readline()):
                printed += line
        client = await AtClient.open_pty(json.loads(printed)["ports"]["pcui"])
        await client.ok("ATE0;+CLIP=1")
        output = await _cli(env, "call", "--link-dir", str(links), "--from", "+491701234567")
        assert b'"ok": true' in output
        assert b'+CLIP: "+491701234567",145,,,,0' in await client.wait_for(b",0\r\n")
        assert (await client.command("ATH"))[-1] == "OK"
        assert b'"ok": true' in await _cli(env, "far-end", "--link-dir", str(links), "--busy")
        assert (await client.command("ATD+4930123;"))[-1] == "OK"
        assert b"^CEND:" in await client.wait_for(b",17\r\n")
        client.close()
    finally:
        serve.terminate()
        await serve.wait()
