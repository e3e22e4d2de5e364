"""Who acts for an organisation is on record: every change to memberships and roles is an audit event
and reaches the organisation's coordination, whether made on the organisation's page, by the API or
in the admin site; the admin cannot change members, units, channels, shifts or areas past the rules."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from schutznetz.audit.models import AuditEvent
from schutznetz.network import services
from schutznetz.network.models import Membership, Profession, Role
from schutznetz.notify.models import Notification
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _events(purpose: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(purpose=purpose).order_by("id"))


def _told(user: object, kind: str = "membership_changed") -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind))


def _superuser() -> object:
    return f.make_user("root", is_staff=True, is_superuser=True)


def _inlines(**rows: int) -> dict[str, str]:
    """The management forms of the organisation page's inlines, as the admin's page sends them."""
    form = {}
    for prefix in ("units", "contact_channels", "memberships"):
        form[f"{prefix}-TOTAL_FORMS"] = str(rows.get(prefix, 0))
        form[f"{prefix}-INITIAL_FORMS"] = "0"
    return form


class TestAddingAMember:
    def test_coordinator_adds_an_account_by_user_name_and_email(
        self, as_coordinator: Client, network: f.Network
    ) -> None:
        newcomer = f.make_user("neu", first_name="Nina", last_name="Neu")
        url = reverse("network:membership_add", args=[network.dortmund.pk])
        response = as_coordinator.post(
            url,
            {"new-username": "neu", "new-email": "NEU@example.org", "new-role": "professional"},
            follow=True,
        )
        assert "Die Person wurde als Mitglied eingetragen" in response.text
        membership = Membership.objects.get(user=newcomer, organisation=network.dortmund)
        assert membership.is_active and membership.role == Role.PROFESSIONAL
        [event] = _events("Mitgliedschaft begonnen")
        assert event.actor == network.dortmund_coordinator
        assert event.organisation_id == network.dortmund.pk
        assert event.details["user"] == newcomer.pk
        assert _told(network.dortmund_coordinator) and _told(newcomer)

    def test_a_wrong_email_names_no_account(self, as_coordinator: Client, network: f.Network) -> None:
        f.make_user("neu")
        url = reverse("network:membership_add", args=[network.dortmund.pk])
        wrong = as_coordinator.post(
            url, {"new-username": "neu", "new-email": "x@example.org", "new-role": "professional"}
        )
        missing = as_coordinator.post(
            url, {"new-username": "gibtsnicht", "new-email": "x@example.org", "new-role": "professional"}
        )
        assert wrong.status_code == missing.status_code == 400
        assert services.MSG_NO_ACCOUNT in wrong.text and services.MSG_NO_ACCOUNT in missing.text
        assert not _events("Mitgliedschaft begonnen")

    def test_only_the_coordination_adds_members(self, as_professional: Client, network: f.Network) -> None:
        f.make_user("neu")
        url = reverse("network:membership_add", args=[network.dortmund.pk])
        response = as_professional.post(
            url, {"new-username": "neu", "new-email": "neu@example.org", "new-role": "professional"}
        )
        assert response.status_code == 403
        assert not Membership.objects.filter(user__username="neu").exists()

    def test_a_coordinator_cannot_make_anyone_network_administrator(
        self, as_coordinator: Client, network: f.Network
    ) -> None:
        f.make_user("neu")
        url = reverse("network:membership_add", args=[network.dortmund.pk])
        response = as_coordinator.post(
            url, {"new-username": "neu", "new-email": "neu@example.org", "new-role": "admin"}
        )
        assert response.status_code == 400 and services.MSG_ADMIN_ROLE in response.text

    def test_an_ended_membership_is_resumed_not_duplicated(self, network: f.Network) -> None:
        member = network.dortmund_professional_membership
        services.membership_end(actor=network.dortmund_coordinator, membership=member)
        again = services.membership_create(
            actor=network.dortmund_coordinator,
            organisation=network.dortmund,
            username="hoffmann",
            email="hoffmann@example.org",
        )
        assert again.pk == member.pk and again.is_active
        with pytest.raises(services.ValidationError):
            services.membership_create(
                actor=network.dortmund_coordinator,
                organisation=network.dortmund,
                username="hoffmann",
                email="hoffmann@example.org",
            )

    def test_by_the_api(self, network: f.Network) -> None:
        f.make_user("neu")
        api = login(Client(), network.dortmund_coordinator)
        url = reverse("api:organisation-members", args=[network.dortmund.pk])
        response = api.post(
            url, {"username": "neu", "email": "neu@example.org", "role": "coordinator"}, "application/json"
        )
        assert response.status_code == 201, response.content
        assert response.json()["role"] == "coordinator"
        outsider = login(Client(), network.bochum_coordinator)
        response = outsider.post(url, {"username": "x", "email": "x@example.org"}, "application/json")
        assert response.status_code == 403


class TestChangingAMember:
    def test_a_role_change_is_audited_and_told_to_the_coordination(self, network: f.Network) -> None:
        second = f.make_member(f.make_user("zweite"), network.dortmund, Role.COORDINATOR)
        member = network.dortmund_professional_membership
        services.membership_update(actor=network.dortmund_coordinator, membership=member, role="coordinator")
        [event] = _events("Mitgliedschaft geändert")
        assert event.details["changed"]["role"] == ["professional", "coordinator"]
        [message] = _told(second.user)
        assert "Fachkraft → Koordination" in message.body and "Markus Becker" in message.body
        assert _told(network.dortmund_professional)

    def test_the_profession_is_recorded_audited_and_decides_medical_reading(self, network: f.Network) -> None:
        member = network.dortmund_professional_membership
        assert not member.is_medical  # not recorded: no medical content
        services.membership_update(
            actor=network.dortmund_coordinator, membership=member, role=member.role, profession="physician"
        )
        member.refresh_from_db()
        assert member.profession == Profession.PHYSICIAN and member.is_medical
        [event] = _events("Mitgliedschaft geändert")
        assert event.details["changed"]["profession"] == ["", "physician"]
        services.membership_update(
            actor=network.dortmund_coordinator,
            membership=member,
            role=member.role,
            profession="social_worker",
        )
        member.refresh_from_db()
        assert not member.is_medical
        with pytest.raises(services.ValidationError) as error:
            services.membership_update(
                actor=network.dortmund_coordinator, membership=member, role=member.role, profession="Heiler"
            )
        assert "profession" in error.value.message_dict

    def test_an_unchanged_save_is_no_event(self, network: f.Network) -> None:
        member = network.dortmund_professional_membership
        services.membership_update(
            actor=network.dortmund_coordinator,
            membership=member,
            role=member.role,
            job_title=member.job_title,
            phone=member.phone,
        )
        assert not _events("Mitgliedschaft geändert")

    def test_ending_is_audited_and_told(self, network: f.Network) -> None:
        services.membership_end(
            actor=network.dortmund_coordinator, membership=network.dortmund_professional_membership
        )
        assert len(_events("Mitgliedschaft beendet")) == 1
        assert _told(network.dortmund_coordinator)


class TestTheAdminSite:
    def test_members_units_and_channels_are_read_only_inlines(
        self, client: Client, network: f.Network
    ) -> None:
        root = login(client, _superuser())
        url = reverse("admin:network_organisation_change", args=[network.dortmund.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert "Julia Hoffmann" in page.text or "hoffmann" in page.text
        # A hand-made inline row adding the superuser to the organisation is ignored.
        form = {
            "name": network.dortmund.name,
            "kind": network.dortmund.kind,
            "state": network.dortmund.state,
            "is_active": "on",
            "postal_code": network.dortmund.postal_code,
            "city": "Dortmund",
            **_inlines(memberships=1),
            "memberships-0-user": root.session["_auth_user_id"],
            "memberships-0-role": "coordinator",
            "memberships-0-organisation": network.dortmund.pk,
        }
        root.post(url, form)
        assert not Membership.objects.filter(user__username="root").exists()
        assert client.get("/admin/network/membership/").status_code == 404

    def test_an_organisation_changed_in_the_admin_is_audited(
        self, client: Client, network: f.Network
    ) -> None:
        login(client, _superuser())
        url = reverse("admin:network_organisation_change", args=[network.dortmund.pk])
        response = client.post(
            url,
            {
                "name": "Jugendamt der Stadt Dortmund",
                "kind": network.dortmund.kind,
                "state": network.dortmund.state,
                "is_active": "on",
                "street": network.dortmund.street,
                "postal_code": network.dortmund.postal_code,
                "city": network.dortmund.city,
                "phone": network.dortmund.phone,
                "website": "jugendamt.dortmund.de",
                **_inlines(),
            },
        )
        assert response.status_code == 302, response.text[:2000]
        network.dortmund.refresh_from_db()
        assert network.dortmund.name == "Jugendamt der Stadt Dortmund"
        # Typed without a scheme, taken as https:// (as in the organisation form), not http://.
        assert network.dortmund.website == "https://jugendamt.dortmund.de"
        [event] = _events("Angaben der Organisation geändert")
        assert "name" in event.details["fields"]

    def test_jurisdiction_areas_and_shifts_cannot_be_deleted_or_edited(
        self, client: Client, network: f.Network
    ) -> None:
        login(client, _superuser())
        area = network.dortmund.jurisdiction_areas.first()
        assert area is not None
        delete = reverse("admin:network_jurisdictionarea_delete", args=[area.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert network.dortmund.jurisdiction_areas.filter(pk=area.pk).exists()

    def test_granting_superuser_rights_is_audited_and_told(self, client: Client, network: f.Network) -> None:
        login(client, _superuser())
        user = network.dortmund_professional
        url = reverse("admin:accounts_user_change", args=[user.pk])
        response = client.post(
            url,
            {
                "username": user.username,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "is_active": "on",
                "is_staff": "on",
                "is_superuser": "on",
                "last_login_0": "",
                "last_login_1": "",
                "date_joined_0": "2026-01-01",
                "date_joined_1": "08:00:00",
                "title": "",
            },
        )
        assert response.status_code == 302, response.text[:3000]
        user.refresh_from_db()
        assert user.is_superuser
        [event] = _events("Benutzerkonto geändert (Administration)")
        assert "Superuser status" in event.details["fields"] and event.details["is_superuser"] is True
        assert _told(user, "account_changed")
