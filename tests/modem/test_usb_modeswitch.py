"""USB modeswitch against a fake pyusb backend that plays a Huawei stick."""

from __future__ import annotations

import errno
import threading

import pytest
import usb.core

from custom_components.huawei_modem.modem.errors import (
    ModeswitchTimeoutError,
    NotInStorageModeError,
    StickNotFoundError,
    UnexpectedModeError,
    UsbError,
    UsbPermissionError,
)
from custom_components.huawei_modem.modem.usb import (
    DEFAULT_MESSAGE,
    UDEV_RULE,
    StickMode,
    UsbStick,
    async_list_huawei_devices,
    async_modeswitch,
)

from .fake_usb import HILINK_MESSAGE, FakeBackend, switch, usb_error
from .fake_usb_devices import Device, Endpoint, modem_stick, storage_stick

# --- modeswitch -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoints", "bulk_out", "bulk_in"),
    [
        ([Endpoint(0x81), Endpoint(0x01)], 0x01, 0x81),
        # Another layout: an interrupt endpoint first, bulk-OUT at 0x0f. Nothing may assume 0x01.
        ([Endpoint(0x83, bmAttributes=0x03), Endpoint(0x0F), Endpoint(0x8E)], 0x0F, 0x8E),
    ],
)
def test_modeswitch_to_a_serial_modem(
    endpoints: list[Endpoint], bulk_out: int, bulk_in: int
) -> None:
    backend = FakeBackend(storage_stick(endpoints=endpoints))
    backend.switch_to = modem_stick(0x1001, address=6)
    backend.appear_after = 3

    became = switch(backend)

    assert backend.written == [(bulk_out, 0, bytes.fromhex(DEFAULT_MESSAGE))]
    assert backend.events == [
        ("open", 0x1F01),
        ("detach", 0),
        ("claim", 0),
        ("write", bulk_out),
        ("read", bulk_in, 13),
        ("close", 0x1F01),
        ("open", 0x1001),  # to read its serial number and product name
        ("close", 0x1001),
    ]
    assert became == UsbStick(
        0x12D1, 0x1001, StickMode.SERIAL_MODEM, 1, 6, "0123456789", "HUAWEI Mobile"
    )


def test_interface_zero_is_released_and_the_device_closed() -> None:
    # This stick stays on the bus until after the status reply, then re-enumerates.
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick(0x1506)
    backend.vanish_on_write = False

    became = switch(backend)

    assert backend.events[3:7] == [
        ("write", 0x01),
        ("read", 0x81, 13),
        ("release", 0),
        ("close", 0x1F01),
    ]
    assert became.pid == 0x1506


def test_a_custom_message_is_written_as_given() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()
    custom = "55534243123456780000000000000011063000000000010000000000000000"

    switch(backend, message=custom)

    assert backend.written == [(0x01, 0, bytes.fromhex(custom))]


def test_no_kernel_driver_to_detach() -> None:
    stick = storage_stick()
    stick.kernel_driver_active = False
    backend = FakeBackend(stick)
    backend.switch_to = modem_stick()

    switch(backend)

    assert not any(event[0] == "detach" for event in backend.events)
    assert ("claim", 0) in backend.events


@pytest.mark.parametrize(
    "refusal",
    [NotImplementedError("is_kernel_driver_active"), usb_error(errno.ENOSYS, "Not supported")],
)
def test_a_backend_without_kernel_drivers(refusal: Exception) -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["is_kernel_driver_active"] = refusal
    backend.switch_to = modem_stick()

    assert switch(backend).mode is StickMode.SERIAL_MODEM
    assert backend.written


def test_picks_the_stick_at_the_given_address() -> None:
    first, second = storage_stick(address=5), storage_stick(address=9)
    backend = FakeBackend(first, second)
    backend.switch_to = modem_stick(address=10)

    switch(backend, bus=1, address=9)

    assert (first.gone, second.gone) == (False, True)


def test_a_status_reply_is_optional() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()
    backend.status_reply = None  # the read times out

    assert switch(backend).pid == 0x1001


def test_the_status_reply_can_be_skipped() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()

    switch(backend, read_status=False)

    assert not any(event[0] == "read" for event in backend.events)


def test_an_interface_without_bulk_in() -> None:
    backend = FakeBackend(storage_stick(endpoints=[Endpoint(0x02)]))
    backend.switch_to = modem_stick()

    switch(backend)

    assert backend.written[0][0] == 0x02
    assert not any(event[0] == "read" for event in backend.events)


def test_an_interface_without_bulk_out_is_not_written_to() -> None:
    backend = FakeBackend(storage_stick(endpoints=[Endpoint(0x81), Endpoint(0x02, 0x03)]))

    with pytest.raises(UsbError, match="no bulk-OUT endpoint"):
        switch(backend)
    assert backend.written == []


@pytest.mark.parametrize("number", [errno.ENODEV, errno.EPIPE, errno.EIO])
def test_vanishing_during_the_write_counts_as_switching(number: int) -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()
    backend.fail["bulk_write"] = usb_error(number)

    assert switch(backend).pid == 0x1001


def test_a_write_that_times_out_is_an_error() -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["bulk_write"] = usb.core.USBTimeoutError("Operation timed out", errno=110)

    with pytest.raises(UsbError, match="did not take the switch message"):
        switch(backend)
    assert ("close", 0x1F01) in backend.events


def test_a_short_write_is_an_error() -> None:
    backend = FakeBackend(storage_stick())
    backend.short_write = True

    with pytest.raises(UsbError, match="took 30 of the 31 bytes"):
        switch(backend)


# --- refusals and errors ----------------------------------------------------------------------


@pytest.mark.parametrize("stick", [modem_stick(0x14DC), modem_stick(0x1001), modem_stick(0x1506)])
def test_a_stick_not_in_storage_mode_is_not_switched(stick: Device) -> None:
    backend = FakeBackend(stick)

    with pytest.raises(NotInStorageModeError, match="not in mass-storage") as caught:
        switch(backend, pid=stick.idProduct)

    assert (caught.value.vid, caught.value.pid) == (0x12D1, stick.idProduct)
    assert backend.events == []  # not even opened


def test_an_unknown_product_id_is_switched_if_it_shows_mass_storage() -> None:
    backend = FakeBackend(storage_stick(pid=0x1234))
    backend.switch_to = modem_stick()

    assert switch(backend, pid=0x1234).pid == 0x1001


def test_an_unknown_product_id_without_mass_storage_is_not_switched() -> None:
    backend = FakeBackend(modem_stick(pid=0x1234))

    with pytest.raises(NotInStorageModeError):
        switch(backend, pid=0x1234)
    assert backend.written == []
    assert not any(event[0] in {"detach", "claim"} for event in backend.events)


def test_no_such_stick() -> None:
    backend = FakeBackend(modem_stick())

    with pytest.raises(StickNotFoundError, match="No USB device 12d1:1f01$"):
        switch(backend)
    with pytest.raises(StickNotFoundError, match="12d1:1001 on bus 2 address 6"):
        switch(backend, pid=0x1001, bus=2, address=6)


def test_no_permission_names_the_udev_rule() -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["open"] = usb_error(errno.EACCES, "Access denied (insufficient permissions)")

    with pytest.raises(UsbPermissionError) as caught:
        switch(backend)

    assert UDEV_RULE in str(caught.value)
    assert caught.value.udev_rule == UDEV_RULE
    assert UDEV_RULE == 'SUBSYSTEM=="usb", ATTR{idVendor}=="12d1", MODE="0660", GROUP="dialout"'
    assert "12d1:1f01" in str(caught.value)
    assert backend.written == []


def test_no_permission_to_detach_the_storage_driver() -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["detach_kernel_driver"] = usb_error(errno.EPERM)

    with pytest.raises(UsbPermissionError):
        switch(backend)


def test_the_stick_is_gone_before_the_write() -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["claim_interface"] = usb_error(errno.ENODEV)

    with pytest.raises(StickNotFoundError, match="went away before the switch message"):
        switch(backend)
    assert backend.written == []


def test_interface_zero_is_busy() -> None:
    backend = FakeBackend(storage_stick())
    backend.fail["claim_interface"] = usb_error(errno.EBUSY, "Resource busy")

    with pytest.raises(UsbError, match="Cannot prepare 12d1:1f01 .*Resource busy"):
        switch(backend)
    assert ("close", 0x1F01) in backend.events


def test_timeout_waiting_for_the_stick() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()
    backend.appear_after = 10**9

    with pytest.raises(ModeswitchTimeoutError, match="within 0.05 s") as caught:
        switch(backend, reappear_timeout=0.05)
    assert caught.value.timeout == 0.05


def test_another_stick_already_in_modem_mode_is_not_taken_for_the_switched_one() -> None:
    backend = FakeBackend(modem_stick(address=2), storage_stick(address=5))
    backend.appear_after = 10**9
    backend.switch_to = modem_stick(address=6)

    with pytest.raises(ModeswitchTimeoutError):
        switch(backend, reappear_timeout=0.01)


def test_a_stick_on_another_bus_is_not_taken_for_the_switched_one() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()
    backend.switch_to.bus = 2

    with pytest.raises(ModeswitchTimeoutError):
        switch(backend, reappear_timeout=0.01)


def test_came_back_as_hilink() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick(0x14DC)

    with pytest.raises(UnexpectedModeError, match="came back as 12d1:14dc \\(hilink\\)") as caught:
        switch(backend, message=HILINK_MESSAGE)
    assert (caught.value.vid, caught.value.pid) == (0x12D1, 0x14DC)


def test_came_back_still_in_storage_mode() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = storage_stick(address=6)

    with pytest.raises(UnexpectedModeError, match="came back as 12d1:1f01 \\(storage\\)"):
        switch(backend, reappear_timeout=0.02)


# --- async wrappers ---------------------------------------------------------------------------


async def test_async_wrappers_run_in_the_executor() -> None:
    backend = FakeBackend(storage_stick())
    backend.switch_to = modem_stick()
    threads: set[threading.Thread] = set()
    enumerate_devices = backend.enumerate_devices

    def enumerate_and_record() -> list[Device]:
        threads.add(threading.current_thread())
        return enumerate_devices()

    backend.enumerate_devices = enumerate_and_record  # type: ignore[method-assign]

    before = await async_list_huawei_devices(backend=backend)
    became = await async_modeswitch(0x12D1, 0x1F01, backend=backend, poll_interval=0.001)
    after = await async_list_huawei_devices(backend=backend)

    assert [stick.pid for stick in before] == [0x1F01]
    assert became.pid == 0x1001
    assert after == [became]
    assert threads
    assert threading.current_thread() not in threads
