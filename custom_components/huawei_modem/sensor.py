"""Sensors of a stick: signal, network, cell, SIM, SMS storage, SMS parts sent, the last SMS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .coordinator import ModemData
from .entity import HuaweiModemEntity, async_add_reported_entities
from .last_sms import last_sms_sensors
from .modem import ServingCell, serving_cell
from .modem.models import AccessTechnology, RegistrationState, SignalQuality, SimState
from .modem.signal import signal_percent
from .runtime import HuaweiModemConfigEntry

PARALLEL_UPDATES = 0  # the coordinator fetches for every entity

NETWORK_TYPES = {
    AccessTechnology.GSM: "gsm",
    AccessTechnology.WCDMA: "wcdma",
    AccessTechnology.LTE: "lte",
    AccessTechnology.NONE: "none",
}
REGISTRATION_STATES = {
    RegistrationState.NOT_REGISTERED: "not_registered",
    RegistrationState.HOME: "home",
    RegistrationState.SEARCHING: "searching",
    RegistrationState.DENIED: "denied",
    RegistrationState.ROAMING: "roaming",
}


@dataclass(frozen=True, kw_only=True)
class HuaweiModemSensorEntityDescription(SensorEntityDescription):
    """A sensor of a stick: how to read its value, and whether this stick reports it."""

    value_fn: Callable[[ModemData], StateType | datetime]
    exists_fn: Callable[[ModemData], bool] = lambda _: True


def radio_measurement(
    key: str, read: Callable[[SignalQuality], float | None], unit: str
) -> HuaweiModemSensorEntityDescription:
    """A detail of the radio (LTE or WCDMA only): disabled by default, created when reported."""
    return HuaweiModemSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        native_unit_of_measurement=unit,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda data: read(data.status.signal),
        exists_fn=lambda data: read(data.status.signal) is not None,
    )


def cell_detail(key: str, read: Callable[[ServingCell], int]) -> HuaweiModemSensorEntityDescription:
    """Where the stick is (location data): disabled by default, created once it is reported.

    Decimal, as cell maps and databases (OpenCellID, CellMapper) show and search them.
    """

    def value(data: ModemData) -> int | None:
        cell = serving_cell(data.status.registrations)
        return read(cell) if cell else None

    return HuaweiModemSensorEntityDescription(
        key=key,
        translation_key=key,
        exists_fn=lambda data: value(data) is not None,
        value_fn=value,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
    )


SENSORS: tuple[HuaweiModemSensorEntityDescription, ...] = (
    HuaweiModemSensorEntityDescription(
        key="signal_strength",
        translation_key="signal_strength",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data: data.status.signal.rssi_dbm,
    ),
    HuaweiModemSensorEntityDescription(
        key="signal_quality",
        translation_key="signal_quality",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data: signal_percent(data.status.signal),
    ),
    radio_measurement("rsrp", lambda signal: signal.rsrp_dbm, SIGNAL_STRENGTH_DECIBELS_MILLIWATT),
    radio_measurement("rsrq", lambda signal: signal.rsrq_db, SIGNAL_STRENGTH_DECIBELS),
    radio_measurement("sinr", lambda signal: signal.sinr_db, SIGNAL_STRENGTH_DECIBELS),
    radio_measurement("rscp", lambda signal: signal.rscp_dbm, SIGNAL_STRENGTH_DECIBELS_MILLIWATT),
    radio_measurement("ecio", lambda signal: signal.ecio_db, SIGNAL_STRENGTH_DECIBELS),
    HuaweiModemSensorEntityDescription(
        key="operator",
        translation_key="operator",
        value_fn=lambda data: data.status.operator.name if data.status.operator else None,
    ),
    HuaweiModemSensorEntityDescription(
        key="network_type",
        translation_key="network_type",
        device_class=SensorDeviceClass.ENUM,
        options=list(NETWORK_TYPES.values()),
        value_fn=lambda data: NETWORK_TYPES.get(data.status.access_technology),
    ),
    HuaweiModemSensorEntityDescription(
        key="registration",
        translation_key="registration",
        device_class=SensorDeviceClass.ENUM,
        options=list(REGISTRATION_STATES.values()),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: REGISTRATION_STATES.get(data.status.registration),
    ),
    cell_detail("area_code", lambda cell: cell.area_code),
    cell_detail("cell_id", lambda cell: cell.cell_id),
    HuaweiModemSensorEntityDescription(
        key="network_time",
        translation_key="network_time",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        exists_fn=lambda data: data.network_time is not None and data.network_time.time is not None,
        value_fn=lambda data: data.network_time.time if data.network_time else None,
    ),
    HuaweiModemSensorEntityDescription(
        key="sim_state",
        translation_key="sim_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in SimState],
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.sim.state.value,
    ),
    HuaweiModemSensorEntityDescription(
        key="pin_attempts_left",
        translation_key="pin_attempts_left",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.sim.pin_attempts_left,
        exists_fn=lambda data: data.sim.pin_attempts_left is not None,
    ),
    HuaweiModemSensorEntityDescription(
        key="sms_storage_used",
        translation_key="sms_storage_used",
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.status.sms_storage.used if data.status.sms_storage else None,
        exists_fn=lambda data: data.status.sms_storage is not None,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HuaweiModemConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors a stick reports (more appear if it reports them later), and the cost
    guard's count of SMS parts sent."""
    coordinator = entry.runtime_data.coordinator
    async_add_reported_entities(
        coordinator,
        SENSORS,
        lambda description, data: description.exists_fn(data),
        lambda description: HuaweiModemSensor(coordinator, description),
        async_add_entities,
    )
    async_add_entities(
        [HuaweiModemPartsSentSensor(coordinator, PARTS_SENT), *last_sms_sensors(hass, coordinator)]
    )


PARTS_SENT = SensorEntityDescription(
    key="sms_parts_last_hour",
    translation_key="sms_parts_last_hour",
    state_class=SensorStateClass.MEASUREMENT,
    entity_category=EntityCategory.DIAGNOSTIC,
)


class HuaweiModemPartsSentSensor(HuaweiModemEntity, SensorEntity):
    """SMS parts sent in the last hour, as the cost guard counts them (updated at every send
    and every poll)."""

    @property
    def available(self) -> bool:
        """Always: the count is the integration's own, stick or no stick."""
        return True

    @property
    def native_value(self) -> int:
        return self.coordinator.entry.runtime_data.outbox.parts_last_hour


class HuaweiModemSensor(HuaweiModemEntity, SensorEntity):
    """A value read from the coordinator's data."""

    entity_description: HuaweiModemSensorEntityDescription

    @property
    def native_value(self) -> StateType | datetime:
        return self.entity_description.value_fn(self.coordinator.data)
