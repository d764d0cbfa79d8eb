"""Constants shared by the Home Assistant side of the integration."""

from datetime import timedelta
from typing import Final

from homeassistant.helpers.typing import ConfigType
from homeassistant.util.hass_dict import HassKey

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

# Bus events. Each carries the ``device_id`` of the stick; the event entity of a stick relays both.
EVENT_SMS_RECEIVED: Final = f"{DOMAIN}_sms_received"
"""A complete message (or what arrived of it by the timeout): sender, text, timestamp, parts."""
EVENT_SMS_DELIVERED: Final = f"{DOMAIN}_sms_delivered"
"""A delivery report matched to a sent message."""
ATTR_DEVICE_ID: Final = "device_id"

# Receiving: parts of a long message wait this long for the others, then what arrived is delivered
# (marked incomplete).
MULTIPART_TIMEOUT: Final = timedelta(hours=24)

# A stick away this long (its port does not open) raises a repair issue saying since when.
STICK_AWAY_ISSUE_AFTER: Final = timedelta(minutes=3)

# While the stick is away, every how many reconnect attempts the USB bus is searched for it in
# CD-ROM mode (replugged on a host without usb_modeswitch): after 15 s, then every 30 s.
CDROM_CHECK_FIRST: Final = 3
CDROM_CHECK_EVERY: Final = 6

# The message actions (actions/messages.py) and the notify platform (notify.py).
SERVICE_SEND_SMS: Final = "send_sms"
SERVICE_SEND_USSD: Final = "send_ussd"
ATTR_NUMBER: Final = "number"
ATTR_SMS_TEXT: Final = "message"
"""The text of an SMS (the action field users write is ``message``)."""
ATTR_FLASH: Final = "flash"
ATTR_DELIVERY_REPORT: Final = "delivery_report"
ATTR_CODE: Final = "code"
SUBENTRY_RECIPIENT: Final = "recipient"
"""A contact of a stick (config subentry): its name, ``number``, ``flash`` and ``delivery_report``;
it has a notify entity (notify.py)."""
SUBENTRY_TRUSTED_SENDER: Final = "trusted_sender"
"""A number whose SMS may talk to Assist (config subentry): its name, ``number``,
``passphrase``, ``agent_id``, ``language`` and ``commands_per_hour``; assist_sms.py."""
CONF_PASSPHRASE: Final = "passphrase"
CONF_AGENT_ID: Final = "agent_id"
CONF_COMMANDS_PER_HOUR: Final = "commands_per_hour"
DEFAULT_COMMANDS_PER_HOUR: Final = 5
CONF_ASSIST_COMMANDS_PER_DAY: Final = "assist_commands_per_day"  # an option of the stick
DEFAULT_ASSIST_COMMANDS_PER_DAY: Final = 20
EVENT_ASSIST: Final = f"{DOMAIN}_assist"
"""A command to Assist by SMS, answered or refused: sender, command, answer or reason (logbook)."""
DATA_HASS_CONFIG: Final[HassKey[ConfigType]] = HassKey(f"{DOMAIN}_hass_config")
"""hass.data key: Home Assistant's configuration, for loading the legacy notify platform."""

# Calls (phone.py, actions/calls.py). The stick never answers; it may reject after some rings.
EVENT_CALL: Final = f"{DOMAIN}_call"
"""A call rings (once per ring) or is over: caller, ring count, state, time."""
CONF_REJECT_CALLS_AFTER: Final = "reject_calls_after"  # rings before a call is rejected; 0: never
DEFAULT_REJECT_CALLS_AFTER: Final = 0
SERVICE_HANG_UP: Final = "hang_up"
SERVICE_CALL: Final = "call"
ATTR_RING_SECONDS: Final = "ring_seconds"
ATTR_TALK_SECONDS: Final = "talk_seconds"

# The cost guard (options): beyond these limits an SMS is refused before anything is sent.
CONF_MAX_PARTS_PER_MESSAGE: Final = "max_parts_per_message"
CONF_MAX_PARTS_PER_HOUR: Final = "max_parts_per_hour"

# The last received SMS on the device page (last_sms.py); the option hides its text.
CONF_SHOW_SMS_TEXT: Final = "show_sms_text"
DEFAULT_SHOW_SMS_TEXT: Final = True
