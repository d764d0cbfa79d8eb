"""A person adds the stick in a real browser (Debian's chromium) to the newest Home Assistant."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from .real_hass import (
    Develop,
    finish_onboarding,
    onboard,
    render,
    request,
    run_develop,
    wait_until_serving,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.newest_hass,
    pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed"),
]

PIN = "1234"
SIGNAL = "sensor.huawei_e3372_signal_strength"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def logged_in_page(develop: Develop, token: str, profile: Path) -> Iterator[Page]:
    """A browser tab of Home Assistant, logged in as the demo user."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=shutil.which("chromium"),
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        page = browser.pages[0] if browser.pages else browser.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{develop.base_url}/manifest.json")  # the origin, for its local storage
        tokens = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 1800,
            "hassUrl": develop.base_url,
            "clientId": f"{develop.base_url}/",
            "expires": int(time.time() * 1000) + 1_800_000,
            "refresh_token": "",
        }
        page.evaluate("t => localStorage.setItem('hassTokens', JSON.stringify(t))", tokens)
        try:
            yield page
        finally:
            browser.close()


def add_the_stick(page: Page, develop: Develop, shots: Path) -> None:
    """Add integration > Huawei USB Modem > Enter manually > the port > the PIN."""
    page.goto(f"{develop.base_url}/config/integrations/dashboard/add?domain=huawei_modem")
    page.get_by_role("button", name="OK").click()  # "Do you want to set up Huawei USB Modem?"
    flow = page.locator("dialog-data-entry-flow")
    flow.get_by_role("button", name="Port *").click()  # Home Assistant's serial port selector
    flow.get_by_role("option", name="Enter manually").click()
    flow.get_by_role("textbox", name="Port").fill(develop.pcui_path)
    page.screenshot(path=shots / "1-port.png")
    flow.get_by_role("button", name="Submit").click()

    expect(flow).to_contain_text("Attempts left before it asks for the PUK: 3")
    flow.get_by_role("textbox", name="PIN").fill(PIN)
    page.screenshot(path=shots / "2-pin.png")
    flow.get_by_role("button", name="Submit").click()
    expect(flow.get_by_role("textbox", name="Device name")).to_have_value("Huawei E3372")
    expect(flow.get_by_role("img", name="Huawei USB Modem")).to_be_visible()  # our brand icon
    page.screenshot(path=shots / "3-created.png")
    flow.get_by_role("button", name="Skip and finish").click()


def the_brand_icon_shows_on_the_integrations_page(
    page: Page, develop: Develop, shots: Path
) -> None:
    """Settings > Devices & services: our card, with our own icon loaded (not a broken image)."""
    page.goto(f"{develop.base_url}/config/integrations/dashboard")
    card = page.locator("ha-integration-card", has_text="Huawei USB Modem")
    icon = card.locator("img").first
    expect(icon).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=icon.element_handle())
    assert "huawei_modem" in (icon.get_attribute("src") or "")
    expect(page.get_by_text("Loading")).to_have_count(0)
    page.screenshot(path=shots / "5-integrations.png")


def add_a_recipient(page: Page, develop: Develop, shots: Path) -> None:
    """The integration's page > Add recipient > name and number > Submit."""
    page.goto(f"{develop.base_url}/config/integrations/integration/huawei_modem")
    page.get_by_role("button", name="Add recipient").first.click()
    flow = page.locator("dialog-data-entry-flow")
    flow.get_by_role("textbox", name="Name").fill("Anna")
    flow.get_by_role("textbox", name="Phone number").fill("+49 170 1234567")
    expect(flow).not_to_contain_text("Translation error")
    page.screenshot(path=shots / "6-recipient.png")
    flow.get_by_role("button", name="Submit").click()
    expect(flow).to_contain_text("Anna")
    flow.get_by_role("button", name="Finish").click()


def screenshot_folder(tmp_path: Path) -> Path:
    """Where the screenshots go: ``HUAWEI_MODEM_SCREENSHOTS`` (e.g. docs/screenshots) or a
    temporary folder."""
    shots = Path(os.environ.get("HUAWEI_MODEM_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def test_a_person_adds_the_stick_in_the_browser_and_sees_it_live(
    tmp_path: Path, socket_enabled: None
) -> None:
    shots = screenshot_folder(tmp_path)
    with run_develop(tmp_path, "--pin", PIN) as develop:
        wait_until_serving(develop.base_url, timeout=240)
        token = onboard(develop.base_url)
        finish_onboarding(develop.base_url, token)

        with logged_in_page(develop, token, tmp_path / "profile") as page:
            add_the_stick(page, develop, shots)
            entries = request(f"{develop.base_url}/api/config/config_entries/entry", token=token)
            (entry,) = (e for e in entries if e["domain"] == "huawei_modem")
            assert entry["state"] == "loaded"

            device_id = render(develop.base_url, token, f"{{{{ device_id('{SIGNAL}') }}}}")
            page.goto(f"{develop.base_url}/config/devices/device/{device_id}")
            expect(page.get_by_text("Signal strength").first).to_be_visible()
            expect(page.get_by_text("dBm").first).to_be_visible()
            expect(page.get_by_text("Network mode").first).to_be_visible()
            expect(page.get_by_text("Loading")).to_have_count(0)
            expect(page.get_by_text("Translation error")).to_have_count(0)
            page.screenshot(path=shots / "4-device.png")

            the_brand_icon_shows_on_the_integrations_page(page, develop, shots)
            add_a_recipient(page, develop, shots)
            states = request(f"{develop.base_url}/api/states", token=token)
            assert "notify.huawei_e3372_anna" in {state["entity_id"] for state in states}
