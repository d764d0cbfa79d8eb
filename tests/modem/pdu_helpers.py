"""PDUs built from the codec's primitives, and small helpers the codec tests share."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from custom_components.huawei_modem.modem.pdu import (
    SmsSubmit,
    decode_pdu,
    encode_address,
    encode_smsc,
    encode_timestamp,
    encode_user_data,
)

TZ_PLUS_2 = timezone(timedelta(hours=2))
WHEN = datetime(2024, 5, 17, 13, 45, 30, tzinfo=TZ_PLUS_2)


def deliver_pdu(
    text: str = "hi",
    *,
    sender: str = "+4915112345678",
    encoding: str = "gsm7",
    dcs: int | None = None,
    header: bytes = b"",
    when: datetime = WHEN,
    smsc: str | None = "+491710760000",
) -> str:
    """An SMS-DELIVER built from the codec's primitives, as the emulator builds them."""
    first_octet = 0x04 | (0x40 if header else 0x00)
    if dcs is None:
        dcs = 0x08 if encoding == "ucs2" else 0x00
    length, user_data = encode_user_data(text, encoding, header)
    tpdu = (
        bytes((first_octet,))
        + encode_address(sender)
        + bytes((0x00, dcs))
        + encode_timestamp(when)
        + bytes((length,))
        + user_data
    )
    return (encode_smsc(smsc) + tpdu).hex().upper()


def decode_submit(pdu: str) -> SmsSubmit:
    message = decode_pdu(pdu)
    assert isinstance(message, SmsSubmit)
    return message


def fields(message: object, **expected: Any) -> dict[str, Any]:
    return {name: getattr(message, name) for name in expected}
