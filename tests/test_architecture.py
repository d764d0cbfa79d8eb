"""The line under modem/: protocol code knows nothing of Home Assistant."""

from __future__ import annotations

import ast
from pathlib import Path

INTEGRATION = Path(__file__).parents[1] / "custom_components" / "huawei_modem"
MODEM = INTEGRATION / "modem"


def imports_leaving_modem(source: str, package: str) -> set[str]:
    """Home Assistant imports, and relative imports that climb out of the modem package."""
    leaks: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1])
            if not base.startswith("huawei_modem.modem"):
                leaks.add("." * node.level + (node.module or ""))
            continue
        else:
            continue
        leaks.update(name for name in names if name.split(".")[0] == "homeassistant")
    return leaks


def package_of(path: Path) -> str:
    return ".".join(path.parent.relative_to(INTEGRATION.parent).parts)


def test_the_checker_sees_every_import_form() -> None:
    source = (
        "import homeassistant.core\n"
        "from homeassistant import config_entries\n"
        "from ..const import DOMAIN\n"
        "from .errors import PduError\n"
        "import os\n"
    )
    assert imports_leaving_modem(source, "huawei_modem.modem") == {
        "homeassistant.core",
        "homeassistant",
        "..const",
    }


def test_nothing_under_modem_imports_home_assistant() -> None:
    files = sorted(MODEM.rglob("*.py"))
    assert files, "modem/ has no Python files"
    leaks = {
        f"{path.name}: {module}"
        for path in files
        for module in imports_leaving_modem(path.read_text(encoding="utf-8"), package_of(path))
    }
    assert leaks == set()
