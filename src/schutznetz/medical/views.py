"""The findings section of the case page and its pages: document, read, correct, share."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schutznetz.accounts.http import AuthenticatedHttpRequest
from schutznetz.cases import queries as case_queries
from schutznetz.cases.feedback import FeedbackInput
from schutznetz.cases.forms import FeedbackForm
from schutznetz.cases.policy import CaseAccess
from schutznetz.kit.errors import add_service_errors
from schutznetz.kit.views import act, download, form_page, submit
from schutznetz.medical import bodymap, documents, policy, queries, services
from schutznetz.medical.forms import (
    AnswerForm,
    ConsultationForm,
    CorrectionForm,
    DiagnosticForm,
    FindingsForm,
    InjuryForm,
    PhotoForm,
    ReportForm,
    ReportInvolveForm,
    ShareForm,
    TalkForm,
    findings_input,
    initial_of,
    injury_formset,
)
from schutznetz.medical.models import FindingsRecord, NotDoneReason


def _read(
    request: AuthenticatedHttpRequest,
    access: CaseAccess,
    records: list[int],
    purpose: str,
    talks: list[int] | None = None,
) -> None:
    """A read event whenever medical content is shown (nothing shown, nothing to record)."""
    if records or talks:
        services.findings_record_read(
            actor=request.user, access=access, records=records, purpose=purpose, talks=talks or []
        )


@login_required
@require_GET
def section(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    """The case page's "Befunde" section (htmx), or the same as a page of its own."""
    access = case_queries.case_get_for(request.user, pk)
    return _section(request, access)


def _section(
    request: AuthenticatedHttpRequest,
    access: CaseAccess,
    share_form: ShareForm | None = None,
    status: int = 200,
) -> HttpResponse:
    records = queries.records_for(request.user, access)
    talks = queries.talks_for(request.user, access)
    _read(request, access, [r.pk for r in records], "Befunde im Fall einsehen", [t.pk for t in talks])
    may_write = policy.can_write_findings(request.user, access)
    candidates = queries.share_candidates(access) if may_write else []
    context = {
        "case": access.case,
        "rows": [(record, queries.version_view(record.current)) for record in records if record.current],
        "shares": queries.shares_of(request.user, access),
        "talks": talks,
        "consultations": queries.consultations_for(request.user, access),
        "may_write": may_write,
        "share_form": share_form
        or (ShareForm(candidates=candidates, prefix="share") if candidates else None),
    }
    template = "medical/_section.html" if request.htmx else "medical/section.html"
    return render(request, template, context, status=status)


def _form_page(
    request: AuthenticatedHttpRequest,
    access: CaseAccess,
    form: FindingsForm,
    formset: Any,
    record: FindingsRecord | None = None,
    status: int = 200,
) -> HttpResponse:
    preset = {row.data.get(row.add_prefix("region")) or row.initial.get("region") for row in formset.forms}
    context = {
        "case": access.case,
        "form": form,
        "formset": formset,
        "record": record,
        "views": _views(preset - {None, ""}, links=True),
    }
    return render(request, "medical/record_form.html", context, status=status)


def _views(found: set[str], *, links: bool) -> list[dict[str, Any]]:
    """The body map's three drawings, the regions with findings marked."""
    return [
        {
            "key": view.value,
            "label": bodymap.VIEW_LABELS[view],
            "regions": [(r, *r.svg, r.code in found) for r in bodymap.REGIONS if r.view == view],
            "links": links,
        }
        for view in bodymap.View
    ]


def _save(
    request: AuthenticatedHttpRequest,
    access: CaseAccess,
    form: FindingsForm,
    formset: Any,
    record: FindingsRecord | None,
) -> HttpResponse:
    if form.is_valid() and formset.is_valid():
        try:
            data = findings_input(form, formset)
            if record is None:
                record = services.findings_record_create(actor=request.user, access=access, data=data)
                messages.success(request, "Die Befunddokumentation wurde gespeichert.")
            else:
                services.findings_record_correct(
                    actor=request.user,
                    access=access,
                    record=record,
                    data=data,
                    change_note=form.cleaned_data["change_note"],
                )
                messages.success(request, "Die Korrektur wurde als neue Fassung gespeichert.")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("medical:record", pk=access.case.pk, record_pk=record.pk)
    return _form_page(request, access, form, formset, record, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_write_findings(request.user, access)
    if request.method == "POST":
        return _save(request, access, FindingsForm(request.POST), injury_formset(request.POST), None)
    region = request.GET.get("region", "")
    initial = [{"region": region}] if region in bodymap.BY_CODE else None
    return _form_page(request, access, FindingsForm(), injury_formset(initial=initial))


@login_required
@require_http_methods(["GET", "POST"])
def record_correct(request: AuthenticatedHttpRequest, pk: UUID, record_pk: int) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    record = queries.record_get_for(request.user, access, record_pk)
    policy.require_write_findings(request.user, access)
    if request.method == "POST":
        return _save(request, access, CorrectionForm(request.POST), injury_formset(request.POST), record)
    current = queries.current_of(record)
    _read(request, access, [record.pk], "Befund zur Korrektur öffnen")
    form = CorrectionForm(initial=initial_of(current))
    return _form_page(request, access, form, injury_formset(initial=current.injuries), record)


@login_required
@require_GET
def injury_row(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    """One more row of the findings form (htmx), its region chosen on the body map."""
    access = case_queries.case_get_for(request.user, pk)
    policy.require_write_findings(request.user, access)
    try:
        index = min(max(int(request.GET.get("injury-TOTAL_FORMS", "0")), 0), 59)
    except ValueError:
        index = 0
    region = request.GET.get("region", "")
    row = InjuryForm(
        prefix=f"injury-{index}", initial={"region": region if region in bodymap.BY_CODE else ""}
    )
    return render(request, "medical/_injury_row.html", {"row": row, "index": index, "next": index + 1})


@login_required
@require_GET
def record_detail(request: AuthenticatedHttpRequest, pk: UUID, record_pk: int) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    record = queries.record_get_for(request.user, access, record_pk)
    return _record_page(request, access, record)


def _record_page(
    request: AuthenticatedHttpRequest,
    access: CaseAccess,
    record: FindingsRecord,
    photo_form: PhotoForm | None = None,
    status: int = 200,
) -> HttpResponse:
    versions = queries.versions_of(record)
    shown = versions[0]
    asked = request.GET.get("fassung", "")
    for version in versions:
        if asked.isdigit() and version.number == int(asked):
            shown = version
    view = queries.version_view(shown)
    _read(request, access, [record.pk], f"Befund einsehen (Fassung {shown.number})")
    may_write = policy.can_write_findings(request.user, access)
    context = {
        "case": access.case,
        "record": record,
        "view": view,
        "versions": versions,
        "current": shown.pk == versions[0].pk,
        "may_write": may_write,
        "views": _views(view.regions, links=False),
        "photos": queries.photos_of(record),
        "photo_form": photo_form or (PhotoForm(prefix="photo") if may_write else None),
        "diagnostics": queries.diagnostics_of(record, shown),
        "not_done_reasons": NotDoneReason.choices,
    }
    return render(request, "medical/record_detail.html", context, status=status)


@login_required
@require_POST
def diagnostic_mark(request: AuthenticatedHttpRequest, pk: UUID, record_pk: int) -> HttpResponse:
    """A recommended examination marked done, or not done with its reason (on the record's page)."""
    access = case_queries.case_get_for(request.user, pk)
    record = queries.record_get_for(request.user, access, record_pk)
    policy.require_write_findings(request.user, access)
    form = DiagnosticForm(request.POST)
    back = reverse("medical:record", args=[access.case.pk, record.pk]) + "#diagnostik"
    if form.is_valid():
        try:
            services.diagnostic_mark(
                actor=request.user,
                access=access,
                record=record,
                code=form.cleaned_data["code"],
                done=form.cleaned_data["done"] == "ja",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Der Stand der Untersuchung ist festgehalten.")
            return redirect(back)
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, str(problem))
    return redirect(back)


@login_required
@require_POST
def photo_add(request: AuthenticatedHttpRequest, pk: UUID, record_pk: int) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    record = queries.record_get_for(request.user, access, record_pk)
    policy.require_write_findings(request.user, access)
    form = PhotoForm(request.POST, request.FILES, prefix="photo")
    if form.is_valid():
        upload = form.cleaned_data["photo"]
        try:
            services.findings_photo_add(
                actor=request.user,
                access=access,
                record=record,
                upload=upload,
                size=upload.size,
                caption=form.cleaned_data["caption"],
                region=form.cleaned_data["region"],
                shows_face=form.cleaned_data["shows_face"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Das Foto wurde ohne Metadaten verschlüsselt gespeichert.")
            return redirect(reverse("medical:record", args=[access.case.pk, record.pk]) + "#photos")
    return _record_page(request, access, record, photo_form=form, status=400)


@login_required
@require_GET
def photo(request: AuthenticatedHttpRequest, pk: UUID, record_pk: int, photo_pk: UUID) -> HttpResponse:
    """The photo itself, for those who may read the findings; never cached."""
    access = case_queries.case_get_for(request.user, pk)
    found = queries.photo_get_for(request.user, access, record_pk, photo_pk)
    jpeg = services.findings_photo_open(actor=request.user, access=access, photo=found)
    response = HttpResponse(jpeg, content_type="image/jpeg")
    response["Cache-Control"] = "no-store, private"
    response["Content-Disposition"] = f'inline; filename="befund-{found.pk}.jpg"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def family_talk(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    """§ 4 Abs. 1 KKG: record the talk with child and parents, or why it was not held."""
    access = case_queries.case_get_for(request.user, pk)
    policy.require_write_findings(request.user, access)
    return form_page(
        request,
        TalkForm(request.POST if request.method == "POST" else None),
        "medical/talk_form.html",
        lambda d: services.family_talk_record(
            actor=request.user, access=access, data=services.TalkInput(**d)
        ),
        success="Das Gespräch ist festgehalten.",
        then=lambda _: reverse("cases:detail", args=[access.case.pk]) + "#befunde",
        context={"case": access.case},
    )


@login_required
@require_POST
def share_revoke(request: AuthenticatedHttpRequest, pk: UUID, share_pk: int) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    found = queries.share_get_for(request.user, access, share_pk)
    policy.require_write_findings(request.user, access)
    services.findings_share_revoke(actor=request.user, access=access, share=found)
    messages.success(request, f"Die Freigabe für {found.organisation.name} ist beendet.")
    return redirect(reverse("cases:detail", args=[access.case.pk]) + "#befunde")


@login_required
@require_POST
def share(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_write_findings(request.user, access)
    form = ShareForm(request.POST, candidates=queries.share_candidates(access), prefix="share")
    if form.is_valid():
        try:
            services.findings_share(
                actor=request.user,
                access=access,
                organisation_id=form.cleaned_data["organisation"],
                legal_basis=form.cleaned_data["legal_basis"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Die Befunde sind für die Organisation freigegeben.")
            return redirect(reverse("cases:detail", args=[access.case.pk]) + "#befunde")
    return _section(request, access, share_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_request(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    """§ 4 Abs. 2 KKG: ask a specialist of the network with pseudonymised data."""
    access = case_queries.case_get_for(request.user, pk)
    policy.require_write_findings(request.user, access)
    candidates = queries.specialist_candidates(access)
    form = ConsultationForm(request.POST if request.method == "POST" else None, candidates=candidates)
    by_pk = {o.pk: o for o in candidates}
    return form_page(
        request,
        form,
        "medical/consultation_form.html",
        lambda d: services.consultation_request(
            actor=request.user,
            access=access,
            specialist=by_pk[d["specialist"]],
            urgency=d["urgency"],
            question=d["question"],
        ),
        success="Die Anfrage ist an die Fachstelle gegangen.",
        then=lambda _: reverse("cases:detail", args=[access.case.pk]) + "#befunde",
        context={"case": access.case},
    )


@login_required
@require_GET
def consultation_section(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    """The consulted specialist's section: the question, the coded findings, the answer."""
    access = case_queries.case_get_for(request.user, pk)
    return _consultation_section(request, access)


def _consultation_section(
    request: AuthenticatedHttpRequest,
    access: CaseAccess,
    answer_form: tuple[int, AnswerForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    findings = queries.pseudonymised_findings(request.user, access)
    consultations = queries.consultations_for(request.user, access)
    _read(request, access, findings.records, "Pseudonymisierte Befunde zur Fallberatung")
    failed_pk, failed_form = answer_form or (None, None)
    rows = [
        (
            c,
            failed_form
            if c.pk == failed_pk
            else (None if c.is_answered else AnswerForm(prefix=f"answer{c.pk}")),
        )
        for c in consultations
    ]
    context = {
        "case": access.case,
        "findings": findings,
        "rows": rows,
        "versions": [(view, _views(view.regions, links=False)) for view in findings.versions],
    }
    template = "medical/_consultation.html" if request.htmx else "medical/consultation.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def consultation_answer(request: AuthenticatedHttpRequest, pk: UUID, consultation_pk: int) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    consultation = queries.consultation_get_for(request.user, access, consultation_pk)
    policy.require_consult(request.user, access)
    form = AnswerForm(request.POST, prefix=f"answer{consultation.pk}")
    if form.is_valid():
        try:
            services.consultation_answer(
                actor=request.user,
                access=access,
                consultation=consultation,
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Die Antwort ist im Fallverlauf für alle Beteiligten sichtbar.")
            return redirect(reverse("cases:detail", args=[access.case.pk]) + "#beratung")
    return _consultation_section(request, access, answer_form=(consultation.pk, form), status=400)


# Reports to the Jugendamt (§ 4 Abs. 3 KKG) and feedback (§ 4 Abs. 4 KKG).


@login_required
@require_GET
def reports_section(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    """The case page's "Mitteilung an das Jugendamt" section (htmx), or a page of its own."""
    access = case_queries.case_get_for(request.user, pk)
    context = {
        "case": access.case,
        "reports": queries.reports_of_case(request.user, access),
        "may_report": policy.can_report(request.user, access),
    }
    template = "medical/_reports.html" if request.htmx else "medical/reports_section.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    """The Meldebogen: the competent Jugendamt preselected from the child's address (a fact, not a
    judgement); urgency and the notice to those concerned are chosen, never preset."""
    access = case_queries.case_get_for(request.user, pk)
    draft = queries.report_draft(request.user, access)
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        offices=queries.youth_offices(),
        competent=draft.competent,
    )
    return form_page(
        request,
        form,
        "medical/report_form.html",
        lambda d: services.report_send(
            actor=request.user,
            access=access,
            data=services.ReportInput(
                youth_office_id=d["youth_office"],
                urgency=d["urgency"],
                affected_notice=d["affected_notice"],
                notice_omitted_reason=d["notice_omitted_reason"],
                indications=d["indications"],
                measures_taken=d["measures_taken"],
                other_bodies=d["other_bodies"],
                override_reason=d["override_reason"],
                confirm_repeat=d["confirm_repeat"],
            ),
        ),
        success="Die Mitteilung ist an das Jugendamt gegangen.",
        then=lambda report: reverse("medical:report", args=[report.pk]),
        context={"case": access.case, "draft": draft},
    )


@login_required
@require_GET
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mitteilungen: received by the user's Jugendamt, and sent by the user's practice or clinic
    with the feedback still outstanding ("Rückmeldung ausstehend")."""
    return render(request, "medical/reports.html", {"inbox": queries.report_inbox(request.user)})


def _report_page(
    request: AuthenticatedHttpRequest,
    report_access: queries.ReportAccess,
    *,
    involve_form: ReportInvolveForm | None = None,
    feedback_form: FeedbackForm | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = queries.report_detail(report_access)
    services.report_record_read(
        actor=request.user, detail=detail, purpose="Mitteilung an das Jugendamt lesen"
    )
    report = report_access.report
    acting = policy.may_answer(request.user, report)
    context = {
        "detail": detail,
        "report": report,
        "may_acknowledge": policy.may_acknowledge(request.user, report),
        "involve_form": involve_form or (ReportInvolveForm(prefix="involve") if acting else None),
        "feedback_form": feedback_form or (FeedbackForm(prefix="feedback") if acting else None),
    }
    return render(request, "medical/report.html", context, status=status)


@login_required
@require_GET
def report_page(request: AuthenticatedHttpRequest, report_pk: UUID) -> HttpResponse:
    return _report_page(request, queries.report_get_for(request.user, report_pk))


@login_required
@require_GET
def report_pdf(request: AuthenticatedHttpRequest, report_pk: UUID) -> HttpResponse:
    detail = queries.report_detail(queries.report_get_for(request.user, report_pk))
    services.report_record_read(actor=request.user, detail=detail, purpose="Mitteilung als PDF")
    return download(
        documents.report_pdf(detail),
        content_type="application/pdf",
        filename=f"mitteilung-{detail.access.report.case.child.pseudonym}.pdf",
    )


@login_required
@require_POST
def report_acknowledge(request: AuthenticatedHttpRequest, report_pk: UUID) -> HttpResponse:
    report_access = queries.report_get_for(request.user, report_pk)
    return act(
        request,
        lambda: services.report_acknowledge(actor=request.user, report=report_access.report),
        success="Eingang bestätigt. Ihre Organisation ist am Fall beteiligt und führt ihn; "
        "Aufgaben zur Gefährdungseinschätzung und zur Rückmeldung sind angelegt.",
        then=reverse("medical:report", args=[report_pk]),
    )


@login_required
@require_POST
def report_involve(request: AuthenticatedHttpRequest, report_pk: UUID) -> HttpResponse:
    report_access = queries.report_get_for(request.user, report_pk)
    form = ReportInvolveForm(request.POST, prefix="involve")
    return submit(
        request,
        form,
        lambda d: services.report_involve_reporter(
            actor=request.user, report=report_access.report, due_date=d["due_date"], note=d["note"]
        ),
        success="Die meldende Stelle ist an der Gefährdungseinschätzung beteiligt.",
        then=lambda _: reverse("medical:report", args=[report_pk]),
        invalid=lambda: _report_page(request, report_access, involve_form=form, status=400),
    )


@login_required
@require_POST
def report_feedback(request: AuthenticatedHttpRequest, report_pk: UUID) -> HttpResponse:
    report_access = queries.report_get_for(request.user, report_pk)
    form = FeedbackForm(request.POST, prefix="feedback")
    return submit(
        request,
        form,
        lambda d: services.report_feedback(
            actor=request.user,
            report=report_access.report,
            data=FeedbackInput(**d),
        ),
        success="Die Rückmeldung ist an die meldende Stelle gegangen.",
        then=lambda _: reverse("medical:report", args=[report_pk]),
        invalid=lambda: _report_page(request, report_access, feedback_form=form, status=400),
    )
