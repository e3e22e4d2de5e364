"""The findings section and a findings record cost the same number of queries however many
records, findings and versions there are."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from schutznetz.cases import queries
from schutznetz.cases.feedback import FeedbackInput
from schutznetz.medical import services
from tests.cases.test_query_counts import queries_for
from tests.conftest import login
from tests.medical.conftest import MedicalWorld

ONE = {"region": "cheek_left", "kind": "bruise", "size": "", "colour": "na", "pattern": "unspecific"}


def _content(injuries: int) -> services.FindingsInput:
    at = timezone.now() - timedelta(hours=1)
    regions = ["cheek_left", "chest", "abdomen", "ear_right", "shin_left", "upper_back"]
    return services.FindingsInput(
        examined_at=at,
        history="Sturz",
        history_by="mother",
        history_at=at,
        mobility="pre_mobile",
        injuries=[
            ONE | {"region": regions[i % len(regions)], "estimated_age": "fresh", "note": ""}
            for i in range(injuries)
        ],
        assessment="unclear",
        history_consistency="consistent",
    )


def test_section_and_record_stay_constant(client: Client, mw: MedicalWorld) -> None:
    access = queries.case_get_for(mw.doctor, mw.case.pk)
    record = services.findings_record_create(actor=mw.doctor, access=access, data=_content(1))
    login(client, mw.doctor)
    section, detail = f"/faelle/{mw.case.pk}/befunde/", f"/faelle/{mw.case.pk}/befunde/{record.pk}/"
    small_section, small_detail = queries_for(client, section), queries_for(client, detail)
    for n in range(2, 12):
        services.findings_record_create(actor=mw.doctor, access=access, data=_content(n))
        services.findings_record_correct(
            actor=mw.doctor,
            access=access,
            record=record,
            data=_content(30),
            change_note=f"Nachtrag {n}",
        )
    assert queries_for(client, section) == small_section
    assert queries_for(client, detail) == small_detail
    # As the Jugendamt, once shared: the same.
    services.findings_share(
        actor=mw.doctor, access=access, organisation_id=mw.network.dortmund.pk, legal_basis="kkg_4_3"
    )
    login(client, mw.youth_office)
    assert queries_for(client, detail) <= small_detail + 1


def test_consultation_section_stays_constant(client: Client, mw: MedicalWorld) -> None:
    from schutznetz.cases.models import Participation

    access = queries.case_get_for(mw.doctor, mw.case.pk)
    hotline = Participation.objects.get(case=mw.case, pseudonymised=True).organisation
    services.findings_record_create(actor=mw.doctor, access=access, data=_content(1))
    services.consultation_request(
        actor=mw.doctor, access=access, specialist=hotline, urgency="normal", question="Einschätzung erbeten."
    )
    login(client, mw.consultant)
    url = f"/faelle/{mw.case.pk}/beratung/"
    small = queries_for(client, url)
    for n in range(2, 10):
        services.findings_record_create(actor=mw.doctor, access=access, data=_content(n))
        services.consultation_request(
            actor=mw.doctor, access=access, specialist=hotline, urgency="urgent", question=f"Nachfrage {n}"
        )
    assert queries_for(client, url) == small


def test_report_page_list_and_section_stay_constant(client: Client, mw: MedicalWorld) -> None:
    from schutznetz.cases.services import guardian_add
    from schutznetz.medical.models import YouthOfficeReport
    from schutznetz.people.identity import GuardianIdentity

    access = queries.case_get_for(mw.doctor, mw.case.pk)
    services.findings_record_create(actor=mw.doctor, access=access, data=_content(3))

    def send() -> YouthOfficeReport:
        data = services.ReportInput(
            youth_office_id=mw.network.dortmund.pk,
            urgency="normal",
            indications="Hämatom",
            affected_notice="given",
            confirm_repeat=True,
        )
        return services.report_send(actor=mw.doctor, access=access, data=data)

    report = send()
    report = services.report_acknowledge(actor=mw.youth_office, report=report)
    pages = [f"/mitteilungen/{report.pk}/", "/mitteilungen/", f"/faelle/{mw.case.pk}/mitteilung/"]

    def measure() -> list[int]:
        counts = []
        for user in (mw.doctor, mw.youth_office):
            login(client, user)
            counts += [queries_for(client, url) for url in pages]
        return counts

    small = measure()
    for n in range(8):
        send()
        guardian_add(
            actor=mw.doctor,
            access=access,
            relation="custodial_parent",
            identity=GuardianIdentity(f"Vorname{n}", "Brandt"),
        )
        services.report_feedback(
            actor=mw.youth_office,
            report=report,
            data=FeedbackInput(confirmed="open", became_active=True, still_active=True),
        )
    assert measure() == small
