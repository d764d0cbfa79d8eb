"""Property-based checks of the PDU codec: round trips, and PduError as the only failure."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from custom_components.huawei_modem.modem.errors import PduError
from custom_components.huawei_modem.modem.gsm7 import (
    ESCAPE,
    decode_gsm7,
    encode_gsm7,
    is_gsm7,
    pack_septets,
    septet_length,
    unpack_septets,
)
from custom_components.huawei_modem.modem.inbox_rules import join_parts
from custom_components.huawei_modem.modem.pdu import (
    SmsDeliver,
    SmsSubmit,
    decode_pdu,
    encode_address,
    encode_sms,
    encode_timestamp,
    encode_user_data,
    split_text,
)

# Repeatable in CI: no example database, the same examples on every run.
REPEATABLE = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)

GSM7_CHARACTERS = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION_CHARACTERS = "\f^{}\\[]~|€"
EMOJI = "😀👍🎉❤️🇩🇪👨‍👩‍👧"


def _repeated(texts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Texts, and the same texts repeated into messages of many parts."""
    return st.builds(str.__mul__, texts, st.sampled_from([1, 1, 2, 5, 12]))


gsm7_text = _repeated(st.text(alphabet=GSM7_CHARACTERS + EXTENSION_CHARACTERS * 4, max_size=400))
any_text = _repeated(
    st.text(
        alphabet=st.one_of(
            st.characters(blacklist_categories=["Cs"]),  # lone surrogates cannot be sent
            st.sampled_from(EMOJI + EXTENSION_CHARACTERS),
        ),
        max_size=200,
    )
)
numbers = st.from_regex(r"\+?[0-9]{1,20}", fullmatch=True)
references = st.one_of(st.none(), st.integers(0, 0xFFFF))


def _round_trip(number: str, text: str, reference: int | None) -> list[SmsSubmit]:
    pdus = encode_sms(number, text, reference=reference)
    messages = []
    for pdu in pdus:
        tpdu = bytes.fromhex(pdu.pdu)[1:]
        assert len(tpdu) == pdu.tpdu_length
        message = decode_pdu(pdu.pdu)
        assert isinstance(message, SmsSubmit)
        messages.append(message)
    assert [message.concat.sequence for message in messages if message.concat] == (
        list(range(1, len(messages) + 1)) if len(messages) > 1 else []
    )
    joined = join_parts(messages[::-1])
    assert joined.text == text
    assert joined.number == number
    return messages


@REPEATABLE
@given(number=numbers, text=gsm7_text, reference=references)
def test_gsm7_text_round_trips(number: str, text: str, reference: int | None) -> None:
    messages = _round_trip(number, text, reference)
    assert {message.encoding for message in messages} == {"gsm7"}
    capacity = 160 if len(messages) == 1 else 153
    assert all(septet_length(message.text) <= capacity for message in messages)


@REPEATABLE
@given(number=numbers, text=any_text, reference=references)
def test_any_text_round_trips(number: str, text: str, reference: int | None) -> None:
    messages = _round_trip(number, text, reference)
    expected = "gsm7" if is_gsm7(text) else "ucs2"
    assert {message.encoding for message in messages} == {expected}


@REPEATABLE
@given(text=any_text)
def test_split_never_cuts_a_pair(text: str) -> None:
    encoding, parts = split_text(text)
    assert "".join(parts) == text
    for part in parts:
        if encoding == "gsm7":
            assert septet_length(part) <= (160 if len(parts) == 1 else 153)
        else:
            units = len(part.encode("utf-16-be")) // 2
            assert units <= (70 if len(parts) == 1 else 67)
            assert not "\ud800" <= part[-1:] <= "\udfff"


@REPEATABLE
@given(septets=st.binary(max_size=400), fill_bits=st.integers(0, 6))
def test_septet_packing_round_trips(septets: bytes, fill_bits: int) -> None:
    septets = bytes(value & 0x7F for value in septets)
    packed = pack_septets(septets, fill_bits)
    assert len(packed) == (fill_bits + 7 * len(septets) + 7) // 8
    assert unpack_septets(packed, len(septets), fill_bits) == septets


@REPEATABLE
@given(septets=st.binary(max_size=300))
def test_gsm7_decoding_never_fails(septets: bytes) -> None:
    text = decode_gsm7(septets)
    if is_gsm7(text) and ESCAPE not in septets and max(septets, default=0) < 0x80:
        assert encode_gsm7(text) == septets


@REPEATABLE
@given(
    when=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2068, 12, 31)),
    quarters=st.integers(-79, 79),
    sender=st.one_of(numbers, st.text(alphabet=GSM7_CHARACTERS[40:], min_size=1, max_size=11)),
    text=any_text,
)
def test_deliver_round_trips(when: datetime, quarters: int, sender: str, text: str) -> None:
    aware = when.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=15 * quarters)))
    encoding, [first, *_] = split_text(text)
    length, user_data = encode_user_data(first, encoding)
    dcs = 0x08 if encoding == "ucs2" else 0x00
    tpdu = (
        b"\x04"
        + encode_address(sender)
        + bytes((0, dcs))
        + encode_timestamp(aware)
        + bytes((length,))
        + user_data
    )
    message = decode_pdu(tpdu, smsc_included=False)
    assert isinstance(message, SmsDeliver)
    assert (message.number, message.text, message.timestamp) == (sender, first, aware)
    assert message.timestamp.utcoffset() == aware.utcoffset()


def _only_pdu_errors(pdu: str | bytes) -> None:
    with suppress(PduError):
        decode_pdu(pdu)
    with suppress(PduError):
        decode_pdu(pdu, smsc_included=False)


@settings(REPEATABLE, max_examples=700)
@given(data=st.binary(max_size=200))
@example(data=bytes.fromhex("0044038121F30000425071315403800105000302"))
@example(data=bytes.fromhex("00440381"))
def test_arbitrary_bytes_raise_only_pdu_error(data: bytes) -> None:
    _only_pdu_errors(data)
    _only_pdu_errors(data.hex())


@settings(REPEATABLE, max_examples=300)
@given(text=st.text(max_size=80))
def test_arbitrary_text_raises_only_pdu_error(text: str) -> None:
    _only_pdu_errors(text)


VALID = [
    pdu.pdu
    for text in ("hello", "€" * 100, "😀 " * 40, "ж" * 75)
    for pdu in encode_sms("+4917012345", text, reference=258)
] + [
    "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37",
    "0006D60B911326880736F4111011719551401110117195714000",
]


@settings(REPEATABLE, max_examples=700)
@given(
    pdu=st.sampled_from(VALID),
    changes=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), min_size=1, max_size=4),
    cut=st.integers(0, 400),
)
def test_damaged_pdus_raise_only_pdu_error(
    pdu: str, changes: list[tuple[int, int]], cut: int
) -> None:
    octets = bytearray.fromhex(pdu)
    for position, value in changes:
        octets[position % len(octets)] = value
    _only_pdu_errors(bytes(octets))
    _only_pdu_errors(bytes(octets[: cut % (len(octets) + 1)]))
