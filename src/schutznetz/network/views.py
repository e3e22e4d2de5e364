from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from schutznetz.kit.errors import add_service_errors
from schutznetz.network import agreements, knowledge, policy, queries, services
from schutznetz.network.forms import (
    AgreementForm,
    ArticleForm,
    AttachmentForm,
    ClauseFormSet,
    ContactChannelForm,
    CrisisRosterFormSet,
    DirectoryFilterForm,
    JurisdictionAreaForm,
    JurisdictionLookupForm,
    KnowledgeSearchForm,
    MembershipForm,
    OnCallShiftForm,
    OrganisationForm,
    UnitForm,
)
from schutznetz.network.models import ContactChannel, Membership, OnCallShift, Organisation, OrganisationKind

PAGE_SIZE = 25
PLAN_DAYS = 14


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = queries.organisation_list(
        q=filters.get("q", ""), kind=filters.get("kind", ""), place=filters.get("place", "")
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "network/_directory_results.html" if request.htmx else "network/directory.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _manageable_organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = queries.organisation_get(pk=pk)
    if not policy.can_manage_organisation(request.user, organisation):  # type: ignore[arg-type]
        raise PermissionDenied(services.MSG_NOT_ALLOWED)
    return organisation


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = queries.organisation_get(pk=pk)
    is_youth_office = organisation.kind == OrganisationKind.YOUTH_OFFICE
    can_manage = policy.can_manage_organisation(request.user, organisation)  # type: ignore[arg-type]
    context = {
        "organisation": organisation,
        "on_call_now": queries.on_call_at(organisation_ids=[organisation.pk], at=timezone.now()),
        "can_manage": can_manage,
        "is_youth_office": is_youth_office,
        "areas": list(organisation.jurisdiction_areas.all()) if is_youth_office else [],
        "area_form": JurisdictionAreaForm() if is_youth_office and can_manage else None,
    }
    return render(request, "network/organisation_detail.html", context)


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=organisation.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, data=form.cleaned_data
            )  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Die Angaben wurden gespeichert.")
            return redirect("network:organisation", pk=organisation.pk)
    return _edit_page(request, organisation, form=form, status=400 if request.method == "POST" else 200)


def _edit_page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    form: OrganisationForm | None = None,
    channel_form: ContactChannelForm | None = None,
    unit_form: UnitForm | None = None,
    member_forms: dict[int, MembershipForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The edit page with all its forms; the one that failed validation is passed in."""
    member_forms = member_forms or {}
    members = [
        (
            m,
            member_forms.get(m.pk)
            or MembershipForm(
                prefix=f"m{m.pk}",
                organisation=organisation,
                initial={"role": m.role, "job_title": m.job_title, "phone": m.phone, "unit": m.unit_id},
            ),
        )
        for m in organisation.active_members  # type: ignore[attr-defined]
    ]
    context = {
        "organisation": organisation,
        "form": form or OrganisationForm(instance=Organisation.objects.get(pk=organisation.pk)),
        "channel_form": channel_form or ContactChannelForm(prefix="channel"),
        "unit_form": unit_form or UnitForm(prefix="unit"),
        "members": members,
    }
    return render(request, "network/organisation_edit.html", context, status=status)


@login_required
@require_POST
def unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    unit_form = UnitForm(request.POST, prefix="unit")
    if unit_form.is_valid():
        try:
            services.unit_add(actor=request.user, organisation=organisation, **unit_form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(unit_form, error)
        else:
            messages.success(request, "Die Organisationseinheit wurde angelegt.")
            return redirect("network:organisation_edit", pk=organisation.pk)
    return _edit_page(request, organisation, unit_form=unit_form, status=400)


@login_required
@require_POST
def membership_update(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=membership_pk,
        organisation=organisation,
        is_active=True,
    )
    form = MembershipForm(request.POST, prefix=f"m{membership.pk}", organisation=organisation)
    if form.is_valid():
        try:
            services.membership_update(actor=request.user, membership=membership, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Die Angaben zu {membership.user.display_name} wurden gespeichert.")
            return redirect("network:organisation_edit", pk=organisation.pk)
    return _edit_page(request, organisation, member_forms={membership.pk: form}, status=400)


@login_required
@require_POST
def membership_end(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=membership_pk,
        organisation=organisation,
        is_active=True,
    )
    try:
        services.membership_end(actor=request.user, membership=membership)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Die Mitgliedschaft von {membership.user.display_name} wurde beendet.")
    return redirect("network:organisation_edit", pk=organisation.pk)


@login_required
@require_POST
def contact_channel_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    channel_form = ContactChannelForm(request.POST, prefix="channel")
    if channel_form.is_valid():
        try:
            services.contact_channel_add(
                actor=request.user, organisation=organisation, **channel_form.cleaned_data
            )  # type: ignore[misc]
        except ValidationError as error:
            add_service_errors(channel_form, error)
        else:
            messages.success(request, "Der Kontaktweg wurde hinzugefügt.")
            return redirect("network:organisation_edit", pk=organisation.pk)
    return _edit_page(request, organisation, channel_form=channel_form, status=400)


@login_required
@require_POST
def contact_channel_remove(request: HttpRequest, pk: int, channel_pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    channel = get_object_or_404(ContactChannel, pk=channel_pk, organisation=organisation)
    services.contact_channel_remove(actor=request.user, channel=channel)  # type: ignore[arg-type]
    messages.success(request, "Der Kontaktweg wurde entfernt.")
    return redirect("network:organisation_edit", pk=organisation.pk)


def _plan_window(now: datetime) -> tuple[datetime, datetime]:
    start = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=PLAN_DAYS)


@login_required
def on_call_plan(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = queries.organisation_get(pk=pk)
    can_manage = policy.can_manage_organisation(request.user, organisation)  # type: ignore[arg-type]
    form = OnCallShiftForm(request.POST or None, organisation=organisation) if can_manage else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(services.MSG_NOT_ALLOWED)
        if form.is_valid():
            try:
                services.on_call_shift_create(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )  # type: ignore[misc]
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Der Dienst wurde eingetragen.")
                return redirect("network:on_call_plan", pk=organisation.pk)
        status = 400
    start, end = _plan_window(timezone.now())
    shifts = queries.on_call_shifts_between(organisation=organisation, start=start, end=end)
    context = {
        "organisation": organisation,
        "shifts": shifts,
        "gaps": queries.on_call_gaps(shifts, start=start, end=end),
        "window_start": start,
        "window_end": end,
        "can_manage": can_manage,
        "form": form,
    }
    return render(request, "network/on_call_plan.html", context, status=status)


@login_required
@require_POST
def on_call_shift_cancel(request: HttpRequest, pk: int, shift_pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    shift = get_object_or_404(
        OnCallShift.objects.select_related("organisation"), pk=shift_pk, organisation=organisation
    )
    try:
        services.on_call_shift_cancel(actor=request.user, shift=shift)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Der Dienst wurde storniert.")
    return redirect("network:on_call_plan", pk=organisation.pk)


@login_required
def jurisdiction(request: HttpRequest) -> HttpResponse:
    form = JurisdictionLookupForm(request.GET if "postal_code" in request.GET else None)
    youth_office = None
    on_call_now: list[OnCallShift] = []
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                youth_office = queries.jurisdiction_lookup(**form.cleaned_data)
            except queries.JurisdictionError as error:
                form.add_error(error.field, error.message)
            else:
                on_call_now = queries.on_call_at(organisation_ids=[youth_office.pk], at=timezone.now())
        if not form.is_valid():
            status = 400
    context = {"form": form, "youth_office": youth_office, "on_call_now": on_call_now}
    return render(request, "network/jurisdiction.html", context, status=status)


@login_required
@require_POST
def jurisdiction_area_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    form = JurisdictionAreaForm(request.POST)
    if form.is_valid():
        try:
            services.jurisdiction_area_add(actor=request.user, youth_office=organisation, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Das Zuständigkeitsgebiet wurde hinterlegt.")
            return redirect("network:organisation", pk=organisation.pk)
    context = {
        "organisation": organisation,
        "on_call_now": queries.on_call_at(organisation_ids=[organisation.pk], at=timezone.now()),
        "can_manage": True,
        "is_youth_office": True,
        "areas": list(organisation.jurisdiction_areas.all()),
        "area_form": form,
    }
    return render(request, "network/organisation_detail.html", context, status=400)


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    items = queries.agreement_list_for(request.user)  # type: ignore[arg-type]
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/agreement_list.html", {"page": page})


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = queries.agreement_get_for(request.user, pk)  # type: ignore[arg-type]
    return render(request, "network/agreement_detail.html", {"agreement": agreement})


@login_required
def agreement_document(request: HttpRequest, pk: int) -> FileResponse:
    """The signed PDF, only for parties (404 otherwise)."""
    agreement = queries.agreement_get_for(request.user, pk)  # type: ignore[arg-type]
    if not agreement.document:
        raise Http404("Kein Dokument hinterlegt.")
    return FileResponse(
        agreement.document.open("rb"),
        content_type="application/pdf",
        filename=f"vereinbarung-{agreement.pk}-v{agreement.version}.pdf",
    )


def _formset_rows(formset: Any) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None, request.FILES or None)
    clauses = ClauseFormSet(request.POST or None, prefix="clause")
    roster = CrisisRosterFormSet(request.POST or None, prefix="roster")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and clauses.is_valid() and roster.is_valid():
            d = form.cleaned_data
            try:
                agreement = agreements.agreement_create(
                    actor=request.user,  # type: ignore[arg-type]
                    title=d["title"],
                    parties=list(d["parties"]),
                    valid_from=d["valid_from"],
                    valid_until=d["valid_until"],
                    state=d["state"],
                    document=d["document"],
                    clauses=[agreements.ClauseInput(**row) for row in _formset_rows(clauses)],
                    crisis_roster=[(row["organisation"], row["role"]) for row in _formset_rows(roster)],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Die Kooperationsvereinbarung wurde gespeichert.")
                return redirect("network:agreement", pk=agreement.pk)
    context = {"form": form, "clauses": clauses, "roster": roster}
    return render(request, "network/agreement_form.html", context, status=status)


@login_required
def knowledge_search(request: HttpRequest) -> HttpResponse:
    form = KnowledgeSearchForm(request.GET if "q" in request.GET else None)
    hits = None
    if form.is_bound and form.is_valid():
        try:
            hits = knowledge.search(request.user, form.cleaned_data["q"])  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
    status = 400 if form.is_bound and form.errors else 200
    template = "network/_knowledge_results.html" if request.htmx else "network/knowledge_search.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "hits": hits}, status=status)


@login_required
def knowledge_article(request: HttpRequest, pk: int) -> HttpResponse:
    article = knowledge.article_get_for(request.user, pk)  # type: ignore[arg-type]
    can_attach = article.is_current and knowledge.can_edit(request.user)  # type: ignore[arg-type]
    form = AttachmentForm(request.POST or None, request.FILES or None) if can_attach else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(knowledge.MSG_NOT_ALLOWED)
        status = 400
        if form.is_valid():
            try:
                knowledge.attachment_add(
                    actor=request.user, article=article, upload=form.cleaned_data["file"]
                )  # type: ignore[arg-type]
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Der Anhang ist gespeichert.")
                return redirect("network:knowledge_article", pk=pk)
    attachments = list(article.attachments.all())
    context = {"article": article, "attachments": attachments, "form": form}
    return render(request, "network/knowledge_article.html", context, status=status)


@login_required
def knowledge_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = knowledge.attachment_get_for(request.user, pk, attachment_pk)  # type: ignore[arg-type]
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


@login_required
def knowledge_create(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            article = knowledge.article_create(
                actor=request.user,  # type: ignore[arg-type]
                title=d["title"],
                body=d["body"],
                tags=d["tags"].split(","),
                audiences=d["audiences"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Der Artikel wurde veröffentlicht.")
            return redirect("network:knowledge_article", pk=article.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "network/knowledge_form.html", {"form": form}, status=status)
