"""Constants shared by the Home Assistant side of the integration."""

from datetime import timedelta
from typing import Final

DOMAIN: Final = "huawei_modem"
MANUFACTURER: Final = "Huawei"

# Config entry data. The unique id of an entry is the stick's IMEI (never the IMSI: SIMs get
# swapped); its title is the stick's model.
CONF_DEVICE: Final = "device"  # the AT (PCUI) port: a stable tty path or a socket:// URL
CONF_PIN: Final = "pin"  # kept only after the SIM accepted it; removed the moment it is refused

# Config entry options.
CONF_SCAN_INTERVAL: Final = "scan_interval"  # seconds between status polls
DEFAULT_SCAN_INTERVAL: Final = timedelta(seconds=30)
CONF_DELETE_RECEIVED: Final = "delete_received"  # delete an SMS from the SIM once stored
DEFAULT_DELETE_RECEIVED: Final = True

# While the stick is gone (unplugged, restarting), how often the coordinator tries to reopen it.
RECONNECT_INTERVAL: Final = timedelta(seconds=5)
