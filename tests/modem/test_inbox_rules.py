"""The inbox rules: long messages joined in any order, fired once, timed out, kept, restored."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from custom_components.huawei_modem.modem.inbox_rules import (
    FIRED_KEYS_KEPT,
    InboxState,
    Incoming,
    message_key,
)
from custom_components.huawei_modem.modem.pdu import (
    SmsDeliver,
    SmsSubmit,
    concat_header,
    decode_pdu,
    encode_sms,
)

from .pdu_helpers import deliver_pdu

WHEN = datetime(2024, 5, 17, 13, 45, 30, tzinfo=UTC)
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
TIMEOUT = timedelta(hours=24)


def _parts(text: str, reference: int = 1, sender: str = "+4917012345") -> list[SmsDeliver]:
    parts = []
    for pdu in encode_sms(sender, text, reference=reference):
        submit = decode_pdu(pdu.pdu)
        assert isinstance(submit, SmsSubmit)
        parts.append(
            SmsDeliver(
                number=sender,
                text=submit.text,
                encoding=submit.encoding,
                timestamp=WHEN,
                concat=submit.concat,
            )
        )
    return parts


def stored(message: SmsDeliver) -> Incoming:
    """``message`` as read from the SIM, at an index of its own (the same on every read)."""
    return Incoming(message, "", int(message_key(message)[:4], 16))


def _fired(state: InboxState, messages: Iterable[SmsDeliver], now: datetime = NOW) -> list[str]:
    """The texts fired as the messages come, one after the other."""
    fired = [state.accept(stored(message), now) for message in messages]
    return [received.message.text for received in fired if received is not None]


def _waiting(state: InboxState) -> list[SmsDeliver]:
    return [part.message for group in state.waiting.values() for part in group.values()]


def test_parts_in_any_order_repeated_and_left_over() -> None:
    long_a, long_b = "a" * 400, "b" * 200
    a1, a2, a3 = _parts(long_a, reference=1)
    b1, b2 = _parts(long_b, reference=1, sender="+4917099999")  # same reference, other sender
    single = SmsDeliver(number="+491", text="single", encoding="gsm7", timestamp=WHEN)
    state = InboxState(TIMEOUT)
    assert _fired(state, [a3, b2, single, a1, a3, a2]) == ["single", long_a]  # as each completes
    assert _waiting(state) == [b2]
    assert _fired(state, [b1]) == [long_b]
    assert _waiting(state) == []


def test_sixteen_bit_references_are_kept_apart() -> None:
    first = _parts("c" * 200, reference=0x0101)
    second = _parts("d" * 200, reference=0x0201)
    state = InboxState(TIMEOUT)
    assert _fired(state, [first[0], second[1], second[0], first[1]]) == ["d" * 200, "c" * 200]
    assert not _waiting(state)


def test_a_fired_or_waiting_message_is_known() -> None:
    single = SmsDeliver(number="+491", text="single", encoding="gsm7", timestamp=WHEN)
    first, second = _parts("e" * 200)
    state = InboxState(TIMEOUT)
    _fired(state, [single, first])
    assert state.knows(stored(single))
    assert state.knows(stored(first))
    assert not state.knows(stored(second))
    assert message_key(first) != message_key(second)


def test_an_incomplete_message_fires_as_it_is_after_the_timeout() -> None:
    first, _, third = _parts("f" * 400)
    state = InboxState(TIMEOUT)
    _fired(state, [third])
    _fired(state, [first], NOW + timedelta(hours=1))
    assert state.next_deadline() == NOW + TIMEOUT
    assert state.take_expired(NOW + TIMEOUT - timedelta(minutes=1)) == []

    [received] = state.take_expired(NOW + TIMEOUT)

    assert received.message.text == first.text + third.text
    assert (received.parts, received.expected, received.incomplete) == (2, 3, True)
    assert state.next_deadline() is None
    assert state.knows(stored(first))


def test_what_is_kept_restores_the_same_state() -> None:
    pdu = deliver_pdu("part one", header=concat_header(3, 2, 1))
    part = decode_pdu(pdu)
    assert isinstance(part, SmsDeliver)
    single = SmsDeliver(number="+491", text="single", encoding="gsm7", timestamp=WHEN)
    state = InboxState(TIMEOUT)
    state.accept(stored(single), NOW)
    state.accept(Incoming(part, pdu, 7), NOW)

    restored = InboxState(TIMEOUT)
    restored.restore(state.as_stored())

    assert restored.knows(stored(single))
    assert restored.knows(Incoming(part, pdu, 7))
    assert restored.next_deadline() == NOW + TIMEOUT
    assert restored.as_stored() == state.as_stored()


def test_the_fired_keys_are_bounded_oldest_first() -> None:
    messages = [
        SmsDeliver(number="+491", text=str(number), encoding="gsm7", timestamp=WHEN)
        for number in range(FIRED_KEYS_KEPT + 1)
    ]
    state = InboxState(TIMEOUT)
    assert len(_fired(state, messages)) == len(messages)
    assert not state.knows(stored(messages[0]))
    assert state.knows(stored(messages[1]))
    assert state.knows(stored(messages[-1]))


# --- identity: content and place ------------------------------------------------------------------


def test_two_identical_texts_in_the_same_second_are_two_messages() -> None:
    twin = SmsDeliver(number="+491", text="Tür auf", encoding="gsm7", timestamp=WHEN)
    state = InboxState(TIMEOUT)
    assert state.accept(Incoming(twin, "", 1), NOW) is not None
    assert state.knows(Incoming(twin, "", 1))  # read again where it is: fired already
    assert not state.knows(Incoming(twin, "", 2))  # the same text at another place: a new one
    assert state.accept(Incoming(twin, "", 2), NOW) is not None


def test_a_deleted_message_frees_its_place() -> None:
    twin = SmsDeliver(number="+491", text="Tür auf", encoding="gsm7", timestamp=WHEN)
    state = InboxState(TIMEOUT)
    state.accept(Incoming(twin, "", 0), NOW)
    assert not state.released([3])
    assert state.knows(Incoming(twin, "", 0))
    assert state.released([0])
    assert not state.knows(Incoming(twin, "", 0))  # the second twin, stored where the first was
    assert not state.released([0])


def test_a_deleted_waiting_part_keeps_waiting_without_its_place() -> None:
    first, second = _parts("g" * 200)
    state = InboxState(TIMEOUT)
    state.accept(Incoming(first, "", 4), NOW)
    assert state.released([4])
    [waiting] = [part for group in state.waiting.values() for part in group.values()]
    assert waiting.index is None
    received = state.accept(Incoming(second, "", 4), NOW)
    assert received is not None
    assert received.keys[1].endswith("@4")
    assert not received.keys[0].endswith("@4")


def test_pushed_messages_are_always_new() -> None:
    flash = SmsDeliver(number="+491", text="Jetzt!", encoding="gsm7", timestamp=WHEN)
    state = InboxState(TIMEOUT)
    assert state.accept(Incoming(flash, ""), NOW) is not None
    assert not state.knows(Incoming(flash, ""))


def test_a_record_kept_before_places_still_knows_its_messages() -> None:
    old = SmsDeliver(number="+491", text="von gestern", encoding="gsm7", timestamp=WHEN)
    state = InboxState(TIMEOUT)
    state.restore({"waiting": [], "fired": [message_key(old)]})
    assert state.knows(Incoming(old, "", 9))
