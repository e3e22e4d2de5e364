"""The Jugendamt's intake (Meldungseingang): the list with deadlines, recording a report, the report."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schutznetz.accounts.http import AuthenticatedHttpRequest
from schutznetz.cases import inbox
from schutznetz.cases import queries as case_queries
from schutznetz.cases.feedback import FeedbackInput
from schutznetz.cases.forms import FeedbackForm
from schutznetz.kit.errors import add_service_errors
from schutznetz.kit.pagination import page_read_ahead
from schutznetz.kit.views import act, download, form_page, submit
from schutznetz.network import queries as network_queries
from schutznetz.welfare import documents, policy, queries, services
from schutznetz.welfare.forms import (
    AssessmentForm,
    CareTakingEndForm,
    CareTakingForm,
    ConferenceForm,
    CourtReferralForm,
    FirstContactForm,
    GuestEndForm,
    HelpPlanClinicForm,
    HelpPlanForm,
    HelpPlanReviewForm,
    IntakeForm,
    MinutesForm,
    MoveDeclineForm,
    MoveForm,
    SafetyPlanForm,
)
from schutznetz.welfare.models import AreaRating, DangerFrom, Endangerment, RiskAssessment


@login_required
@require_GET
def intake_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # The list, waiting ones first, read and shown a page at a time.
    page = page_read_ahead(request, lambda n: inbox.incoming_for(request.user, n), cap=inbox.LIMIT)
    context = {
        "page": page,
        "rows": page.object_list,
        "works_intake": bool(policy.youth_offices_of(request.user)),
        "now": timezone.now(),
    }
    return render(request, "welfare/intake_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def intake_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = policy.youth_offices_of(request.user)
    organisations = list(network_queries.organisation_rows(network_queries.active_organisations()))
    form = IntakeForm(
        request.POST if request.method == "POST" else None, offices=offices, organisations=organisations
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            data = services.IntakeInput(
                youth_office_id=d["youth_office"],
                source=d["source"],
                urgency=d["urgency"],
                account=d["account"],
                received_at=d["received_at"],
                reporter_anonymous=d["reporter_anonymous"],
                reporter_name=d["reporter_name"],
                reporter_contact=d["reporter_contact"],
                reporter_organisation_id=d["reporter_organisation"],
                child=form.child(),
                join_case=d["join_case"],
                confirm_new=d["confirm_new"],
            )
            try:
                intake = services.intake_record(actor=request.user, data=data)
            except ValidationError as error:
                if data.child is not None and "confirm_new" in getattr(error, "error_dict", {}):
                    # Offer the matching cases to join the report to.
                    form = IntakeForm(
                        request.POST,
                        offices=offices,
                        organisations=organisations,
                        matches=queries.possible_duplicates(request.user, data.child),
                    )
                    form.is_valid()
                add_service_errors(form, error)
            else:
                messages.success(request, "Die Meldung ist aufgenommen.")
                return redirect(reverse("welfare:intake", args=[intake.pk]))
    context = {"form": form, "works_intake": bool(offices)}
    return render(request, "welfare/intake_form.html", context, status=status)


def _intake_page(
    request: AuthenticatedHttpRequest,
    pk: UUID,
    form: FirstContactForm | None = None,
    feedback_form: FeedbackForm | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = queries.intake_detail(queries.intake_get_for(request.user, pk))
    services.intake_record_read(actor=request.user, detail=detail, purpose="Meldung lesen")
    may_feedback = policy.may_receive_feedback(detail.intake)
    context = {
        "detail": detail,
        "intake": detail.intake,
        "form": form or (None if detail.intake.is_contacted else FirstContactForm()),
        "may_feedback": may_feedback,
        "feedback_form": feedback_form or (FeedbackForm(prefix="feedback") if may_feedback else None),
        "now": timezone.now(),
    }
    return render(request, "welfare/intake.html", context, status=status)


@login_required
@require_GET
def intake(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    return _intake_page(request, pk)


@login_required
@require_POST
def intake_first_contact(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    found = queries.intake_get_for(request.user, pk)
    form = FirstContactForm(request.POST)
    return submit(
        request,
        form,
        lambda d: services.intake_first_contact(actor=request.user, intake=found, note=d["note"]),
        success="Der Erstkontakt ist vermerkt.",
        then=lambda _: reverse("welfare:intake", args=[pk]),
        invalid=lambda: _intake_page(request, pk, form=form, status=400),
    )


@login_required
@require_POST
def intake_feedback(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    found = queries.intake_get_for(request.user, pk)
    form = FeedbackForm(request.POST, prefix="feedback")
    return submit(
        request,
        form,
        lambda d: services.intake_feedback(actor=request.user, intake=found, data=FeedbackInput(**d)),
        success="Die Rückmeldung nach § 4 Abs. 4 KKG ist an die meldende Stelle gegangen.",
        then=lambda _: reverse("welfare:intake", args=[pk]),
        invalid=lambda: _intake_page(request, pk, feedback_form=form, status=400),
    )


# The risk assessment (§ 8a SGB VIII): the case page's section, the form, signing.


@login_required
@require_GET
def assessment_section(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    labels = dict(queries.assessment_areas())
    rows = []
    for a in queries.assessments_for(request.user, access):
        v = a.current
        if v is None:
            continue
        signers = [s.signed_by_id for s in v.signatures.all()]
        rows.append(
            {
                "assessment": a,
                "version": v,
                "signers": signers,
                "may_sign": policy.can_sign(request.user, access, signers),
                "areas": [
                    (labels.get(code, code), AreaRating(value["rating"]).label, value.get("note", ""))
                    for code, value in v.areas.items()
                ],
                "endangerments": ", ".join(Endangerment(e).label for e in v.endangerments),
                "danger_from": ", ".join(DangerFrom(e).label for e in v.danger_from),
            }
        )
    context = {
        "case": access.case,
        "rows": rows,
        "may_write": policy.can_write_assessment(request.user, access),
    }
    template = "welfare/_assessment.html" if request.htmx else "welfare/assessment_section.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_assess(request.user, access)
    correcting = request.GET.get("korrektur")
    assessment = queries.assessment_get_for(request.user, access, correcting) if correcting else None
    initial = _initial(assessment) if assessment else None
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        areas=queries.assessment_areas(),
        correcting=assessment is not None,
    )
    return form_page(
        request,
        form,
        "welfare/assessment_form.html",
        lambda d: services.assessment_record(
            actor=request.user,
            access=access,
            data=form.assessment_input(),
            assessment=assessment,
            change_note=d.get("change_note", ""),
        ),
        success="Die Gefährdungseinschätzung ist gespeichert und von Ihnen unterzeichnet. "
        "Sie gilt, sobald eine zweite Fachkraft unterzeichnet hat.",
        then=lambda _: reverse("cases:detail", args=[access.case.pk]) + "#gefaehrdungseinschaetzung",
        context={"case": access.case, "assessment": assessment},
    )


def _initial(assessment: RiskAssessment) -> dict[str, object]:
    version = assessment.current
    if version is None:
        return {}
    initial: dict[str, object] = {
        "outcome": version.outcome,
        "endangerments": version.endangerments,
        "danger_from": version.danger_from,
        "home_visit_at": version.home_visit_at,
        "child_seen_at": version.child_seen_at,
        "child_seen_by": version.child_seen_by,
        "sources": version.sources,
        "participants": version.participants,
        "reporter_involved": version.reporter_involved,
        "repeat_report": version.repeat_report,
    }
    for code, value in version.areas.items():
        initial[f"area_{code}"] = value.get("rating")
        initial[f"note_{code}"] = value.get("note", "")
    return initial


@login_required
@require_POST
def assessment_sign(request: AuthenticatedHttpRequest, pk: UUID, version_pk: int) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    version = queries.version_get_for(request.user, access, version_pk)
    return act(
        request,
        lambda: services.assessment_sign(actor=request.user, access=access, version=version),
        success="Sie haben die Gefährdungseinschätzung unterzeichnet.",
        then=reverse("cases:detail", args=[access.case.pk]) + "#gefaehrdungseinschaetzung",
    )


# Consequences: safety plan, family court (§ 8a Abs. 2 SGB VIII), taking into care (§ 42 SGB VIII).

PROTECTION = "#schutz"


@login_required
@require_GET
def protection_section(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    context = {
        "case": access.case,
        "protection": queries.protection_for(request.user, access),
        "may_write": policy.can_write_assessment(request.user, access),
        "today": timezone.localdate(),
    }
    template = "welfare/_protection.html" if request.htmx else "welfare/protection_section.html"
    return render(request, template, context)


def _back(access_case_pk: UUID) -> str:
    return reverse("cases:detail", args=[access_case_pk]) + PROTECTION


@login_required
@require_http_methods(["GET", "POST"])
def safety_plan_create(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_protect(request.user, access)
    staff = [(u.pk, u.display_name) for u in case_queries.case_staff(access.case.pk)]
    form = SafetyPlanForm(
        request.POST if request.method == "POST" else None,
        staff=staff,
        initial={"agreed_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        "welfare/safety_plan_form.html",
        lambda _: services.safety_plan_record(actor=request.user, access=access, data=form.plan_input()),
        success="Der Schutzplan ist gespeichert; jede Maßnahme steht als Aufgabe bei der zuständigen Person.",
        then=lambda _: _back(access.case.pk),
        context={"case": access.case},
    )


@login_required
@require_http_methods(["GET", "POST"])
def court_referral_create(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_protect(request.user, access)
    form = CourtReferralForm(
        request.POST if request.method == "POST" else None,
        courts=queries.family_courts(),
        initial={"referred_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        "welfare/court_referral_form.html",
        lambda _: services.court_referral_record(
            actor=request.user, access=access, data=form.referral_input()
        ),
        success="Die Anrufung des Familiengerichts ist erfasst; die Wiedervorlage steht in Ihren Aufgaben.",
        then=lambda _: _back(access.case.pk),
        context={"case": access.case},
    )


@login_required
@require_http_methods(["GET", "POST"])
def care_taking_create(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_protect(request.user, access)
    form = CareTakingForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        "welfare/care_taking_form.html",
        lambda _: services.care_taking_record(actor=request.user, access=access, data=form.care_input()),
        success="Die Inobhutnahme ist erfasst.",
        then=lambda _: _back(access.case.pk),
        context={"case": access.case},
    )


@login_required
@require_http_methods(["GET", "POST"])
def care_taking_end(request: AuthenticatedHttpRequest, pk: UUID, care_pk: int) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_protect(request.user, access)
    care = queries.care_taking_get_for(request.user, access, care_pk)
    form = CareTakingEndForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        "welfare/care_taking_end_form.html",
        lambda d: services.care_taking_end(
            actor=request.user,
            access=access,
            care=care,
            ends_at=d["ends_at"],
            court_decision_on=d["court_decision_on"],
        ),
        success="Die Inobhutnahme ist fortgeschrieben.",
        then=lambda _: _back(access.case.pk),
        context={"case": access.case, "care": care},
    )


# The help plan (§ 36 SGB VIII).

HELP_PLAN = "#hilfeplan"


@login_required
@require_GET
def help_plan_section(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    context = {
        "case": access.case,
        "plans": queries.help_plans_for(request.user, access),
        "may_write": policy.can_write_assessment(request.user, access),
        "today": timezone.localdate(),
    }
    template = "welfare/_help_plan.html" if request.htmx else "welfare/help_plan_section.html"
    return render(request, template, context)


def _help_plan_back(case_pk: UUID) -> str:
    return reverse("cases:detail", args=[case_pk]) + HELP_PLAN


@login_required
@require_http_methods(["GET", "POST"])
def help_plan_create(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_protect(request.user, access)
    form = HelpPlanForm(
        request.POST if request.method == "POST" else None,
        providers=queries.help_providers(),
        initial={"starts_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        "welfare/help_plan_form.html",
        lambda _: services.help_plan_record(actor=request.user, access=access, data=form.plan_input()),
        success="Der Hilfeplan ist aufgestellt; die Überprüfung steht in Ihren Aufgaben.",
        then=lambda _: _help_plan_back(access.case.pk),
        context={"case": access.case},
    )


@login_required
@require_http_methods(["GET", "POST"])
def help_plan_review(request: AuthenticatedHttpRequest, pk: UUID, plan_pk: int) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_protect(request.user, access)
    plan = queries.help_plan_get_for(request.user, access, plan_pk)
    form = HelpPlanReviewForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        "welfare/help_plan_review_form.html",
        lambda d: services.help_plan_review(
            actor=request.user,
            access=access,
            plan=plan,
            held_on=d["held_on"],
            result=d["result"],
            next_review_on=d["next_review_on"],
        ),
        success="Der Hilfeplan ist fortgeschrieben.",
        then=lambda _: _help_plan_back(access.case.pk),
        context={"case": access.case, "plan": plan},
    )


@login_required
@require_http_methods(["GET", "POST"])
def help_plan_clinic(request: AuthenticatedHttpRequest, pk: UUID, plan_pk: int) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_protect(request.user, access)
    plan = queries.help_plan_get_for(request.user, access, plan_pk)
    form = HelpPlanClinicForm(
        request.POST if request.method == "POST" else None, clinics=queries.psychiatry_clinics()
    )
    return form_page(
        request,
        form,
        "welfare/help_plan_clinic_form.html",
        lambda _: services.help_plan_add_clinic(
            actor=request.user, access=access, plan=plan, data=form.clinic_input()
        ),
        success="Die Klinik ist an der Hilfeplanung beteiligt und zur Mitarbeit im Fall eingeladen.",
        then=lambda _: _help_plan_back(access.case.pk),
        context={"case": access.case, "plan": plan},
    )


# Case conferences (Fallkonferenz).

CONFERENCES = "#fallkonferenzen"


@login_required
@require_GET
def conference_section(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    context = {
        "case": access.case,
        "conferences": queries.conferences_for(request.user, access),
        "may_organise": policy.can_organise_conference(request.user, access),
    }
    template = "welfare/_conferences.html" if request.htmx else "welfare/conference_section.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def conference_create(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_organise_conference(request.user, access)
    staff = [
        (u.pk, u.display_name) for u in case_queries.case_staff(access.case.pk) if u.pk != request.user.pk
    ]
    guests = [
        (m.user_id, f"{m.user.display_name} ({m.organisation.name})")
        for m in queries.conference_guests(access.case.pk)
    ]
    form = ConferenceForm(request.POST if request.method == "POST" else None, staff=staff, guests=guests)
    return form_page(
        request,
        form,
        "welfare/conference_form.html",
        lambda _: services.conference_schedule(
            actor=request.user, access=access, data=form.conference_input()
        ),
        success="Die Fallkonferenz ist geplant; die Eingeladenen sind benachrichtigt.",
        then=lambda conference: reverse("welfare:conference", args=[conference.pk]),
        context={"case": access.case},
    )


@login_required
@require_GET
def conference(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    found = queries.conference_get_for(request.user, pk)
    detail = queries.conference_detail(found)
    services.conference_record_read(actor=request.user, found=found, purpose="Fallkonferenz lesen")
    may_end_guests = policy.can_manage_conference(request.user, found.case_access)
    may_record = may_end_guests and not found.conference.is_recorded
    context = {
        "detail": detail,
        "conference": found.conference,
        "may_record": may_record,
        "may_end_guests": may_end_guests,
        "today": timezone.localdate(),
    }
    return render(request, "welfare/conference.html", context)


@login_required
@require_POST
def conference_guest_end(request: AuthenticatedHttpRequest, pk: UUID, attendee_pk: int) -> HttpResponse:
    found, access = queries.conference_in_case_get_for(request.user, pk)
    attendee = queries.conference_attendee_get(found, attendee_pk)
    form = GuestEndForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return act(
        request,
        lambda: services.conference_guest_end(
            actor=request.user, access=access, attendee=attendee, reason=reason
        ),
        success="Die Einsicht des Gastes ist beendet.",
        then=reverse("welfare:conference", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_minutes(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    found, access = queries.conference_in_case_get_for(request.user, pk)
    policy.require_organise_conference(request.user, access)
    detail = queries.conference_detail(found)
    attendees = [(a.pk, f"{a.user.display_name} ({a.organisation.name})") for a in detail.attendees]
    staff = [(u.pk, u.display_name) for u in case_queries.case_staff(access.case.pk)]
    form = MinutesForm(request.POST if request.method == "POST" else None, attendees=attendees, staff=staff)
    return form_page(
        request,
        form,
        "welfare/minutes_form.html",
        lambda d: services.conference_record_minutes(
            actor=request.user,
            access=access,
            conference=found.conference,
            minutes=d["minutes"],
            attendance=form.attendance(),
            decisions=form.decisions(),
        ),
        success="Das Protokoll ist gespeichert; die Beschlüsse stehen als Aufgaben bei den Verantwortlichen.",
        then=lambda _: reverse("welfare:conference", args=[pk]),
        context={"conference": found.conference, "case": access.case},
    )


@login_required
@require_GET
def conference_ics(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    found = queries.conference_get_for(request.user, pk)
    return download(
        documents.conference_ics(queries.conference_detail(found)),
        content_type="text/calendar; charset=utf-8",
        filename="fallkonferenz.ics",
    )


@login_required
@require_GET
def conference_pdf(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    found = queries.recorded_conference_get_for(request.user, pk)
    detail = queries.conference_detail(found)
    services.conference_record_read(
        actor=request.user, found=found, purpose="Protokoll der Fallkonferenz (PDF)"
    )
    return download(
        documents.minutes_pdf(detail), content_type="application/pdf", filename="protokoll-fallkonferenz.pdf"
    )


# Handover when the family moves (§ 8a Abs. 6 SGB VIII).


@login_required
@require_GET
def move_section(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_read_protection(request.user, access)
    context = {
        "case": access.case,
        "moves": queries.moves_of_case(access),
        "may_offer": policy.can_offer_move(request.user, access),
    }
    template = "welfare/_moves.html" if request.htmx else "welfare/move_section.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def move_create(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_offer_move(request.user, access)
    form = MoveForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        "welfare/move_form.html",
        lambda _: services.move_offer(actor=request.user, access=access, data=form.move_input()),
        success="Die neue Anschrift ist erfasst und die Übergabe dem zuständigen Jugendamt angeboten. "
        "Bis zur Übernahme bleibt die Fallführung bei Ihnen.",
        then=lambda move: reverse("welfare:move", args=[move.pk]),
        context={"case": access.case},
    )


def _move_page(
    request: AuthenticatedHttpRequest, pk: UUID, decline: MoveDeclineForm | None = None, status: int = 200
) -> HttpResponse:
    detail = queries.move_detail(queries.move_get_for(request.user, pk))
    services.move_record_read(actor=request.user, detail=detail, purpose="Übergabe bei Wegzug lesen")
    move = detail.move
    may_answer = policy.can_answer_move(request.user, move)
    context = {
        "detail": detail,
        "move": move,
        "may_answer": may_answer,
        "decline_form": decline or (MoveDeclineForm() if may_answer else None),
    }
    return render(request, "welfare/move.html", context, status=status)


@login_required
@require_GET
def move(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    return _move_page(request, pk)


@login_required
@require_POST
def move_accept(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    found = queries.move_get_for(request.user, pk)
    return act(
        request,
        lambda: services.move_respond(actor=request.user, move=found, accept=True),
        success="Ihr Jugendamt hat den Fall übernommen und führt ihn nun.",
        then=reverse("cases:detail", args=[found.case_id]),
    )


@login_required
@require_POST
def move_decline(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    found = queries.move_get_for(request.user, pk)
    form = MoveDeclineForm(request.POST)
    return submit(
        request,
        form,
        lambda d: services.move_respond(actor=request.user, move=found, accept=False, reason=d["reason"]),
        success="Die Übernahme ist abgelehnt; das anbietende Jugendamt ist benachrichtigt.",
        then=lambda _: reverse("welfare:move", args=[pk]),
        invalid=lambda: _move_page(request, pk, decline=form, status=400),
    )
