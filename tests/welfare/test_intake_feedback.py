"""Feedback to the reporter (§ 4 Abs. 4 KKG): a reporting professional of § 4 KKG (here a school's
social work) learns whether the Jugendamt sees the indications confirmed and is acting, and nothing
else of the case; a neighbour, a relative or an anonymous caller receives no case data at all.
(A doctor's report through the medical pathway gets its feedback there: tests/medical/test_reports.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from schutznetz.audit.models import AuditEvent
from schutznetz.network.models import OrganisationKind, Role
from schutznetz.notify.models import Notification
from schutznetz.people.identity import child_identity
from schutznetz.welfare import services
from schutznetz.welfare.models import IntakeFeedback
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def net(db: Any) -> f.Network:
    return f.build_network()


def _intake(net: f.Network, source: str, organisation: Any = None, **extra: Any) -> Any:
    return services.intake_record(
        actor=net.dortmund_professional,
        data=services.IntakeInput(
            youth_office_id=net.dortmund.pk,
            source=source,
            urgency="normal",
            account="Das Kind kam mit Striemen am Arm.",
            reporter_organisation_id=organisation.pk if organisation else None,
            child=f.child_identity("Quirin", "Plimsollt", "2016-03-04"),
            confirm_new=True,
            **extra,
        ),
    )


def test_a_school_receives_feedback_and_nothing_else_of_the_case(client: Client, net: f.Network) -> None:
    school = f.make_org("Gesamtschule Nord (Test)", OrganisationKind.SCHOOL)
    social_worker = f.make_user("schule", first_name="Kim", last_name="Berg")
    f.make_member(social_worker, school, Role.COORDINATOR)
    intake = _intake(net, "school", school, reporter_name="Schulsozialarbeit")
    login(client, net.dortmund_professional)
    page = client.get(f"/meldungen/{intake.pk}/").content.decode()
    assert "Rückmeldung geben" in page
    form = {"feedback-confirmed": "yes", "feedback-became_active": "ja", "feedback-still_active": "ja"}
    assert client.post(f"/meldungen/{intake.pk}/rueckmeldung/", form).status_code == 302
    message = Notification.objects.get(recipient=social_worker, kind="intake_feedback")
    text = f"{message.title} {message.body} {message.url}"
    assert "Gewichtige Anhaltspunkte bestätigt: ja. Tätig geworden: ja. Noch tätig: ja." in text
    child = child_identity(intake.case.child)
    for secret in (child.given_name, child.family_name, intake.case.child.pseudonym, str(intake.case_id)):
        assert secret not in text
    assert AuditEvent.objects.filter(action="disclose", case_id=intake.case_id).exists()
    # The school's people still do not see the case.
    login(client, social_worker)
    assert client.get(f"/faelle/{intake.case_id}/").status_code == 404
    assert client.get(f"/meldungen/{intake.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("source", "extra"),
    [
        ("acquaintances", {"reporter_name": "Nachbarin"}),
        ("relatives", {"reporter_name": "Tante"}),
        ("anonymous", {"reporter_anonymous": True}),
    ],
)
def test_a_non_professional_reporter_receives_no_case_data(
    client: Client, net: f.Network, source: str, extra: dict[str, Any]
) -> None:
    intake = _intake(net, source, **extra)
    notifications = Notification.objects.count()
    login(client, net.dortmund_professional)
    page = client.get(f"/meldungen/{intake.pk}/").content.decode()
    assert "Rückmeldung geben" not in page and "Anderen Meldenden gibt das Jugendamt keine Falldaten" in page
    refused = client.post(
        f"/meldungen/{intake.pk}/rueckmeldung/",
        {"feedback-confirmed": "yes", "feedback-became_active": "ja", "feedback-still_active": "ja"},
        follow=True,
    )
    assert "keine Falldaten weiter" in refused.content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(net.dortmund_professional)}")
    answer = api.post(
        f"/api/v1/intakes/{intake.pk}/feedback/",
        {"confirmed": "yes", "became_active": True, "still_active": True},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "keine Falldaten" in str(answer.json())
    assert not IntakeFeedback.objects.exists() and Notification.objects.count() == notifications


def test_only_the_youth_office_gives_feedback(net: f.Network) -> None:
    school = f.make_org("Gesamtschule Süd (Test)", OrganisationKind.SCHOOL)
    intake = _intake(net, "school", school, reporter_name="Schule")
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(net.bochum_coordinator)}")
    body = {"confirmed": "yes", "became_active": True, "still_active": True}
    assert (
        api.post(f"/api/v1/intakes/{intake.pk}/feedback/", body, content_type="application/json").status_code
        == 404
    )


def test_the_intake_s_feedback_carries_the_three_answers_and_refuses_free_text(net: f.Network) -> None:
    """§ 4 Abs. 4 KKG, as for a doctor's report: a text with case content is refused, the school's
    coordination reads the answers, the phrase and the callback number, and the case's history
    records only that feedback was given."""
    school = f.make_org("Grundschule West (Test)", OrganisationKind.SCHOOL)
    teacher = f.make_user("lehrerin")
    f.make_member(teacher, school, Role.COORDINATOR)
    intake = _intake(net, "school", school, reporter_name="Klassenlehrerin")
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(net.dortmund_professional)}")
    url = f"/api/v1/intakes/{intake.pk}/feedback/"
    answers = {"confirmed": "open", "became_active": True, "still_active": True}
    text = {"text": "Die Mutter ist alkoholabhängig; das Kind wurde in Obhut genommen."}
    refused = api.post(url, answers | text, content_type="application/json")
    assert refused.status_code == 400 and "text" in str(refused.json())
    assert not IntakeFeedback.objects.exists()
    given = api.post(
        url,
        answers | {"note": "follows", "callback_phone": "+49 231 50-1003"},
        content_type="application/json",
    )
    assert given.status_code == 200
    feedback = given.json()["feedback"][0]
    assert (feedback["note"], feedback["callback_phone"]) == ("follows", "+49231501003")
    message = Notification.objects.get(recipient=teacher, kind="intake_feedback")
    assert message.body.endswith(
        "(§ 4 Abs. 4 KKG): Gewichtige Anhaltspunkte bestätigt: noch offen. Tätig geworden: ja. "
        "Noch tätig: ja. Eine weitere Rückmeldung folgt. Rückrufnummer: 0231 501003."
    )
    history = [e.text for e in intake.case.timeline.all()]
    assert "Rückmeldung an die meldende Stelle nach § 4 Abs. 4 KKG gegeben." in history
    assert not any("bestätigt:" in entry for entry in history)
