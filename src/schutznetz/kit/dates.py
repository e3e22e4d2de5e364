"""The range of dates the project accepts anywhere: wide enough for every birth date and deadline,
narrow enough that date arithmetic (deadlines, reminders, time zones) cannot overflow."""

from __future__ import annotations

from datetime import date

MIN_YEAR = 1900
MAX_YEAR = 2199
MSG_DATE_RANGE = f"Bitte ein Datum zwischen {MIN_YEAR} und {MAX_YEAR} angeben."


def is_plausible(value: date) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR
