"""The integration's packaging: manifest, HACS metadata and translations agree with the facts."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from awesomeversion import AwesomeVersion
from homeassistant.const import __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_config_flows, async_get_integration
from packaging.requirements import Requirement

from custom_components.huawei_modem.const import DOMAIN
from custom_components.huawei_modem.event import DESCRIPTIONS

ROOT = Path(__file__).parents[2]
INTEGRATION = ROOT / "custom_components" / DOMAIN

# From the reference's USB table: the product ids of the serial modem compositions, the
# storage (CD-ROM) ids that need a modeswitch, and the HiLink ids that have no AT port.
SERIAL_MODEM_PIDS = {"1001", "1003", "1436", "1442", "155E", "1C05", "1506"}
STORAGE_PIDS = {"1F01", "14FE", "1446", "1505", "15CA", "15CD", "15CF", "157D", "151A"}
HILINK_PIDS = {"14DB", "14DC"}


def load_json(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_usb_matchers_are_exactly_the_serial_modem_compositions() -> None:
    matchers = load_json(INTEGRATION / "manifest.json")["usb"]
    assert isinstance(matchers, list)
    assert {m["vid"] for m in matchers} == {"12D1"}
    pids = {m["pid"].upper() for m in matchers}
    assert pids == SERIAL_MODEM_PIDS
    assert not pids & (STORAGE_PIDS | HILINK_PIDS)


def test_requirements_are_lower_bounds_met_by_the_test_environment() -> None:
    requirements = load_json(INTEGRATION / "manifest.json")["requirements"]
    assert isinstance(requirements, list)
    packages = {}
    for requirement in requirements:
        name, _, minimum = requirement.partition(">=")
        assert minimum, f"{requirement} must be a lower bound, not a pin"
        packages[name] = minimum
    assert set(packages) == {"serialx", "pyusb"}
    for name, minimum in packages.items():
        assert AwesomeVersion(version(name)) >= AwesomeVersion(minimum)


# Home Assistant installs an integration's requirements under its own package_constraints.txt.
# serialx as the releases of the supported window pin it (none before 2026.5).
SERIALX_PINNED_BY_RELEASE = {
    "2026.5.0": "1.7.0",
    "2026.5.4": "1.7.3",
    "2026.6.0": "1.8.0",
    "2026.7.0": "1.8.2",
    "2026.8.0": "1.8.2",
    "2026.9.0": "1.9.0",
    "2026.9.4": "1.10.0",
    "2026.10.0": "1.11.0",
    "2026.10.4": "1.11.0",
    "2026.11.0": "1.15.1",
}


def manifest_requirement(package: str) -> Requirement:
    requirements = load_json(INTEGRATION / "manifest.json")["requirements"]
    assert isinstance(requirements, list)
    (found,) = (r for r in map(Requirement, requirements) if r.name == package)
    return found


@pytest.mark.parametrize(("release", "pinned"), SERIALX_PINNED_BY_RELEASE.items())
def test_the_manifest_installs_under_every_release_of_the_window(release: str, pinned: str) -> None:
    assert manifest_requirement("serialx").specifier.contains(
        pinned
    ), f"Home Assistant {release} pins serialx {pinned}: setup would fail there"


def test_the_lowest_serialx_admitted_is_the_lowest_pinned() -> None:
    """One test environment runs the lowest serialx the manifest admits: it is a real release."""
    lowest = min(SERIALX_PINNED_BY_RELEASE.values(), key=AwesomeVersion)
    assert str(manifest_requirement("serialx").specifier) == f">={lowest}"


def test_hacs_minimum_version_is_not_newer_than_the_tested_one() -> None:
    hacs = load_json(ROOT / "hacs.json")
    assert hacs["name"] == "Huawei USB Modem"
    assert AwesomeVersion(str(hacs["homeassistant"])) <= AwesomeVersion(ha_version)


def test_english_translation_is_the_strings_file() -> None:
    strings = load_json(INTEGRATION / "strings.json")
    assert load_json(INTEGRATION / "translations" / "en.json") == strings


def test_every_event_entity_has_an_icon() -> None:
    icons = load_json(INTEGRATION / "icons.json")["entity"]
    assert isinstance(icons, dict)
    assert {
        description.translation_key: icons["event"][description.translation_key]
        for description in DESCRIPTIONS
    } == {
        "sms": {"default": "mdi:message-processing"},
        "call": {"default": "mdi:phone-incoming"},
    }


async def test_home_assistant_offers_the_integration(hass: HomeAssistant) -> None:
    integration = await async_get_integration(hass, DOMAIN)
    assert integration.name == "Huawei USB Modem"
    assert integration.config_flow
    assert integration.dependencies == ["usb"]
    assert DOMAIN in await async_get_config_flows(hass)


def test_quality_scale_says_done_todo_or_exempt_for_every_rule_with_a_reason() -> None:
    rules = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text(encoding="utf-8"))
    rules = rules["rules"]
    assert len(rules) >= 50
    for name, rule in rules.items():
        status = rule["status"] if isinstance(rule, dict) else rule
        assert status in {"done", "todo", "exempt"}, name
        if status != "done":
            assert rule.get("comment"), f"{name} is {status} without saying why"


@pytest.mark.parametrize(
    ("image", "size"),
    [
        ("icon.png", (256, 256)),
        ("icon@2x.png", (512, 512)),
        ("logo.png", None),
        ("logo@2x.png", None),
    ],
)
def test_brand_images_are_the_sizes_home_assistant_serves(
    image: str, size: tuple[int, int] | None
) -> None:
    """Current releases serve brand/ at /api/brands/integration/huawei_modem/<image>."""
    data = (INTEGRATION / "brand" / image).read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if size:
        assert (width, height) == size
    else:
        assert width > height  # a logo is the icon beside the name
