"""Refusals hold in the services, not only in the views: each write of the case core is refused for
a participant that reads only (the former Jugendamt after a move), for a pseudonymised specialist,
and for someone outside the case handed another user's access (as a view that forgot its check
would). The views check first; these tests call the services directly, so that taking a check out
of a service fails here even when every view still refuses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from schutznetz.cases import queries, services
from schutznetz.cases.advice import services as advice_services
from schutznetz.cases.models import Participation, SpecialistAdvice, Task, TaskStatus
from schutznetz.people.identity import GuardianIdentity
from tests import factories as f

pytestmark = pytest.mark.django_db

Write = Callable[[Any, Any, f.CaseWorld], object]


def _task(world: f.CaseWorld) -> Task:
    return Task.objects.filter(case=world.case, status=TaskStatus.OPEN).order_by("pk").first()  # type: ignore[return-value]


WRITES: dict[str, Write] = {
    "task_create": lambda actor, access, w: services.task_create(
        actor=actor, access=access, title="Hausbesuch", owner=w.lead, due_date=timezone.localdate()
    ),
    "task_complete": lambda actor, access, w: services.task_complete(
        actor=actor,
        access=access,
        task=_task(w),
        next_task=services.FirstTask("Weiter", timezone.localdate() + timedelta(days=1)),
    ),
    "task_reassign": lambda actor, access, w: services.task_reassign(
        actor=actor, access=access, task=_task(w), owner=w.lead
    ),
    "guardian_add": lambda actor, access, w: services.guardian_add(
        actor=actor, access=access, relation="custodial_parent", identity=GuardianIdentity("Eva", "Meier")
    ),
    "participation_invite": lambda actor, access, w: services.participation_invite(
        actor=actor,
        access=access,
        organisation=w.network.practice,
        role="medical",
        legal_basis="sgb8_65",
    ),
    "pseudonymised_summary_set": lambda actor, access, w: services.pseudonymised_summary_set(
        actor=actor, access=access, summary="Kind, 5 Jahre, Hämatome."
    ),
    "child_address_change": lambda actor, access, w: services.child_address_change(
        actor=actor, access=access, street="Neue Straße 1", postal_code="44135", city="Dortmund"
    ),
    "lead_handover_request": lambda actor, access, w: services.lead_handover_request(
        actor=actor, access=access, to_organisation=w.network.provider
    ),
    "case_close": lambda actor, access, w: services.case_close(
        actor=actor, access=access, reason="Gefährdung abgewendet", open_tasks_note="erledigt"
    ),
}


def _read_only(world: f.CaseWorld) -> tuple[Any, Any]:
    Participation.objects.filter(case=world.case, organisation=world.network.provider).update(read_only=True)
    return world.participant, queries.case_get_for(world.participant, world.case.pk)


def _pseudonymised(world: f.CaseWorld) -> tuple[Any, Any]:
    return world.consultant, queries.case_get_for(world.consultant, world.case.pk)


def _outsider_with_borrowed_access(world: f.CaseWorld) -> tuple[Any, Any]:
    return world.outsider, queries.case_get_for(world.lead, world.case.pk)


WHO = {
    "read_only": _read_only,
    "pseudonymised": _pseudonymised,
    "outsider": _outsider_with_borrowed_access,
}


@pytest.mark.parametrize("who", list(WHO))
@pytest.mark.parametrize("write", list(WRITES))
def test_each_case_write_is_refused_by_the_service(who: str, write: str) -> None:
    world = f.build_case_world()
    actor, access = WHO[who](world)
    before = (Task.objects.count(), Participation.objects.count())
    with pytest.raises(PermissionDenied):
        WRITES[write](actor, access, world)
    assert (Task.objects.count(), Participation.objects.count()) == before


def test_the_specialist_s_advice_is_refused_to_a_borrowed_access() -> None:
    world = f.build_case_world()
    access = queries.case_get_for(world.consultant, world.case.pk)
    with pytest.raises(PermissionDenied):
        advice_services.advice_record(
            actor=world.outsider, access=access, finding="unclear", recommendation="x"
        )
    assert not SpecialistAdvice.objects.exists()
