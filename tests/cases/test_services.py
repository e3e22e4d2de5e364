from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from schutznetz.audit.models import AuditEvent
from schutznetz.audit.services import audit_verify
from schutznetz.cases import queries, services
from schutznetz.cases.models import CaseRole, CaseState, LegalBasis, ParticipationStatus, TaskStatus
from schutznetz.people.models import Child
from tests import factories as f

TOMORROW = timezone.localdate() + timedelta(days=1)


def access(user, case):  # type: ignore[no-untyped-def]
    return queries.case_get_for(user, case.pk)


class TestCreate:
    def test_case_has_lead_first_task_timeline_and_audit(self, network: f.Network) -> None:
        case = f.make_case(network.dortmund_professional, network.dortmund)
        assert case.lead_organisation == network.dortmund and case.lead_user == network.dortmund_professional
        assert case.tasks.get().due_date > timezone.localdate()
        assert case.timeline.filter(kind="case_created").exists()
        assert AuditEvent.objects.filter(case_id=case.pk, action="create").exists()
        assert audit_verify().ok

    def test_identity_is_encrypted_at_rest(self, network: f.Network) -> None:
        case = f.make_case(network.dortmund_professional, network.dortmund)
        stored = Child.objects.get(pk=case.child_id)
        assert "Meier" not in stored.identity and "2021" not in stored.identity
        assert queries.identity_of(stored).family_name == "Meier"

    @pytest.mark.parametrize(
        ("due", "message"),
        [(None, services.MSG_DUE_MISSING), (timezone.localdate() - timedelta(days=1), services.MSG_DUE_PAST)],
    )
    def test_first_task_needs_a_due_date(self, network: f.Network, due: object, message: str) -> None:
        with pytest.raises(ValidationError) as error:
            services.case_create(
                actor=network.dortmund_professional,
                organisation=network.dortmund,
                title="X",
                identity=f.child_identity(),
                first_task=services.FirstTask("Hausbesuch", due),
            )  # type: ignore[arg-type]
        assert error.value.message_dict["due_date"] == [message]
        assert not Child.objects.exists()  # nothing half-written

    def test_cannot_act_for_a_foreign_organisation(self, network: f.Network) -> None:
        with pytest.raises(PermissionDenied):
            f.make_case(network.dortmund_professional, network.bochum)


class TestAccess:
    def test_outsider_gets_404_like_a_missing_case(self, world: f.CaseWorld) -> None:
        with pytest.raises(Http404) as outsider:
            queries.case_get_for(world.outsider, world.case.pk)
        import uuid

        with pytest.raises(Http404) as missing:
            queries.case_get_for(world.outsider, uuid.uuid4())
        assert str(outsider.value) == str(missing.value)

    def test_pseudonymised_participant_sees_no_identity(self, world: f.CaseWorld) -> None:
        detail = queries.case_detail(access(world.consultant, world.case))
        assert detail.identity is None and detail.tasks == []
        assert all(not e.identifying for e in detail.timeline)

    def test_invited_organisation_sees_only_the_invitation(self, world: f.CaseWorld) -> None:
        services.participation_invite(
            actor=world.lead,
            access=access(world.lead, world.case),
            organisation=world.network.practice,
            role=CaseRole.MEDICAL,
            legal_basis=LegalBasis.SGB8_65,
        )
        with pytest.raises(Http404):
            queries.case_get_for(world.network.practice_doctor, world.case.pk)
        assert queries.invitations_for(world.network.practice_doctor).count() == 1

    def test_specialist_consultation_is_always_pseudonymised(self, world: f.CaseWorld) -> None:
        participation = services.participation_invite(
            actor=world.lead,
            access=access(world.lead, world.case),
            organisation=world.network.practice,
            role=CaseRole.OTHER,
            legal_basis=LegalBasis.KKG_4_2,
            pseudonymised=False,
        )
        assert participation.pseudonymised  # tests/cases/test_specialist_pseudonymised.py: every role × basis

    def test_pseudonymised_participant_cannot_write(self, world: f.CaseWorld) -> None:
        with pytest.raises(PermissionDenied):
            services.task_create(
                actor=world.consultant,
                access=access(world.consultant, world.case),
                title="X",
                owner=world.consultant,
                due_date=TOMORROW,
            )

    def test_reading_is_on_record(self, world: f.CaseWorld) -> None:
        before = AuditEvent.objects.filter(case_id=world.case.pk, action="read").count()
        services.case_record_read(
            actor=world.participant, access=access(world.participant, world.case), purpose="Fallakte einsehen"
        )
        event = AuditEvent.objects.filter(case_id=world.case.pk, action="read").order_by("-id").first()
        assert AuditEvent.objects.filter(case_id=world.case.pk, action="read").count() == before + 1
        assert event is not None and event.actor == world.participant and event.purpose == "Fallakte einsehen"
        assert event.organisation_id == world.network.provider.pk


class TestTasks:
    def test_last_open_task_needs_a_next_step(self, world: f.CaseWorld) -> None:
        a = access(world.lead, world.case)
        task = world.case.tasks.get()
        with pytest.raises(ValidationError) as error:
            services.task_complete(actor=world.lead, access=a, task=task)
        assert error.value.message_dict["next_task"] == [services.MSG_LAST_TASK]
        services.task_complete(
            actor=world.lead, access=a, task=task, next_task=services.FirstTask("Fallkonferenz", TOMORROW)
        )
        assert world.case.tasks.filter(status=TaskStatus.OPEN).get().title == "Fallkonferenz"

    def test_owner_outside_the_case_is_refused(self, world: f.CaseWorld) -> None:
        with pytest.raises(ValidationError) as error:
            services.task_create(
                actor=world.lead,
                access=access(world.lead, world.case),
                title="X",
                owner=world.outsider,
                due_date=TOMORROW,
            )
        assert error.value.message_dict["owner"] == [services.MSG_OWNER_OUTSIDE]

    def test_pseudonymised_consultant_cannot_own_a_task(self, world: f.CaseWorld) -> None:
        with pytest.raises(ValidationError):
            services.task_create(
                actor=world.lead,
                access=access(world.lead, world.case),
                title="X",
                owner=world.consultant,
                due_date=TOMORROW,
            )

    def test_reassign_to_the_care_provider(self, world: f.CaseWorld) -> None:
        task = world.case.tasks.get()
        services.task_reassign(
            actor=world.lead, access=access(world.lead, world.case), task=task, owner=world.participant
        )
        task.refresh_from_db()
        assert task.owner == world.participant and task.owner_organisation == world.network.provider
        assert queries.task_list_for(world.participant).get() == task


class TestHandover:
    def test_lead_changes_only_when_accepted(self, world: f.CaseWorld) -> None:
        handover = services.lead_handover_request(
            actor=world.lead, access=access(world.lead, world.case), to_organisation=world.network.provider
        )
        world.case.refresh_from_db()
        assert world.case.lead_organisation == world.network.dortmund
        services.lead_handover_respond(actor=world.participant, handover=handover, accept=True)
        world.case.refresh_from_db()
        assert (
            world.case.lead_organisation == world.network.provider
            and world.case.lead_user == world.participant
        )

    def test_declined_handover_keeps_the_lead(self, world: f.CaseWorld) -> None:
        handover = services.lead_handover_request(
            actor=world.lead, access=access(world.lead, world.case), to_organisation=world.network.provider
        )
        services.lead_handover_respond(actor=world.participant, handover=handover, accept=False)
        world.case.refresh_from_db()
        assert world.case.lead_organisation == world.network.dortmund

    def test_only_to_an_organisation_in_the_case(self, world: f.CaseWorld) -> None:
        with pytest.raises(ValidationError) as error:
            services.lead_handover_request(
                actor=world.lead, access=access(world.lead, world.case), to_organisation=world.network.bochum
            )
        assert error.value.message_dict["to_organisation"] == [services.MSG_HANDOVER_NOT_PARTICIPANT]

    def test_not_to_a_pseudonymised_participant(self, world: f.CaseWorld) -> None:
        centre = world.case.participations.get(pseudonymised=True).organisation
        with pytest.raises(ValidationError):
            services.lead_handover_request(
                actor=world.lead, access=access(world.lead, world.case), to_organisation=centre
            )

    def test_the_sender_cannot_accept_for_the_receiver(self, world: f.CaseWorld) -> None:
        handover = services.lead_handover_request(
            actor=world.lead, access=access(world.lead, world.case), to_organisation=world.network.provider
        )
        with pytest.raises(PermissionDenied):
            services.lead_handover_respond(actor=world.lead, handover=handover, accept=True)

    def test_non_lead_participant_cannot_request(self, world: f.CaseWorld) -> None:
        with pytest.raises(PermissionDenied):
            services.lead_handover_request(
                actor=world.participant,
                access=access(world.participant, world.case),
                to_organisation=world.network.dortmund,
            )


class TestClose:
    def test_open_tasks_need_an_explanation(self, world: f.CaseWorld) -> None:
        a = access(world.lead, world.case)
        with pytest.raises(ValidationError) as error:
            services.case_close(actor=world.lead, access=a, reason="Keine Gefährdung festgestellt")
        assert error.value.message_dict["open_tasks_note"] == [services.MSG_CLOSE_OPEN_TASKS]
        services.case_close(
            actor=world.lead,
            access=a,
            reason="Keine Gefährdung festgestellt",
            open_tasks_note="Hausbesuch nicht mehr nötig",
        )
        world.case.refresh_from_db()
        assert world.case.state == CaseState.CLOSED and world.case.close_reason
        assert not world.case.tasks.filter(status=TaskStatus.OPEN).exists()

    def test_reason_is_required(self, world: f.CaseWorld) -> None:
        with pytest.raises(ValidationError) as error:
            services.case_close(actor=world.lead, access=access(world.lead, world.case), reason=" ")
        assert error.value.message_dict["reason"] == [services.MSG_CLOSE_REASON]


class TestChildSearch:
    @pytest.mark.parametrize("family", ["Meier", "Mayer", "Maier", "meier"])
    def test_sound_alike_names_in_the_same_birth_month_are_found(
        self, world: f.CaseWorld, family: str
    ) -> None:
        found = queries.child_search_for(
            world.lead, given_name="Mia", family_name=family, birth_date=timezone.datetime(2021, 1, 3).date()
        )
        assert [m.child.pk for m in found] == [world.case.child_id]

    def test_exact_match_is_marked(self, world: f.CaseWorld) -> None:
        found = queries.child_search_for(
            world.lead,
            given_name="Mia",
            family_name="Meier",
            birth_date=timezone.datetime(2021, 1, 15).date(),
        )
        assert found[0].exact

    def test_search_only_returns_children_in_own_cases(self, world: f.CaseWorld) -> None:
        kwargs = {
            "given_name": "Mia",
            "family_name": "Meier",
            "birth_date": timezone.datetime(2021, 1, 15).date(),
        }
        assert queries.child_search_for(world.outsider, **kwargs) == []
        assert queries.child_search_for(world.consultant, **kwargs) == []  # pseudonymised: no identity search

    def test_different_child_is_not_found(self, world: f.CaseWorld) -> None:
        assert (
            queries.child_search_for(
                world.lead,
                given_name="Paul",
                family_name="Schulz",
                birth_date=timezone.datetime(2019, 5, 1).date(),
            )
            == []
        )


def test_invitation_answered_once(world: f.CaseWorld) -> None:
    p = services.participation_invite(
        actor=world.lead,
        access=access(world.lead, world.case),
        organisation=world.network.practice,
        role=CaseRole.MEDICAL,
        legal_basis=LegalBasis.SGB8_65,
    )
    services.participation_respond(actor=world.network.practice_doctor, participation=p, accept=False)
    with pytest.raises(ValidationError):
        services.participation_respond(actor=world.network.practice_doctor, participation=p, accept=True)
    p.refresh_from_db()
    assert p.status == ParticipationStatus.DECLINED


def test_guardians_are_encrypted_and_hidden_from_pseudonymised_participants(world: f.CaseWorld) -> None:
    from schutznetz.people.identity import GuardianIdentity
    from schutznetz.people.models import Guardian, GuardianRelation

    services.guardian_add(
        actor=world.lead,
        access=access(world.lead, world.case),
        relation=GuardianRelation.CUSTODIAL_PARENT,
        identity=GuardianIdentity("Sandra", "Meier", "0170 1234567"),
    )
    assert "Sandra" not in Guardian.objects.get().identity
    lead_view = queries.case_detail(access(world.lead, world.case))
    assert [g.identity.full_name for g in lead_view.guardians] == ["Sandra Meier"]
    assert queries.case_detail(access(world.consultant, world.case)).guardians == []


def test_a_taken_pseudonym_is_drawn_again(network: f.Network, monkeypatch: pytest.MonkeyPatch) -> None:
    from schutznetz.cases.services import child_create
    from schutznetz.people import models as people_models

    first = child_create(actor=network.dortmund_professional, identity=f.child_identity("Ida", "Eins"))
    draws = iter([first.pseudonym, first.pseudonym, "K-2222-3333"])
    monkeypatch.setattr(people_models, "new_pseudonym", lambda: next(draws))
    second = child_create(actor=network.dortmund_professional, identity=f.child_identity("Ida", "Zwei"))
    assert second.pseudonym == "K-2222-3333"


def test_a_guardian_needs_a_known_relation(world: f.CaseWorld) -> None:
    from schutznetz.people.identity import GuardianIdentity
    from schutznetz.people.models import Guardian

    with pytest.raises(ValidationError) as refused:
        services.guardian_add(
            actor=world.lead,
            access=access(world.lead, world.case),
            relation="mother",
            identity=GuardianIdentity("Sandra", "Meier"),
        )
    assert "sorgeberechtigt oder Vormund" in str(refused.value)
    assert not Guardian.objects.exists()
