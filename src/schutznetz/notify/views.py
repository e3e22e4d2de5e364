from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from schutznetz.kit.pagination import page_of
from schutznetz.notify import queries, services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    recipient_id = request.user.pk
    assert recipient_id is not None  # login_required
    page = page_of(request, queries.inbox_for(recipient_id))
    response = render(request, "notify/inbox.html", {"page": page})
    services.notifications_mark_read(recipient_id=recipient_id, ids=[n.pk for n in page.object_list])
    return response
