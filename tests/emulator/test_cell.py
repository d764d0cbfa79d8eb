"""Cell information: +CREG/+CGREG/+CEREG with location, cell moves, +CGATT, ^NWTIME / +CTZV."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from emulator import EmulatedStick
from emulator.cell import move_cell
from emulator.cli import build_parser
from emulator.control import ControlServer

from .conftest import AtClient, open_client
from .scripted import final_of, run_script, stick_and_client

NWTIME = re.compile(r"^\^NWTIME: \d\d/\d\d/\d\d,\d\d:\d\d:\d\d[+-]\d\d,\d\d$")
_HERE = '"1A2B","01C3D4E5",7'


async def test_read_forms_with_location_on_e3372(pcui: AtClient) -> None:
    await pcui.ok("AT+CREG=2;+CGREG=2;+CEREG=2")
    for command in ("+CREG", "+CGREG", "+CEREG"):
        assert await pcui.ok(f"AT{command}?") == [f"{command}: 2,1,{_HERE}"]


async def test_cell_move_pushes_mode_2_only(stick: EmulatedStick, pcui: AtClient) -> None:
    await pcui.ok("AT+CREG=2;+CGREG=1;+CEREG=2")
    move_cell(stick.device, 0x3C4D, 0x01C2D3E4, 0x5E6F)
    pushed = await pcui.wait_for(b'+CEREG: 1,"5E6F","01C2D3E4",7\r\n')
    assert b'+CREG: 1,"3C4D","01C2D3E4",7\r\n' in pushed
    assert await pcui.silence(0.1) == b""
    assert await pcui.ok("AT+CGREG?") == ["+CGREG: 1,1"]
    await pcui.ok("AT+CREG=0")
    move_cell(stick.device, 0x0001, None, None)
    assert b"+CREG" not in await pcui.wait_for(b"+CEREG: 1,")


@pytest.mark.parametrize("model", ["E3131", "E303"])
async def test_older_sticks_report_location_without_cereg(model: str) -> None:
    async with stick_and_client(model) as (stick, client):
        await client.ok("AT+CREG=2;+CGREG=2")
        assert await client.ok("AT+CREG?") == ['+CREG: 2,1,"1A2B","01C3D4E5",2']
        move_cell(stick.device, 0x00AA, 0x0000BEEF, None)
        pushed = await client.wait_for(b'+CGREG: 1,"00AA","0000BEEF",2\r\n')
        assert b'+CREG: 1,"00AA","0000BEEF",2' in pushed
        await client.ok("AT^SYSCFG=13,1,3FFFFFFF,2,4")
        assert await client.ok("AT+CREG?") == ['+CREG: 2,1,"00AA","0000BEEF",0']
        assert await final_of(client, "AT+CEREG?") == "ERROR"


_CGATT_SCRIPT = [
    ("AT+CGATT?", ["+CGATT: 0"]),
    ('AT+CPIN="1234"', None),
    ("AT+CGATT?", ["+CGATT: 1"]),
    ("AT+CGATT=?", ["+CGATT: (0,1)"]),
    ("AT+CGATT=0", None),
    ("AT+CGATT?", ["+CGATT: 0"]),
    ("AT+CGATT=1", None),
    ("AT+CGATT?", ["+CGATT: 1"]),
]


@pytest.mark.parametrize("model", ["E3372", "E3131", "E303"])
async def test_cgatt(model: str) -> None:
    async with stick_and_client(model, pin="1234") as (_, client):
        await run_script(client, _CGATT_SCRIPT)
        assert await final_of(client, "AT+CGATT=2") == "ERROR"


@pytest.mark.parametrize("model", ["E3372", "E3131"])
async def test_nwtime_pushed_after_registration_and_read(model: str) -> None:
    async with stick_and_client(model, pin="1234") as (_, client):
        assert await final_of(client, "AT^NWTIME?") == "ERROR"
        client.send('AT+CPIN="1234"\r')
        pushed = (await client.wait_for(b"^NWTIME: ")) + await client.wait_for(b"\r\n")
        line = pushed.decode().split("\r\n")[-2]
        assert NWTIME.match(line), line
        assert line.endswith("+04,00")
        (read,) = await client.ok("AT^NWTIME?")
        assert NWTIME.match(read), read


async def test_e303_sends_ctzv_and_has_no_nwtime() -> None:
    async with stick_and_client("E303", pin="1234") as (_, client):
        assert await client.command("AT^NWTIME?") == ["COMMAND NOT SUPPORT"]
        client.send('AT+CPIN="1234"\r')
        assert await client.wait_for(b"+CTZV: +04\r\n")


async def test_cell_control_action_and_cli(stick: EmulatedStick, link_dir: Path) -> None:
    args = build_parser().parse_args(
        ["cell", "--link-dir", str(link_dir), "--lac", "1A2C", "--ci", "01C2D3E4"]
    )
    payload = {"action": args.command} | args.build(args)
    server = ControlServer(stick, link_dir / "control.sock")
    answer = await server.handle(json.dumps(payload).encode())
    assert answer["ok"]
    assert answer["cell"] == {"lac": "1A2C", "ci": "01C2D3E4", "tac": "1A2B"}
    client = await open_client(stick)
    await client.ok("AT+CEREG=2")
    assert await client.ok("AT+CEREG?") == ['+CEREG: 2,1,"1A2B","01C2D3E4",7']
    await server.handle(json.dumps({"action": "cell", "tac": "0BCD"}).encode())
    assert await client.wait_for(b'+CEREG: 1,"0BCD","01C2D3E4",7\r\n')
    client.close()
