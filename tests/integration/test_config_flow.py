"""The first config flow: the AT port asked for, checked, and stored."""

from __future__ import annotations

from pathlib import Path

from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import CONF_DEVICE, DOMAIN


async def start_flow(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] == FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return str(result["flow_id"])


async def test_missing_port_is_reported_then_a_real_one_creates_the_entry(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    flow_id = await start_flow(hass)
    missing = str(tmp_path / "ttyUSB9")

    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_DEVICE: missing})
    assert result["type"] == FlowResultType.FORM
    assert result["errors"] == {CONF_DEVICE: "port_not_found"}

    port = tmp_path / "usb-HUAWEI_Technology_HUAWEI_Mobile-if02-port0"
    port.touch()
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_DEVICE: f" {port} "})
    assert result["type"] == FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_DEVICE: str(port)}


async def test_network_port_url_is_accepted(hass: HomeAssistant) -> None:
    flow_id = await start_flow(hass)
    url = "socket://192.0.2.10:7001"
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_DEVICE: url})
    assert result["type"] == FlowResultType.CREATE_ENTRY
    assert result["title"] == url


async def test_same_port_twice_is_refused(hass: HomeAssistant) -> None:
    url = "socket://192.0.2.10:7001"
    MockConfigEntry(domain=DOMAIN, data={CONF_DEVICE: url}).add_to_hass(hass)
    flow_id = await start_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_DEVICE: url})
    assert result["type"] == FlowResultType.ABORT
    assert result["reason"] == "already_configured"
