"""Established AT software (python-gsmmodem-new, pyserial, threads) drives the emulated stick."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from emulator import EmulatedStick


def _connect(port: str) -> Any:
    from gsmmodem.modem import GsmModem

    modem = GsmModem(port, 115200)
    modem.connect(pin="1234", waitingForModemToStartInSeconds=0)
    return modem


def _use(modem: Any, sms_number: str) -> dict[str, Any]:
    try:
        result = {
            "manufacturer": modem.manufacturer,
            "model": modem.model,
            "imei": modem.imei,
            "signal": modem.signalStrength,
            "inbox": [
                (sms.number, sms.text) for sms in modem.listStoredSms(memory="SM", delete=False)
            ],
        }
        modem.sendSms(sms_number, "Hello from gsmmodem äöü", waitForDeliveryReport=False)
        return result
    finally:
        modem.close()


@pytest.mark.slow
async def test_python_gsmmodem_identifies_reads_sends_and_lists() -> None:
    async with EmulatedStick("E3372", pin="1234") as stick:
        stick.set_signal(-75)
        stick.sms.status_report_delay = 60  # never within this test, as with a slow network
        # Arrives while the SIM is locked: the network holds it until gsmmodem enters the PIN,
        # then it lands in "SM" before any +CNMI (gsmmodem itself reads and deletes on +CMTI).
        stick.deliver_sms("+4930123456", "Welcome ✓")
        modem = await asyncio.wait_for(asyncio.to_thread(_connect, stick.ports["pcui"]), 20)
        result = await asyncio.wait_for(asyncio.to_thread(_use, modem, "+491701234567"), 20)
        assert result["manufacturer"] == "huawei"
        assert result["model"] == "E3372"
        assert result["imei"] == "866123045678901"
        assert result["signal"] == 19
        assert result["inbox"] == [("+4930123456", "Welcome ✓")]
        (sent,) = stick.sent
        assert (sent.number, sent.text) == ("+491701234567", "Hello from gsmmodem äöü")
        assert sent.status_report_requested


@pytest.mark.slow
async def test_python_gsmmodem_sees_an_incoming_call_with_caller_id() -> None:
    """gsmmodem enables +CLIP/+CRC itself; its incoming-call callback gets the caller."""
    from gsmmodem.modem import GsmModem

    seen: list[tuple[str, str, int, int]] = []
    loop = asyncio.get_running_loop()
    rang_twice = asyncio.Event()

    def on_call(call: Any) -> None:
        seen.append((call.number, call.ton, call.type, call.ringCount))
        if len(seen) == 2:
            loop.call_soon_threadsafe(rang_twice.set)

    async with EmulatedStick("E3372") as stick:
        stick.device.calls.ring_interval = 0.2

        def connect() -> Any:
            modem = GsmModem(stick.ports["pcui"], 115200, incomingCallCallbackFunc=on_call)
            modem.connect(waitingForModemToStartInSeconds=0)
            return modem

        modem = await asyncio.wait_for(asyncio.to_thread(connect), 20)
        try:
            stick.device.calls.incoming("+491701234567", rings=None)
            await asyncio.wait_for(rang_twice.wait(), 5)
            await asyncio.to_thread(modem.write, "ATH")
            assert stick.device.calls.current is None
        finally:
            await asyncio.to_thread(modem.close)
    assert seen[:2] == [("+491701234567", "145", 0, 1), ("+491701234567", "145", 0, 2)]


@pytest.mark.skipif(shutil.which("gammu") is None, reason="gammu (Debian package) not on PATH")
async def test_gammu_reads_the_network_info(tmp_path: Path) -> None:
    async with EmulatedStick("E3372") as stick:
        config = tmp_path / "gammurc"
        config.write_text(f"[gammu]\ndevice = {stick.ports['pcui']}\nconnection = at\n")
        gammu = await asyncio.create_subprocess_exec(
            "gammu",
            "-c",
            str(config),
            "--networkinfo",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(gammu.communicate(), 30)
        text = output.decode(errors="replace")
        assert gammu.returncode == 0, text
        assert "LAC 1A2B, CID 01C3D4E5" in text
        assert re.search(r"GPRS\s+: attached", text), text
        assert "home network" in text
