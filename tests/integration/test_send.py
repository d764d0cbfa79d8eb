"""The send_sms action against the emulated stick: alphabets, parts, numbers, errors, queueing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.huawei_modem.const import DOMAIN
from custom_components.huawei_modem.modem.modem import Modem
from custom_components.huawei_modem.modem.pdu import OutgoingPdu, split_text
from custom_components.huawei_modem.outbox import Outbox
from emulator import EmulatedStick

from .helpers import coordinator_of, device_id_of, rendered, service_response, until

NUMBER = "+491701234567"
GSM7_LONG = "Waschmaschine fertig {€} [1/3] ~ " * 12  # extension characters cost two septets
CYRILLIC = "Привет! Стиральная машина закончила работу."
EMOJI_LONG = "Alles gut 😀👍 " * 10 + "Ende 🎉"


async def send_sms(hass: HomeAssistant, entry: MockConfigEntry, **data: Any) -> dict[str, Any]:
    return await service_response(
        hass, "send_sms", {"device_id": device_id_of(hass, entry), **data}
    )


async def test_a_short_text_goes_out_as_one_gsm_part(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    response = await send_sms(hass, loaded_entry, number=NUMBER, message="Hallo Welt")

    [sent] = stick.sent
    assert (sent.number, sent.text, sent.encoding, sent.parts) == (NUMBER, "Hallo Welt", "gsm7", 1)
    assert not sent.status_report_requested
    assert sent.message_class is None
    assert response == {"messages": [{"number": NUMBER, "references": list(sent.references)}]}


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        pytest.param(GSM7_LONG, "gsm7", id="gsm7 multipart with extension characters"),
        pytest.param("x" * 160, "gsm7", id="gsm7 exactly one part"),
        pytest.param(CYRILLIC, "ucs2", id="ucs2 single"),
        pytest.param(CYRILLIC * 4, "ucs2", id="ucs2 multipart"),
        pytest.param("Fertig 🎉", "ucs2", id="emoji single"),
        pytest.param(EMOJI_LONG, "ucs2", id="emoji multipart"),
    ],
)
async def test_every_text_arrives_whole_in_the_alphabet_it_needs(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    text: str,
    encoding: str,
) -> None:
    response = await send_sms(hass, loaded_entry, number=NUMBER, message=text)

    [sent] = stick.sent
    _, parts = split_text(text)
    assert (sent.text, sent.encoding, sent.parts) == (text, encoding, len(parts))
    assert response["messages"][0]["references"] == list(sent.references)


async def test_one_message_goes_to_several_numbers_in_turn(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    numbers = ["+49 170 123-4567", "0151 7654321", "+491701234567", "112"]

    response = await send_sms(hass, loaded_entry, number=numbers, message="Feueralarm")

    expected = ["+491701234567", "01517654321", "112"]  # separators dropped, the repeat once
    assert [sent.number for sent in stick.sent] == expected
    assert [sent.text for sent in stick.sent] == ["Feueralarm"] * 3
    assert response == {
        "messages": [
            {"number": sent.number, "references": list(sent.references)} for sent in stick.sent
        ]
    }


async def test_flash_and_delivery_report_reach_the_pdu(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    stick.sms.status_report_delay = 3600  # the report itself is test_delivery's

    await send_sms(hass, loaded_entry, number=NUMBER, message="Blitz", flash=True)
    await send_sms(hass, loaded_entry, number=NUMBER, message="Bericht", delivery_report=True)

    flash, reported = stick.sent
    assert (flash.message_class, flash.status_report_requested) == (0, False)
    assert (reported.message_class, reported.status_report_requested) == (None, True)


async def test_the_response_is_optional(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"device_id": device_id_of(hass, loaded_entry), "number": NUMBER, "message": "Hallo"},
        blocking=True,
    )

    assert [sent.text for sent in stick.sent] == ["Hallo"]


@pytest.mark.parametrize("bad", ["", "   ", "+49 170 CALL-ME", "0170+1234", "+" + "1" * 21])
async def test_a_bad_number_anywhere_stops_the_whole_batch(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick, bad: str
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await send_sms(hass, loaded_entry, number=[NUMBER, "+491517654321", bad], message="Hi")

    assert raised.value.translation_key == "invalid_number"
    assert rendered(raised.value).startswith(f'"{bad}" is not a phone number')
    assert stick.sent == []


async def test_a_text_beyond_255_parts_is_refused_before_sending(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await send_sms(hass, loaded_entry, number=NUMBER, message="x" * (153 * 255 + 1))

    assert raised.value.translation_key == "invalid_message"
    assert stick.sent == []


async def test_a_network_refusal_names_its_code_and_meaning(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    stick.refuse_sms(21, count=1)

    with pytest.raises(HomeAssistantError) as raised:
        await send_sms(hass, loaded_entry, number=NUMBER, message="Hallo")

    assert not isinstance(raised.value, ServiceValidationError)
    assert raised.value.translation_key == "sms_refused"
    assert rendered(raised.value) == (
        f"The network refused the SMS to {NUMBER} (21: short message transfer rejected)."
    )
    assert stick.sent == []
    await send_sms(hass, loaded_entry, number=NUMBER, message="Noch einmal")
    assert [sent.text for sent in stick.sent] == ["Noch einmal"]


@pytest.mark.parametrize(
    ("failing", "trouble", "key", "reason"),
    [
        (2, lambda stick: stick.refuse_sms(38), "sms_refused_after_sent", "(38: "),
        (3, EmulatedStick.unplug, "sms_unconfirmed_after_sent", "may have gone out or not"),
    ],
    ids=["refused", "unplugged"],
)
async def test_a_failure_midway_names_the_numbers_already_sent(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    failing: int,
    trouble: Callable[[EmulatedStick], None],
    key: str,
    reason: str,
) -> None:
    numbers = ["+491701111111", "+491702222222", "+491703333333"]
    gone, number = numbers[: failing - 1], numbers[failing - 1]
    send = Outbox.async_send

    async def send_then_trouble(outbox: Outbox, to: str, *args: Any, **kwargs: Any) -> Any:
        sent = await send(outbox, to, *args, **kwargs)
        if to == gone[-1]:
            trouble(stick)
        return sent

    with (
        patch.object(Outbox, "async_send", autospec=True, side_effect=send_then_trouble),
        pytest.raises(HomeAssistantError) as raised,
    ):
        await send_sms(hass, loaded_entry, number=numbers, message="Feueralarm")

    assert [sent.number for sent in stick.sent] == gone
    assert raised.value.translation_key == key
    assert (raised.value.translation_placeholders or {})["sent"] == ", ".join(gone)
    message = rendered(raised.value)
    assert number in message
    assert reason in message
    assert message.endswith(
        f"It had already gone to {', '.join(gone)}; no further numbers were tried."
    )


async def test_concurrent_sends_are_queued_and_never_interleave(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    texts = {
        f"+4917000000{index:02d}": f"{index:02d} " + [GSM7_LONG, EMOJI_LONG][index % 2]
        for index in range(16)
    }

    responses = await asyncio.gather(
        *(
            send_sms(hass, loaded_entry, number=number, message=text)
            for number, text in texts.items()
        )
    )

    assert {sent.number: sent.text for sent in stick.sent} == texts
    for sent in stick.sent:  # the stick counts references up per part: one message, one run
        first = sent.references[0]
        assert list(sent.references) == [(first + step) % 256 for step in range(sent.parts)]
    references = [reference for sent in stick.sent for reference in sent.references]
    assert len(set(references)) == len(references)
    answered = {r["messages"][0]["number"]: r["messages"][0]["references"] for r in responses}
    assert answered == {sent.number: list(sent.references) for sent in stick.sent}


async def test_an_unplugged_stick_is_reported_clearly(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    coordinator = coordinator_of(hass, loaded_entry)
    stick.unplug()
    await until(hass, lambda: not coordinator.last_update_success)

    with pytest.raises(ServiceValidationError) as raised:
        await send_sms(hass, loaded_entry, number=NUMBER, message="Hallo")

    assert raised.value.translation_key == "stick_not_ready"
    assert rendered(raised.value).startswith("The stick E3372 is not ready")


async def test_a_stick_that_is_not_set_up_is_not_ready(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    device_id = device_id_of(hass, loaded_entry)
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED

    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {"device_id": device_id, "number": NUMBER, "message": "Hallo"},
            blocking=True,
        )

    assert raised.value.translation_key == "stick_not_ready"


async def test_an_unknown_device_is_refused(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    other = MockConfigEntry(domain="other")
    other.add_to_hass(hass)
    foreign = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other", "1")}
    )

    for device_id in ("no-such-device", foreign.id):
        with pytest.raises(ServiceValidationError) as raised:
            await hass.services.async_call(
                DOMAIN,
                "send_sms",
                {"device_id": device_id, "number": NUMBER, "message": "Hallo"},
                blocking=True,
            )
        assert raised.value.translation_key == "unknown_device"
    assert stick.sent == []


@pytest.mark.parametrize(
    ("numbers", "key", "tail"),
    [
        ([NUMBER], "sms_part_refused", "only the start of the message."),
        (
            ["+491701111111", NUMBER],
            "sms_part_refused_after_sent",
            "It had already gone to +491701111111; no further numbers were tried.",
        ),
    ],
    ids=["one number", "after another number"],
)
async def test_a_long_message_refused_midway_says_how_much_went_out(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    stick: EmulatedStick,
    numbers: list[str],
    key: str,
    tail: str,
) -> None:
    parts_before = 1 + len(numbers[:-1]) * 3  # a 3-part text to each earlier number
    stick.refuse_sms(38, count=1, after=parts_before)
    with pytest.raises(HomeAssistantError) as raised:
        await send_sms(hass, loaded_entry, number=numbers, message="Feuer! " * 60)

    assert raised.value.translation_key == key
    assert rendered(raised.value).startswith(
        f"The network refused the SMS to {NUMBER} (38: network out of order) after 1 of its 3 "
        "parts had gone out (references "
    )
    assert rendered(raised.value).endswith(tail)


async def test_a_long_message_cut_off_midway_names_the_parts_that_went_out(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    send_part = Modem._send_part
    first = stick.device.next_reference

    async def then_unplug(modem: Modem, part: OutgoingPdu) -> int:
        reference = await send_part(modem, part)
        stick.unplug()
        return reference

    with (
        patch.object(Modem, "_send_part", then_unplug),
        pytest.raises(HomeAssistantError) as raised,
    ):
        await send_sms(hass, loaded_entry, number=NUMBER, message="Feuer! " * 60)

    assert raised.value.translation_key == "sms_part_failed"
    assert rendered(raised.value).startswith(
        f"Sending the SMS to {NUMBER} stopped after 1 of its 3 parts had gone out "
        f"(references {first}): "
    )


async def test_a_send_the_stick_never_confirmed_may_have_gone_out(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, stick: EmulatedStick
) -> None:
    """The stick fell silent after taking the PDU: the error does not claim it was not sent."""
    coordinator_of(hass, loaded_entry).modem._sms_timeout = 0.3
    send_part = Modem._send_part

    async def then_silence(modem: Modem, part: OutgoingPdu) -> int:
        stick.faults.stall_next = 1  # the stick takes the PDU and never answers
        return await send_part(modem, part)

    with (
        patch.object(Modem, "_send_part", then_silence),
        pytest.raises(HomeAssistantError) as raised,
    ):
        await send_sms(hass, loaded_entry, number=NUMBER, message="Hallo")
    assert raised.value.translation_key == "sms_unconfirmed"
    assert rendered(raised.value).endswith("it may have gone out or not.")
    assert [sent.text for sent in stick.sent] == ["Hallo"]  # and it had
