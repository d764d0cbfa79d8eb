"""Framing, echo, result formats, identity, unknown commands, the three kinds of port."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from emulator import MODELS, EmulatedStick

from .conftest import AtClient, open_client


async def test_echo_repeats_the_command_with_its_cr_until_ate0(stick: EmulatedStick) -> None:
    client = await AtClient.open_pty(stick.ports["pcui"])
    client.send("AT\r")
    assert await client.wait_for(b"OK\r\n") == b"AT\r\r\nOK\r\n"
    client.send("ATE0\r")
    assert await client.wait_for(b"OK\r\n") == b"ATE0\r\r\nOK\r\n"
    client.send("AT\r")
    assert await client.wait_for(b"OK\r\n") == b"\r\nOK\r\n"
    client.close()


async def test_information_reply_framing(pcui: AtClient) -> None:
    pcui.send("AT+CGMI\r")
    assert await pcui.wait_for(b"OK\r\n") == b"\r\nhuawei\r\n\r\nOK\r\n"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("AT+CGMI", ["huawei"]),
        ("AT+CGMM", ["E3372"]),
        ("AT+CGMR", ["21.286.03.01.209"]),
        ("AT+CGSN", ["866123045678901"]),
        ("AT+CIMI", ["262011234567890"]),
        ("AT^ICCID?", ["^ICCID: 89490200001234567890"]),
        ("AT+CNUM", ['+CNUM: "","+4915112345678",145']),
        ("AT^FHVER", ['^FHVER:"E3372s-153 21.286.03.01.209,CH2E3372SM Ver.A"']),
    ],
)
async def test_identity(pcui: AtClient, command: str, expected: list[str]) -> None:
    assert await pcui.ok(command) == expected


async def test_ati_lists_maker_model_revision_imei(pcui: AtClient) -> None:
    lines = await pcui.ok("ATI")
    assert lines[:4] == [
        "Manufacturer: huawei",
        "Model: E3372",
        "Revision: 21.286.03.01.209",
        "IMEI: 866123045678901",
    ]


async def test_cnum_is_empty_without_own_number() -> None:
    async with EmulatedStick("E3131", own_number=None) as stick:
        client = await open_client(stick)
        assert await client.ok("AT+CNUM") == []
        client.close()


async def test_cmee_modes(link_dir: Path) -> None:
    async with EmulatedStick(pin="1234") as stick:
        client = await open_client(stick)
        assert (await client.command("AT+CIMI"))[-1] == "ERROR"
        await client.ok("AT+CMEE=1")
        assert (await client.command("AT+CIMI"))[-1] == "+CME ERROR: 11"
        await client.ok("AT+CMEE=2")
        assert (await client.command("AT+CIMI"))[-1] == "+CME ERROR: SIM PIN required"
        assert await client.ok("AT+CMEE?") == ["+CMEE: 2"]
        assert (await client.command("AT+CMEE=7"))[-1] == "ERROR"
        client.close()


async def test_unknown_commands(pcui: AtClient) -> None:
    assert await pcui.command("AT+NOPE") == ["ERROR"]
    assert await pcui.command("AT^NOPE") == ["COMMAND NOT SUPPORT"]
    assert await pcui.command("ATGARBAGE!") == ["ERROR"]


async def test_e303_knows_only_sysinfo() -> None:
    async with EmulatedStick("E303") as stick:
        client = await open_client(stick)
        for command in ("AT^HCSQ?", "AT^SYSINFOEX", "AT^SETPORT?", "AT^GETPORTMODE"):
            assert await client.command(command) == ["COMMAND NOT SUPPORT"], command
        assert await client.ok("AT^SYSINFO") == ["^SYSINFO:2,3,0,5,1,,9"]
        assert await client.command("AT+CEREG?") == ["ERROR"]
        client.close()


async def test_several_commands_in_one_line(pcui: AtClient) -> None:
    assert await pcui.ok("AT+CMGF=0;+CNMI=2,1,0,2,0;+CMGF?;+CNMI?") == [
        "+CMGF: 0",
        "+CNMI: 2,1,0,2,0",
    ]
    assert await pcui.command("AT+CMGF=0;+NOPE;+CMGF?") == ["ERROR"]


async def test_atz_and_at_f_bring_echo_back(pcui: AtClient) -> None:
    pcui.send("ATZ\r")
    assert await pcui.wait_for(b"OK\r\n") == b"\r\nOK\r\n"
    pcui.send("AT\r")
    assert await pcui.wait_for(b"OK\r\n") == b"AT\r\r\nOK\r\n"
    await pcui.ok("ATE0 Q0 V1")
    assert await pcui.command("AT&F") == ["OK"]
    assert await pcui.command("AT") == ["AT", "OK"]


async def test_numeric_results_with_v0(pcui: AtClient) -> None:
    pcui.send("ATV0\r")
    assert await pcui.wait_for(b"0\r") == b"0\r"
    pcui.send("AT+NOPE\r")
    assert await pcui.wait_for(b"4\r") == b"4\r"
    pcui.send("ATV1\r")
    assert await pcui.wait_for(b"OK\r\n") == b"\r\nOK\r\n"


async def test_cfun_and_clac(pcui: AtClient) -> None:
    assert await pcui.ok("AT+CFUN?") == ["+CFUN: 1"]
    commands = await pcui.ok("AT+CLAC")
    assert {"+CMGS", "+CPIN", "^HCSQ", "^SETPORT"} <= set(commands)
    await pcui.ok("AT+CFUN=0")
    assert await pcui.ok("AT+CSQ") == ["+CSQ: 99,99"]
    await pcui.ok("AT+CFUN=1")


async def test_lines_without_at_and_garbage_before_at(pcui: AtClient) -> None:
    pcui.send(b"hello\r")
    assert await pcui.silence(0.1) == b""
    pcui.send(b"\xff\x00AT\r")
    assert await pcui.read_final() == ["OK"]


async def test_modem_port_answers_at_without_unsolicited(stick: EmulatedStick) -> None:
    modem = await open_client(stick, "modem")
    pcui = await open_client(stick, "pcui")
    await pcui.ok("AT+CNMI=2,1,0,0,0")
    stick.send_unsolicited("^RSSI:17")
    assert b"^RSSI:17" in await pcui.wait_for(b"^RSSI:17\r\n")
    assert await modem.ok("AT+CGMI") == ["huawei"]
    assert b"RSSI" not in await modem.silence(0.1)
    modem.close()
    pcui.close()


async def test_diag_port_never_answers_at(stick: EmulatedStick) -> None:
    diag = await AtClient.open_pty(stick.ports["diag"])
    diag.send("AT\r")
    answer = await diag.silence(0.2)
    assert b"OK" not in answer
    assert answer
    assert not answer.startswith(b"AT")
    diag.close()


@pytest.mark.usefixtures("socket_enabled")
async def test_tcp_reaches_the_pcui() -> None:
    async with EmulatedStick(tcp_port=0) as stick:
        assert stick.tcp_url is not None
        assert stick.tcp_url.startswith("socket://127.0.0.1:")
        client = await AtClient.open_tcp(stick.tcp_url)
        assert await client.command("AT+CGMM") == ["AT+CGMM", "E3372", "OK"]
        stick.send_unsolicited("RING")
        assert await client.wait_for(b"RING\r\n")
        second = await AtClient.open_tcp(stick.tcp_url)
        assert await second.silence(0.05) == b""
        assert second.closed
        stick.unplug()
        client.close()
        second.close()


async def test_stable_symlinks_are_named_by_interface(stick: EmulatedStick, link_dir: Path) -> None:
    paths = stick.stable_paths
    assert paths["pcui"].name == "usb-HUAWEI_MOBILE_HUAWEI_MOBILE-if01-port0"
    assert paths["modem"].name.endswith("-if00-port0")
    assert os.path.realpath(paths["pcui"]) == stick.ports["pcui"]
    client = await AtClient.open_pty(paths["pcui"])
    assert (await client.command("AT"))[-1] == "OK"
    client.close()


@pytest.mark.parametrize(
    ("model", "pcui_protocol", "modem_protocol", "pcui_interface"),
    [("E3372", 0x12, 0x10, 1), ("E3131", 0x02, 0x01, 2), ("E303", 0x02, 0x01, 2)],
)
async def test_usb_identity(
    model: str, pcui_protocol: int, modem_protocol: int, pcui_interface: int
) -> None:
    async with EmulatedStick(model) as stick:
        usb = stick.usb
        assert usb is not None
        assert (usb.vid, usb.pid) == (0x12D1, MODELS[model].usb_pid)
        pcui, modem = usb.interface_of("pcui"), usb.interface_of("modem")
        assert pcui is not None
        assert modem is not None
        assert (pcui.interface_class, pcui.protocol, pcui.number) == (
            0xFF,
            pcui_protocol,
            pcui_interface,
        )
        assert modem.protocol == modem_protocol
