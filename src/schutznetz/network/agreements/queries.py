"""Reads of agreements: the agreements a user's organisations are party to, and the response time
and deadline that apply to a hand-over ("what response time and which contact apply between
organisation A and B for hand-over kind K at urgency U?")."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import holidays
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from schutznetz.network import policy
from schutznetz.network.agreements import policy as agreement_policy
from schutznetz.network.models import (
    AgreementAcceptance,
    AgreementClause,
    CooperationAgreement,
    HandoverKind,
    Organisation,
    ResponseUnit,
    Urgency,
)

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

# Without an agreement: urgent hand-overs are acknowledged within one hour, normal ones within one
# working day (the network's minimum standard; agreements may promise more, never less is enforced).
DEFAULT_TERMS = {Urgency.URGENT: (1, ResponseUnit.HOURS), Urgency.NORMAL: (1, ResponseUnit.WORKING_DAYS)}
# The Jugendamt's feedback to a reporter (§ 4 Abs. 4 KKG) is due within ten working days unless an
# agreement says otherwise.
DEFAULT_TERMS_BY_KIND: dict[str, dict[Urgency, tuple[int, ResponseUnit]]] = {
    HandoverKind.FEEDBACK_TO_REPORTER: {
        Urgency.URGENT: (10, ResponseUnit.WORKING_DAYS),
        Urgency.NORMAL: (10, ResponseUnit.WORKING_DAYS),
    },
    # A crisis alert is acknowledged within minutes, or the next person is alerted.
    HandoverKind.CRISIS: {
        Urgency.URGENT: (10, ResponseUnit.MINUTES),
        Urgency.NORMAL: (30, ResponseUnit.MINUTES),
    },
}
DEFAULT_STATE = "NW"
# A hand-over received on a day off counts as received at this time of the next working day.
WORKING_DAY_START = time(8, 0)


@functools.cache
def _calendar(state: str) -> holidays.HolidayBase:
    """Public holidays and weekends of a Land (years are added as they are asked for)."""
    return holidays.country_holidays("DE", subdiv=state, language="de")


def is_working_day(day: date, state: str) -> bool:
    return _calendar(state).is_working_day(day)


def deadline(start: datetime, value: int, unit: str, state: str) -> datetime:
    """The moment a response is due. Working days skip weekends and the Land's public holidays;
    a hand-over received on a day off counts from the start of the next working day."""
    if unit == ResponseUnit.MINUTES:
        return start + timedelta(minutes=value)
    if unit == ResponseUnit.HOURS:
        return start + timedelta(hours=value)
    if unit == ResponseUnit.CALENDAR_DAYS:
        return start + timedelta(days=value)
    calendar = _calendar(state)
    local = timezone.localtime(start)
    day, clock = local.date(), local.time()
    if not calendar.is_working_day(day):
        day, clock = calendar.get_nth_working_day(day, 0), WORKING_DAY_START
    if value:
        day = calendar.get_nth_working_day(day, value)
    return timezone.make_aware(datetime.combine(day, clock), timezone.get_current_timezone())


@dataclass(frozen=True)
class ResponseTerms:
    value: int
    unit: str
    deadline: datetime
    contact_channel: str
    agreement: CooperationAgreement | None  # None: the default applies

    @property
    def is_default(self) -> bool:
        return self.agreement is None

    @property
    def label(self) -> str:
        return f"{self.value} {ResponseUnit(self.unit).label}"


def current_agreements(organisation_ids: list[int], on: date) -> QuerySet[CooperationAgreement]:
    """Agreement versions in force on a day that all the given organisations are party to."""
    qs = CooperationAgreement.objects.filter(in_force_since__isnull=False, valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )
    for organisation_id in organisation_ids:
        qs = qs.filter(parties=organisation_id)
    return qs


def response_terms_for(
    user: User,
    *,
    sender: Organisation,
    receiver: Organisation,
    kind: str,
    urgency: str,
    received_at: datetime | None = None,
) -> ResponseTerms:
    """``response_terms`` as a user may look them up: for hand-overs their organisation sends or receives."""
    agreement_policy.require_own_handover(user, sender, receiver)
    return response_terms(
        sender=sender, receiver=receiver, kind=kind, urgency=urgency, received_at=received_at
    )


def response_terms(
    *,
    sender: Organisation,
    receiver: Organisation,
    kind: str,
    urgency: str,
    received_at: datetime | None = None,
) -> ResponseTerms:
    """The promised response of ``receiver`` to a hand-over from ``sender``.

    Without an agreement in force, ``DEFAULT_TERMS`` apply (with the receiver's Land for holidays).
    """
    received_at = received_at or timezone.now()
    on = timezone.localdate(received_at)
    clause = (
        AgreementClause.objects.filter(
            agreement__in=current_agreements([sender.pk, receiver.pk], on),
            handover_kind=kind,
            urgency=urgency,
            responsible=receiver,
        )
        .select_related("agreement")
        .order_by("-agreement__valid_from", "-agreement__version")
        .first()
    )
    if clause is None:
        value, unit = DEFAULT_TERMS_BY_KIND.get(kind, DEFAULT_TERMS)[Urgency(urgency)]
        state = receiver.state or DEFAULT_STATE
        return ResponseTerms(value, unit, deadline(received_at, value, unit, state), receiver.phone, None)
    agreement = clause.agreement
    return ResponseTerms(
        clause.response_value,
        clause.response_unit,
        deadline(received_at, clause.response_value, clause.response_unit, agreement.state),
        clause.contact_channel or receiver.phone,
        agreement,
    )


def agreement_list_for(user: User) -> QuerySet[CooperationAgreement]:
    """Agreements one of the user's organisations is party to (the network administration sees all)."""
    qs = CooperationAgreement.objects.all()
    if not agreement_policy.reads_all(user):
        qs = qs.filter(parties__in=[m.organisation_id for m in policy.active_memberships(user)]).distinct()
    return qs.prefetch_related("parties").order_by("title", "-version")


def agreement_get_for(user: User, pk: int) -> CooperationAgreement:
    """One agreement with clauses and roster; 404 for organisations that are not party to it."""
    agreement = (
        agreement_list_for(user)
        .filter(pk=pk)
        .prefetch_related("clauses__responsible", "crisis_roster__organisation")
        .select_related("predecessor")
        .first()
    )
    if agreement is None:
        raise Http404("Vereinbarung nicht gefunden.")
    return agreement


@dataclass
class Consent:
    organisation: Organisation
    acceptance: AgreementAcceptance | None


def consents_of(agreement: CooperationAgreement) -> list[Consent]:
    """Each party with its consent (or None while it is outstanding)."""
    given = {a.organisation_id: a for a in agreement.acceptances.select_related("accepted_by")}
    return [Consent(p, given.get(p.pk)) for p in agreement.parties.all()]


def agreement_document_get_for(user: User, pk: int) -> CooperationAgreement:
    """An agreement with its signed document, for parties only; 404 otherwise or without document."""
    agreement = agreement_get_for(user, pk)
    if not agreement.document:
        raise Http404("Kein Dokument hinterlegt.")
    return agreement
