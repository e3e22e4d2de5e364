"""Network meetings: scheduling, invitations, attendance, minutes without child data, action items
in "Meine Aufgaben", iCalendar and PDF minutes, and who sees what."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from schutznetz.accounts.models import User
from schutznetz.cases.models import Task, TaskStatus
from schutznetz.cases.reminders import escalate_overdue_tasks
from schutznetz.meetings import services
from schutznetz.meetings.models import AttendeeResponse, Meeting, MeetingKind
from schutznetz.notify.models import Notification
from tests import factories as f
from tests.conftest import login
from tests.meetings.conftest import World, membership, start


class TestServices:
    def test_invitees_are_notified_and_the_organiser_is_on_the_list(self, world: World) -> None:
        attendees = {a.user_id: a for a in world.meeting.attendees.all()}
        assert attendees[world.organiser.pk].response == AttendeeResponse.ACCEPTED
        assert attendees[world.doctor.pk].response == AttendeeResponse.INVITED
        assert Notification.objects.filter(recipient=world.doctor, kind="meeting_invitation").exists()
        assert not Notification.objects.filter(recipient=world.organiser, kind="meeting_invitation").exists()

    def test_end_before_start_and_missing_place_are_refused(self, network: f.Network) -> None:
        base = {
            "actor": network.dortmund_coordinator,
            "organiser": network.dortmund,
            "kind": MeetingKind.WORKING_GROUP,
            "title": "Arbeitskreis",
            "location": "Rathaus",
        }
        with pytest.raises(ValidationError) as error:
            services.meeting_create(**base, starts_at=start(), ends_at=start() - timedelta(hours=1))
        assert error.value.message_dict == {"ends_at": [services.MSG_END_BEFORE_START]}
        with pytest.raises(ValidationError) as error:
            services.meeting_create(
                **{**base, "location": " "}, starts_at=start(), ends_at=start() + timedelta(hours=1)
            )
        assert error.value.message_dict == {"location": [services.MSG_LOCATION]}
        far = start().replace(year=9999)  # a slip of the year field
        with pytest.raises(ValidationError) as error:
            services.meeting_create(**base, starts_at=far, ends_at=far + timedelta(hours=1))
        assert error.value.message_dict == {"starts_at": [services.MSG_START_FAR]}
        assert not Meeting.objects.filter(kind=MeetingKind.WORKING_GROUP).exists()

    def test_only_members_may_organise_for_an_organisation(self, network: f.Network) -> None:
        with pytest.raises(PermissionDenied):
            services.meeting_create(
                actor=network.outsider,
                organiser=network.dortmund,
                kind=MeetingKind.ROUND_TABLE,
                title="Fremdes Treffen",
                starts_at=start(),
                ends_at=start() + timedelta(hours=1),
                location="irgendwo",
            )

    def test_minutes_with_a_birth_date_are_refused(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            services.meeting_minutes_save(
                actor=world.organiser,
                meeting=world.meeting,
                minutes="Fallbeispiel: Junge, geb. 03.04.2019, Hämatome.",
                decisions="",
            )
        assert "geb. 03.04.2019" in error.value.message_dict["minutes"][0]
        world.meeting.refresh_from_db()
        assert world.meeting.minutes == ""

    def test_minutes_naming_a_child_of_the_vault_are_refused_also_by_sound(self, world: World) -> None:
        f.make_case(world.net.dortmund_professional, world.net.dortmund, f.child_identity("Lea", "Neumann"))
        with pytest.raises(ValidationError) as error:
            services.meeting_minutes_save(
                actor=world.organiser,
                meeting=world.meeting,
                minutes="Besprochen wurde die Situation von Lea Naumann in der Kita.",
                decisions="",
            )
        assert "„Lea Naumann“" in error.value.message_dict["minutes"][0]

    def test_minutes_without_child_data_are_saved(self, world: World) -> None:
        f.make_case(world.net.dortmund_professional, world.net.dortmund, f.child_identity("Lea", "Neumann"))
        meeting = services.meeting_minutes_save(
            actor=world.organiser,
            meeting=world.meeting,
            minutes="Frau Dr. Yılmaz berichtet über die Rückmeldequote. Treffen am 12.03.2027.",
            decisions="Rufbereitschaft wird im Netzwerk veröffentlicht.",
        )
        assert meeting.minutes.startswith("Frau Dr. Yılmaz") and meeting.minutes_updated_by == world.organiser

    def test_invitees_may_not_write_minutes(self, world: World) -> None:
        with pytest.raises(PermissionDenied):
            services.meeting_minutes_save(
                actor=world.doctor, meeting=world.meeting, minutes="x", decisions=""
            )

    def test_attendance_only_from_the_start(self, world: World) -> None:
        doctor = world.meeting.attendees.get(user=world.doctor)
        with pytest.raises(ValidationError):
            services.meeting_attendance_record(
                actor=world.organiser, meeting=world.meeting, present=[doctor.pk]
            )
        services.meeting_attendance_record(
            actor=world.organiser,
            meeting=world.meeting,
            present=[doctor.pk],
            now=world.meeting.starts_at + timedelta(minutes=5),
        )
        states = dict(world.meeting.attendees.values_list("user_id", "attended"))
        assert states[world.doctor.pk] is True and states[world.organiser.pk] is False

    def test_action_item_is_a_task_in_my_tasks_and_escalates_to_the_organiser(
        self, world: World, client: Client
    ) -> None:
        due = timezone.localdate() + timedelta(days=10)
        task = services.action_item_create(
            actor=world.organiser,
            meeting=world.meeting,
            title="Erreichbarkeitsliste an alle Praxen senden",
            owner=world.doctor,
            due_date=due,
        )
        assert task.case is None and task.owner_organisation == world.net.practice
        login(client, world.doctor)
        page = client.get("/aufgaben/").content.decode()
        assert "Erreichbarkeitsliste an alle Praxen senden" in page
        assert "Netzwerktreffen: Runder Tisch Medizin und Jugendhilfe" in page
        api = client.get("/api/v1/tasks/").json()["results"]
        assert [(t["title"], t["meeting"], t["case"]) for t in api] == [
            ("Erreichbarkeitsliste an alle Praxen senden", world.meeting.pk, None)
        ]
        with time_machine.travel(timezone.now() + timedelta(days=12)):
            assert escalate_overdue_tasks() == 1
        assert Notification.objects.filter(
            recipient=world.organiser, kind="task_overdue", title__contains="Runder Tisch"
        ).exists()

    def test_action_item_owner_must_take_part(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            services.action_item_create(
                actor=world.organiser,
                meeting=world.meeting,
                title="Etwas",
                owner=world.outsider,
                due_date=timezone.localdate() + timedelta(days=3),
            )
        assert error.value.message_dict == {"owner": [services.MSG_ITEM_OWNER]}

    def test_owner_completes_the_item(self, world: World) -> None:
        task = services.action_item_create(
            actor=world.organiser,
            meeting=world.meeting,
            title="Flyer drucken",
            owner=world.doctor,
            due_date=timezone.localdate() + timedelta(days=3),
        )
        services.action_item_complete(
            actor=world.doctor, meeting=world.meeting, task_id=task.pk, note="verteilt"
        )
        task.refresh_from_db()
        assert task.status == TaskStatus.DONE and task.completed_by == world.doctor
        with pytest.raises(ValidationError):
            services.action_item_complete(actor=world.doctor, meeting=world.meeting, task_id=task.pk)


def _event(client: Client, meeting: Meeting) -> Any:
    """The meeting's calendar entry as the invitee downloads it."""
    calendar = Calendar.from_ical(client.get(f"/treffen/{meeting.pk}/kalender.ics").content)
    return next(iter(calendar.walk("VEVENT")))


class TestRescheduleAndCancel:
    def test_a_moved_meeting_keeps_its_calendar_uid_with_a_higher_sequence_and_invitees_are_told(
        self, world: World, client: Client
    ) -> None:
        login(client, world.doctor)
        old = _event(client, world.meeting)
        organiser = login(Client(), world.organiser)
        response = organiser.post(
            f"/treffen/{world.meeting.pk}/verlegen/",
            {
                "move-starts_at": start(days=9).strftime("%Y-%m-%dT%H:%M"),
                "move-ends_at": (start(days=9) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                "move-location": "Rathaus Dortmund, Saal 3",
            },
        )
        assert response.status_code == 302
        new = _event(client, world.meeting)
        assert str(new["uid"]) == str(old["uid"]) and int(new["sequence"]) == int(old["sequence"]) + 1
        assert new.decoded("dtstart") == start(days=9) and str(new["location"]) == "Rathaus Dortmund, Saal 3"
        told = Notification.objects.filter(recipient=world.doctor, kind="meeting_rescheduled").get()
        assert told.title.startswith("Verlegt: Runder Tisch Medizin und Jugendhilfe jetzt am")
        assert "„Runder Tisch Medizin und Jugendhilfe“ verlegt" in told.body  # the kind not twice
        assert not Notification.objects.filter(recipient=world.organiser, kind="meeting_rescheduled").exists()

    def test_a_cancelled_meeting_says_so_in_the_calendar_and_refuses_answers(
        self, world: World, client: Client
    ) -> None:
        api = Client(headers={"Authorization": f"Token {f.api_key(world.organiser)}"})
        response = api.post(
            f"/api/v1/meetings/{world.meeting.pk}/cancel/", {"reason": ""}, content_type="application/json"
        )
        assert response.status_code == 400
        response = api.post(
            f"/api/v1/meetings/{world.meeting.pk}/cancel/",
            {"reason": "Raum nicht verfügbar; neuer Termin folgt"},
            content_type="application/json",
        )
        assert response.status_code == 200 and response.json()["meeting"]["cancelled_at"]
        login(client, world.doctor)
        assert str(_event(client, world.meeting)["status"]) == "CANCELLED"
        assert "Abgesagt am" in client.get(f"/treffen/{world.meeting.pk}/").text
        with pytest.raises(ValidationError):
            services.meeting_respond(actor=world.doctor, meeting=world.meeting, accept=True)
        again = api.post(
            f"/api/v1/meetings/{world.meeting.pk}/reschedule/",
            {
                "starts_at": start(days=9).isoformat(),
                "ends_at": (start(days=9) + timedelta(hours=1)).isoformat(),
                "location": "Rathaus",
            },
            content_type="application/json",
        )
        assert again.status_code == 400 and again.json() == {"starts_at": [services.MSG_CANCELLED]}

    def test_only_the_organiser_moves_or_cancels(self, world: World, client: Client) -> None:
        login(client, world.doctor)  # invited, not organising
        assert client.post(f"/treffen/{world.meeting.pk}/absagen/", {"cancel-reason": "x"}).status_code == 403
        login(client, world.outsider)
        assert client.post(f"/treffen/{world.meeting.pk}/absagen/", {"cancel-reason": "x"}).status_code == 404


class TestDocuments:
    def test_ics_is_a_valid_calendar_entry(self, world: World, client: Client) -> None:
        login(client, world.doctor)
        response = client.get(f"/treffen/{world.meeting.pk}/kalender.ics")
        assert response["Content-Type"].startswith("text/calendar")
        event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
        assert str(event["summary"]) == "Runder Tisch Medizin und Jugendhilfe"  # the kind not twice
        assert event.decoded("dtstart") == world.meeting.starts_at
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
        assert str(event["location"]) == "Jugendamt Dortmund, Raum 2.14"
        assert str(event["uid"]).startswith(f"meeting-{world.meeting.pk}@")

    def test_minutes_pdf_holds_attendance_minutes_and_action_items(
        self, world: World, client: Client
    ) -> None:
        services.meeting_minutes_save(
            actor=world.organiser,
            meeting=world.meeting,
            minutes="Die Rückmeldungen nach § 4 Abs. 4 KKG kommen meist innerhalb einer Woche.",
            decisions="Ein gemeinsamer Flyer wird erstellt.",
        )
        services.action_item_create(
            actor=world.organiser,
            meeting=world.meeting,
            title="Flyerentwurf vorlegen",
            owner=world.doctor,
            due_date=timezone.localdate() + timedelta(days=14),
        )
        login(client, world.doctor)
        response = client.get(f"/treffen/{world.meeting.pk}/protokoll.pdf")
        assert response["Content-Type"] == "application/pdf"
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        text = " ".join(text.split())
        for expected in (
            "Protokoll: Runder Tisch Medizin und Jugendhilfe",
            "Dr. med. Elif Yılmaz",
            "Kinderarztpraxis Sonnenschein (Test)",
            "innerhalb einer Woche",
            "Ein gemeinsamer Flyer wird erstellt.",
            "Flyerentwurf vorlegen",
            "Enthält keine personenbezogenen Daten von Kindern.",
        ):
            assert expected in text, expected

    def test_minutes_pdf_header_fields_do_not_overlap(self, world: World, client: Client) -> None:
        login(client, world.doctor)
        response = client.get(f"/treffen/{world.meeting.pk}/protokoll.pdf")
        starts: dict[str, float] = {}

        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
            if text.strip() in ("Einladende Stelle", "Jugendamt Dortmund (Test)"):
                starts.setdefault(text.strip(), tm[4] * cm[0] + cm[4])

        PdfReader(io.BytesIO(response.content)).pages[0].extract_text(visitor_text=visit)
        # The bold label "Einladende Stelle" is about 100 pt wide: its value starts well after it.
        assert starts["Jugendamt Dortmund (Test)"] - starts["Einladende Stelle"] > 110, starts


class TestAccess:
    def test_outsider_gets_404_on_every_meeting_url(self, world: World, client: Client) -> None:
        login(client, world.outsider)
        pk = world.meeting.pk
        for url in (
            f"/treffen/{pk}/",
            f"/treffen/{pk}/kalender.ics",
            f"/treffen/{pk}/protokoll.pdf",
            f"/api/v1/meetings/{pk}/",
            f"/api/v1/meetings/{pk}/calendar.ics",
            f"/api/v1/meetings/{pk}/minutes.pdf",
        ):
            assert client.get(url).status_code == 404, url
        for url, body in (
            (f"/treffen/{pk}/antwort/", {"accept": "1"}),
            (f"/treffen/{pk}/protokoll/", {"minutes": "x"}),
            (f"/treffen/{pk}/anwesenheit/", {}),
            (f"/treffen/{pk}/aufgaben/", {}),
        ):
            assert client.post(url, body).status_code == 404, url
        for url, body in (
            (f"/api/v1/meetings/{pk}/response/", {"accept": True}),
            (f"/api/v1/meetings/{pk}/attendance/", {"present": []}),
            (f"/api/v1/meetings/{pk}/invitees/", {"invitees": [1]}),
            (f"/api/v1/meetings/{pk}/action-items/", {}),
        ):
            assert client.post(url, body, "application/json").status_code == 404, url
        assert (
            client.put(f"/api/v1/meetings/{pk}/minutes/", {"minutes": "x"}, "application/json").status_code
            == 404
        )
        assert "Runder Tisch" not in client.get("/treffen/").content.decode()
        assert client.get("/api/v1/meetings/").json()["results"] == []

    def test_published_meeting_shows_the_announcement_only(self, world: World, client: Client) -> None:
        services.meeting_minutes_save(
            actor=world.organiser, meeting=world.meeting, minutes="Interne Einschätzung", decisions=""
        )
        Meeting.objects.filter(pk=world.meeting.pk).update(published=True)
        login(client, world.outsider)
        page = client.get(f"/treffen/{world.meeting.pk}/").content.decode()
        assert "Runder Tisch Medizin und Jugendhilfe" in page and "Erreichbarkeit am Wochenende" in page
        assert "Interne Einschätzung" not in page and "Yılmaz" not in page
        body = client.get(f"/api/v1/meetings/{world.meeting.pk}/").json()
        assert body["full"] is False and body["attendees"] == [] and body["minutes"] == ""
        assert client.get(f"/treffen/{world.meeting.pk}/protokoll.pdf").status_code == 404

    def test_invitee_sees_everything_but_cannot_run_the_meeting(self, world: World, client: Client) -> None:
        login(client, world.doctor)
        body = client.get(f"/api/v1/meetings/{world.meeting.pk}/").json()
        assert body["full"] is True and len(body["attendees"]) == 3
        response = client.put(
            f"/api/v1/meetings/{world.meeting.pk}/minutes/", {"minutes": "x"}, "application/json"
        )
        assert response.status_code == 403


class TestApi:
    def test_create_invite_respond_minutes_and_action_item(self, network: f.Network, client: Client) -> None:
        login(client, network.dortmund_coordinator)
        response = client.post(
            "/api/v1/meetings/",
            {
                "organiser": network.dortmund.pk,
                "kind": "working_group",
                "title": "Arbeitskreis Kinderschutz Nord",
                "starts_at": start(3).isoformat(),
                "ends_at": (start(3) + timedelta(hours=2)).isoformat(),
                "location": "Rathaus, Saal 1",
                "invitees": [membership(network.practice_doctor).pk],
            },
            "application/json",
        )
        assert response.status_code == 201, response.content
        pk = response.json()["meeting"]["id"]
        login(client, network.practice_doctor)
        response = client.post(f"/api/v1/meetings/{pk}/response/", {"accept": True}, "application/json")
        assert response.json()["response"] == "accepted"
        login(client, network.dortmund_coordinator)
        response = client.put(
            f"/api/v1/meetings/{pk}/minutes/",
            {"minutes": "Kind Max, geboren am 1.2.2020, wurde besprochen."},
            "application/json",
        )
        assert response.status_code == 400 and "minutes" in response.json()
        response = client.post(
            f"/api/v1/meetings/{pk}/action-items/",
            {"title": "Einladung Kitas", "owner": network.practice_doctor.pk, "due_date": "2020-01-01"},
            "application/json",
        )
        assert response.status_code == 400
        assert response.json() == {"due_date": [services.MSG_ITEM_DUE_PAST]}
        due = (timezone.localdate() + timedelta(days=5)).isoformat()
        response = client.post(
            f"/api/v1/meetings/{pk}/action-items/",
            {"title": "Einladung Kitas", "owner": network.practice_doctor.pk, "due_date": due},
            "application/json",
        )
        assert response.status_code == 201
        assert Task.objects.get(pk=response.json()["id"]).meeting_id == pk

    def test_bad_input_is_400(self, network: f.Network, client: Client) -> None:
        login(client, network.dortmund_coordinator)
        response = client.post(
            "/api/v1/meetings/",
            {
                "organiser": network.dortmund.pk,
                "kind": "round_table",
                "title": "T",
                "starts_at": start().isoformat(),
                "ends_at": (start() - timedelta(hours=1)).isoformat(),
                "location": "R",
            },
            "application/json",
        )
        assert response.status_code == 400
        assert response.json() == {"ends_at": [services.MSG_END_BEFORE_START]}
        far = {"starts_at": "9999-03-01T10:00:00+01:00", "ends_at": "9999-03-01T12:00:00+01:00"}
        response = client.post(
            "/api/v1/meetings/",
            {"organiser": network.dortmund.pk, "kind": "round_table", "title": "T", "location": "R", **far},
            "application/json",
        )
        assert response.status_code == 400 and "starts_at" in response.json()


class TestPages:
    def test_create_in_the_ui_with_a_german_error_first(self, network: f.Network, client: Client) -> None:
        login(client, network.dortmund_coordinator)
        assert client.get("/treffen/neu/").status_code == 200
        form: dict[str, Any] = {
            "organiser": network.dortmund.pk,
            "kind": "round_table",
            "title": "Runder Tisch",
            "starts_at": start().strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "location": "Raum 1",
            "invitees": [f"p{membership(network.practice_doctor).pk}"],
        }
        response = client.post("/treffen/neu/", form)
        assert response.status_code == 400 and services.MSG_END_BEFORE_START in response.content.decode()
        form["ends_at"] = (start() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        response = client.post("/treffen/neu/", form)
        assert response.status_code == 302
        meeting = Meeting.objects.get(title="Runder Tisch")
        assert meeting.attendees.count() == 2

    def test_organiser_invites_more_people_in_the_ui(self, world: World, client: Client) -> None:
        login(client, world.organiser)
        guest = f.make_user("gast")
        f.make_member(guest, world.net.bochum)
        response = client.post(
            f"/treffen/{world.meeting.pk}/einladen/", {"invite-invitees": [f"p{membership(guest).pk}"]}
        )
        assert response.status_code == 302
        assert world.meeting.attendees.filter(user=guest, organisation=world.net.bochum).exists()
        assert Notification.objects.filter(recipient=guest, kind="meeting_invitation").exists()
        login(client, world.doctor)  # invited, but not the organiser
        response = client.post(
            f"/treffen/{world.meeting.pk}/einladen/", {"invite-invitees": [f"p{membership(guest).pk}"]}
        )
        assert response.status_code == 403

    def test_detail_page_query_count_does_not_grow(self, world: World, client: Client) -> None:
        login(client, world.organiser)
        url = f"/treffen/{world.meeting.pk}/"

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            return len(ctx.captured_queries)

        small = count()
        for i in range(30):
            user = f.make_user(f"gast{i}")
            f.make_member(user, world.net.provider)
            services.meeting_invite(actor=world.organiser, meeting=world.meeting, invitees=[membership(user)])
            services.action_item_create(
                actor=world.organiser,
                meeting=world.meeting,
                title=f"Punkt {i}",
                owner=user,
                due_date=timezone.localdate() + timedelta(days=3),
            )
        assert count() == small

    def test_list_query_count_does_not_grow(self, world: World, client: Client) -> None:
        login(client, world.organiser)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get("/treffen/").status_code == 200
            return len(ctx.captured_queries)

        small = count()
        for i in range(30):
            services.meeting_create(
                actor=world.organiser,
                organiser=world.net.dortmund,
                kind=MeetingKind.TRAINING_EVENT,
                title=f"Fortbildung {i}",
                starts_at=start(10 + i),
                ends_at=start(10 + i) + timedelta(hours=3),
                location="Bildungszentrum",
            )
        assert count() == small


def _calendar_of(message: Any) -> Any:
    """The VEVENT of the calendar entry a mail carries."""
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return next(iter(Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")))


def test_invitation_move_and_cancellation_mails_carry_the_current_calendar_entry(
    smtp: Any, network: f.Network, django_capture_on_commit_callbacks: Any
) -> None:
    doctor = network.practice_doctor
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_create(
            actor=network.dortmund_coordinator,
            organiser=network.dortmund,
            kind=MeetingKind.ROUND_TABLE,
            title="Runder Tisch Frühe Hilfen",
            starts_at=start(),
            ends_at=start() + timedelta(hours=2),
            location="Jugendamt Dortmund, Raum 2.14",
            invitees=[membership(doctor)],
        )
    [invitation] = [m for m in smtp.messages if m["To"] == doctor.email]
    first = _calendar_of(invitation)
    assert first.decoded("dtstart") == start() and str(first["summary"]) == "Runder Tisch Frühe Hilfen"

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reschedule(
            actor=network.dortmund_coordinator,
            meeting=meeting,
            starts_at=start(days=9),
            ends_at=start(days=9) + timedelta(hours=1),
            location="Rathaus Dortmund, Saal 3",
        )
    moved = _calendar_of(smtp.messages[-1])
    assert str(moved["uid"]) == str(first["uid"]) and int(moved["sequence"]) == int(first["sequence"]) + 1
    assert moved.decoded("dtstart") == start(days=9)

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=network.dortmund_coordinator, meeting=meeting, reason="Raum belegt")
    cancelled = _calendar_of(smtp.messages[-1])
    assert str(cancelled["status"]) == "CANCELLED" and str(cancelled["uid"]) == str(first["uid"])
    assert smtp.messages[-1]["Subject"].strip().startswith("[Schutznetz] Abgesagt: Runder Tisch Frühe Hilfen")


def test_an_unanswered_meeting_invitation_is_reminded_then_escalated_once(world: World) -> None:
    from schutznetz.meetings.reminders import (
        escalate_unanswered_meeting_invitations,
        remind_unanswered_meeting_invitations,
    )

    colleague = world.net.dortmund_professional

    def told(user: User, kind: str) -> list[str]:
        return list(Notification.objects.filter(recipient=user, kind=kind).values_list("title", flat=True))

    # The meeting is in seven days: reminded half-way (after three and a half), escalated a day before.
    assert remind_unanswered_meeting_invitations() == 0
    services.meeting_respond(actor=world.doctor, meeting=world.meeting, accept=True)
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert remind_unanswered_meeting_invitations() == 1  # the colleague; the doctor answered
        assert remind_unanswered_meeting_invitations() == 0
        assert escalate_unanswered_meeting_invitations() == 0
    [reminder] = told(colleague, "meeting_reminder")
    assert reminder.startswith(
        "Erinnerung: Bitte sagen Sie zu oder ab – Runder Tisch Medizin und Jugendhilfe"
    )
    assert not told(world.doctor, "meeting_reminder")
    # Half a day before the meeting, at whatever hour the test runs.
    with time_machine.travel(world.meeting.starts_at - timedelta(hours=12)):
        assert escalate_unanswered_meeting_invitations() == 1
        assert escalate_unanswered_meeting_invitations() == 0
    # The colleague's coordination (here also the organiser) is told twice over: as coordination
    # of the colleague's organisation and as the one who invited.
    titles = told(world.organiser, "meeting_unanswered")
    assert any(t.startswith("Unbeantwortet: Einladung von Julia Hoffmann") for t in titles)
    assert any(
        t == "Julia Hoffmann hat auf die Einladung zu Runder Tisch Medizin und Jugendhilfe nicht geantwortet"
        for t in titles
    )


def test_an_invitation_at_short_notice_is_not_chased_in_the_minute_it_is_sent(network: f.Network) -> None:
    """A meeting twelve hours ahead: no "hat nicht geantwortet" right away; the reminder comes
    half-way (after six hours), the escalation three quarters of the way (three hours before)."""
    from schutznetz.meetings.reminders import (
        escalate_unanswered_meeting_invitations,
        remind_unanswered_meeting_invitations,
    )

    now = timezone.now()
    starts = now + timedelta(hours=12)
    services.meeting_create(
        actor=network.dortmund_coordinator,
        organiser=network.dortmund,
        kind=MeetingKind.ROUND_TABLE,
        title="Kurzfristige Fallbesprechung",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        location="Jugendamt Dortmund, Raum 2.14",
        invitees=[membership(network.practice_doctor)],
    )
    with time_machine.travel(now + timedelta(minutes=1)):
        assert remind_unanswered_meeting_invitations() == 0
        assert escalate_unanswered_meeting_invitations() == 0
    with time_machine.travel(now + timedelta(hours=6, minutes=1)):
        assert remind_unanswered_meeting_invitations() == 1
        assert escalate_unanswered_meeting_invitations() == 0
    with time_machine.travel(now + timedelta(hours=9, minutes=1)):
        assert escalate_unanswered_meeting_invitations() == 1


def test_a_cancelled_meeting_is_not_chased(world: World) -> None:
    from schutznetz.meetings.reminders import (
        escalate_unanswered_meeting_invitations,
        remind_unanswered_meeting_invitations,
    )

    services.meeting_cancel(actor=world.organiser, meeting=world.meeting, reason="Raum belegt")
    with time_machine.travel(world.meeting.starts_at - timedelta(hours=12)):
        assert remind_unanswered_meeting_invitations() == 0
        assert escalate_unanswered_meeting_invitations() == 0


def test_the_organiser_is_preselected_for_who_acts_for_one_organisation_only(world: World) -> None:
    """The coordinator of the youth office has nothing to choose; the network administration,
    acting for every organisation, chooses."""
    own = login(Client(), world.organiser).get("/treffen/neu/").content.decode()
    dortmund = world.net.dortmund.pk
    assert f'<option value="{dortmund}" selected>' in own
    admin = login(Client(), world.net.admin).get("/treffen/neu/").content.decode()
    choices = admin.split('name="organiser"')[1].split("</select>")[0]
    assert '<option value="" selected>' in choices
