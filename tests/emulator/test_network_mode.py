"""Network mode: ^SYSCFGEX (E3372) and ^SYSCFG (E3131, E303) change what the stick reports."""

from __future__ import annotations

import pytest

from emulator import EmulatedStick

from .conftest import AtClient, open_client


async def test_e3372_syscfgex_lists_reads_back_and_switches_the_radio(
    stick: EmulatedStick, pcui: AtClient
) -> None:
    listing = (await pcui.ok("AT^SYSCFGEX=?"))[0]
    assert listing.startswith('^SYSCFGEX: ("00","03","02","01","99"),((')
    assert await pcui.ok("AT^SYSCFGEX?") == ['^SYSCFGEX: "00",3FFFFFFF,1,2,7FFFFFFFFFFFFFFF']
    pcui.send('AT^SYSCFGEX="02",3FFFFFFF,2,4,7FFFFFFFFFFFFFFF,,\r')
    pushed = await pcui.wait_for(b"^MODE:3,45\r\n")
    assert b'^HCSQ:"WCDMA",' in pushed
    assert await pcui.ok("AT^SYSCFGEX?") == ['^SYSCFGEX: "02",3FFFFFFF,1,2,7FFFFFFFFFFFFFFF']
    assert (await pcui.ok("AT^HCSQ?"))[0].startswith('^HCSQ:"WCDMA",')
    assert await pcui.ok("AT^SYSINFOEX") == ['^SYSINFOEX:2,3,0,1,,3,"WCDMA",45,"HSPA+"']
    assert await pcui.ok("AT+COPS?") == ['+COPS: 0,0,"Telekom.de",2']
    await pcui.ok('AT^SYSCFGEX="01",3FFFFFFF,2,4,7FFFFFFFFFFFFFFF,,')
    assert await pcui.ok("AT^HCSQ?") == ['^HCSQ:"GSM",50']
    assert await pcui.ok("AT+COPS?") == ['+COPS: 0,0,"Telekom.de",0']
    assert await pcui.ok("AT^SYSINFOEX") == ['^SYSINFOEX:2,3,0,1,,1,"GSM",3,"EDGE"']
    await pcui.ok('AT^SYSCFGEX="030201",3FFFFFFF,2,4,7FFFFFFFFFFFFFFF,,')
    assert await pcui.ok("AT+COPS?") == ['+COPS: 0,0,"Telekom.de",7']
    await pcui.ok('AT^SYSCFGEX="02",3FFFFFFF,2,4,7FFFFFFFFFFFFFFF,,')
    await pcui.ok('AT^SYSCFGEX="00",3FFFFFFF,2,4,7FFFFFFFFFFFFFFF,,')
    assert (await pcui.ok("AT^HCSQ?"))[0].startswith('^HCSQ:"LTE",')
    assert await pcui.ok('AT^SYSCFGEX="99",3FFFFFFF,2,4,7FFFFFFFFFFFFFFF,,') == []
    assert (await pcui.ok("AT^SYSCFGEX?"))[0].startswith('^SYSCFGEX: "00",')


@pytest.mark.parametrize("order", ['"04"', '"0"', '"0x"', ""])
async def test_e3372_refuses_bad_orders(pcui: AtClient, order: str) -> None:
    assert (await pcui.command(f"AT^SYSCFGEX={order},3FFFFFFF,2,4,7FFFFFFFFFFFFFFF,,"))[-1] == (
        "ERROR"
    )


async def test_e3372_has_no_syscfg(pcui: AtClient) -> None:
    assert await pcui.command("AT^SYSCFG?") == ["COMMAND NOT SUPPORT"]


@pytest.mark.parametrize("model", ["E3131", "E303"])
async def test_older_sticks_switch_with_syscfg(model: str) -> None:
    async with EmulatedStick(model) as stick:
        client = await open_client(stick)
        assert (await client.ok("AT^SYSCFG=?"))[0].startswith("^SYSCFG:(2,13,14,16),(0-3),((")
        assert await client.ok("AT^SYSCFG?") == ["^SYSCFG: 2,0,3FFFFFFF,1,2"]
        assert await client.command("AT^SYSCFGEX?") == ["COMMAND NOT SUPPORT"]
        await client.ok("AT^SYSCFG=13,1,3FFFFFFF,2,4")
        assert await client.ok("AT^SYSCFG?") == ["^SYSCFG: 13,1,3FFFFFFF,1,2"]
        assert await client.ok("AT+COPS?") == ['+COPS: 0,0,"Telekom.de",0']
        assert await client.ok("AT^SYSINFO") == ["^SYSINFO:2,3,0,3,1,,3"]
        assert await client.ok("AT+CSQ") == ["+CSQ: 21,99"]
        await client.ok("AT^SYSCFG=14,3,40000000,2,4")
        assert await client.ok("AT^SYSCFG?") == ["^SYSCFG: 14,1,3FFFFFFF,1,2"]
        assert await client.ok("AT+COPS?") == ['+COPS: 0,0,"Telekom.de",2']
        assert await client.ok("AT^SYSINFO") == ["^SYSINFO:2,3,0,5,1,,9"]
        await client.ok("AT^SYSCFG=2,1,3FFFFFFF,2,4")
        assert await client.ok("AT+COPS?") == ['+COPS: 0,0,"Telekom.de",0']
        await client.ok("AT^SYSCFG=2,2,3FFFFFFF,2,4")
        assert await client.ok("AT+COPS?") == ['+COPS: 0,0,"Telekom.de",2']
        assert (await client.command("AT^SYSCFG=15,2,3FFFFFFF,2,4"))[-1] == "ERROR"
        client.close()


async def test_syscfg_mode_change_pushes_mode_on_e303() -> None:
    async with EmulatedStick("E303") as stick:
        client = await open_client(stick)
        client.send("AT^SYSCFG=13,1,3FFFFFFF,2,4\r")
        pushed = await client.wait_for(b"^MODE:1,3\r\n")
        assert b"^RSSI:21" in pushed
        assert b"^HCSQ" not in pushed
        client.close()


async def test_the_mode_survives_a_reset(stick: EmulatedStick, pcui: AtClient) -> None:
    await pcui.ok('AT^SYSCFGEX="02",3FFFFFFF,2,4,7FFFFFFFFFFFFFFF,,')
    pcui.close()
    await stick.reset()
    client = await open_client(stick)
    assert (await client.ok("AT^SYSCFGEX?"))[0].startswith('^SYSCFGEX: "02",')
    client.close()
