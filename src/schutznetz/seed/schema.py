"""What a seed file may contain, checked before anything is written: a TOML syntax error, an
unknown section, a record without a required field, an unknown field (a typo that would otherwise be
ignored) or an unknown organisation kind or role is refused with the file, the line and the field
named — never a traceback, and never an organisation "Ohne Art"."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schutznetz.network.models import OrganisationKind, Role

Spec = dict[str, Any]


class SeedFileError(Exception):
    """The file is not a seed file this version reads; the message names file, line and field."""


@dataclass(frozen=True)
class Table:
    """The fields a record of one section may have; ``required`` of them must be there."""

    allowed: frozenset[str]
    required: frozenset[str] = frozenset()
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _table(allowed: str, required: str = "", **choices: tuple[str, ...]) -> Table:
    return Table(frozenset(allowed.split()), frozenset(required.split()), choices)


# The sections of demo.toml, the fields the loader reads of each.
SECTIONS: dict[str, Table] = {
    "accounts": _table("password totp_user administrator email_domain"),
    "rosters": _table("days_ahead"),
    "organisations": _table(
        "name kind street postal_code city phone email description contact_channels members roster "
        "units postal_codes split_postal_codes",
        "name kind",
        kind=tuple(OrganisationKind.values),
    ),
    "cases": _table("child findings first_task lead participants title welfare", "lead title child"),
    "intakes": _table(
        "account anonymous child first_contact received_hours_ago recorded_by reporter_contact "
        "reporter_name reporter_organisation source urgency",
        "recorded_by source account",
    ),
    "agreements": _table("clauses crisis_roster parties title valid_from valid_until", "title parties"),
    "meetings": _table(
        "absent accepted action_items agenda decisions ends invitees kind location minutes organised_by "
        "organiser published scheduled_days_before starts title",
        "title kind",
    ),
    "consultation_hours": _table(
        "bookings counsellor end location practice slot_minutes start valid_from_days weekday",
        "practice counsellor",
    ),
    "help_offers": _table(
        "capacity_note category contact postal_codes provider target_group title waiting_weeks",
        "title provider",
    ),
    "referrals": _table(
        "consent_recorded family_postal_code note offer reference referred_by status", "offer referred_by"
    ),
    "articles": _table("body tags title", "title body"),
    "synonyms": _table("expressions", "expressions"),
}
MEMBER = _table(
    "username first_name last_name title job_title profession role phone unit email",
    "username first_name last_name role",
    role=tuple(Role.values),
)


def read_checked(path: Path) -> Spec:
    """The parsed file, or ``SeedFileError`` naming what is wrong where."""
    text = path.read_text(encoding="utf-8")
    try:
        spec = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SeedFileError(f"{path}: kein gültiges TOML: {error}") from None
    check(spec, text, path)
    return spec


def check(spec: Spec, text: str, path: Path | str) -> None:
    problems: list[str] = []
    for section, value in spec.items():
        table = SECTIONS.get(section)
        if table is None:
            known = ", ".join(SECTIONS)
            where = _at(path, text, section, 0)
            problems.append(f"{where}: unbekannter Abschnitt „{section}“ (bekannt: {known})")
            continue
        records = value if isinstance(value, list) else [value]
        for number, record in enumerate(records):
            where = f"{_at(path, text, section, number)}, [{section}] Nr. {number + 1}"
            problems += _record_problems(table, record, where)
            if section == "organisations" and isinstance(record, dict):
                for m, member in enumerate(record.get("members", [])):
                    problems += _record_problems(MEMBER, member, f"{where}, Mitglied {m + 1}")
    if problems:
        raise SeedFileError("\n".join(problems))


def _record_problems(table: Table, record: object, where: str) -> list[str]:
    if not isinstance(record, dict):
        return [f"{where}: ein Eintrag mit Feldern erwartet"]
    name = record.get("name") or record.get("username") or record.get("title")
    if name:
        where = f"{where} („{name}“)"
    problems = [f"{where}: Feld „{key}“ fehlt" for key in sorted(table.required - record.keys())]
    problems += [f"{where}: unbekanntes Feld „{key}“" for key in sorted(record.keys() - table.allowed)]
    for key, allowed in table.choices.items():
        if key in record and record[key] not in allowed:
            problems.append(
                f"{where}: „{record[key]}“ ist kein gültiger Wert für „{key}“ (gültig: {', '.join(allowed)})"
            )
    return problems


def _at(path: Path | str, text: str, section: str, number: int) -> str:
    """The file and the line of the ``number``-th header of ``section`` (``[[section]]``,
    ``[section]`` or ``section =``), where the text is known."""
    name = re.escape(section)
    header = re.compile(rf"^\s*(\[\[\s*{name}\s*\]\]|\[\s*{name}\s*\]|{name}\s*=)")
    found = [i for i, line in enumerate(text.splitlines(), start=1) if header.match(line)]
    return f"{path}, Zeile {found[min(number, len(found) - 1)]}" if found else str(path)
