"""A pseudonymised participant reads only what was written for them; every response that shows an
identity is a read event on the audit trail, error re-renders and list endpoints included."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from schutznetz.audit.models import AuditAction, AuditEvent
from schutznetz.cases import queries, services
from schutznetz.cases.models import CaseRole, LegalBasis
from schutznetz.people.identity import GuardianIdentity
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _name_the_child_everywhere(world: f.CaseWorld) -> None:
    case = world.case
    case.title = "Hämatome bei Mia, Mutter Frau Meier informiert"
    case.save(update_fields=["title"])
    access = queries.case_get_for(world.lead, case.pk)
    services.guardian_add(
        actor=world.lead,
        access=access,
        relation="custodial_parent",
        identity=GuardianIdentity(given_name="Sabine", family_name="Meier"),
    )
    services.participation_invite(
        actor=world.lead,
        access=access,
        organisation=world.network.bochum,
        role=CaseRole.YOUTH_OFFICE,
        legal_basis=LegalBasis.SGB8_65,
    )
    services.participation_respond(
        actor=world.network.bochum_coordinator,
        participation=queries.invitations_for(world.network.bochum_coordinator).get(case=case),
        accept=True,
    )
    services.lead_handover_request(
        actor=world.lead,
        access=queries.case_get_for(world.lead, case.pk),
        to_organisation=world.network.bochum,
        note="Umzug von Mia Meier nach Bochum",
    )


class TestPseudonymisedParticipant:
    def test_sees_the_summary_not_the_title_nor_the_handover_note(
        self, world: f.CaseWorld, client: Client
    ) -> None:
        _name_the_child_everywhere(world)
        services.pseudonymised_summary_set(
            actor=world.lead,
            access=queries.case_get_for(world.lead, world.case.pk),
            summary="Vierjähriges Kind mit Hämatomen an beiden Oberarmen; Frage nach dem Vorgehen.",
        )
        login(client, world.consultant)
        for url in (
            reverse("cases:detail", args=[world.case.pk]),
            reverse("cases:list") + "?alle=1",  # the consultant leads none and holds no task
            reverse("api:case-detail", args=[world.case.pk]),
            reverse("api:case-list"),
        ):
            text = client.get(url).content.decode()
            assert "Mia" not in text and "Meier" not in text, url
            assert "Hämatomen an beiden Oberarmen" in text, url

    def test_full_participants_still_see_the_title(self, world: f.CaseWorld, client: Client) -> None:
        _name_the_child_everywhere(world)
        login(client, world.participant)
        page = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
        assert "Hämatome bei Mia" in page and "Umzug von Mia Meier nach Bochum" in page

    def test_the_summary_may_not_name_the_child(self, world: f.CaseWorld) -> None:
        access = queries.case_get_for(world.lead, world.case.pk)
        with pytest.raises(ValidationError) as error:
            services.pseudonymised_summary_set(
                actor=world.lead, access=access, summary="Mia hat Hämatome, wohnt Musterweg 1"
            )
        assert "Musterweg 1" in str(error.value)

    def test_the_summary_comes_with_the_invitation(self, world: f.CaseWorld, client: Client) -> None:
        login(client, world.lead)
        centre = f.make_org("Beratungsstelle (Test)")
        response = client.post(
            reverse("cases:invite", args=[world.case.pk]),
            {
                "invite-organisation": centre.pk,
                "invite-role": CaseRole.SPECIALIST,
                "invite-legal_basis": LegalBasis.KKG_4_2,
                "invite-pseudonymised": "on",
                "invite-summary": "Säugling mit Frenulumverletzung; Einschätzung erbeten.",
            },
        )
        assert response.status_code == 302
        world.case.refresh_from_db()
        assert world.case.pseudonymised_summary.startswith("Säugling mit Frenulumverletzung")


def _reads(case_id: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.READ, case_id=case_id))


class TestReadEvents:
    def test_an_invalid_form_that_shows_the_case_again_is_a_read(
        self, world: f.CaseWorld, client: Client
    ) -> None:
        login(client, world.lead)
        before = len(_reads(world.case.pk))
        response = client.post(reverse("cases:task_create", args=[world.case.pk]), {})
        assert response.status_code == 400
        assert "Mia Meier" in response.content.decode()
        assert len(_reads(world.case.pk)) == before + 1

    def test_my_tasks_in_the_api_name_the_cases_read(self, world: f.CaseWorld, client: Client) -> None:
        login(client, world.lead)
        response = client.get(reverse("api:my-tasks"))
        assert response.status_code == 200 and response.json()["results"]
        event = AuditEvent.objects.filter(object_type="TaskList").latest("seq")
        assert event.details["cases"] == [str(world.case.pk)]

    def test_my_tasks_page_names_the_cases_read(self, world: f.CaseWorld, client: Client) -> None:
        login(client, world.lead)
        assert "Mia Meier" in client.get(reverse("cases:tasks")).content.decode()
        event = AuditEvent.objects.filter(object_type="TaskList").latest("seq")
        assert event.details["cases"] == [str(world.case.pk)]
