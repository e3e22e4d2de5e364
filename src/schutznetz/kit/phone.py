"""Telephone numbers: what a person types ("0231 50-12345", "+49 231 5012345") read as a German
number and kept in E.164 (``+492315012345``), the form SMS gateways and dialling software take."""

from __future__ import annotations

import phonenumbers


def to_e164(text: str, *, region: str = "DE") -> str:
    """The number in E.164; ``ValueError`` when ``text`` is no possible, valid number."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise ValueError(str(error)) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"not a valid number: {text!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """How a German reader writes it: national format at home, international abroad."""
    number = phonenumbers.parse(e164, None)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 49
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
