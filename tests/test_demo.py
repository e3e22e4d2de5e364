from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from schutznetz.accounts.models import User
from schutznetz.demo import DEMO_PASSWORD, demo_spec, seed_demo
from schutznetz.network import queries
from schutznetz.network.models import (
    JurisdictionArea,
    Membership,
    OnCallShift,
    Organisation,
    OrganisationKind,
)


def test_demo_network_has_what_the_network_needs(db: None) -> None:
    seed_demo()
    kinds = list(Organisation.objects.values_list("kind", flat=True))
    assert kinds.count(OrganisationKind.YOUTH_OFFICE) >= 3
    assert kinds.count(OrganisationKind.CHILD_PROTECTION_TEAM) >= 2
    assert kinds.count(OrganisationKind.PAEDIATRIC_PRACTICE) >= 3
    assert kinds.count(OrganisationKind.CARE_PROVIDER) >= 2
    for kind in (
        "child_psychiatry_clinic",
        "ambulance_service",
        "family_court",
        "police",
        "school",
        "daycare",
    ):
        assert kind in kinds
    assert queries.jurisdiction_lookup(postal_code="44135").name == "Jugendamt Dortmund (Demo)"
    assert all(Membership.objects.filter(organisation=o).exists() for o in Organisation.objects.all())
    assert User.objects.get(username="koordination").check_password(DEMO_PASSWORD)
    # Every demo member has a profession; the practices' doctors and assistants may read findings.
    assert not Membership.objects.filter(profession="").exists()
    medical = {m.user.username for m in Membership.objects.select_related("user") if m.is_medical}
    assert {"dr.yilmaz", "m.schneider", "dr.lange"} <= medical
    assert not {"j.hoffmann", "u.vogel", "p.kaiser"} & medical


def test_someone_is_on_call_now_at_every_round_the_clock_organisation(db: None) -> None:
    seed_demo()
    round_the_clock = [spec["name"] for spec in demo_spec()["organisations"] if spec.get("roster") == "24/7"]
    ids = list(Organisation.objects.filter(name__in=round_the_clock).values_list("id", flat=True))
    on_call = queries.on_call_at(organisation_ids=ids, at=timezone.now())
    assert {s.organisation_id for s in on_call} == set(ids)


def test_seeding_twice_changes_nothing_and_later_tops_up_the_roster(db: None) -> None:
    seed_demo()
    counts = (
        Organisation.objects.count(),
        User.objects.count(),
        JurisdictionArea.objects.count(),
        OnCallShift.objects.count(),
    )
    seed_demo()
    assert counts == (
        Organisation.objects.count(),
        User.objects.count(),
        JurisdictionArea.objects.count(),
        OnCallShift.objects.count(),
    )
    later = timezone.now() + timedelta(days=30)
    seed_demo(now=later)
    dortmund = Organisation.objects.get(name="Jugendamt Dortmund (Demo)")
    assert queries.on_call_at(organisation_ids=[dortmund.pk], at=later)


def test_schutznetz_demo_command_seeds_and_prints_the_logins(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")
    }
    env |= {"SCHUTZNETZ_VAR_DIR": str(tmp_path / "var")}
    command = [sys.executable, "-m", "schutznetz.cli", "demo", "--no-serve"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Demo-Zugänge" in first.stdout and DEMO_PASSWORD in first.stdout
    assert "koordination" in first.stdout and "TOTP-Schlüssel" in first.stdout
    assert (tmp_path / "var" / "schutznetz.sqlite3").exists()
    assert (tmp_path / "var" / "secret_key").exists()
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    # the same TOTP secret: the data was kept
    secret = [line for line in first.stdout.splitlines() if "TOTP-Schlüssel" in line]
    assert secret and secret[0] in second.stdout
    verify = subprocess.run(
        [*command[:3], "audit", "verify"],
        env=env | {"SCHUTZNETZ_DEMO": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert verify.returncode == 0 and "Audit-Protokoll in Ordnung" in verify.stdout, verify.stderr


def test_the_demo_runs_the_worker_beside_the_server_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from schutznetz import cli

    started: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda args, env: started.append((args, env)))
    monkeypatch.delenv("WORKER_INTERVAL", raising=False)
    cli._start_demo_worker()
    [(args, env)] = started
    assert args[1:] == ["-m", "schutznetz.cli", "worker", "--interval", "30"]
    assert env["SCHUTZNETZ_DEMO"] == "1"
    assert "Hintergrunddienst (Erinnerungen, Eskalationen, E-Mails) läuft alle 30 Sekunden mit." in (
        capsys.readouterr().out
    )


def test_check_setup_names_what_is_missing(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env |= {
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "SCHUTZNETZ_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "schutznetz.cli", "check-setup"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "Datenbankmigration(en) ausstehend" in result.stdout
    assert "SQLite ist nur für Demo" in result.stdout


def test_a_command_without_its_keys_says_in_one_line_what_is_missing(tmp_path: Path) -> None:
    """After `make demo`, `schutznetz audit verify` without SCHUTZNETZ_DEMO=1: one line, no traceback."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "SCHUTZNETZ_DEMO")}
    env.pop("SECRET_KEY", None)
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "SCHUTZNETZ_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "schutznetz.cli", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "schutznetz: Die Umgebungsvariable SECRET_KEY fehlt. Im Betrieb setzen (README, Abschnitt "
        "„Configuration“); für die Demo-Daten aus `make demo` dem Befehl SCHUTZNETZ_DEMO=1 voranstellen."
    ]


def test_worker_runs_queued_tasks_and_stops_in_batch_mode(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env |= {
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite3'}",
        "SCHUTZNETZ_VAULT_KEY": "dGVzdC12YXVsdC1rZXktMzItYnl0ZXMtbG9uZy4uLi4=",
    }
    cli = [sys.executable, "-m", "schutznetz.cli"]
    migrate = subprocess.run(
        [*cli, "migrate", "-v", "0"], env=env, capture_output=True, text=True, timeout=120
    )
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run([*cli, "worker", "--once"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_demo_seeds_cases_and_a_valid_audit_trail(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.db.models import F

    from schutznetz.cases.models import Case
    from schutznetz.medical.models import Consultation, FamilyTalk, FindingsRecord, YouthOfficeReport

    seed_demo()
    seed_demo()
    # The last two are one child (Mia Meier, "Mya Maier"): a likely duplicate for the Jugendamt.
    assert Case.objects.count() == 12
    # Issue 39, item 22: a hotline to consult, a Wohngruppe case of the Träger to walk the crisis,
    # a Kita educator who is not its coordination.
    from schutznetz.cases.models import Participation
    from schutznetz.network.models import Membership

    hotline = Membership.objects.get(user__username="a.richter")
    assert hotline.organisation.name == "Medizinische Kinderschutzhotline (Demo)" and hotline.is_medical
    group = Participation.objects.get(
        case__title__startswith="Jugendliche in der Wohngruppe", organisation__name__startswith="Jugendhilfe"
    )
    assert group.status == "active" and not group.pseudonymised
    educator = Membership.objects.get(user__username="l.krause")
    assert educator.organisation.kind == "daycare" and educator.role == "professional"
    # The medical pathway's stages: a 7-month-old's findings, advice and the talk with the mother;
    # a toddler's scald, a consultation waiting for its answer, the talk not held (with its reason);
    # a report waiting for the Jugendamt's acknowledgement; a report acknowledged, the Jugendamt leading,
    # the practice involved and the feedback given.
    infant = FindingsRecord.objects.select_related("current").get(current__age_months__lt=8)
    assert infant.current is not None and 7 <= infant.current.age_months < 8
    assert infant.current.advice["ten4_facesp"] and infant.current.advice["sentinel"]
    assert sorted(FamilyTalk.objects.values_list("held", flat=True)) == [False, False, True, True]
    waiting, answered = YouthOfficeReport.objects.order_by(F("acknowledged_at").asc(nulls_first=True))
    assert waiting.acknowledged_at is None and waiting.urgency == "urgent" and waiting.billing_code == "01681"
    assert answered.acknowledged_at is not None and answered.reporter_involved_at is not None
    assert answered.case.lead_organisation == answered.youth_office and answered.feedback.count() == 1
    # The Jugendamt's intake: a Kita's urgent report awaiting first contact, an anonymous call answered.
    from schutznetz.welfare.models import Intake

    waiting_intake, contacted = Intake.objects.order_by(F("first_contact_at").asc(nulls_first=True))
    assert waiting_intake.source == "daycare" and waiting_intake.first_contact_at is None
    assert contacted.reporter_anonymous and contacted.first_contact_at is not None
    # A risk assessment signed by two professionals (latent endangerment) and a safety plan.
    from schutznetz.welfare.models import RiskAssessment, SafetyMeasure

    assessment = RiskAssessment.objects.select_related("current", "case").get()
    assert assessment.current is not None and assessment.current.outcome == "latent"
    assert assessment.current.signatures.count() == 2 and assessment.case.state == "measures"
    assert SafetyMeasure.objects.filter(plan__case=assessment.case).count() == 2
    # A § 35a help plan with the child-psychiatry clinic after discharge (invited on consent).
    from schutznetz.welfare.models import HelpPlan

    help_plan = HelpPlan.objects.get()
    assert help_plan.help_type == "s35a" and help_plan.clinics.get().consent_by
    # A case conference with its minutes and a decision as a task; a family moving to Dortmund.
    from schutznetz.welfare.models import CaseConference, MoveHandover

    conference = CaseConference.objects.get()
    assert conference.is_recorded and conference.decisions.get().task.owner.username == "f.meyer"
    move = MoveHandover.objects.get()
    assert move.status == "pending" and move.to_office.name == "Jugendamt Dortmund (Demo)"
    consultation = Consultation.objects.get()
    assert (
        consultation.answered_at is None
        and consultation.specialist.name == "Kinderschutzzentrum Dortmund (Demo)"
    )
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Audit-Protokoll in Ordnung" in out.getvalue()


def _sealer_processes(var_dir: Path) -> list[int]:
    """The ``audit seal --follow`` processes of the server whose data lie in ``var_dir``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--follow" in command and f"SCHUTZNETZ_VAR_DIR={var_dir}".encode() in environ:
            found.append(int(entry.name))
    return found


def test_serve_names_no_software_restricts_browser_features_and_runs_one_sealer(tmp_path: Path) -> None:
    """``schutznetz serve`` (gunicorn, as in production) on the demo's database: the headers of an
    answer; beside the workers one process seals the audit trail (what was written before the
    start is sealed within seconds), and it ends with the server."""
    import socket
    import time
    import urllib.request

    var_dir = tmp_path / "var"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "SCHUTZNETZ_AUDIT_SEALING")
    }
    env |= {"SCHUTZNETZ_VAR_DIR": str(var_dir), "SCHUTZNETZ_DEMO": "1", "WEB_CONCURRENCY": "1"}
    cli = [sys.executable, "-m", "schutznetz.cli"]
    subprocess.run([*cli, "migrate"], env=env, capture_output=True, timeout=180, cwd=tmp_path, check=True)
    record = (
        "from schutznetz.audit.services import audit_record; "
        "audit_record(actor=None, organisation=None, action='read', object_type='Test', object_id=1, "
        "purpose='Test')"
    )
    subprocess.run(
        [*cli, "shell", "-c", record],
        env=env | {"SCHUTZNETZ_AUDIT_SEALING": "worker"},  # written, not sealed
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
        check=True,
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        headers = None
        for _ in range(450):  # collectstatic and start-up take long on a busy machine
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/account/login/", timeout=2) as response:
                    headers = response.headers
                    break
            except OSError:
                time.sleep(0.2)
        assert headers is not None, "the server did not answer"
        assert "gunicorn" not in (headers.get("Server") or "").lower()
        assert "camera=()" in headers["Permissions-Policy"]

        verified = ""
        for _ in range(30):
            verify = subprocess.run(
                [*cli, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
            )
            verified = verify.stdout
            if "warten" not in verified and "Audit-Protokoll in Ordnung" in verified:
                break
            time.sleep(1)
        assert "Audit-Protokoll in Ordnung" in verified and "warten" not in verified, verified
        assert len(_sealer_processes(var_dir)) == 1
    finally:
        server.terminate()
        server.wait(timeout=20)
    for _ in range(50):
        if not _sealer_processes(var_dir):
            break
        time.sleep(0.2)
    assert _sealer_processes(var_dir) == [], "the sealer outlived the server"
