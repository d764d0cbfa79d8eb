"""A configured stick that comes back in CD-ROM mode: repair issue, fix flow, live again."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import DOMAIN
from custom_components.huawei_modem.modem.errors import NoUsbBackendError, UsbPermissionError
from custom_components.huawei_modem.modem.usb import DEFAULT_MESSAGE, StickMode, UsbStick
from emulator import EmulatedStick

from . import helpers
from .helpers import later, off_the_event_loop, state_of

CDROM_WATCH = "custom_components.huawei_modem.away_watch"
MODESWITCH = "custom_components.huawei_modem.modeswitch"
SIGNAL = "sensor.e3372_signal_strength"
STORAGE = UsbStick(0x12D1, 0x1F01, StickMode.STORAGE, 1, 4, None, "HUAWEI Mobile")
MODEM = UsbStick(0x12D1, 0x1506, StickMode.SERIAL_MODEM, 1, 5, None, "HUAWEI Mobile")


until = partial(helpers.until, limit=5.0)  # a switch and a restart take their time


def issue_of(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"cdrom_mode_{entry.entry_id}")


@pytest.fixture(name="usb_listing")
def usb_listing_fixture(stick: EmulatedStick) -> Iterator[AsyncMock]:
    """What the coordinator finds on the USB bus: the emulated stick, in whatever mode it is."""

    def listing() -> list[UsbStick]:
        usb = stick.usb
        if usb is None:
            return []
        return [STORAGE if usb.pid == STORAGE.pid else MODEM]

    with patch(f"{CDROM_WATCH}.async_list_huawei_devices", AsyncMock(side_effect=listing)) as fake:
        yield fake


@pytest.fixture(name="switch")
def switch_fixture(stick: EmulatedStick) -> Iterator[AsyncMock]:
    async def switch(vid: int, pid: int, **kwargs: Any) -> UsbStick:
        stick.modeswitch()
        return MODEM

    fake = AsyncMock(side_effect=switch)
    with patch(f"{MODESWITCH}.async_modeswitch", off_the_event_loop(fake)):
        yield fake


@pytest.fixture(autouse=True)
async def _repairs(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "repairs", {})


async def replugged_in_cdrom_mode(
    hass: HomeAssistant, stick: EmulatedStick, entry: MockConfigEntry
) -> ir.IssueEntry:
    """Replug on a host without usb_modeswitch; reconnect attempts until the issue is raised."""
    stick.auto_modeswitch = False
    stick.replug()
    await until(hass, lambda: state_of(hass, SIGNAL) == STATE_UNAVAILABLE)
    for _ in range(4):
        if (issue := issue_of(hass, entry)) is not None:
            return issue
        await later(hass, 6)
    raise AssertionError("no repair issue")


async def start_fix(hass: HomeAssistant, issue: ir.IssueEntry) -> FlowResult:
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue.issue_id})
    assert result["type"] == FlowResultType.FORM
    assert result["step_id"] == "confirm"
    assert result["description_placeholders"]["title"] == "E3372"
    assert result["description_placeholders"]["usb_id"] == "12d1:1f01"
    return result


async def submit_and_switch(hass: HomeAssistant, flow_id: str) -> FlowResult:
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_configure(flow_id, {})
    assert result["type"] == FlowResultType.SHOW_PROGRESS
    await hass.async_block_till_done()
    return await manager.async_configure(flow_id)


async def test_stick_back_in_cdrom_mode_is_repaired_and_live_again(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    usb_listing: AsyncMock,
    switch: AsyncMock,
) -> None:
    issue = await replugged_in_cdrom_mode(hass, stick, loaded_entry)

    assert issue.is_fixable
    assert issue.translation_key == "cdrom_mode"
    assert usb_listing.await_count == 1  # not on every reconnect attempt
    for _ in range(5):
        await later(hass, 6)
    assert usb_listing.await_count == 1  # the next look after six attempts (30 s)

    result = await start_fix(hass, issue)
    result = await submit_and_switch(hass, result["flow_id"])

    assert result["type"] == FlowResultType.CREATE_ENTRY
    switch.assert_awaited_once_with(0x12D1, 0x1F01, message=DEFAULT_MESSAGE, bus=1, address=4)
    assert issue_of(hass, loaded_entry) is None
    await until(hass, lambda: state_of(hass, SIGNAL) == "-71")


async def test_a_failed_fix_is_explained_and_can_be_retried(
    hass: HomeAssistant,
    stick: EmulatedStick,
    loaded_entry: MockConfigEntry,
    usb_listing: AsyncMock,
    switch: AsyncMock,
) -> None:
    switch_for_real = switch.side_effect

    async def denied_once(vid: int, pid: int, **kwargs: Any) -> UsbStick:
        switch.side_effect = switch_for_real
        raise UsbPermissionError("no permission", "rule")

    switch.side_effect = denied_once
    issue = await replugged_in_cdrom_mode(hass, stick, loaded_entry)
    result = await start_fix(hass, issue)

    result = await submit_and_switch(hass, result["flow_id"])
    assert result["type"] == FlowResultType.FORM
    assert result["errors"] == {"base": "usb_permission"}
    assert issue_of(hass, loaded_entry) is not None
    assert state_of(hass, SIGNAL) == STATE_UNAVAILABLE

    result = await submit_and_switch(hass, result["flow_id"])
    assert result["type"] == FlowResultType.CREATE_ENTRY
    await until(hass, lambda: state_of(hass, SIGNAL) == "-71")


async def test_the_issue_goes_when_the_stick_is_switched_elsewhere(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry, usb_listing: AsyncMock
) -> None:
    await replugged_in_cdrom_mode(hass, stick, loaded_entry)

    stick.modeswitch()  # usb_modeswitch on the host, or the user's own tools
    await later(hass, 6)

    await until(hass, lambda: state_of(hass, SIGNAL) == "-71")
    assert issue_of(hass, loaded_entry) is None


async def test_an_unplugged_stick_raises_no_issue(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry, usb_listing: AsyncMock
) -> None:
    stick.unplug()
    await until(hass, lambda: state_of(hass, SIGNAL) == STATE_UNAVAILABLE)
    for _ in range(10):
        await later(hass, 6)

    assert usb_listing.await_count == 2
    assert issue_of(hass, loaded_entry) is None


async def test_without_usb_access_the_stick_just_stays_unavailable(
    hass: HomeAssistant, stick: EmulatedStick, loaded_entry: MockConfigEntry, usb_listing: AsyncMock
) -> None:
    usb_listing.side_effect = NoUsbBackendError("no libusb")
    stick.auto_modeswitch = False
    stick.replug()
    await until(hass, lambda: state_of(hass, SIGNAL) == STATE_UNAVAILABLE)
    for _ in range(10):
        await later(hass, 6)

    assert usb_listing.await_count == 2
    assert issue_of(hass, loaded_entry) is None
    assert state_of(hass, SIGNAL) == STATE_UNAVAILABLE
