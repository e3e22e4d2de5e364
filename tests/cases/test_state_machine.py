"""Hypothesis state machine over the case services: for every action of every actor, the outcome is
the one a model of the rules expects (done when allowed, refused otherwise; a refusal of an allowed
action fails as much as a success of a forbidden one), and the invariants hold after every step:

- an open case has exactly one lead organisation and one lead person, who take part in the case;
- an open case has at least one open task with an owner and a due date;
- the lead changes only when the receiving organisation accepts a handover.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

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
        self.is_open = True
        dortmund, provider = world.network.dortmund.pk, world.network.provider.pk
        centre = Membership.objects.get(user=world.consultant).organisation_id
        self.organisation_of = [dortmund, provider, centre, world.network.bochum.pk, dortmund]
        self.identity_organisations = {dortmund, provider}
        self.participants = {dortmund, provider, centre}
        # Who answers a handover for the organisation: its coordination.
        self.coordinators_of = {dortmund: {4}, provider: {1}}

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

    # The model: who may do what, written out from the rules (not read from the policy module).
    # Actors: 0 lead (youth office), 1 care provider's coordinator (identity), 2 consultant
    # (pseudonymised), 3 outsider (another youth office), 4 the youth office's coordinator.
    def _org(self, actor: int) -> int:
        return self.organisation_of[actor]

    def _may_edit(self, actor: int) -> bool:
        return self.is_open and self._org(actor) in self.identity_organisations

    def _outcome(self, expected: bool, call: Any) -> bool:
        """Run ``call``; assert it succeeds exactly when the model says so."""
        try:
            call()
        except REFUSED as refused:
            assert not expected, f"refused although allowed: {refused}"
            return False
        assert expected, "done although not allowed"
        return True

    @rule(actor=st.integers(0, 4), owner=st.integers(0, 4), days=st.integers(-2, 10))
    def create_task(self, actor: int, owner: int, days: int) -> None:
        access = self._access(actor)
        assert (access is not None) == (self._org(actor) in self.participants)
        if access is None:
            return
        allowed = self._may_edit(actor) and self._org(owner) in self.identity_organisations and days >= 0
        self._outcome(
            allowed,
            lambda: services.task_create(
                actor=self.actors[actor],
                access=access,
                title="Schritt",
                owner=self.actors[owner],
                due_date=timezone.localdate() + timedelta(days=days),
            ),
        )

    @rule(actor=st.integers(0, 4), with_next=st.booleans())
    def complete_a_task(self, actor: int, with_next: bool) -> None:
        access = self._access(actor)
        open_tasks = self.case().tasks.filter(status=TaskStatus.OPEN)
        task = open_tasks.first()
        if access is None or task is None:
            return
        allowed = self._may_edit(actor) and (with_next or open_tasks.count() > 1)
        next_task = (
            services.FirstTask("Weiter", timezone.localdate() + timedelta(days=2)) if with_next else None
        )
        self._outcome(
            allowed,
            lambda: services.task_complete(
                actor=self.actors[actor], access=access, task=task, next_task=next_task
            ),
        )

    @rule(actor=st.integers(0, 4), owner=st.integers(0, 4))
    def reassign_a_task(self, actor: int, owner: int) -> None:
        access = self._access(actor)
        task = self.case().tasks.filter(status=TaskStatus.OPEN).last()
        if access is None or task is None:
            return
        allowed = self._may_edit(actor) and self._org(owner) in self.identity_organisations
        self._outcome(
            allowed,
            lambda: services.task_reassign(
                actor=self.actors[actor], access=access, task=task, owner=self.actors[owner]
            ),
        )

    @rule(actor=st.integers(0, 4), to=st.integers(0, 2))
    def request_handover(self, actor: int, to: int) -> None:
        access = self._access(actor)
        if access is None:
            return
        target = self.organisations[to].pk
        pending = LeadHandover.objects.filter(case_id=self.case_id, status=HandoverStatus.PENDING).exists()
        allowed = (
            self.is_open
            and self._org(actor) == self.expected_lead
            and target != self.expected_lead
            and target in self.identity_organisations
            and not pending
        )
        self._outcome(
            allowed,
            lambda: services.lead_handover_request(
                actor=self.actors[actor], access=access, to_organisation=self.organisations[to]
            ),
        )

    @rule(actor=st.integers(0, 4), accept=st.booleans())
    def answer_handover(self, actor: int, accept: bool) -> None:
        handover = LeadHandover.objects.filter(case_id=self.case_id, status=HandoverStatus.PENDING).first()
        if handover is None:
            return
        allowed = self.is_open and actor in self.coordinators_of.get(handover.to_organisation_id, set())
        done = self._outcome(
            allowed,
            lambda: services.lead_handover_respond(
                actor=self.actors[actor], handover=handover, accept=accept
            ),
        )
        if done and accept:
            self.expected_lead = handover.to_organisation_id

    @rule(actor=st.integers(0, 4), explain=st.booleans())
    def close(self, actor: int, explain: bool) -> None:
        access = self._access(actor)
        if access is None:
            return
        # An open case always has an open task, so closing needs a note on it.
        allowed = self.is_open and self._org(actor) == self.expected_lead and explain
        done = self._outcome(
            allowed,
            lambda: services.case_close(
                actor=self.actors[actor],
                access=access,
                reason="Hilfe läuft",
                open_tasks_note="entfällt" if explain else "",
            ),
        )
        if done:
            self.is_open = False

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


def test_a_handover_of_a_closed_case_cannot_be_accepted(world: f.CaseWorld) -> None:
    import pytest

    access = queries.case_get_for(world.lead, world.case.pk)  # type: ignore[attr-defined]
    handover = services.lead_handover_request(
        actor=world.lead, access=access, to_organisation=world.network.provider
    )
    services.case_close(
        actor=world.lead,
        access=queries.case_get_for(world.lead, world.case.pk),  # type: ignore[attr-defined]
        reason="Hilfe läuft",
        open_tasks_note="entfällt",
    )
    with pytest.raises(ValidationError):
        services.lead_handover_respond(actor=world.participant, handover=handover, accept=True)
    assert Case.objects.get(pk=world.case.pk).lead_organisation_id == world.network.dortmund.pk  # type: ignore[attr-defined]
