"""Issue 39, item 3: every profession of § 4 Abs. 1 KKG reports to the Jugendamt, not only doctors —
a Kita (through its Träger, § 8a Abs. 4 SGB VIII), a school, a counselling centre. The report lands
in the competent Jugendamt's intake with its deadline, the on-call notice and the escalation, as a
doctor's report does; it says whether those concerned were told beforehand (§ 4 Abs. 3 KKG)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from schutznetz.cases.models import LegalBasis
from schutznetz.medical.models import YouthOfficeReport
from schutznetz.medical.reminders import escalate_unacknowledged_reports
from schutznetz.network.models import Membership, OrganisationKind, Profession, Role
from schutznetz.notify.models import Notification
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db

INDICATIONS = "Das Kind kam dreimal in dieser Woche ohne Frühstück und mit Striemen am Unterarm in die Kita."


def _member_of(kind: str, name: str, profession: str) -> tuple[Any, Any]:
    org = f.make_org(name, kind)
    user = f.make_user()
    f.make_member(user, org, Role.PROFESSIONAL, profession=profession)
    return org, user


def _form(net: f.Network, **extra: str) -> dict[str, str]:
    return {
        "youth_office": str(net.dortmund.pk),
        "urgency": "urgent",
        "indications": INDICATIONS,
        "affected_notice": "given",
    } | extra


@pytest.fixture
def net(db: Any) -> f.Network:
    net = f.build_network()
    f.make_shift(
        net.dortmund_coordinator, net.dortmund_professional_membership, timezone.now() - timedelta(hours=1)
    )
    return net


def test_a_kitas_report_reaches_the_intake_the_person_on_call_and_the_escalation(
    client: Client, net: f.Network
) -> None:
    kita, teacher = _member_of(OrganisationKind.DAYCARE, "Kita Regenbogen (Test)", Profession.EDUCATOR)
    case = f.make_case(teacher, kita, title="Striemen am Unterarm")
    login(client, teacher)
    section = client.get(f"/faelle/{case.pk}/mitteilung/", HTTP_HX_REQUEST="true").content.decode()
    assert "Mitteilung an das Jugendamt verfassen" in section
    form = client.get(f"/faelle/{case.pk}/mitteilung/neu/").content.decode()
    assert "Mitteilung an das Jugendamt (§ 8a Abs. 4 SGB VIII)" in form
    assert "Befunde" not in form  # a Kita has no findings to send along
    assert "checked" not in form  # neither the urgency nor the notice to those concerned is preset

    response = client.post(f"/faelle/{case.pk}/mitteilung/neu/", _form(net))
    assert response.status_code == 302
    report = YouthOfficeReport.objects.get(case=case)
    assert report.legal_basis == LegalBasis.SGB8_8A_4
    assert (report.findings_summary, report.talk_summary, report.billing_code) == ("", "", "")
    assert report.affected_notice == "given"
    told = Notification.objects.filter(kind="report_received").values_list("recipient__username", flat=True)
    assert set(told) == {net.dortmund_professional.username, net.dortmund_coordinator.username}

    login(client, net.dortmund_professional)
    intake = client.get("/meldungen/").content.decode()
    assert f'href="/mitteilungen/{report.pk}/"' in intake
    assert "Mitteilung nach § 8a Abs. 4 SGB VIII (Kindertageseinrichtung (Kita))" in intake
    page = client.get(f"/mitteilungen/{report.pk}/").content.decode()
    assert "Mitteilung nach § 8a Abs. 4 SGB VIII" in page and INDICATIONS in page
    assert "Ja, die Betroffenen wurden vorab auf die Mitteilung hingewiesen." in page

    # Unacknowledged past its deadline, it escalates as a doctor's report does.
    YouthOfficeReport.objects.filter(pk=report.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assert escalate_unacknowledged_reports() == 1
    report.refresh_from_db()
    assert report.escalated_at is not None

    # The Kita reads its report and the feedback to come in its outbox.
    login(client, teacher)
    outbox = client.get("/mitteilungen/").content.decode()
    assert f'href="/mitteilungen/{report.pk}/"' in outbox


def test_a_school_reports_under_section_4_kkg_and_must_say_whether_the_family_was_told(
    client: Client, net: f.Network
) -> None:
    school, teacher = _member_of(OrganisationKind.SCHOOL, "Grundschule am Park (Test)", Profession.TEACHER)
    case = f.make_case(teacher, school)
    login(client, teacher)
    url = f"/faelle/{case.pk}/mitteilung/neu/"
    missing = client.post(url, _form(net, affected_notice=""))
    assert missing.status_code == 400 or "Bitte" in missing.content.decode()
    no_reason = client.post(url, _form(net, affected_notice="omitted")).content.decode()
    assert "wirksamen Schutz des Kindes in Frage gestellt hätte" in no_reason
    assert not YouthOfficeReport.objects.exists()

    reason = "Die Schülerin fürchtet Schläge, wenn die Eltern von der Mitteilung erfahren."
    assert (
        client.post(url, _form(net, affected_notice="omitted", notice_omitted_reason=reason)).status_code
        == 302
    )
    report = YouthOfficeReport.objects.get()
    assert report.legal_basis == LegalBasis.KKG_4_3
    assert report.notice_omitted_reason == reason
    login(client, net.dortmund_professional)
    page = client.get(f"/mitteilungen/{report.pk}/").content.decode()
    assert "Nein, der Hinweis unterblieb" in page and reason in page


def test_the_api_takes_the_same_report_from_a_counselling_centre(net: f.Network) -> None:
    centre, counsellor = _member_of(
        OrganisationKind.COUNSELLING_CENTRE, "Erziehungsberatung Nord (Test)", Profession.SOCIAL_WORKER
    )
    case = f.make_case(counsellor, centre)
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(counsellor)}")
    url = f"/api/v1/cases/{case.pk}/reports/"
    body = {"youth_office": net.dortmund.pk, "urgency": "normal", "indications": INDICATIONS}
    refused = api.post(url, body, content_type="application/json")
    assert refused.status_code == 400 and "affected_notice" in refused.json()
    created = api.post(url, body | {"affected_notice": "given"}, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["legal_basis"] == LegalBasis.KKG_4_3


@pytest.mark.parametrize("kind", [OrganisationKind.POLICE, OrganisationKind.FAMILY_COURT])
def test_police_and_court_inform_the_jugendamt_on_their_own_channels(
    client: Client, net: f.Network, kind: str
) -> None:
    org, member = _member_of(kind, "Polizeiwache Mitte (Test)", Profession.POLICE)
    case = f.make_case(member, org)
    login(client, member)
    assert client.get(f"/faelle/{case.pk}/mitteilung/neu/").status_code == 404
    assert client.post(f"/faelle/{case.pk}/mitteilung/neu/", _form(net)).status_code == 404
    assert 'id="mitteilung"' not in client.get(f"/faelle/{case.pk}/").content.decode()


def test_in_a_practice_only_its_health_professions_report(client: Client, net: f.Network) -> None:
    Membership.objects.filter(user=net.practice_doctor).update(profession=Profession.PHYSICIAN)
    clerk = f.make_user()
    f.make_member(clerk, net.practice, Role.PROFESSIONAL, profession=Profession.ADMINISTRATION)
    case = f.make_case(net.practice_doctor, net.practice)
    login(client, clerk)
    assert client.get(f"/faelle/{case.pk}/mitteilung/neu/").status_code == 404
