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


def modem_names_imported(source: str, package: str) -> set[str]:
    """The names a Home Assistant-layer module imports from modem/ (any of its modules)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom) or node.level == 0:
            continue
        parts = package.split(".")
        base = ".".join(parts[: len(parts) - node.level + 1])
        module = f"{base}.{node.module}" if node.module else base
        if module == "huawei_modem.modem" or module.startswith("huawei_modem.modem."):
            names.update(alias.name for alias in node.names)
    return names


def test_the_checker_sees_imports_from_modem_at_any_depth() -> None:
    source = "from .modem.usb import StickMode\nfrom ..modem import Modem\nfrom .const import X\n"
    assert modem_names_imported(source, "huawei_modem") == {"StickMode"}
    assert modem_names_imported(source, "huawei_modem.actions") == {"Modem"}


def test_the_home_assistant_layer_uses_only_the_public_api_of_modem() -> None:
    from custom_components.huawei_modem import modem

    files = [path for path in INTEGRATION.rglob("*.py") if MODEM not in path.parents]
    used = {
        f"{path.name}: {name}"
        for path in files
        for name in modem_names_imported(path.read_text(encoding="utf-8"), package_of(path))
        if name not in modem.__all__
    }
    assert used == set()
    assert all(hasattr(modem, name) for name in modem.__all__)
