"""Network mode: ^SYSCFGEX (E3372) and ^SYSCFG (E3131, E303) change what the stick reports."""

from __future__ import annotations

import pytest

from emulator import EmulatedStick

from .conftest import AtClient, open_client
from .scripted import final_of, run_script, stick_and_client

_EX_TAIL = ",3FFFFFFF,2,4,7FFFFFFFFFFFFFFF,,"
_TELEKOM = '+COPS: 0,0,"Telekom.de",'


async def test_e3372_syscfgex_lists_reads_back_and_switches_the_radio(
    stick: EmulatedStick, pcui: AtClient
) -> None:
    listing = (await pcui.ok("AT^SYSCFGEX=?"))[0]
    assert listing.startswith('^SYSCFGEX: ("00","03","02","01","99"),((')
    assert await pcui.ok("AT^SYSCFGEX?") == ['^SYSCFGEX: "00",3FFFFFFF,1,2,7FFFFFFFFFFFFFFF']
    pcui.send(f'AT^SYSCFGEX="02"{_EX_TAIL}\r')
    pushed = await pcui.wait_for(b"^MODE:3,45\r\n")
    assert b'^HCSQ:"WCDMA",' in pushed
    assert (await pcui.ok("AT^HCSQ?"))[0].startswith('^HCSQ:"WCDMA",')
    await run_script(
        pcui,
        [
            ("AT^SYSCFGEX?", ['^SYSCFGEX: "02",3FFFFFFF,1,2,7FFFFFFFFFFFFFFF']),
            ("AT^SYSINFOEX", ['^SYSINFOEX:2,3,0,1,,3,"WCDMA",45,"HSPA+"']),
            ("AT+COPS?", [_TELEKOM + "2"]),
            (f'AT^SYSCFGEX="01"{_EX_TAIL}', None),
            ("AT^HCSQ?", ['^HCSQ:"GSM",50']),
            ("AT+COPS?", [_TELEKOM + "0"]),
            ("AT^SYSINFOEX", ['^SYSINFOEX:2,3,0,1,,1,"GSM",3,"EDGE"']),
            (f'AT^SYSCFGEX="030201"{_EX_TAIL}', None),
            ("AT+COPS?", [_TELEKOM + "7"]),
            (f'AT^SYSCFGEX="02"{_EX_TAIL}', None),
            (f'AT^SYSCFGEX="00"{_EX_TAIL}', None),
            (f'AT^SYSCFGEX="99"{_EX_TAIL}', None),
            ("AT+COPS?", [_TELEKOM + "7"]),
        ],
    )
    assert (await pcui.ok("AT^SYSCFGEX?"))[0].startswith('^SYSCFGEX: "00",')


@pytest.mark.parametrize("order", ['"04"', '"0"', '"0x"', ""])
async def test_e3372_refuses_bad_orders(pcui: AtClient, order: str) -> None:
    assert await final_of(pcui, f"AT^SYSCFGEX={order}{_EX_TAIL}") == "ERROR"


async def test_e3372_has_no_syscfg(pcui: AtClient) -> None:
    assert await pcui.command("AT^SYSCFG?") == ["COMMAND NOT SUPPORT"]


_SYSCFG_SCRIPT = [
    ("AT^SYSCFG?", ["^SYSCFG: 2,0,3FFFFFFF,1,2"]),
    ("AT^SYSCFG=13,1,3FFFFFFF,2,4", None),
    ("AT^SYSCFG?", ["^SYSCFG: 13,1,3FFFFFFF,1,2"]),
    ("AT+COPS?", [_TELEKOM + "0"]),
    ("AT^SYSINFO", ["^SYSINFO:2,3,0,3,1,,3"]),
    ("AT+CSQ", ["+CSQ: 21,99"]),
    ("AT^SYSCFG=14,3,40000000,2,4", None),
    ("AT^SYSCFG?", ["^SYSCFG: 14,1,3FFFFFFF,1,2"]),
    ("AT+COPS?", [_TELEKOM + "2"]),
    ("AT^SYSINFO", ["^SYSINFO:2,3,0,5,1,,9"]),
    ("AT^SYSCFG=2,1,3FFFFFFF,2,4", None),
    ("AT+COPS?", [_TELEKOM + "0"]),
    ("AT^SYSCFG=2,2,3FFFFFFF,2,4", None),
    ("AT+COPS?", [_TELEKOM + "2"]),
]


@pytest.mark.parametrize("model", ["E3131", "E303"])
async def test_older_sticks_switch_with_syscfg(model: str) -> None:
    async with stick_and_client(model) as (_, client):
        assert (await client.ok("AT^SYSCFG=?"))[0].startswith("^SYSCFG:(2,13,14,16),(0-3),((")
        assert await client.command("AT^SYSCFGEX?") == ["COMMAND NOT SUPPORT"]
        await run_script(client, _SYSCFG_SCRIPT)
        assert await final_of(client, "AT^SYSCFG=15,2,3FFFFFFF,2,4") == "ERROR"


async def test_syscfg_mode_change_pushes_mode_on_e303() -> None:
    async with stick_and_client("E303") as (_, client):
        client.send("AT^SYSCFG=13,1,3FFFFFFF,2,4\r")
        pushed = await client.wait_for(b"^MODE:3,3\r\n")  # ^SYSINFO's GSM: it has no ^SYSINFOEX
        assert b"^RSSI:21" in pushed
        assert b"^HCSQ" not in pushed


async def test_the_mode_survives_a_reset(stick: EmulatedStick, pcui: AtClient) -> None:
    await pcui.ok(f'AT^SYSCFGEX="02"{_EX_TAIL}')
    pcui.close()
    await stick.reset()
    client = await open_client(stick)
    assert (await client.ok("AT^SYSCFGEX?"))[0].startswith('^SYSCFGEX: "02",')
    client.close()
