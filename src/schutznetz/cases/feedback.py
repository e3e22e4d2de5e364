"""§ 4 Abs. 4 KKG feedback, as both pathways give it (the medical pathway on a doctor's report, the
Jugendamt's intake on a report of a school, a counselling service …): the input, its validation and
who on the reporting side reads it. The law allows three answers — are the weighty indications
confirmed, did the Jugendamt become active, is it still active — so the input holds those, one of
the fixed phrases of ``FeedbackNote`` and a callback number, and no free text."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from schutznetz.cases.models import Confirmation, FeedbackNote
from schutznetz.kit.phone import to_e164

MSG_CONFIRMED = "Bitte angeben, ob das Jugendamt die gewichtigen Anhaltspunkte bestätigt sieht."
MSG_STILL_ACTIVE = "Noch tätig sein kann das Jugendamt nur, wenn es tätig geworden ist."
MSG_NOTE = "Bitte einen der vorgegebenen Hinweise wählen."
MSG_PHONE = "Bitte eine gültige Rufnummer angeben, z. B. 0231 50-12345."
MSG_PHONE_NEEDED = "Für den Hinweis auf Rückfragen bitte die Rückrufnummer angeben."


@dataclass(frozen=True)
class FeedbackInput:
    confirmed: str
    became_active: bool
    still_active: bool
    note: str = ""
    callback_phone: str = ""


def feedback_clean(data: FeedbackInput) -> FeedbackInput:
    """The input checked against § 4 Abs. 4 KKG, the callback number in E.164; a ``ValidationError``
    keyed by field with every problem at once."""
    errors: dict[str, list[str]] = {}
    if data.confirmed not in Confirmation.values:
        errors["confirmed"] = [MSG_CONFIRMED]
    if data.still_active and not data.became_active:
        errors["still_active"] = [MSG_STILL_ACTIVE]
    if data.note not in FeedbackNote.values:
        errors["note"] = [MSG_NOTE]
    phone = data.callback_phone.strip()
    if phone:
        try:
            phone = to_e164(phone)
        except ValueError:
            errors["callback_phone"] = [MSG_PHONE]
    elif data.note == FeedbackNote.CALL_BACK:
        errors["callback_phone"] = [MSG_PHONE_NEEDED]
    if errors:
        raise ValidationError(errors)
    return FeedbackInput(data.confirmed, data.became_active, data.still_active, data.note, phone)
