"""Text your house: an SMS from a trusted sender goes to Assist, and Assist's answer goes back.

Off until the user adds a trusted sender (a subentry of the stick). Each SMS the stick received
(``huawei_modem_sms_received``, fired once Home Assistant has started) goes through these steps:

1. From a number that is no trusted sender of this stick: nothing. It is never passed on and
   never answered.
2. Incomplete (parts missing), not starting with the sender's passphrase (case and spaces around
   it do not matter), or nothing after it: refused.
3. More commands than the sender's ``commands_per_hour`` in the last hour, or than the stick's
   ``assist_commands_per_day`` in the last 24 hours: refused. A refused SMS gets no answer, not
   even a "limit reached": the limits are there to bound what the SIM pays, and a sender number
   can be forged, so an answer may go to a phone that sent nothing. The logbook says why.
4. The text after the passphrase goes to the sender's Assist agent (Home Assistant's own by
   default), one command at a time per stick. Each sender has a conversation of its own, so
   follow-ups work. The context has no user, so Assist acts only on what is exposed to it, as
   it does for a voice satellite.
5. The answer's plain speech goes back to the sender by SMS through ``async_send_sms``, so the
   cost guard counts it. It is capped at three parts (``cap_text``: cut after a word, with an
   ellipsis).

Each command (its text without the passphrase) with its answer, and each refusal, fires a
``huawei_modem_assist`` event, which logbook.py describes.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import string
import time
from collections import deque
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final

from homeassistant.components import conversation
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import CONF_LANGUAGE
from homeassistant.core import Context, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError

from .actions.lookup import stick_of_entry
from .actions.messages import async_send_sms
from .const import (
    ATTR_DEVICE_ID,
    ATTR_NUMBER,
    CONF_AGENT_ID,
    CONF_ASSIST_COMMANDS_PER_DAY,
    CONF_COMMANDS_PER_HOUR,
    CONF_MAX_PARTS_PER_MESSAGE,
    CONF_PASSPHRASE,
    DEFAULT_ASSIST_COMMANDS_PER_DAY,
    DEFAULT_COMMANDS_PER_HOUR,
    DOMAIN,
    EVENT_ASSIST,
    EVENT_SMS_RECEIVED,
    SUBENTRY_TRUSTED_SENDER,
)
from .modem import DEFAULT_MAX_PARTS_PER_MESSAGE, PduError, cap_text, normalize_number
from .runtime import HuaweiModemConfigEntry
from .subentries import subentries_of

_LOGGER = logging.getLogger(__name__)

ANSWER_MAX_PARTS: Final = 3
HOUR: Final = 3600.0
DAY: Final = 24 * HOUR
AFTER_PASSPHRASE: Final = string.whitespace + ":,;"
"""What may stand between the passphrase and the command (``Sesame: lights on``)."""


class Outcome(StrEnum):
    """What became of an SMS from a trusted sender (``outcome`` of ``huawei_modem_assist``)."""

    ANSWERED = "answered"
    """Assist answered, and the answer went out (or there was no answer to send)."""
    NOT_SENT = "not_sent"
    """Assist answered, but the answer could not be sent (``error``)."""
    FAILED = "failed"
    """Assist could not take the command (``error``)."""
    REFUSED = "refused"
    """Not passed to Assist (``reason``)."""


class Refusal(StrEnum):
    """Why an SMS from a trusted sender was not passed to Assist (``reason``)."""

    INCOMPLETE = "incomplete"
    NO_PASSPHRASE = "no_passphrase"
    NO_COMMAND = "no_command"
    SENDER_LIMIT = "sender_limit"
    DAILY_LIMIT = "daily_limit"


def command_of(text: str, passphrase: str) -> str | None:
    """The command in ``text``: what follows the passphrase (None: it does not start with it).

    Case and whitespace around the passphrase do not matter. The passphrase must end a word:
    ``sesame`` does not open ``sesameopen``. Without a passphrase the whole text is the command.
    """
    wanted, body = passphrase.strip(), text.strip()
    if not wanted:
        return body
    head, rest = body[: len(wanted)], body[len(wanted) :]
    if not hmac.compare_digest(head.casefold().encode(), wanted.casefold().encode()):
        return None
    if rest[:1].isalnum():
        return None
    return rest.lstrip(AFTER_PASSPHRASE).rstrip()


def trusted_sender(entry: HuaweiModemConfigEntry, sender: str) -> ConfigSubentry | None:
    """The trusted sender of ``entry`` that has the number ``sender`` (compared normalised)."""
    try:
        number = normalize_number(sender)
    except PduError:  # a name ("MyBank") or no number at all: never trusted
        return None
    senders = subentries_of(entry, SUBENTRY_TRUSTED_SENDER)
    return next((found for found in senders if found.data[ATTR_NUMBER] == number), None)


def speech_of(result: conversation.ConversationResult) -> str:
    """The plain text Assist answered (empty if it said nothing)."""
    plain: Mapping[str, Any] = result.response.speech.get("plain", {})
    return str(plain.get("speech") or "").strip()


class RecentCount:
    """How often something happened within the last ``window`` seconds (a monotonic clock)."""

    def __init__(self, window: float) -> None:
        self._window = window
        self._times: deque[float] = deque()

    def count(self, now: float) -> int:
        while self._times and self._times[0] <= now - self._window:
            self._times.popleft()
        return len(self._times)

    def add(self, now: float) -> None:
        self._times.append(now)


@callback
def async_start_assist(hass: HomeAssistant, entry: HuaweiModemConfigEntry, device_id: str) -> None:
    """Pass the commands of the stick's trusted senders to Assist until the entry unloads."""
    assist = AssistOverSms(hass, entry, device_id)
    entry.async_on_unload(hass.bus.async_listen(EVENT_SMS_RECEIVED, assist.async_on_sms))


class AssistOverSms:
    """The trusted senders of one stick talking to Assist: limits, commands, answers."""

    def __init__(self, hass: HomeAssistant, entry: HuaweiModemConfigEntry, device_id: str) -> None:
        self._hass = hass
        self._entry = entry
        self._device_id = device_id
        self._lock = asyncio.Lock()
        self._per_sender: dict[str, RecentCount] = {}
        self._per_day = RecentCount(DAY)

    @callback
    def async_on_sms(self, event: Event) -> None:
        """Refuse an SMS from a trusted sender, or pass its command to Assist."""
        data = event.data
        if data.get(ATTR_DEVICE_ID) != self._device_id:
            return
        sender = trusted_sender(self._entry, data["sender"])
        if sender is None:
            return  # never passed on, never answered
        command = command_of(data["text"], sender.data.get(CONF_PASSPHRASE, ""))
        now = time.monotonic()
        refusal, limit = self._refusal(sender, command, now, incomplete=data["incomplete"])
        if refusal is not None or command is None:
            self._log(sender, Outcome.REFUSED, reason=str(refusal), limit=limit)
            return
        self._sent_by(sender).add(now)
        self._per_day.add(now)
        self._entry.async_create_background_task(
            self._hass,
            self._async_command(sender, command),
            f"{DOMAIN} assist {self._entry.entry_id}",
        )

    def _refusal(
        self, sender: ConfigSubentry, command: str | None, now: float, *, incomplete: bool
    ) -> tuple[Refusal | None, int | None]:
        """Why the command is not passed to Assist, and the limit it passes (if that is why)."""
        per_hour = sender.data.get(CONF_COMMANDS_PER_HOUR, DEFAULT_COMMANDS_PER_HOUR)
        per_day = self._entry.options.get(
            CONF_ASSIST_COMMANDS_PER_DAY, DEFAULT_ASSIST_COMMANDS_PER_DAY
        )
        if incomplete:
            return Refusal.INCOMPLETE, None
        if command is None:
            return Refusal.NO_PASSPHRASE, None
        if not command:
            return Refusal.NO_COMMAND, None
        if self._sent_by(sender).count(now) >= per_hour:
            return Refusal.SENDER_LIMIT, per_hour
        if self._per_day.count(now) >= per_day:
            return Refusal.DAILY_LIMIT, per_day
        return None, None

    def _sent_by(self, sender: ConfigSubentry) -> RecentCount:
        return self._per_sender.setdefault(sender.subentry_id, RecentCount(HOUR))

    async def _async_command(self, sender: ConfigSubentry, command: str) -> None:
        """Ask Assist, one command at a time, and send its answer back."""
        context = Context()
        async with self._lock:
            try:
                answer = await self._async_ask(sender, command, context)
            except (HomeAssistantError, ValueError) as err:  # ValueError: the agent is gone
                _LOGGER.debug("%s: Assist failed: %s", self._entry.title, err)
                self._log(sender, Outcome.FAILED, context, command=command, error=str(err))
                return
            await self._async_answer(sender, command, answer, context)

    async def _async_ask(self, sender: ConfigSubentry, command: str, context: Context) -> str:
        if conversation.DOMAIN not in self._hass.config.components:
            raise HomeAssistantError("Assist (the conversation integration) is not set up")
        # These arguments are the same in every supported release (2025.4 lacks satellite_id,
        # unused here). A context without a user owns the conversation where sessions have owners.
        result = await conversation.async_converse(
            self._hass,
            command,
            f"{DOMAIN}_{sender.subentry_id}",  # not a ULID: kept as it is, one per sender
            context,
            language=sender.data.get(CONF_LANGUAGE),
            agent_id=sender.data.get(CONF_AGENT_ID),
        )
        return speech_of(result)

    async def _async_answer(
        self, sender: ConfigSubentry, command: str, answer: str, context: Context
    ) -> None:
        capped = cap_text(answer, self._answer_max_parts())
        if capped:
            try:
                stick = stick_of_entry(self._entry, reachable=True)
                await async_send_sms(stick, [sender.data[ATTR_NUMBER]], capped)
            except HomeAssistantError as err:  # the stick is away, the cost guard refused, ...
                self._log(
                    sender,
                    Outcome.NOT_SENT,
                    context,
                    command=command,
                    answer=capped,
                    error=str(err),
                )
                return
        self._log(sender, Outcome.ANSWERED, context, command=command, answer=capped)

    def _answer_max_parts(self) -> int:
        """Three parts, or fewer where the cost guard allows fewer a message."""
        per_message: int = self._entry.options.get(
            CONF_MAX_PARTS_PER_MESSAGE, DEFAULT_MAX_PARTS_PER_MESSAGE
        )
        return min(ANSWER_MAX_PARTS, per_message)

    @callback
    def _log(
        self,
        sender: ConfigSubentry,
        outcome: Outcome,
        context: Context | None = None,
        **details: object,
    ) -> None:
        """Fire ``huawei_modem_assist`` for the logbook (never with the passphrase)."""
        data: dict[str, object] = {
            ATTR_DEVICE_ID: self._device_id,
            "sender": sender.data[ATTR_NUMBER],
            "outcome": str(outcome),
        }
        data |= {key: value for key, value in details.items() if value is not None}
        self._hass.bus.async_fire(EVENT_ASSIST, data, context=context)
