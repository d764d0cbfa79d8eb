"""Every action of the integration has its icon (icons.json ``services``)."""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.util.yaml import load_yaml

INTEGRATION = Path(__file__).parents[2] / "custom_components" / "huawei_modem"


def test_every_action_has_an_icon() -> None:
    actions = load_yaml(str(INTEGRATION / "services.yaml"))
    icons = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))["services"]
    assert isinstance(actions, dict)
    assert set(icons) == set(actions)
    assert all(icon["service"].startswith("mdi:") for icon in icons.values())
