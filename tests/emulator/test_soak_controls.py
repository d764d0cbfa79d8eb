"""The controls scripts/soak drives a running stick with: storms, a SIM that fills up, storage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from emulator import EmulatedStick
from emulator.cli import build_parser
from emulator.control import ControlServer

from .conftest import AtClient


async def control(stick: EmulatedStick, link_dir: Path, *argv: str) -> dict[str, Any]:
    """What ``python -m emulator <argv> --link-dir ...`` answers."""
    args = build_parser().parse_args([argv[0], "--link-dir", str(link_dir), *argv[1:]])
    server = ControlServer(stick, link_dir / "control.sock")
    return await server.handle(json.dumps({"action": args.command} | args.build(args)).encode())


async def test_a_storm_of_unsolicited_lines(
    stick: EmulatedStick, pcui: AtClient, link_dir: Path
) -> None:
    await pcui.silence()
    assert (await control(stick, link_dir, "storm", "--count", "300"))["ok"]
    received = b""
    while len(lines := [line for line in received.split(b"\r\n") if line]) < 300:
        received += await pcui.wait_for(b"\r\n")
    assert len(lines) == 300
    assert all(line.startswith(b"^") for line in lines)
    assert await pcui.ok("AT") == []


async def test_a_full_sim_holds_back_sms_until_there_is_room(
    stick: EmulatedStick, pcui: AtClient, link_dir: Path
) -> None:
    await pcui.ok("AT+CMGF=0")
    await pcui.ok("AT+CNMI=2,1,0,2,0")
    stick.deliver_sms("+491701234567", "first")
    answer = await control(stick, link_dir, "storage", "--capacity", "1")
    assert answer["memories"]["SM"]["capacity"] == 1
    assert answer["memories"]["SM"]["used"] == 1
    stick.deliver_sms("+491701234567", "second")
    await pcui.wait_for(b'^SMMEMFULL: "SM"')
    assert (await control(stick, link_dir, "storage"))["held_back"] == 1

    await pcui.command("AT+CMGD=0")
    answer = await control(stick, link_dir, "storage")
    assert answer["held_back"] == 0
    assert [message["index"] for message in answer["memories"]["SM"]["messages"]] == [0]


async def test_the_sim_never_shrinks_below_a_stored_message(
    stick: EmulatedStick, link_dir: Path
) -> None:
    for text in ("one", "two", "three"):
        stick.deliver_sms("+491701234567", text)
    assert stick.set_sms_capacity(1) == 3
    big = await control(stick, link_dir, "storage", "--capacity", "50")
    assert big["memories"]["SM"]["capacity"] == 50
