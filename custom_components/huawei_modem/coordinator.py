"""The coordinator: owns a stick's Modem, polls its status and takes what the stick pushes.

The other concerns of a stick have their own homes: finding a moved AT port (relocation.py),
a stick away for long or in CD-ROM mode (away_watch.py), the SIM and PIN (sim_state.py), repair
issues (issues.py).

The connection is opened lazily by the first update and dropped on any error, so the next update
reopens it (the stick re-enumerates after a replug or ``^RESET``). While the stick is gone the
entities are unavailable and the coordinator retries every few seconds, without a reload.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import (
    ConfigEntryError,
    ConfigEntryNotReady,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .away_watch import AwayWatch
from .const import (
    CONF_DEVICE,
    CONF_SCAN_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    RECONNECT_INTERVAL,
)
from .errors import translated_error, update_failed
from .modem import CellChanged, NetworkTime, with_registration
from .modem.errors import (
    CommandNotSupportedError,
    ConnectionLostError,
    ModemError,
    PortCodesNotListedError,
    PortProfileWithoutAtPortError,
    UnsafePortProfileError,
)
from .modem.models import (
    AccessTechnology,
    Capabilities,
    Disconnected,
    Identity,
    ModeChanged,
    ModemStatus,
    PortProfile,
    SignalChanged,
    SimStateChanged,
    SimStatus,
    StorageFull,
)
from .modem.modem import Modem
from .modem.signal import merge_signal
from .relocation import PortRelocation
from .sim_state import SimGuard

if TYPE_CHECKING:
    from .runtime import HuaweiModemConfigEntry

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ModemData:
    """What the entities show: the last status (polled, then updated by pushes), the SIM, and
    the network's time as last told (pushed, or answered once per connection)."""

    status: ModemStatus
    sim: SimStatus
    network_time: NetworkTime | None = None


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
        self._network_time: NetworkTime | None = None
        self.relocation = PortRelocation(hass, entry, self.modem)
        self.away_watch = AwayWatch(hass, entry)
        self.sim = SimGuard(hass, entry, self.modem)
        self._unsubscribes = [
            self.modem.subscribe(SignalChanged, self._on_signal),
            self.modem.subscribe(ModeChanged, self._on_mode),
            self.modem.subscribe(SimStateChanged, self._on_sim_state),
            self.modem.subscribe(Disconnected, self._on_disconnected),
            self.modem.subscribe(StorageFull, self._on_storage_full),
            self.modem.subscribe(CellChanged, self._on_cell),
            self.modem.subscribe(NetworkTime, self._on_network_time),
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
        sim, unlocked = await self.sim.async_unlocked_status()
        identify = identify or unlocked  # the SIM's identity (IMSI) is readable only after it
        if identify:
            self._identity = await self._identify()
            await self.modem.ask_network_time()  # answered by a NetworkTime event
        status = await self.modem.status()
        self.update_interval = self.poll_interval
        self.sim.async_polled(sim, reconnected=identify)
        return ModemData(status, sim, self._network_time)

    # --- finding the stick again --------------------------------------------------------------

    async def _open(self) -> None:
        """Open the AT port; while the stick stays away, look for it in CD-ROM mode now and then."""
        try:
            await self.relocation.async_open()
        except ConnectionLostError:
            await self.away_watch.async_stick_away(self.modem.url)
            raise
        self.away_watch.stick_back()

    # --- identity -------------------------------------------------------------------------------

    async def _identify(self) -> Identity:
        identity = await self.modem.identify()
        expected = self.entry.unique_id
        if expected is not None and identity.imei != expected:
            raise translated_error(
                ConfigEntryError, "wrong_stick", expected=expected, found=identity.imei
            )
        return identity

    # --- pushed by the stick --------------------------------------------------------------------

    @callback
    def _push(self, change: Callable[[ModemStatus], ModemStatus]) -> None:
        """Show a pushed change of the status at once."""
        self._push_data(lambda data: replace(data, status=change(data.status)))

    @callback
    def _push_data(self, change: Callable[[ModemData], ModemData]) -> None:
        """Show a pushed change at once.

        Not ``async_set_updated_data``: that restarts the poll timer, and a stick that pushes
        every few seconds would then never be polled (SIM, operator, SMS storage).
        """
        if self.data is None or not self.last_update_success:
            return
        data = change(self.data)
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
    def _on_cell(self, event: CellChanged) -> None:
        self._push(lambda status: with_registration(status, event.command, event.registration))

    @callback
    def _on_network_time(self, event: NetworkTime) -> None:
        self._network_time = event  # kept for the updates to come
        self._push_data(lambda data: replace(data, network_time=event))

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

    async def async_set_port_profile(self, profile: PortProfile, *, reset: bool) -> PortProfile:
        """Store ``profile`` (the Modem refuses unsafe ones) and restart unless told not to.

        Returns the previous profile, which is also logged so that it can be restored. The AT
        port is found again when the stick comes back: the new layout may rename it.
        """
        try:
            previous = await self.modem.set_port_profile(profile)
        except ModemError as err:
            raise _port_profile_error(err) from err
        self.relocation.may_have_moved = True
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


def _port_profile_error(err: ModemError) -> HomeAssistantError:
    """The translated error for a port profile the Modem refused or could not store."""
    if isinstance(err, PortProfileWithoutAtPortError):
        return translated_error(
            ServiceValidationError, "port_profile_without_at_port", profile=err.profile
        )
    if isinstance(err, PortCodesNotListedError):
        return translated_error(
            ServiceValidationError,
            "port_profile_codes_not_listed",
            profile=err.profile,
            codes=", ".join(err.codes),
            supported=", ".join(f"{code} ({name})" for code, name in err.supported.items()),
        )
    if isinstance(err, UnsafePortProfileError):
        return translated_error(ServiceValidationError, "invalid_port_profile", profile=err.profile)
    if isinstance(err, CommandNotSupportedError):
        return translated_error(ServiceValidationError, "port_profiles_not_supported")
    return translated_error(HomeAssistantError, "port_profile_failed", error=str(err))
