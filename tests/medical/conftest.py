from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from schutznetz.cases import queries
from schutznetz.cases.models import CaseRole, LegalBasis
from schutznetz.cases.services import participation_invite, participation_respond
from schutznetz.network.models import Membership, OrganisationKind, Profession, Role
from tests import factories as f


@dataclass
class MedicalWorld:
    """A practice's case on a 7-month-old, with the Jugendamt and a consultant taking part."""

    network: f.Network
    case: Any
    doctor: Any  # physician of the practice, leading
    assistant: Any  # medical assistant of the same practice
    clerk: Any  # administration of the practice: not medical
    youth_office: Any  # professional of the Jugendamt taking part with identity
    consultant: Any  # specialist taking part pseudonymised
    outsider: Any  # another youth office, not in the case


def born_months_ago(months: int) -> str:
    today = timezone.localdate()
    year, month = divmod(today.month - 1 - months, 12)
    return today.replace(year=today.year + year, month=month + 1, day=min(today.day, 28)).isoformat()


def build_medical_world() -> MedicalWorld:
    net = f.build_network()
    Membership.objects.filter(user=net.practice_doctor).update(profession=Profession.PHYSICIAN)
    assistant, clerk = f.make_user("mfa"), f.make_user("verwaltung")
    f.make_member(assistant, net.practice, Role.PROFESSIONAL, profession=Profession.MEDICAL_ASSISTANT)
    f.make_member(clerk, net.practice, Role.PROFESSIONAL, profession=Profession.ADMINISTRATION)
    case = f.make_case(
        net.practice_doctor,
        net.practice,
        identity=f.child_identity(given="Lina", family="Brandt", born=born_months_ago(7)),
        title="Hämatom an der Wange",
    )
    access = queries.case_get_for(net.practice_doctor, case.pk)
    invited = participation_invite(
        actor=net.practice_doctor,
        access=access,
        organisation=net.dortmund,
        role=CaseRole.YOUTH_OFFICE,
        legal_basis=LegalBasis.KKG_4_3,
    )
    participation_respond(actor=net.dortmund_coordinator, participation=invited, accept=True)
    centre = f.make_org("Kinderschutzhotline (Test)", OrganisationKind.CHILD_PROTECTION_CENTRE)
    consultant = f.make_user("hotline")
    f.make_member(consultant, centre, Role.COORDINATOR, profession=Profession.PHYSICIAN)
    consulted = participation_invite(
        actor=net.practice_doctor,
        access=access,
        organisation=centre,
        role=CaseRole.SPECIALIST,
        legal_basis=LegalBasis.KKG_4_2,
        pseudonymised=True,
    )
    participation_respond(actor=consultant, participation=consulted, accept=True)
    return MedicalWorld(
        net,
        case,
        net.practice_doctor,
        assistant,
        clerk,
        net.dortmund_professional,
        consultant,
        net.bochum_coordinator,
    )


@pytest.fixture
def mw(db: Any) -> MedicalWorld:
    return build_medical_world()


def findings_post(**extra: str) -> dict[str, str]:
    """The findings form as a browser posts it: a bruised left cheek."""
    now = timezone.localtime() - timedelta(minutes=5)
    stamp = now.strftime("%Y-%m-%dT%H:%M")
    return {
        "examined_at": stamp,
        "history": "Laut Mutter beim Spielen vom Sofa gefallen.",
        "history_by": "mother",
        "history_at": stamp,
        "mobility": "pre_mobile",
        "history_consistency": "inconsistent",
        "injury-TOTAL_FORMS": "1",
        "injury-INITIAL_FORMS": "0",
        "injury-MIN_NUM_FORMS": "0",
        "injury-MAX_NUM_FORMS": "60",
        "injury-0-region": "cheek_left",
        "injury-0-kind": "bruise",
        "injury-0-size": "2 × 1,5 cm",
        "injury-0-colour": "red_blue",
        "injury-0-pattern": "unspecific",
        "injury-0-estimated_age": "fresh",
        "injury-0-note": "",
        "examinations_done": "Ganzkörperuntersuchung",
        "examinations_recommended": "",
        "assessment": "nai_possible",
        "assessment_note": "Hergang passt nicht zum Entwicklungsstand.",
    } | extra
