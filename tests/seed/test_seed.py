"""A network seeds its own region from its own TOML file, through the services."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from schutznetz.accounts.models import User
from schutznetz.audit.models import AuditEvent
from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import Case
from schutznetz.network import queries
from schutznetz.network.models import Membership, OnCallShift, Organisation
from schutznetz.seed.loader import SeedError, read, seed, seed_file

REGION = """
[accounts]
administrator = "netz.admin"

[[organisations]]
name = "Jugendamt Musterstadt"
kind = "youth_office"
postal_code = "99084"
city = "Musterstadt"
phone = "0361 000-0"
roster = "24/7"
postal_codes = ["99084", "99085"]
contact_channels = [{ kind = "phone", label = "Zentrale", value = "0361 000-0" }]

[[organisations.members]]
username = "netz.admin"
first_name = "Nora"
last_name = "Netz"
role = "admin"
email = "nora@example.org"
phone = "0361 000-9"

[[organisations.members]]
username = "a.asd"
first_name = "Ali"
last_name = "Asd"
role = "professional"
phone = "0361 000-1"

[[organisations]]
name = "Kinderarztpraxis am Markt"
kind = "paediatric_practice"
postal_code = "99084"
city = "Musterstadt"

[[organisations.members]]
username = "dr.markt"
title = "Dr. med."
first_name = "Mara"
last_name = "Markt"
role = "coordinator"
profession = "physician"

[[cases]]
lead = "a.asd"
title = "Verdacht auf Vernachlässigung"
first_task = { title = "Hausbesuch", due_in_days = 3 }
child = { given_name = "Lina", family_name = "Probst", birth_date = 2020-05-04, city = "Musterstadt" }

[[articles]]
title = "Ablauf einer Mitteilung"
body = "Erst beraten, dann das Jugendamt informieren."
tags = ["Recht"]
"""


@pytest.fixture
def region(tmp_path: Path) -> Path:
    path = tmp_path / "region.toml"
    path.write_text(REGION, encoding="utf-8")
    return path


def test_a_region_file_seeds_its_network_through_the_services(db: None, region: Path) -> None:
    seeded = seed_file(region)
    office = Organisation.objects.get(name="Jugendamt Musterstadt")
    assert queries.jurisdiction_lookup(postal_code="99085") == office
    assert queries.on_call_at(organisation_ids=[office.pk], at=timezone.now())
    assert {login.username for login in seeded.logins} == {"netz.admin", "a.asd", "dr.markt"}
    assert User.objects.get(username="dr.markt").display_name == "Dr. med. Mara Markt"
    # The case went through the services: identity encrypted, found by the blind index, audited.
    case = Case.objects.get()
    assert "Probst" not in case.child.identity
    worker = User.objects.get(username="a.asd")
    matches = case_queries.child_search_for(
        worker, given_name="Lina", family_name="Propst", birth_date=date(2020, 5, 4)
    )
    assert [m.child.pk for m in matches] == [case.child.pk]
    assert AuditEvent.objects.filter(case_id=case.pk, action="create").exists()


def test_without_a_password_in_the_file_nobody_can_sign_in_yet(db: None, region: Path) -> None:
    seeded = seed_file(region)
    assert seeded.password is None and seeded.totp_secret_base32 is None
    assert not any(user.has_usable_password() for user in User.objects.all())


def test_seeding_again_keeps_what_exists(db: None, region: Path) -> None:
    seed_file(region)
    counts = (Organisation.objects.count(), Membership.objects.count(), OnCallShift.objects.count())
    seed_file(region)
    assert counts == (Organisation.objects.count(), Membership.objects.count(), OnCallShift.objects.count())


def test_a_file_without_an_administrator_says_what_is_missing(db: None, region: Path) -> None:
    spec = read(region)
    del spec["accounts"]
    with pytest.raises(SeedError, match="administrator"):
        seed(spec)


def test_a_record_the_rules_refuse_is_named_and_nothing_is_kept(db: None, region: Path) -> None:
    spec = read(region)
    del spec["organisations"][0]["members"][1]["phone"]  # on call without a number to reach them
    with pytest.raises(SeedError, match=r"Jugendamt Musterstadt.*Telefonnummer"):
        seed(spec)
    assert not Organisation.objects.exists()


def test_professions_are_seeded_and_an_unknown_one_is_refused(db: None, region: Path) -> None:
    spec = read(region)
    spec["organisations"][0]["members"][1]["profession"] = "Zauberer"
    with pytest.raises(SeedError, match=r"Jugendamt Musterstadt.*Unbekannter Beruf „Zauberer“"):
        seed(spec)
    assert not Organisation.objects.exists()
    seed(read(region))
    doctor = Membership.objects.get(user__username="dr.markt")
    assert doctor.get_profession_display() == "Ärztin/Arzt" and doctor.is_medical
    assert Membership.objects.get(user__username="a.asd").profession == ""


def test_schutznetz_seed_command(tmp_path: Path, region: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")
    }
    env |= {"SCHUTZNETZ_VAR_DIR": str(tmp_path / "var"), "SCHUTZNETZ_DEMO": "1"}
    cli = [sys.executable, "-m", "schutznetz.cli"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True, timeout=180, cwd=tmp_path)
    done = subprocess.run([*cli, "seed", str(region)], env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert "netz.admin" in done.stdout and "noch kein Passwort" in done.stdout
    missing = subprocess.run(
        [*cli, "seed", str(tmp_path / "nope.toml")], env=env, capture_output=True, text=True
    )
    assert missing.returncode == 2 and "Datei nicht gefunden" in missing.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text(REGION.replace('kind = "paediatric_practice"\n', ""), encoding="utf-8")
    refused = subprocess.run([*cli, "seed", str(bad)], env=env, capture_output=True, text=True, timeout=180)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"{bad}, Zeile 30, [organisations] Nr. 2 („Kinderarztpraxis am Markt“): Feld „kind“ fehlt" in (
        refused.stderr
    )


def _refused(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedError) as error:
        seed_file(path)
    assert not Organisation.objects.exists() and not User.objects.exists()
    return str(error.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # A missing kind made an organisation "Ohne Art"; it names the record's line now.
        (
            ('kind = "paediatric_practice"\n', ""),
            "Zeile 30, [organisations] Nr. 2 („Kinderarztpraxis am Markt“): Feld „kind“ fehlt",
        ),
        (('kind = "paediatric_practice"', 'kind = "praxis"'), "„praxis“ ist kein gültiger Wert für „kind“"),
        (('kind = "paediatric_practice"', 'knd = "paediatric_practice"'), "unbekanntes Feld „knd“"),
        (("[[articles]]", "[[artikel]]"), "Zeile 50: unbekannter Abschnitt „artikel“"),
        (('role = "coordinator"', 'role = "chef"'), "Mitglied 1 („dr.markt“): „chef“ ist kein gültiger Wert"),
        (('first_name = "Mara"\n', ""), "Mitglied 1 („dr.markt“): Feld „first_name“ fehlt"),
        # A TOML syntax error was a traceback.
        (
            ('title = "Verdacht auf Vernachlässigung"', 'title = "Verdacht auf Vernachlässigung'),
            "kein gültiges TOML: Illegal character",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_line_and_field_and_writes_nothing(
    db: None, tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    assert change[0] in REGION
    assert message in _refused(tmp_path, REGION.replace(change[0], change[1], 1))


def test_every_problem_of_a_file_is_named_at_once(db: None, tmp_path: Path) -> None:
    text = REGION.replace('kind = "youth_office"', 'kind = "amt"').replace("[[articles]]", "[[artikel]]")
    problems = _refused(tmp_path, text).splitlines()
    assert len(problems) == 2 and "„amt“" in problems[0] and "„artikel“" in problems[1]
