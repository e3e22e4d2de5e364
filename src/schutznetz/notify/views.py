from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from schutznetz.notify.models import Notification


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(recipient=request.user), 25).get_page(
        request.GET.get("page")
    )
    response = render(request, "notify/inbox.html", {"page": page})
    Notification.objects.filter(pk__in=[n.pk for n in page.object_list], read_at=None).update(
        read_at=timezone.now()
    )
    return response
