"""The demo network "Netzwerk Kinderschutz Ruhr (Demo)": fictional organisations, people, rosters,
cases and network work, from ``seed/demo.toml``.

Seeding is idempotent: running it again keeps existing data and only tops up the on-call roster, so
that someone is on call whenever the demo is started.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.conf import settings

from schutznetz.seed.loader import Seeded, Spec, print_accounts, read, seed

DEMO_FILE = Path(__file__).parent / "seed" / "demo.toml"


def demo_spec() -> Spec:
    return read(DEMO_FILE)


DEMO_PASSWORD: str = demo_spec()["accounts"]["password"]


def seed_demo(*, now: datetime | None = None) -> Seeded:
    """Create the demo network (idempotent) and top up the on-call roster."""
    return seed(demo_spec(), now=now)


def print_logins(seeded: Seeded) -> None:
    print_accounts(
        seeded, heading="Demo-Zugänge – Netzwerk Kinderschutz Ruhr (Demo), alle Daten frei erfunden"
    )
    if settings.DEMO_MAIL_TO_FILES:
        print(f"E-Mails der Demo (eine Datei je Nachricht): {settings.EMAIL_FILE_PATH}")
