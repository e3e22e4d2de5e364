"""Hypothesis state machine over the case services: whatever sequence of actions professionals take
(allowed or not), the invariants hold after every step:

- an open case has exactly one lead organisation and one lead person, who take part in the case;
- an open case has at least one open task with an owner and a due date;
- the lead changes only when the receiving organisation accepts a handover.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from schutznetz.cases import queries, services
from schutznetz.cases.models import (
    Case,
    CaseState,
    HandoverStatus,
    LeadHandover,
    ParticipationStatus,
    TaskStatus,
)
from schutznetz.network.models import Membership
from tests import factories as f

REFUSED = (ValidationError, PermissionDenied)


class CaseMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        world = f.build_case_world()
        self.case_id = world.case.pk
        self.actors = [
            world.lead,
            world.participant,
            world.consultant,
            world.outsider,
            world.network.dortmund_coordinator,
        ]
        self.organisations = [world.network.dortmund, world.network.provider, world.network.bochum]
        self.expected_lead = world.network.dortmund.pk

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def case(self) -> Case:
        return Case.objects.get(pk=self.case_id)

    def _access(self, actor_index: int):  # type: ignore[no-untyped-def]
        from django.http import Http404

        try:
            return queries.case_get_for(self.actors[actor_index], self.case_id)
        except Http404:
            return None

    @rule(actor=st.integers(0, 4), owner=st.integers(0, 4), days=st.integers(-2, 10))
    def create_task(self, actor: int, owner: int, days: int) -> None:
        access = self._access(actor)
        if access is None:
            return
        with contextlib.suppress(*REFUSED):
            services.task_create(
                actor=self.actors[actor],
                access=access,
                title="Schritt",
                owner=self.actors[owner],
                due_date=timezone.localdate() + timedelta(days=days),
            )

    @rule(actor=st.integers(0, 4), with_next=st.booleans())
    def complete_a_task(self, actor: int, with_next: bool) -> None:
        access = self._access(actor)
        task = self.case().tasks.filter(status=TaskStatus.OPEN).first()
        if access is None or task is None:
            return
        next_task = (
            services.FirstTask("Weiter", timezone.localdate() + timedelta(days=2)) if with_next else None
        )
        with contextlib.suppress(*REFUSED):
            services.task_complete(actor=self.actors[actor], access=access, task=task, next_task=next_task)

    @rule(actor=st.integers(0, 4), owner=st.integers(0, 4))
    def reassign_a_task(self, actor: int, owner: int) -> None:
        access = self._access(actor)
        task = self.case().tasks.filter(status=TaskStatus.OPEN).last()
        if access is None or task is None:
            return
        with contextlib.suppress(*REFUSED):
            services.task_reassign(
                actor=self.actors[actor], access=access, task=task, owner=self.actors[owner]
            )

    @rule(actor=st.integers(0, 4), to=st.integers(0, 2))
    def request_handover(self, actor: int, to: int) -> None:
        access = self._access(actor)
        if access is None:
            return
        with contextlib.suppress(*REFUSED):
            services.lead_handover_request(
                actor=self.actors[actor], access=access, to_organisation=self.organisations[to]
            )

    @rule(actor=st.integers(0, 4), accept=st.booleans())
    def answer_handover(self, actor: int, accept: bool) -> None:
        handover = LeadHandover.objects.filter(case_id=self.case_id, status=HandoverStatus.PENDING).first()
        if handover is None:
            return
        try:
            services.lead_handover_respond(actor=self.actors[actor], handover=handover, accept=accept)
        except REFUSED:
            return
        if accept:
            self.expected_lead = handover.to_organisation_id

    @rule(actor=st.integers(0, 4), explain=st.booleans())
    def close(self, actor: int, explain: bool) -> None:
        access = self._access(actor)
        if access is None:
            return
        with contextlib.suppress(*REFUSED):
            services.case_close(
                actor=self.actors[actor],
                access=access,
                reason="Hilfe läuft",
                open_tasks_note="entfällt" if explain else "",
            )

    @invariant()
    def one_lead_who_takes_part(self) -> None:
        case = self.case()
        assert case.lead_organisation_id == self.expected_lead
        assert case.participations.filter(
            organisation_id=case.lead_organisation_id, status=ParticipationStatus.ACTIVE, pseudonymised=False
        ).exists()
        assert Membership.objects.filter(
            user=case.lead_user, organisation_id=case.lead_organisation_id
        ).exists()

    @invariant()
    def open_case_has_a_dated_open_task(self) -> None:
        case = self.case()
        open_tasks = case.tasks.filter(status=TaskStatus.OPEN)
        if case.state != CaseState.CLOSED:
            assert open_tasks.exists()
            assert all(t.owner_id and t.due_date for t in open_tasks)
        else:
            assert not open_tasks.exists()

    @invariant()
    def at_most_one_pending_handover(self) -> None:
        assert LeadHandover.objects.filter(case_id=self.case_id, status=HandoverStatus.PENDING).count() <= 1


class TestCaseInvariants(TestCase):
    def test_invariants_hold_for_any_sequence_of_actions(self) -> None:
        run_state_machine_as_test(
            CaseMachine,
            settings=settings(
                max_examples=25,
                stateful_step_count=15,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
