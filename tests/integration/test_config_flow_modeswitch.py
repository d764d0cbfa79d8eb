"""From a stick in CD-ROM mode to a configured stick, without leaving Home Assistant.

The emulated stick starts in its mass-storage phase; the USB listing and the modeswitch are fakes
that drive it (``stick.modeswitch()``) and answer what ``modem/usb.py`` would. Every error path
ends by recovering to a created entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from homeassistant import config_entries
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from serialx import SerialPortInfo

from custom_components.huawei_modem.const import CONF_DEVICE, CONF_PIN, DOMAIN
from custom_components.huawei_modem.modem.discovery import find_at_port
from custom_components.huawei_modem.modem.errors import (
    UsbError,
)
from custom_components.huawei_modem.modem.usb import DEFAULT_MESSAGE, StickMode, UsbStick
from emulator import EmulatedStick

from .helpers import SWITCH_ERRORS, listed_port, machine_listing, off_the_event_loop

PROBE = "custom_components.huawei_modem.probe"
SWITCH = "custom_components.huawei_modem.modeswitch"
PIN = "1234"
IMEI = "866123045678901"
STORAGE = UsbStick(0x12D1, 0x1F01, StickMode.STORAGE, 1, 4, None, "HUAWEI Mobile")
HILINK = UsbStick(0x12D1, 0x14DC, StickMode.HILINK, 1, 6, None, "HUAWEI Mobile")
OTHER_MESSAGE = "55534243123456780000000000000011063000000000010000000000000000"


def modem_stick(stick: EmulatedStick) -> UsbStick:
    return UsbStick(0x12D1, stick.model.usb_pid, StickMode.SERIAL_MODEM, 1, 5, None, "HUAWEI")


def serial_ports(stick: EmulatedStick) -> list[SerialPortInfo]:
    """The stick's ttys as serialx lists them right now (none in CD-ROM mode)."""
    if stick.usb is None:
        return []
    return [listed_port(stick, role) for role in stick.stable_paths]


def usb_sticks(stick: EmulatedStick) -> list[UsbStick]:
    usb = stick.usb
    if usb is None:
        return []
    return [STORAGE] if usb.pid == STORAGE.pid else [modem_stick(stick)]


@pytest.fixture(name="cdrom_stick")
def cdrom_stick_fixture(stick: EmulatedStick) -> EmulatedStick:
    """The emulated stick, replugged on a host without usb_modeswitch: CD-ROM mode."""
    stick.auto_modeswitch = False
    stick.replug()
    assert stick.ports == {}
    return stick


@pytest.fixture(name="switch")
def switch_fixture(cdrom_stick: EmulatedStick) -> Iterator[AsyncMock]:
    """``async_modeswitch``: switches the emulated stick and answers as modem/usb.py does."""

    async def switch(vid: int, pid: int, **kwargs: Any) -> UsbStick:
        cdrom_stick.modeswitch()
        return modem_stick(cdrom_stick)

    fake = AsyncMock(side_effect=switch)
    with patch(f"{SWITCH}.async_modeswitch", off_the_event_loop(fake)):
        yield fake


@pytest.fixture(autouse=True)
def _machine(stick: EmulatedStick) -> Iterator[None]:
    with (
        machine_listing(
            AsyncMock(side_effect=lambda: serial_ports(stick)),
            AsyncMock(side_effect=lambda: usb_sticks(stick)),
        ),
        patch(f"{PROBE}.find_at_port", partial(find_at_port, probe_timeout=0.3)),
        patch(f"{SWITCH}.TTY_POLL_INTERVAL", 0.01),
        patch(f"{SWITCH}.TTY_WAIT", 0.1),
        patch("custom_components.huawei_modem.async_setup_entry", return_value=True),
        patch("custom_components.huawei_modem.async_unload_entry", return_value=True),
    ):
        yield


async def pick_the_cdrom_stick(hass: HomeAssistant) -> ConfigFlowResult:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    options = [
        option["value"] for option in result["data_schema"].schema[CONF_DEVICE].config["options"]
    ]
    assert options == ["usb:12d1:1f01"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_DEVICE: "usb:12d1:1f01"}
    )
    assert result["type"] == FlowResultType.FORM
    assert result["step_id"] == "modeswitch"
    assert result["description_placeholders"]["usb_id"] == "12d1:1f01"
    return result


async def run_switch(
    hass: HomeAssistant, flow_id: str, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Agree to the switch, wait for its progress to end, and take the next step."""
    result = await hass.config_entries.flow.async_configure(flow_id, user_input or {})
    assert result["type"] == FlowResultType.SHOW_PROGRESS
    assert result["progress_action"] == "modeswitch"
    await hass.async_block_till_done()
    return await hass.config_entries.flow.async_configure(flow_id)


def fail_once(switch: AsyncMock, error: UsbError | None) -> None:
    """The first switch raises ``error`` (None: it answers without switching the stick)."""
    switch_for_real = switch.side_effect
    stick = UsbStick(0x12D1, 0x1506, StickMode.SERIAL_MODEM, 1, 5, None, "HUAWEI")

    async def first_then_for_real(vid: int, pid: int, **kwargs: Any) -> UsbStick:
        switch.side_effect = switch_for_real
        if error is not None:
            raise error
        return stick

    switch.side_effect = first_then_for_real


def assert_entry(result: ConfigFlowResult, stick: EmulatedStick, **extra: str) -> None:
    assert result["type"] == FlowResultType.CREATE_ENTRY, result
    assert result["data"] == {CONF_DEVICE: str(stick.stable_paths["pcui"]), **extra}
    assert result["result"].unique_id == IMEI


# --- the way through ------------------------------------------------------------------------------


@pytest.mark.parametrize("stick_pin", [PIN])
async def test_cdrom_stick_is_switched_then_set_up_with_its_pin(
    hass: HomeAssistant, cdrom_stick: EmulatedStick, switch: AsyncMock
) -> None:
    result = await pick_the_cdrom_stick(hass)

    result = await run_switch(hass, result["flow_id"])
    assert result["type"] == FlowResultType.FORM
    assert result["step_id"] == "pin"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PIN: PIN})

    assert_entry(result, cdrom_stick, pin=PIN)
    switch.assert_awaited_once_with(0x12D1, 0x1F01, message=DEFAULT_MESSAGE, bus=1, address=4)


async def test_another_switch_message_can_be_given(
    hass: HomeAssistant, cdrom_stick: EmulatedStick, switch: AsyncMock
) -> None:
    result = await pick_the_cdrom_stick(hass)

    result = await run_switch(hass, result["flow_id"], {"message": f" {OTHER_MESSAGE} "})

    assert_entry(result, cdrom_stick)
    assert switch.await_args is not None
    assert switch.await_args.kwargs["message"] == OTHER_MESSAGE


async def test_a_wrong_switch_message_is_refused_before_anything_is_sent(
    hass: HomeAssistant, cdrom_stick: EmulatedStick, switch: AsyncMock
) -> None:
    result = await pick_the_cdrom_stick(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"message": "5553424312"}
    )
    assert result["type"] == FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_switch_message"}
    switch.assert_not_called()

    result = await run_switch(hass, result["flow_id"], {"message": DEFAULT_MESSAGE})
    assert_entry(result, cdrom_stick)


# --- errors, each recovered -----------------------------------------------------------------------


@pytest.mark.parametrize(("error", "key"), SWITCH_ERRORS)
async def test_a_failed_switch_is_explained_and_can_be_retried(
    hass: HomeAssistant,
    cdrom_stick: EmulatedStick,
    switch: AsyncMock,
    error: UsbError,
    key: str,
) -> None:
    fail_once(switch, error)
    result = await pick_the_cdrom_stick(hass)

    result = await run_switch(hass, result["flow_id"])
    assert result["type"] == FlowResultType.FORM
    assert result["step_id"] == "modeswitch"
    assert result["errors"] == {"base": key}
    assert result["description_placeholders"]["error"] == str(error)
    assert "12d1" in result["description_placeholders"]["udev_rule"]

    result = await run_switch(hass, result["flow_id"])
    assert_entry(result, cdrom_stick)
    assert switch.await_count == 2


async def test_a_stick_whose_ports_do_not_appear_times_out_and_can_be_retried(
    hass: HomeAssistant, cdrom_stick: EmulatedStick, switch: AsyncMock
) -> None:
    fail_once(switch, None)  # on the bus as a modem, but no tty appears
    result = await pick_the_cdrom_stick(hass)

    result = await run_switch(hass, result["flow_id"])
    assert result["errors"] == {"base": "usb_switch_timeout"}

    result = await run_switch(hass, result["flow_id"])
    assert_entry(result, cdrom_stick)


async def test_a_switched_stick_without_at_port_leaves_the_port_list(
    hass: HomeAssistant, cdrom_stick: EmulatedStick, switch: AsyncMock
) -> None:
    result = await pick_the_cdrom_stick(hass)

    with patch(f"{PROBE}.find_at_port", AsyncMock(return_value=None)):
        result = await run_switch(hass, result["flow_id"])
    assert result["type"] == FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "not_at_port"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_DEVICE: str(cdrom_stick.stable_paths["modem"])}
    )
    assert_entry(result, cdrom_stick)


# --- HiLink: explained, never switched -----------------------------------------------------------


async def test_a_hilink_stick_is_explained_and_not_switched(
    hass: HomeAssistant, cdrom_stick: EmulatedStick, switch: AsyncMock
) -> None:
    with machine_listing(None, AsyncMock(return_value=[HILINK])):
        result = await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": config_entries.SOURCE_USER}
        )
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_DEVICE: "usb:12d1:14dc"}
        )

    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "hilink_mode"
    switch.assert_not_called()
