"""Port profiles, ^RESET, unplug/replug, power-on state, persistence, the control channel."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from emulator import EmulatedStick
from emulator.control import ControlServer

from .conftest import AtClient, open_client


async def test_setport_lists_and_shows_profile(pcui: AtClient) -> None:
    assert await pcui.ok("AT^SETPORT?") == ["^SETPORT:A1,A2;10,12,13,16,A1,A2"]
    listing = await pcui.ok("AT^SETPORT=?")
    assert "^SETPORT:10: 4G MODEM" in listing
    assert "^SETPORT:12: 4G PCUI" in listing
    assert await pcui.ok("AT^GETPORTMODE") == [
        "^GETPORTMODE: TYPE: WCDMA: huawei,MDM:0,PCUI:1,DIAG:2,NCM:3,CDROM:5,SD:6,"
    ]


async def test_setport_list_uses_cr_cr_lf(stick: EmulatedStick, pcui: AtClient) -> None:
    pcui.send("AT^SETPORT=?\r")
    data = await pcui.wait_for(b"OK\r\n")
    assert b"^SETPORT:A1: CDROM\r\r\n^SETPORT:A2: SD\r\r\n" in data


async def test_setport_refuses_unknown_codes(pcui: AtClient) -> None:
    assert await pcui.command('AT^SETPORT="FF;10,99"') == ["ERROR"]
    assert await pcui.command('AT^SETPORT="10,12"') == ["ERROR"]


async def test_reset_applies_profile_and_power_on_state(
    stick: EmulatedStick, link_dir: Path
) -> None:
    client = await open_client(stick)
    old_names = set(stick.ports.values())
    await client.ok("AT+CMEE=1;+CNMI=2,1,0,2,0;^CURC=0")
    await client.ok('AT^SETPORT="FF;12,10"')
    assert await client.ok("AT^SETPORT?") == ["^SETPORT:A1,A2;10,12,13,16,A1,A2"]
    await client.ok("AT^RESET")
    with pytest.raises((ConnectionError, TimeoutError)):
        await client.wait_for(b"never", 2)
    assert client.closed
    client.close()
    await stick.wait_plugged()
    assert set(stick.ports) == {"pcui", "modem"}
    assert not old_names & set(stick.ports.values())
    assert stick.stable_paths["pcui"].name.endswith("-if00-port0")
    client = await AtClient.open_pty(stick.stable_paths["pcui"])
    assert await client.command("AT+CNMI?") == ["AT+CNMI?", "+CNMI: 0,0,0,0,0", "OK"]
    await client.ok("ATE0")
    assert await client.ok("AT^SETPORT?") == ["^SETPORT:FF;12,10"]
    assert await client.ok("AT^CURC?") == ["^CURC: 1"]
    assert await client.ok("AT+CMEE?") == ["+CMEE: 0"]
    assert sorted(path.name for path in link_dir.iterdir()) == [
        "usb-HUAWEI_MOBILE_HUAWEI_MOBILE-if00-port0",
        "usb-HUAWEI_MOBILE_HUAWEI_MOBILE-if01-port0",
    ]
    client.close()


async def test_profile_without_pcui_leaves_no_at_port(stick: EmulatedStick) -> None:
    client = await open_client(stick)
    await client.ok('AT^SETPORT="FF;10,13"')
    client.close()
    await stick.reset()
    assert set(stick.ports) == {"modem", "diag"}
    modem = await AtClient.open_pty(stick.ports["modem"])
    modem.send("AT\r")
    assert await modem.silence(0.2) == b""
    modem.close()
    stick.restore_profile()
    assert "pcui" in stick.ports


async def test_unplug_gives_io_error_and_replug_new_names(
    stick: EmulatedStick, link_dir: Path
) -> None:
    client = await open_client(stick)
    stick.deliver_sms("+491701234567", "kept")
    await client.ok("AT+CPIN?;+CMEE=1")
    old = dict(stick.ports)
    stick.unplug()
    with pytest.raises((ConnectionError, TimeoutError)):
        await client.wait_for(b"never", 2)
    assert client.closed
    assert stick.ports == {}
    assert stick.usb is None
    assert list(link_dir.iterdir()) == []
    client.close()
    stick.replug()
    assert not set(old.values()) & set(stick.ports.values())
    client = await open_client(stick)
    assert await client.ok("AT+CMEE?") == ["+CMEE: 0"]
    assert len(await client.ok("AT+CMGL=4")) == 2
    client.close()


async def test_old_pty_path_is_gone_after_unplug(stick: EmulatedStick) -> None:
    path = stick.ports["pcui"]
    stick.unplug()
    with pytest.raises(FileNotFoundError):
        os.close(os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK))


async def test_mass_storage_phase_without_modeswitch() -> None:
    async with EmulatedStick(auto_modeswitch=False, reset_delay=0.01) as stick:
        assert stick.ports == {}
        assert stick.usb is not None
        assert stick.usb.pid == 0x1F01
        stick.modeswitch()
        assert stick.usb.pid == 0x1506
        assert "pcui" in stick.ports
        client = await open_client(stick)
        await client.ok('AT^SETPORT="FF;10,12"')
        client.close()
        await stick.reset()
        assert stick.usb.pid == 0x1506


async def test_state_file_keeps_profile_messages_and_counters(tmp_path: Path) -> None:
    state = tmp_path / "stick.json"
    async with EmulatedStick(pin="1234", state_file=state) as stick:
        client = await open_client(stick)
        await client.command('AT+CPIN="9999"')
        await client.ok('AT+CPIN="1234"')
        await client.ok('AT^SETPORT="FF;10,12"')
        stick.deliver_sms("+491701234567", "persisted")
        reference = stick.device.next_reference
        client.close()
    async with EmulatedStick(pin="1234", state_file=state) as stick:
        client = await open_client(stick)
        assert await client.ok("AT^SETPORT?") == ["^SETPORT:FF;10,12"]
        assert await client.ok("AT+CPIN?") == ["+CPIN: SIM PIN"]
        await client.ok('AT+CPIN="1234"')
        assert len(stick.stored_messages()) == 1
        assert stick.device.next_reference == reference
        client.close()


async def test_control_channel_actions(stick: EmulatedStick, link_dir: Path) -> None:
    """The dispatch behind the Unix socket (the socket itself: the slow CLI test; the test
    harness blocks connect() on Unix sockets)."""
    server = ControlServer(stick, link_dir / "control.sock")

    async def ask(**payload: object) -> dict[str, object]:
        return await server.handle(json.dumps(payload).encode())

    assert (await ask(action="sms", sender="+4912", text="hi"))["ok"]
    assert len(stick.stored_messages()) == 1
    assert (await ask(action="signal", rssi_dbm=-99))["ok"]
    assert stick.signal.rssi_dbm == -99
    assert (await ask(action="refuse", code=38, count=None))["ok"]
    assert stick.sms.refuse_code == 38
    assert (await ask(action="refuse", code=21, after=2))["ok"]
    assert (stick.sms.refuse_code, stick.sms.refuse_count, stick.sms.refuse_after) == (21, 1, 2)
    assert (await ask(action="sent"))["sent"] == []
    assert (await ask(action="unplug"))["ok"]
    assert stick.ports == {}
    replugged = await ask(action="replug")
    assert set(replugged["ports"]) == {"pcui", "modem", "diag"}  # type: ignore[arg-type]
    assert (await ask(action="fault", stall_next=1))["ok"]
    assert stick.faults.stall_next == 1
    assert (await ask(action="nope"))["ok"] is False
    assert (await ask(action="fault", no_such_fault=1))["ok"] is False


@pytest.mark.slow
async def test_cli_serve_and_control(tmp_path: Path) -> None:
    link_dir = tmp_path / "links"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    serve = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "emulator",
        "serve",
        "--link-dir",
        str(link_dir),
        "--pin",
        "1234",
        stdout=subprocess.PIPE,
        env=env,
    )
    try:
        assert serve.stdout is not None
        async with asyncio.timeout(20):
            while b"Ctrl-C" not in await serve.stdout.readline():
                pass
        sms = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "emulator",
            "sms",
            "--link-dir",
            str(link_dir),
            "--sender",
            "+491701234567",
            "hello",
            stdout=subprocess.PIPE,
            env=env,
        )
        output, _ = await sms.communicate()
        assert b'"ok": true' in output
    finally:
        serve.terminate()
        await serve.wait()
    assert not (link_dir / "control.sock").exists()
