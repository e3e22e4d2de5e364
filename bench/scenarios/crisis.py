"""A crisis with ten recipients: the time from "raise" until every in-app alert is committed (the
raise's own transaction) and until the local mail server (aiosmtpd) has accepted the last mail, with
the worker's delivery loop running beside it as in production (``deliver_alerts_for``)."""

from __future__ import annotations

import socket
import threading
import time
from datetime import date, timedelta
from typing import Any

from aiosmtpd.controller import Controller
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from bench.harness import Context, Result, page, percentiles
from schutznetz.accounts.models import User
from schutznetz.cases import queries as case_queries
from schutznetz.cases import services as case_services
from schutznetz.crisis import services
from schutznetz.network.models import Membership, OnCallShift, Organisation, OrganisationKind, Role
from schutznetz.notify.models import Alert
from schutznetz.notify.services import deliver_alerts_for
from schutznetz.people.identity import ChildIdentity

NAME = "crisis"
RECIPIENTS = 10


class Counter:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def _case_with_ten_on_call(ctx: Context) -> tuple[User, Any]:
    actor = User.objects.get(pk=ctx.world.heavy_user)
    office = Organisation.objects.get(pk=ctx.world.heavy_organisation)
    case = case_services.case_create(
        actor=actor,
        organisation=office,
        title="Krise in der Wohngruppe",
        identity=ChildIdentity("Bench", "Krise", date(2011, 3, 3)),
        first_task=case_services.FirstTask("Hilfeplan", timezone.localdate() + timedelta(days=7)),
    )
    access = case_queries.case_get_for(actor, case.pk)
    now = timezone.now()
    # The heavy office's own people on call would be alerted too: here it has none, so ten remain.
    OnCallShift.objects.filter(organisation=office, ends_at__gt=now).update(cancelled_at=now)
    for i in range(RECIPIENTS - 1):
        org = Organisation.objects.create(name=f"Bench-Träger {i}", kind=OrganisationKind.CARE_PROVIDER)
        person = User.objects.create(username=f"bench-krise-{i}", email=f"krise{i}@example.org")
        member = Membership.objects.create(user=person, organisation=org, role=Role.COORDINATOR)
        OnCallShift.objects.create(
            organisation=org,
            membership=member,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=2),
            phone="0231 1",
        )
        invitation = case_services.participation_invite(
            actor=actor, access=access, organisation=org, role="care_provider", legal_basis="sgb8_8a_4"
        )
        case_services.participation_respond(actor=person, participation=invitation, accept=True)
    # and the office's coordination stands in for its missing on-call person: the tenth.
    return actor, case


def run(ctx: Context) -> list[Result]:
    actor, case = _case_with_ten_on_call(ctx)
    counter = Counter()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    in_app: list[float] = []
    mailed: list[float] = []
    recipients = mails = 0
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=port
    ):
        stop = threading.Event()

        def worker() -> None:
            while not stop.is_set():
                deliver_alerts_for(0.5)
            connection.close()

        thread = threading.Thread(target=worker, daemon=True)
        thread.start()
        try:
            for _ in range(max(5, ctx.repeat // 5)):
                access = case_queries.case_get_for(actor, case.pk)
                before = counter.count
                start = time.perf_counter()
                crisis = services.crisis_raise(
                    actor=actor,
                    access=access,
                    data=services.CrisisInput(urgency="acute", situation="Bench", location="Wohngruppe"),
                ).crisis
                in_app.append((time.perf_counter() - start) * 1000)
                recipients = crisis.recipients.exclude(user=None).count()
                mails = Alert.objects.filter(key__startswith=f"crisis:{crisis.pk}:", channel="email").count()
                while counter.count - before < mails and time.perf_counter() - start < 30:
                    time.sleep(0.002)
                mailed.append((time.perf_counter() - start) * 1000)
                services.crisis_close(actor=actor, crisis=crisis, debrief="Bench")
        finally:
            stop.set()
            thread.join()
            controller.stop()
    # The board as the raising professional sees it while the crisis runs, ten alerted.
    access = case_queries.case_get_for(actor, case.pk)
    crisis = services.crisis_raise(
        actor=actor,
        access=access,
        data=services.CrisisInput(urgency="acute", situation="Bench", location="Wohngruppe"),
    ).crisis
    board = page(ctx, NAME, "Krisentafel", ctx.client(actor.pk), f"/krisen/{crisis.pk}/", explain=True)
    services.crisis_close(actor=actor, crisis=crisis, debrief="Bench")
    results = [board]
    for name, samples in (
        (f"Krise: alle {recipients} in Schutznetz alarmiert", in_app),
        (f"Krise: letzte E-Mail angenommen ({mails} Empfänger mit Adresse)", mailed),
    ):
        p50, p95, p99 = percentiles(samples)
        results.append(Result(NAME, name, round(p50, 3), round(p95, 3), round(p99, 3), round(1000 / p50, 1)))
    return results
