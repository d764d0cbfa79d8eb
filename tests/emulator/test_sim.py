"""PIN and PUK exactly as a real SIM counts them; SIM removal and insertion."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from emulator import EmulatedStick

from .conftest import AtClient, open_client


@pytest.fixture
async def locked() -> AsyncIterator[tuple[EmulatedStick, AtClient]]:
    async with EmulatedStick(pin="1234", puk="87654321") as stick:
        client = await open_client(stick)
        await client.ok("AT+CMEE=1")
        yield stick, client
        client.close()


async def test_pin_required_then_ready(locked: tuple[EmulatedStick, AtClient]) -> None:
    _, client = locked
    assert await client.ok("AT+CPIN?") == ["+CPIN: SIM PIN"]
    assert await client.ok("AT^CPIN?") == ["^CPIN: SIM PIN,3,10,3,10,3"]
    assert await client.command("AT+CMGL=4") == ["+CME ERROR: 11"]
    await client.ok('AT+CPIN="1234"')
    assert await client.ok("AT+CPIN?") == ["+CPIN: READY"]
    assert await client.ok("AT^CPIN?") == ["^CPIN: READY,,10,3,10,3"]
    assert await client.command('AT+CPIN="1234"') == ["+CME ERROR: 3"]


async def test_wrong_pin_costs_a_try_and_right_pin_resets(
    locked: tuple[EmulatedStick, AtClient],
) -> None:
    _, client = locked
    assert await client.command('AT+CPIN="0000"') == ["+CME ERROR: 16"]
    assert await client.command('AT+CPIN="1111"') == ["+CME ERROR: 16"]
    assert await client.ok("AT^CPIN?") == ["^CPIN: SIM PIN,1,10,1,10,3"]
    await client.ok('AT+CPIN="1234"')
    assert await client.ok("AT^CPIN?") == ["^CPIN: READY,,10,3,10,3"]


async def test_three_wrong_pins_then_puk(locked: tuple[EmulatedStick, AtClient]) -> None:
    _, client = locked
    for _ in range(3):
        assert await client.command('AT+CPIN="0000"') == ["+CME ERROR: 16"]
    assert await client.ok("AT+CPIN?") == ["+CPIN: SIM PUK"]
    assert await client.ok("AT^CPIN?") == ["^CPIN: SIM PUK,10,10,0,10,3"]
    assert await client.command("AT+CIMI") == ["+CME ERROR: 12"]
    assert await client.command('AT+CPIN="1234"') == ["+CME ERROR: 12"]
    assert await client.command('AT+CPIN="11111111","4321"') == ["+CME ERROR: 16"]
    assert await client.ok("AT^CPIN?") == ["^CPIN: SIM PUK,9,9,0,10,3"]
    await client.ok('AT+CPIN="87654321","4321"')
    assert await client.ok("AT^CPIN?") == ["^CPIN: READY,,10,3,10,3"]
    assert await client.ok("AT+CIMI") == ["262011234567890"]


async def test_new_pin_from_puk_is_asked_after_reset(
    locked: tuple[EmulatedStick, AtClient],
) -> None:
    stick, client = locked
    for _ in range(3):
        await client.command('AT+CPIN="0000"')
    await client.ok('AT+CPIN="87654321","4321"')
    client.close()
    stick.replug()
    client = await open_client(stick)
    assert await client.ok("AT+CPIN?") == ["+CPIN: SIM PIN"]
    assert await client.command('AT+CPIN="1234"') == ["ERROR"]
    await client.ok('AT+CPIN="4321"')
    client.close()


async def test_ten_wrong_puks_kill_the_sim(locked: tuple[EmulatedStick, AtClient]) -> None:
    _, client = locked
    for _ in range(3):
        await client.command('AT+CPIN="0000"')
    for _ in range(10):
        assert await client.command('AT+CPIN="00000000","1111"') == ["+CME ERROR: 16"]
    assert await client.command("AT+CPIN?") == ["+CME ERROR: 13"]
    assert await client.command('AT+CPIN="87654321","1111"') == ["+CME ERROR: 13"]


async def test_sim_removed_and_inserted(locked: tuple[EmulatedStick, AtClient]) -> None:
    stick, client = locked
    await client.ok('AT+CPIN="1234"')
    stick.remove_sim()
    assert await client.wait_for(b"^SIMST:255\r\n")
    assert await client.command("AT+CPIN?") == ["+CME ERROR: 10"]
    assert await client.command("AT+CIMI") == ["+CME ERROR: 10"]
    assert await client.ok("AT^SYSINFOEX") == [
        '^SYSINFOEX:0,0,0,255,,0,"NO SERVICE",0,"NO SERVICE"'
    ]
    stick.insert_sim()
    assert await client.wait_for(b"^SIMST:1\r\n")
    assert await client.ok("AT+CPIN?") == ["+CPIN: SIM PIN"]


async def test_iccid_readable_before_the_pin(locked: tuple[EmulatedStick, AtClient]) -> None:
    _, client = locked
    assert await client.ok("AT^ICCID?") == ["^ICCID: 89490200001234567890"]


async def test_clck_switches_the_pin_check(locked: tuple[EmulatedStick, AtClient]) -> None:
    stick, client = locked
    await client.ok('AT+CPIN="1234"')
    assert await client.ok('AT+CLCK="SC",2') == ["+CLCK: 1"]
    assert await client.command('AT+CLCK="SC",0,"9999"') == ["+CME ERROR: 16"]
    await client.ok('AT+CLCK="SC",0,"1234"')
    client.close()
    stick.replug()
    client = await open_client(stick)
    assert await client.ok("AT+CPIN?") == ["+CPIN: READY"]
    client.close()
