"""Writes through the services: opening a case (child, case, participation, task, timeline,
audit) and assigning a task."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from bench.harness import Context, Result, timed
from schutznetz.accounts.models import User
from schutznetz.cases import queries, services
from schutznetz.network.models import Organisation
from schutznetz.people.identity import ChildIdentity

NAME = "writes"


def run(ctx: Context) -> list[Result]:
    actor = User.objects.get(pk=ctx.world.heavy_user)
    office = Organisation.objects.get(pk=ctx.world.heavy_organisation)
    counter = itertools.count()
    due = timezone.localdate() + timedelta(days=7)

    def create_case() -> None:
        n = next(counter)
        services.case_create(
            actor=actor,
            organisation=office,
            title="Mitteilung der Kita",
            identity=ChildIdentity("Bench", f"Kind{n}", date(2020, 1, 1 + n % 28)),
            first_task=services.FirstTask("Hausbesuch", due),
        )

    # Tasks go to a case of their own: the pages measured later (over HTTP) show the same case
    # as the in-process measurement, not one with the benchmark's extra tasks.
    case = services.case_create(
        actor=actor,
        organisation=office,
        title="Mitteilung der Schule",
        identity=ChildIdentity("Bench", "Aufgaben", date(2019, 5, 5)),
        first_task=services.FirstTask("Hausbesuch", due),
    )
    access = queries.case_get_for(actor, case.pk)

    def create_task() -> None:
        services.task_create(actor=actor, access=access, title="Rückruf", owner=actor, due_date=due)

    return [
        timed(NAME, "Fall anlegen (Service)", create_case, ctx.repeat),
        timed(NAME, "Aufgabe anlegen (Service)", create_task, ctx.repeat),
    ]
