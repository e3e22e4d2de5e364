"""The ``schutznetz`` command: Django's management commands plus the project's own.

schutznetz demo [--no-serve] [--port N]   migrate, seed the demo network, print logins, serve
schutznetz seed FILE                      seed a network from a TOML file (see seed/demo.toml)
schutznetz serve [--port N]               production server (gunicorn) on 127.0.0.1
schutznetz worker                         background tasks (reminders, escalations, mail)
schutznetz check-setup                    is this installation ready to run?
schutznetz <django command> ...           e.g. migrate, createsuperuser, shell
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path


def _django_setup() -> None:
    """Set Django up; a missing setting ends the command with one German line that says what is
    missing and how to set it, not with a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schutznetz.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        raise SystemExit(setup_problem(str(error))) from None


def setup_problem(message: str) -> str:
    """The line printed for a missing or wrong setting (``message`` is django-environ's or ours)."""
    match = re.search(r"Set the (\w+) environment variable", message)
    if match:
        name = match.group(1)
        return (
            f"schutznetz: Die Umgebungsvariable {name} fehlt. Im Betrieb setzen "
            "(README, Abschnitt „Configuration“); für die Demo-Daten aus `make demo` dem Befehl "
            "SCHUTZNETZ_DEMO=1 voranstellen."
        )
    return f"schutznetz: Die Einstellungen sind unvollständig: {message}"


def _port(value: str | None) -> int:
    return int(value or os.environ.get("PORT") or 8000)


def _serve(port: int, *, collect_static: bool) -> int:
    from django.conf import settings
    from django.core.management import call_command

    if collect_static:
        call_command("collectstatic", interactive=False, verbosity=0)
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    # One sealer process for the audit trail beside the workers (gunicorn_conf.py), unless chosen otherwise.
    os.environ.setdefault("SCHUTZNETZ_AUDIT_SEALING", "process")
    bind = f"{os.environ.get('HOST', '127.0.0.1')}:{port}"
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    args = [
        "gunicorn",
        "schutznetz.wsgi:application",
        "--config",
        "python:schutznetz.gunicorn_conf",
        "--bind",
        bind,
        "--workers",
        workers,
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    print(f"Schutznetz läuft auf http://{bind}/ (Beenden mit Strg+C)", flush=True)
    os.execvp(sys.executable, [sys.executable, "-m", *args])  # noqa: S606 - replaces this process


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="schutznetz demo")
    parser.add_argument("--no-serve", action="store_true", help="only migrate and seed")
    parser.add_argument("--port", default=None)
    args = parser.parse_args(argv)
    os.environ["SCHUTZNETZ_DEMO"] = "1"
    # Links in mails and calendar entries point at the demo as served (another port included).
    os.environ.setdefault("SITE_URL", f"http://127.0.0.1:{_port(args.port)}")
    _django_setup()
    from django.core.management import call_command

    from schutznetz.demo import print_logins, seed_demo

    call_command("migrate", interactive=False, verbosity=0)
    logins = seed_demo()
    print_logins(logins)
    if args.no_serve:
        return 0
    _start_demo_worker()
    return _serve(_port(args.port), collect_static=False)


def _start_demo_worker() -> None:
    """The demo's worker (reminders, escalations, mail, audit checkpoints), every 30 seconds, in the
    same process group as the server: Strg+C ends both."""
    import subprocess

    interval = os.environ.get("WORKER_INTERVAL", "30")
    subprocess.Popen(  # noqa: S603 - this very program, with fixed arguments
        [sys.executable, "-m", "schutznetz.cli", "worker", "--interval", interval],
        env={**os.environ, "SCHUTZNETZ_DEMO": "1"},
    )
    print(
        f"Hintergrunddienst (Erinnerungen, Eskalationen, E-Mails) läuft alle {interval} Sekunden mit.",
        flush=True,
    )


def seed(argv: list[str]) -> int:
    """Seed a network from a TOML file (the format of seed/demo.toml); running it again keeps the data."""
    parser = argparse.ArgumentParser(prog="schutznetz seed", description=seed.__doc__)
    parser.add_argument("file", type=Path, help="TOML file, e.g. src/schutznetz/seed/demo.toml")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        parser.error(f"{args.file}: Datei nicht gefunden")
    _django_setup()
    from schutznetz.seed.loader import SeedError, print_accounts, seed_file

    try:
        seeded = seed_file(args.file)
    except SeedError as error:
        print(f"{args.file}: nichts angelegt. {error}", file=sys.stderr)
        return 1
    print_accounts(seeded, heading=f"Zugänge aus {args.file.name}")
    return 0


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="schutznetz serve")
    parser.add_argument("--port", default=None)
    args = parser.parse_args(argv)
    _django_setup()
    return _serve(_port(args.port), collect_static=True)


def worker(argv: list[str]) -> int:
    """Every interval: queue due reminders and escalations, run all queued tasks (e-mail), and sign
    a checkpoint of the audit trail."""
    parser = argparse.ArgumentParser(prog="schutznetz worker")
    parser.add_argument("--once", action="store_true", help="one round, then exit")
    parser.add_argument("--interval", type=int, default=int(os.environ.get("WORKER_INTERVAL", "60")))
    args = parser.parse_args(argv)
    _django_setup()
    from django.core.management import call_command

    from schutznetz.audit.checkpoints import audit_checkpoint
    from schutznetz.audit.services import audit_seal
    from schutznetz.cases.reminders import (
        end_lapsed_read_access,
        escalate_open_requests,
        escalate_overdue_tasks,
        remind_open_requests,
        send_due_reminders,
    )
    from schutznetz.crisis.reminders import escalate_crises
    from schutznetz.medical.reminders import (
        escalate_overdue_consultations,
        escalate_unacknowledged_reports,
        remind_feedback_due,
    )
    from schutznetz.meetings.reminders import (
        escalate_unanswered_meeting_invitations,
        remind_unanswered_meeting_invitations,
    )
    from schutznetz.notify.services import deliver_alerts_for, deliver_due_alerts
    from schutznetz.outreach.services import send_referral_reminders
    from schutznetz.welfare.reminders import (
        escalate_move_offers,
        remind_help_plan_reviews,
        remind_move_offers,
    )

    while True:
        reminders, escalations = send_due_reminders(), escalate_overdue_tasks()
        escalations += escalate_overdue_consultations() + escalate_unacknowledged_reports()
        escalations += escalate_crises()
        reminders += remind_open_requests()
        escalations += escalate_open_requests()
        reminders += remind_unanswered_meeting_invitations()
        escalations += escalate_unanswered_meeting_invitations()
        reminders += remind_feedback_due()
        reminders += send_referral_reminders() + remind_help_plan_reviews()
        reminders += remind_move_offers()
        escalations += escalate_move_offers()
        end_lapsed_read_access()
        if reminders or escalations:
            print(f"{reminders} Erinnerung(en), {escalations} Eskalation(en) eingereiht", flush=True)
        call_command("db_worker", batch=True, verbosity=0)
        audit_seal()  # what no commit sealed (after a crash, or while another sealer was at work)
        audit_checkpoint()  # the chain's head, signed, outside the database (when it has grown)
        if args.once:
            deliver_due_alerts()
            return 0
        # Until the next round: crisis alerts go out within a quarter of a second, retries when due.
        deliver_alerts_for(args.interval)


def check_setup(argv: list[str]) -> int:
    _django_setup()
    from schutznetz.kit.setup_check import run_checks

    return run_checks()


COMMANDS = {"demo": demo, "seed": seed, "serve": serve, "worker": worker, "check-setup": check_setup}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    _django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["schutznetz", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
