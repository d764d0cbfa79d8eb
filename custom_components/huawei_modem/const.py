"""Constants shared by the Home Assistant side of the integration."""

from typing import Final

DOMAIN: Final = "huawei_modem"

CONF_DEVICE: Final = "device"
