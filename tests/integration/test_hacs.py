"""The repository as HACS installs an integration from it: one integration, its manifest, hacs.json,
brand images and a README that says at once what it is."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from awesomeversion import AwesomeVersion

ROOT = Path(__file__).parents[2]
INTEGRATIONS = ROOT / "custom_components"

HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "hacs",
    "persistent_directory",
    "render_readme",
}
"""The keys hacs.json may have (anything else fails HACS's validation)."""
MANIFEST_KEYS_HACS_NEEDS = {
    "domain",
    "name",
    "documentation",
    "issue_tracker",
    "codeowners",
    "version",
}


def load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def the_integration() -> Path:
    folders = [path for path in INTEGRATIONS.iterdir() if not path.name.startswith((".", "_"))]
    assert len(folders) == 1, "HACS manages one integration per repository"
    return folders[0]


def test_one_integration_with_the_manifest_hacs_needs() -> None:
    folder = the_integration()
    manifest = load(folder / "manifest.json")
    assert manifest.keys() >= MANIFEST_KEYS_HACS_NEEDS
    assert manifest["domain"] == folder.name
    assert manifest["codeowners"]
    assert AwesomeVersion(manifest["version"]).valid
    assert manifest["issue_tracker"].startswith(manifest["documentation"])


def test_manifest_keys_are_in_the_order_hassfest_wants() -> None:
    keys = list(load(the_integration() / "manifest.json"))
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_hacs_json_has_only_known_keys() -> None:
    hacs = load(ROOT / "hacs.json")
    assert "name" in hacs
    assert set(hacs) <= HACS_KEYS
    assert AwesomeVersion(hacs["homeassistant"]).valid


def test_brand_images_are_in_the_integration() -> None:
    brand = the_integration() / "brand"
    for name in ("icon.png", "logo.png"):
        assert (brand / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_the_readme_says_what_it_is_and_shows_the_device_page_on_its_first_screen() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = "\n".join(readme.splitlines()[:30])
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", first_screen)
    assert pictures, "no screenshot on the README's first screen"
    assert all((ROOT / picture).is_file() for picture in pictures)
    assert any("device" in picture for picture in pictures)
