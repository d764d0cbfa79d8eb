"""SMS PDU codec (3GPP TS 23.040, alphabets of TS 23.038).

Encodes SMS-SUBMIT (``encode_sms``), decodes SMS-DELIVER, SMS-SUBMIT and SMS-STATUS-REPORT
(``decode_pdu``); the parts of a long message are joined by ``inbox_rules.join_parts``. Every
failure is a ``PduError``.
"""

from .decode import decode_pdu
from .encode import cap_text, encode_sms, split_text
from .fields import (
    MAX_ALPHANUMERIC_LENGTH,
    MAX_NUMBER_DIGITS,
    encode_address,
    encode_smsc,
    encode_timestamp,
    normalize_number,
)
from .messages import (
    Concat,
    InformationElements,
    MessageWaiting,
    OutgoingPdu,
    SmsDeliver,
    SmsStatusReport,
    SmsSubmit,
    delivered,
)
from .user_data import (
    ENCODINGS,
    IEI_CONCAT_8BIT,
    IEI_CONCAT_16BIT,
    MAX_PARTS,
    concat_header,
    encode_user_data,
)

__all__ = [
    "ENCODINGS",
    "IEI_CONCAT_8BIT",
    "IEI_CONCAT_16BIT",
    "MAX_ALPHANUMERIC_LENGTH",
    "MAX_NUMBER_DIGITS",
    "MAX_PARTS",
    "Concat",
    "InformationElements",
    "MessageWaiting",
    "OutgoingPdu",
    "SmsDeliver",
    "SmsStatusReport",
    "SmsSubmit",
    "cap_text",
    "concat_header",
    "decode_pdu",
    "delivered",
    "encode_address",
    "encode_sms",
    "encode_smsc",
    "encode_timestamp",
    "encode_user_data",
    "normalize_number",
    "split_text",
]
