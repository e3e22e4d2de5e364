from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from schutznetz.accounts.http import AuthenticatedHttpRequest
from schutznetz.kit.errors import add_service_errors
from schutznetz.kit.pagination import page_of
from schutznetz.kit.views import act, form_page, stored_file, submit
from schutznetz.network import policy, queries, services
from schutznetz.network.agreements import policy as agreement_policy
from schutznetz.network.agreements import queries as agreement_queries
from schutznetz.network.agreements import services as agreement_services
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
    MemberAddForm,
    MembershipForm,
    OnCallShiftForm,
    OrganisationForm,
    SynonymForm,
    UnitForm,
)
from schutznetz.network.knowledge import policy as knowledge_policy
from schutznetz.network.knowledge import queries as knowledge_queries
from schutznetz.network.knowledge import services as knowledge_services
from schutznetz.network.models import Organisation, OrganisationKind, Role

PLAN_DAYS = 14


@login_required
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = queries.organisation_list(
        q=filters.get("q", ""), kind=filters.get("kind", ""), place=filters.get("place", "")
    )
    page = page_of(request, organisations)
    page.object_list = list(page.object_list)
    hits = queries.directory_hits(page.object_list, filters.get("q", ""))
    for organisation in page.object_list:
        organisation.hits = hits.get(organisation.pk, [])
    context = {"form": form, "page": page}
    template = "network/_directory_results.html" if request.htmx else "network/directory.html"
    return render(request, template, context)


def _manageable_organisation(request: AuthenticatedHttpRequest, pk: int) -> Organisation:
    organisation = queries.organisation_get(pk=pk)
    policy.require_manage_organisation(request.user, organisation)
    return organisation


def _detail_page(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    *,
    area_form: JurisdictionAreaForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_youth_office = organisation.kind == OrganisationKind.YOUTH_OFFICE
    context = {
        "organisation": organisation,
        "members": queries.members_of(organisation),
        "on_call_now": queries.on_call_at(organisation_ids=[organisation.pk], at=timezone.now()),
        "can_manage": policy.can_manage_organisation(request.user, organisation),
        "is_youth_office": is_youth_office,
        "areas": queries.jurisdiction_areas_of(organisation) if is_youth_office else [],
        "area_form": area_form
        or (JurisdictionAreaForm() if policy.can_manage_jurisdiction(request.user, organisation) else None),
    }
    return render(request, "network/organisation_detail.html", context, status=status)


@login_required
def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, queries.organisation_get(pk=pk))


def _edit_page(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    *,
    form: OrganisationForm | None = None,
    channel_form: ContactChannelForm | None = None,
    unit_form: UnitForm | None = None,
    member_forms: dict[int, MembershipForm] | None = None,
    add_member_form: MemberAddForm | None = None,
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
                initial={
                    "role": m.role,
                    "job_title": m.job_title,
                    "profession": m.profession,
                    "phone": m.phone,
                    "unit": m.unit_id,
                },
            ),
        )
        for m in queries.members_of(organisation)
    ]
    context = {
        "organisation": organisation,
        "form": form or OrganisationForm(instance=queries.organisation_for_edit(organisation.pk)),
        "channel_form": channel_form or ContactChannelForm(prefix="channel"),
        "unit_form": unit_form or UnitForm(prefix="unit"),
        "members": members,
        "add_member_form": add_member_form
        or MemberAddForm(prefix="new", organisation=organisation, initial={"role": Role.PROFESSIONAL}),
    }
    return render(request, "network/organisation_edit.html", context, status=status)


def _to_edit(organisation: Organisation) -> str:
    return reverse("network:organisation_edit", args=[organisation.pk])


def _edit_form(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    form: Any,
    call: Callable[[dict[str, Any]], object],
    success: str,
    **shown: Any,
) -> HttpResponse:
    """A form of the edit page: back to the edit page, or the page again with this form (``shown``)."""
    return submit(
        request,
        form,
        call,
        success=success,
        then=lambda _: _to_edit(organisation),
        invalid=lambda: _edit_page(request, organisation, status=400, **shown),
    )


@login_required
def organisation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    form = OrganisationForm(request.POST or None, instance=queries.organisation_for_edit(organisation.pk))
    if request.method != "POST":
        return _edit_page(request, organisation, form=form)
    return submit(
        request,
        form,
        lambda d: services.organisation_update(actor=request.user, organisation=organisation, data=d),
        success="Die Angaben wurden gespeichert.",
        then=lambda _: reverse("network:organisation", args=[organisation.pk]),
        invalid=lambda: _edit_page(request, organisation, form=form, status=400),
    )


@login_required
@require_POST
def unit_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    form = UnitForm(request.POST, prefix="unit")
    return _edit_form(
        request,
        organisation,
        form,
        lambda d: services.unit_add(actor=request.user, organisation=organisation, **d),
        "Die Organisationseinheit wurde angelegt.",
        unit_form=form,
    )


@login_required
@require_POST
def membership_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    form = MemberAddForm(request.POST, prefix="new", organisation=organisation)
    return _edit_form(
        request,
        organisation,
        form,
        lambda d: services.membership_create(actor=request.user, organisation=organisation, **d),
        "Die Person wurde als Mitglied eingetragen; die Koordination ist benachrichtigt.",
        add_member_form=form,
    )


@login_required
@require_POST
def membership_update(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    membership = queries.active_membership_of(organisation, membership_pk)
    form = MembershipForm(request.POST, prefix=f"m{membership.pk}", organisation=organisation)
    return _edit_form(
        request,
        organisation,
        form,
        lambda d: services.membership_update(actor=request.user, membership=membership, **d),
        f"Die Angaben zu {membership.user.display_name} wurden gespeichert.",
        member_forms={membership.pk: form},
    )


@login_required
@require_POST
def membership_end(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    membership = queries.active_membership_of(organisation, membership_pk)
    return act(
        request,
        lambda: services.membership_end(actor=request.user, membership=membership),
        success=f"Die Mitgliedschaft von {membership.user.display_name} wurde beendet.",
        then=_to_edit(organisation),
    )


@login_required
@require_POST
def contact_channel_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    form = ContactChannelForm(request.POST, prefix="channel")
    return _edit_form(
        request,
        organisation,
        form,
        lambda d: services.contact_channel_add(actor=request.user, organisation=organisation, **d),
        "Der Kontaktweg wurde hinzugefügt.",
        channel_form=form,
    )


@login_required
@require_POST
def contact_channel_remove(request: AuthenticatedHttpRequest, pk: int, channel_pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    channel = queries.contact_channel_of(organisation, channel_pk)
    return act(
        request,
        lambda: services.contact_channel_remove(actor=request.user, channel=channel),
        success="Der Kontaktweg wurde entfernt.",
        then=_to_edit(organisation),
    )


@login_required
def on_call_plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = queries.organisation_get(pk=pk)
    can_manage = policy.can_manage_organisation(request.user, organisation)
    if request.method == "POST":
        policy.require_manage_organisation(request.user, organisation)
    form = OnCallShiftForm(request.POST or None, organisation=organisation) if can_manage else None

    def page(status: int = 200) -> HttpResponse:
        start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        plan = queries.on_call_plan(organisation, start=start, days=PLAN_DAYS)
        context = {
            "organisation": organisation,
            "shifts": plan.shifts,
            "gaps": plan.gaps,
            "window_start": plan.start,
            "window_end": plan.end,
            "can_manage": can_manage,
            "form": form,
        }
        return render(request, "network/on_call_plan.html", context, status=status)

    if request.method != "POST" or form is None:
        return page()
    return submit(
        request,
        form,
        lambda d: services.on_call_shift_create(actor=request.user, organisation=organisation, **d),
        success="Der Dienst wurde eingetragen.",
        then=lambda _: reverse("network:on_call_plan", args=[organisation.pk]),
        invalid=lambda: page(status=400),
    )


@login_required
@require_POST
def on_call_shift_cancel(request: AuthenticatedHttpRequest, pk: int, shift_pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    shift = queries.on_call_shift_of(organisation, shift_pk)
    return act(
        request,
        lambda: services.on_call_shift_cancel(actor=request.user, shift=shift),
        success="Der Dienst wurde storniert.",
        then=reverse("network:on_call_plan", args=[organisation.pk]),
    )


@login_required
def jurisdiction(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = JurisdictionLookupForm(request.GET if "postal_code" in request.GET else None)
    youth_office = None
    on_call_now = []
    unknown = False
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                youth_office = queries.jurisdiction_lookup(**form.cleaned_data)
            except queries.JurisdictionError as error:
                form.add_error(error.field, error.message)
                unknown = error.unknown
                if error.choices:
                    form.offer_districts(error.choices)
            else:
                on_call_now = queries.on_call_at(organisation_ids=[youth_office.pk], at=timezone.now())
        if not form.is_valid():
            status = 400
    context = {
        "form": form,
        "youth_office": youth_office,
        "on_call_now": on_call_now,
        "unknown": unknown,
        "nationwide": queries.NATIONWIDE_EMERGENCY if unknown else (),
        "network_numbers": queries.youth_office_emergency_numbers() if unknown else [],
    }
    return render(request, "network/jurisdiction.html", context, status=status)


@login_required
@require_POST
def jurisdiction_area_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = _manageable_organisation(request, pk)
    form = JurisdictionAreaForm(request.POST)
    return submit(
        request,
        form,
        lambda d: services.jurisdiction_area_add(actor=request.user, youth_office=organisation, **d),
        success="Das Zuständigkeitsgebiet wurde hinterlegt.",
        then=lambda _: reverse("network:organisation", args=[organisation.pk]),
        invalid=lambda: _detail_page(request, organisation, area_form=form, status=400),
    )


@login_required
def agreement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = page_of(request, agreement_queries.agreement_list_for(request.user))
    return render(request, "network/agreement_list.html", {"page": page})


@login_required
def agreement_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_queries.agreement_get_for(request.user, pk)
    consents = agreement_queries.consents_of(agreement)
    accepted = {c.organisation.pk for c in consents if c.acceptance}
    context = {
        "agreement": agreement,
        "consents": consents,
        "can_accept": agreement_policy.may_accept(request.user, [c.organisation for c in consents], accepted),
    }
    return render(request, "network/agreement_detail.html", context)


@login_required
@require_POST
def agreement_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_queries.agreement_get_for(request.user, pk)
    return act(
        request,
        lambda: agreement_services.agreement_accept(actor=request.user, agreement=agreement),
        success="Ihre Organisation hat der Vereinbarung zugestimmt.",
        then=reverse("network:agreement", args=[pk]),
    )


@login_required
def agreement_document(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The signed PDF, only for parties (404 otherwise)."""
    agreement = agreement_queries.agreement_document_get_for(request.user, pk)
    return stored_file(
        agreement.document,
        content_type="application/pdf",
        filename=f"vereinbarung-{agreement.pk}-v{agreement.version}.pdf",
        as_attachment=False,
    )


@login_required
def agreement_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None, request.FILES or None)
    clauses = ClauseFormSet(request.POST or None, prefix="clause")
    roster = CrisisRosterFormSet(request.POST or None, prefix="roster")

    def page(status: int = 200) -> HttpResponse:
        context = {"form": form, "clauses": clauses, "roster": roster}
        return render(request, "network/agreement_form.html", context, status=status)

    if request.method != "POST":
        return page()
    if not (clauses.is_valid() and roster.is_valid()):
        form.is_valid()  # show this form's errors too
        return page(status=400)
    return submit(
        request,
        form,
        lambda d: agreement_services.agreement_create(
            actor=request.user,
            title=d["title"],
            parties=list(d["parties"]),
            valid_from=d["valid_from"],
            valid_until=d["valid_until"],
            state=d["state"],
            document=d["document"],
            clauses=clauses.clause_inputs(),
            crisis_roster=roster.entries(),
        ),
        success="Die Kooperationsvereinbarung wurde gespeichert.",
        then=lambda agreement: reverse("network:agreement", args=[agreement.pk]),
        invalid=lambda: page(status=400),
    )


@login_required
def knowledge_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    # An emptied search field shows the articles by topic again.
    form = KnowledgeSearchForm(request.GET if request.GET.get("q", "").strip() else None)
    hits = None
    if form.is_bound and form.is_valid():
        try:
            hits = knowledge_queries.search(request.user, form.cleaned_data["q"])
        except ValidationError as error:
            add_service_errors(form, error)
    status = 400 if form.is_bound and form.errors else 200
    context = {
        "form": form,
        "hits": hits,
        # Without a query, the articles by topic stand where the results would.
        "topics": None if form.is_bound else knowledge_queries.topics_for(request.user),
        "can_edit": knowledge_policy.can_edit(request.user),
    }
    template = "network/_knowledge_results.html" if request.htmx else "network/knowledge_search.html"
    return render(request, template, context, status=status)


@login_required
def knowledge_synonyms(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The synonyms of the search: everyone reads them, the coordinations keep them."""
    if request.method == "POST":
        knowledge_policy.require_edit(request.user)
    form = SynonymForm(request.POST or None)

    def page(status: int = 200) -> HttpResponse:
        context = {
            "form": form if knowledge_policy.can_edit(request.user) else None,
            "synonyms": knowledge_queries.synonyms(),
        }
        return render(request, "network/knowledge_synonyms.html", context, status=status)

    if request.method != "POST":
        return page()
    return submit(
        request,
        form,
        lambda d: knowledge_services.synonym_create(actor=request.user, expressions=d["expressions"]),
        success="Die Synonyme gelten ab sofort für die Suche.",
        then=lambda _: reverse("network:knowledge_synonyms"),
        invalid=lambda: page(status=400),
    )


@login_required
@require_http_methods(["GET", "POST"])
def knowledge_synonym_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change a group of synonyms (the coordinations)."""
    synonym = knowledge_queries.synonym_get(pk)
    knowledge_policy.require_edit(request.user)
    initial = {"expressions": ", ".join(synonym.expressions)}
    form = SynonymForm(request.POST if request.method == "POST" else None, initial=initial)
    return form_page(
        request,
        form,
        "network/knowledge_synonym_form.html",
        lambda d: knowledge_services.synonym_update(
            actor=request.user, synonym=synonym, expressions=d["expressions"]
        ),
        success="Die Synonyme sind geändert und gelten ab sofort für die Suche.",
        then=lambda _: reverse("network:knowledge_synonyms"),
        context={"synonym": synonym},
    )


@login_required
@require_POST
def knowledge_synonym_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    synonym = knowledge_queries.synonym_get(pk)
    return act(
        request,
        lambda: knowledge_services.synonym_delete(actor=request.user, synonym=synonym),
        success="Die Synonyme sind entfernt.",
        then=reverse("network:knowledge_synonyms"),
    )


@login_required
def knowledge_article(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    article = knowledge_queries.article_get_for(request.user, pk)
    if request.method == "POST":
        knowledge_policy.require_attach(request.user, article)
    can_attach = knowledge_policy.can_attach(request.user, article)
    form = AttachmentForm(request.POST or None, request.FILES or None) if can_attach else None

    def page(status: int = 200) -> HttpResponse:
        context = {"article": article, "attachments": knowledge_queries.attachments_of(article), "form": form}
        return render(request, "network/knowledge_article.html", context, status=status)

    if request.method != "POST" or form is None:
        return page()
    return submit(
        request,
        form,
        lambda d: knowledge_services.attachment_add(actor=request.user, article=article, upload=d["file"]),
        success="Der Anhang ist gespeichert.",
        then=lambda _: reverse("network:knowledge_article", args=[pk]),
        invalid=lambda: page(status=400),
    )


@login_required
def knowledge_attachment(request: AuthenticatedHttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = knowledge_queries.attachment_get_for(request.user, pk, attachment_pk)
    return stored_file(attachment.file, content_type=attachment.content_type, filename=attachment.name)


@login_required
def knowledge_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return form_page(
        request,
        ArticleForm(request.POST or None),
        "network/knowledge_form.html",
        lambda d: knowledge_services.article_create(
            actor=request.user,
            title=d["title"],
            body=d["body"],
            tags=d["tags"].split(","),
            audiences=d["audiences"],
        ),
        success="Der Artikel wurde veröffentlicht.",
        then=lambda article: reverse("network:knowledge_article", args=[article.pk]),
    )
