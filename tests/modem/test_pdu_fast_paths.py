"""The decoder's shortcuts for common shapes give what the general path gives."""

from __future__ import annotations

import pytest

from custom_components.huawei_modem.modem.errors import PduError
from custom_components.huawei_modem.modem.pdu import Concat, decode_pdu

# SMS-DELIVER with UDHI from +49151251348, UCS-2, then UDL and the user data.
HEAD = "0044" + "0B919451211543F8" + "0008" + "42507131544580"


def test_a_concatenation_header_cut_short_raises_pdu_error() -> None:
    with pytest.raises(PduError, match="header is longer than the user data"):
        decode_pdu(HEAD + "05" + "0500030102")


def test_an_invalid_sequence_keeps_the_element_but_is_no_concatenation() -> None:
    message = decode_pdu(HEAD + "08" + "050003010200" + "0041")
    assert message.concat is None
    assert message.udh == ((0x00, b"\x01\x02\x00"),)
    assert message.text == "A"


def test_a_valid_concatenation_header_is_read() -> None:
    message = decode_pdu(HEAD + "08" + "050003070302" + "0041")
    assert message.concat == Concat(reference=7, total=3, sequence=2)
    assert message.udh == ((0x00, b"\x07\x03\x02"),)
