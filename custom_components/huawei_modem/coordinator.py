"""The coordinator: owns a stick's Modem, polls its status and takes what the stick pushes.

The connection is opened lazily by the first update and dropped on any error, so the next update
reopens it (the stick re-enumerates after a replug or ``^RESET``). While the stick is gone the
entities are unavailable and the coordinator retries every few seconds, without a reload.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    ConfigEntryNotReady,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .compat import issue_entry_kwargs
from .const import (
    CDROM_CHECK_EVERY,
    CDROM_CHECK_FIRST,
    CONF_DEVICE,
    CONF_PIN,
    CONF_SCAN_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    RECONNECT_INTERVAL,
)
from .errors import translated_error, update_failed
from .modem.discovery import candidates_for, find_at_port, is_network_port
from .modem.errors import (
    CommandNotSupported,
    ConnectionLost,
    ModemError,
    PinError,
    PukRequired,
    UsbError,
)
from .modem.models import (
    AccessTechnology,
    Capabilities,
    Disconnected,
    Identity,
    ModeChanged,
    ModemStatus,
    PortProfile,
    PortProfiles,
    SignalChanged,
    SignalQuality,
    SimState,
    SimStateChanged,
    SimStatus,
    StorageFull,
)
from .modem.modem import EventT, Modem
from .modem.usb import StickMode, UsbStick, async_list_huawei_devices

if TYPE_CHECKING:
    from .runtime import HuaweiModemConfigEntry

_LOGGER = logging.getLogger(__name__)

SIM_ISSUES: dict[SimState, str] = {
    SimState.PUK_REQUIRED: "sim_puk_required",
    SimState.MISSING: "sim_missing",
}
"""SIM states that need the user's hands, and the repair issue each one raises."""


def cdrom_issue_id(entry: ConfigEntry) -> str:
    """The repair issue raised while ``entry``'s stick is back in CD-ROM mode."""
    return f"cdrom_mode_{entry.entry_id}"


def sync_error_issue(
    hass: HomeAssistant,
    entry: ConfigEntry,
    issue_id: str,
    *,
    raised: bool,
    translation_key: str,
    placeholders: dict[str, str],
) -> None:
    """Raise the repair issue ``issue_id`` (an error the user cannot fix from it), or clear it."""
    if not raised:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key=translation_key,
        translation_placeholders=placeholders,
        **issue_entry_kwargs(entry),
    )


def cdrom_check_due(attempts: int) -> bool:
    """Whether the reconnect attempt number ``attempts`` also looks on the USB bus."""
    return attempts >= CDROM_CHECK_FIRST and (attempts - CDROM_CHECK_FIRST) % CDROM_CHECK_EVERY == 0


def pin_failure_key(error: ModemError) -> str:
    """The translation key that explains why a stored PIN did not unlock the SIM."""
    if isinstance(error, PukRequired):
        return "puk_required"
    if isinstance(error, PinError):
        return "pin_refused"
    return "pin_unconfirmed"


@dataclass(frozen=True, slots=True)
class ModemData:
    """What the entities show: the last status (polled, then updated by pushes) and the SIM."""

    status: ModemStatus
    sim: SimStatus


def merge_signal(current: SignalQuality, pushed: SignalQuality) -> SignalQuality:
    """A pushed ``^HCSQ`` replaces the detailed values; a pushed ``^RSSI`` only the CSQ ones."""
    if pushed.access_technology is AccessTechnology.UNKNOWN:
        return replace(current, csq=pushed.csq, rssi_dbm=pushed.rssi_dbm)
    return replace(pushed, csq=current.csq)


@dataclass(slots=True)
class _Subscription:
    """A listener of the stick's events, kept across a change of the Modem (the port moved)."""

    event_type: type[Any]
    callback: Callable[[Any], None]
    unsubscribe: Callable[[], None] = field(default=lambda: None)

    def attach(self, modem: Modem) -> None:
        self.unsubscribe = modem.subscribe(self.event_type, self.callback)


class HuaweiModemCoordinator(DataUpdateCoordinator[ModemData]):
    """One stick: its Modem, its identity and its latest status."""

    def __init__(
        self, hass: HomeAssistant, entry: HuaweiModemConfigEntry, modem: Modem | None = None
    ) -> None:
        self.entry = entry
        self.poll_interval = timedelta(
            seconds=entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL.total_seconds())
        )
        super().__init__(
            hass,
            _LOGGER,
            name=f"{DOMAIN} {entry.title}",
            update_interval=self.poll_interval,
            config_entry=entry,
        )
        self.modem = modem or Modem(entry.data[CONF_DEVICE])
        self._identity: Identity | None = None
        self._sms_ready_listeners: list[Callable[[], None]] = []
        self._sms_ready = False
        self._subscriptions: list[_Subscription] = []
        self._port_may_have_moved = False
        """Set by a port profile change: the next reconnect finds the AT port again."""
        self._failed_opens = 0
        self._unsubscribes = [
            self.subscribe(SignalChanged, self._on_signal),
            self.subscribe(ModeChanged, self._on_mode),
            self.subscribe(SimStateChanged, self._on_sim_state),
            self.subscribe(Disconnected, self._on_disconnected),
            self.subscribe(StorageFull, self._on_storage_full),
        ]

    # --- what the entities read -----------------------------------------------------------------

    @property
    def identity(self) -> Identity:
        """Who the stick is (known after the first successful update)."""
        if self._identity is None:
            raise RuntimeError("the stick has not been identified yet")
        return self._identity

    @property
    def capabilities(self) -> Capabilities:
        return self.modem.capabilities

    def subscribe(
        self, event_type: type[EventT], callback_: Callable[[EventT], None]
    ) -> Callable[[], None]:
        """Events the stick pushes (e.g. ``NewMessageStored``), across reconnects and port moves."""
        subscription = _Subscription(event_type, callback_)
        subscription.attach(self.modem)
        self._subscriptions.append(subscription)

        def unsubscribe() -> None:
            self._subscriptions.remove(subscription)
            subscription.unsubscribe()

        return unsubscribe

    @callback
    def async_add_sms_ready_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` whenever the stick's messages become readable (again).

        That is after the first connect, every reconnect and an unlock, with the SIM ready.
        New-message notices sent while the stick was away are lost: a listener reads the memory.
        """
        self._sms_ready_listeners.append(listener)
        return lambda: self._sms_ready_listeners.remove(listener)

    @callback
    def _announce_sms_ready(self, sim: SimStatus, *, reconnected: bool) -> None:
        ready = sim.state is SimState.READY
        if ready and (reconnected or not self._sms_ready):
            for listener in list(self._sms_ready_listeners):
                listener()
        self._sms_ready = ready

    # --- polling ----------------------------------------------------------------------------------

    async def async_config_entry_first_refresh(self) -> None:
        """The first update: an unreachable stick leaves the entry "not ready" (retried later)."""
        try:
            await super().async_config_entry_first_refresh()
        except ConfigEntryNotReady:
            raise translated_error(
                ConfigEntryNotReady, "cannot_connect", port=self.modem.url
            ) from self.last_exception

    async def _async_update_data(self) -> ModemData:
        try:
            return await self._fetch()
        except ModemError as err:
            await self.modem.close()  # the next update reopens it
            raise update_failed("communication_failed", error=str(err)) from err
        except HomeAssistantError:
            await self.modem.close()
            raise

    async def _fetch(self) -> ModemData:
        identify = self._identity is None or not self.modem.is_open
        if not self.modem.is_open:
            await self._open()
        sim = await self.modem.sim_status()
        if sim.state is SimState.PIN_REQUIRED:
            await self._unlock()
            sim = await self.modem.sim_status()
            identify = True  # the SIM's identity (IMSI) is readable only now
        if identify:
            self._identity = await self._identify()
        status = await self.modem.status()
        self.update_interval = self.poll_interval
        self._sync_sim_issues(sim)
        self._announce_sms_ready(sim, reconnected=identify)
        return ModemData(status, sim)

    # --- finding the stick again --------------------------------------------------------------

    async def _open(self) -> None:
        """Open the AT port; while the stick stays away, look for it in CD-ROM mode now and then."""
        try:
            await self._open_at_port()
        except ConnectionLost:
            self._failed_opens += 1
            if cdrom_check_due(self._failed_opens):
                await self._look_for_cdrom_stick()
            raise
        self._failed_opens = 0
        ir.async_delete_issue(self.hass, DOMAIN, cdrom_issue_id(self.entry))

    async def _open_at_port(self) -> None:
        """The stored port, or the AT port found among the stick's ports when that one moved."""
        url = self.modem.url
        if not self._port_may_have_moved or is_network_port(url):
            try:
                await self.modem.open()
            except ConnectionLost:
                if is_network_port(url):
                    raise
            else:
                return
        await self._relocate()
        await self.modem.open()

    async def _relocate(self) -> None:
        """Find the AT (PCUI) port among the stick's ports (a new layout renames them)."""
        url = self.modem.url
        candidates = await self.hass.async_add_executor_job(candidates_for, url, [])
        found = await find_at_port(candidates)
        if found is None:
            raise ConnectionLost(f"no port of the stick at {url} answers AT")
        self._port_may_have_moved = False
        if found.path != url:
            _LOGGER.info("%s: the AT port moved from %s to %s", self.entry.title, url, found.path)
            self._move_to(found.path)

    def _move_to(self, url: str) -> None:
        """Talk to the stick at ``url`` from now on, and keep it in the entry."""
        self.modem = Modem(url)
        for subscription in self._subscriptions:
            subscription.unsubscribe()
            subscription.attach(self.modem)
        data = {**self.entry.data, CONF_DEVICE: url}
        self.hass.config_entries.async_update_entry(self.entry, data=data)

    async def _look_for_cdrom_stick(self) -> None:
        """A Huawei stick in CD-ROM mode on the bus while ours is away: most likely ours."""
        if is_network_port(self.modem.url):
            return
        try:
            sticks = await async_list_huawei_devices()
        except UsbError as err:
            _LOGGER.debug("Cannot look for a stick in CD-ROM mode: %s", err)
            return
        storage = next((stick for stick in sticks if stick.mode is StickMode.STORAGE), None)
        if storage is None:
            ir.async_delete_issue(self.hass, DOMAIN, cdrom_issue_id(self.entry))
        else:
            self._raise_cdrom_issue(storage)

    def _raise_cdrom_issue(self, stick: UsbStick) -> None:
        _LOGGER.warning(
            "%s is away and a Huawei stick in CD-ROM mode is on the USB bus (%s)",
            self.entry.title,
            stick,
        )
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            cdrom_issue_id(self.entry),
            data={
                "entry_id": self.entry.entry_id,
                "vid": stick.vid,
                "pid": stick.pid,
                "bus": stick.bus,
                "address": stick.address,
            },
            is_fixable=True,
            severity=ir.IssueSeverity.ERROR,
            translation_key="cdrom_mode",
            translation_placeholders={"title": self.entry.title, "usb_id": stick.usb_id},
            **issue_entry_kwargs(self.entry),
        )

    # --- identity and PIN -----------------------------------------------------------------------

    async def _identify(self) -> Identity:
        identity = await self.modem.identify()
        expected = self.entry.unique_id
        if expected is not None and identity.imei != expected:
            raise translated_error(
                ConfigEntryError, "wrong_stick", expected=expected, found=identity.imei
            )
        return identity

    async def _unlock(self) -> None:
        """Send the stored PIN once; a PIN that was not accepted is forgotten at once."""
        pin: str | None = self.entry.data.get(CONF_PIN)
        if pin is None:
            raise translated_error(ConfigEntryAuthFailed, "pin_required")
        try:
            await self.modem.unlock(pin)
        except ModemError as err:
            # Refused, or not answered (so maybe refused): never risk sending it a second time.
            self._forget_pin()
            raise translated_error(ConfigEntryAuthFailed, pin_failure_key(err)) from err

    def _forget_pin(self) -> None:
        data = {key: value for key, value in self.entry.data.items() if key != CONF_PIN}
        self.hass.config_entries.async_update_entry(self.entry, data=data)

    def _sync_sim_issues(self, sim: SimStatus) -> None:
        for state, key in SIM_ISSUES.items():
            sync_error_issue(
                self.hass,
                self.entry,
                f"{key}_{self.entry.entry_id}",
                raised=sim.state is state,
                translation_key=key,
                placeholders={"title": self.entry.title},
            )

    # --- pushed by the stick --------------------------------------------------------------------

    @callback
    def _push(self, change: Callable[[ModemStatus], ModemStatus]) -> None:
        """Show a pushed change at once.

        Not ``async_set_updated_data``: that restarts the poll timer, and a stick that pushes
        every few seconds would then never be polled (SIM, operator, SMS storage).
        """
        if self.data is None or not self.last_update_success:
            return
        data = replace(self.data, status=change(self.data.status))
        if data != self.data:
            self.data = data
            self.async_update_listeners()

    @callback
    def _on_signal(self, event: SignalChanged) -> None:
        self._push(lambda status: replace(status, signal=merge_signal(status.signal, event.signal)))

    @callback
    def _on_mode(self, event: ModeChanged) -> None:
        if event.access_technology is not AccessTechnology.UNKNOWN:
            self._push(lambda status: replace(status, access_technology=event.access_technology))

    @callback
    def _on_sim_state(self, event: SimStateChanged) -> None:
        self._refresh_soon()

    @callback
    def _on_storage_full(self, event: StorageFull) -> None:
        """Show the message storage as full at once; when unsure which one is full, ask."""
        storage = self.data.status.sms_storage if self.data else None
        if storage is None or storage.memory != event.memory:
            self._refresh_soon()
            return
        full = replace(storage, used=storage.total)
        self._push(lambda status: replace(status, sms_storage=full))

    @callback
    def _on_disconnected(self, event: Disconnected) -> None:
        self._went_away(event.reason)

    @callback
    def _went_away(self, reason: str) -> None:
        """Unavailable now (logged once by the coordinator); try again every few seconds."""
        self.update_interval = RECONNECT_INTERVAL
        self.async_set_update_error(update_failed("stick_gone", reason=reason))
        self._refresh_soon()

    @callback
    def _refresh_soon(self) -> None:
        self.entry.async_create_background_task(
            self.hass, self.async_request_refresh(), f"{DOMAIN} refresh {self.entry.entry_id}"
        )

    # --- actions and lifecycle ------------------------------------------------------------------

    async def async_restart(self) -> None:
        """Restart the stick; the coordinator reconnects once it is back."""
        try:
            await self.modem.reset()
        except ModemError as err:
            raise translated_error(HomeAssistantError, "restart_failed", error=str(err)) from err
        if not self.modem.is_open and self.last_update_success:
            self._went_away("restarted")  # the port did not vanish by itself: closed by us

    async def async_port_profiles(self) -> PortProfiles:
        """The stick's current port profile and the codes it lists."""
        try:
            return await self.modem.port_profiles()
        except CommandNotSupported as err:
            raise translated_error(ServiceValidationError, "port_profiles_not_supported") from err
        except ModemError as err:
            raise translated_error(
                HomeAssistantError, "port_profile_failed", error=str(err)
            ) from err

    async def async_set_port_profile(self, profile: PortProfile, *, reset: bool) -> PortProfile:
        """Store ``profile`` (the Modem refuses unsafe ones) and restart unless told not to.

        Returns the previous profile, which is also logged so that it can be restored. The AT
        port is found again when the stick comes back: the new layout may rename it.
        """
        try:
            previous = await self.modem.set_port_profile(profile)
        except ModemError as err:
            raise translated_error(
                HomeAssistantError, "port_profile_failed", error=str(err)
            ) from err
        self._port_may_have_moved = True
        _LOGGER.warning(
            "%s: port profile changed from %s to %s (effective after a restart); to go back, "
            "set the port profile %s",
            self.entry.title,
            previous,
            profile,
            previous,
        )
        if reset:
            await self.async_restart()
        return previous

    async def async_shutdown(self) -> None:
        """Stop polling, drop the listeners and close the port (safe to call twice)."""
        await super().async_shutdown()
        while self._unsubscribes:
            self._unsubscribes.pop()()
        await self.modem.close()
