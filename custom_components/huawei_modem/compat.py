"""Every shim between Home Assistant versions, in one place.

The tests run on Home Assistant 2024.3; the integration must also run on current releases.
"""

try:  # Home Assistant 2024.4 and later
    from homeassistant.config_entries import (  # type: ignore[attr-defined,unused-ignore]
        ConfigFlowResult,
    )
except ImportError:  # pragma: no cover - only one branch runs per installed version
    from homeassistant.data_entry_flow import (  # type: ignore[assignment,unused-ignore]
        FlowResult as ConfigFlowResult,
    )

__all__ = ["ConfigFlowResult"]
