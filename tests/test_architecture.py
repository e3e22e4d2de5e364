"""Views and API endpoints stay thin: they parse, call one query or service, and render.

Reads go through ``queries``, permission decisions through ``policy`` and writes through
``services`` (docs/architecture.md). This test reads the source of every ``views.py`` and
``api.py`` and fails on an ORM call or a permission decision taken there.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "schutznetz"
MODULES = sorted([*SRC.glob("*/views.py"), *SRC.glob("*/api.py")])

# Methods that only a QuerySet, a manager or a model instance offers.
ORM_METHODS = {
    "objects",
    "filter",
    "exclude",
    "select_related",
    "prefetch_related",
    "values_list",
    "annotate",
    "aggregate",
    "order_by",
    "in_bulk",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "select_for_update",
    "save",
    "delete",
    "refresh_from_db",
}
ORM_SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
# Deciding in a view: raising the refusal itself, or looking at roles and flags of the user.
DECISIONS = {"PermissionDenied", "Http404"}
USER_FLAGS = {"is_superuser", "is_staff"}
ROLE = "role"  # shown as a value is fine; compared, it is a decision


FORMS = sorted(SRC.glob("*/forms.py"))


def offences(path: Path, orm: set[str] = ORM_METHODS) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        where = f"{path.relative_to(SRC.parent)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute) and node.attr in orm:
            found.append(f"{where} reads or writes the database itself (.{node.attr})")
        elif isinstance(node, ast.Attribute) and node.attr in USER_FLAGS:
            found.append(f"{where} decides a permission itself (.{node.attr})")
        elif isinstance(node, ast.Compare) and any(
            isinstance(side, ast.Attribute) and side.attr == ROLE for side in [node.left, *node.comparators]
        ):
            found.append(f"{where} decides a permission itself (compares .{ROLE})")
        elif isinstance(node, ast.Name) and node.id in ORM_SHORTCUTS:
            found.append(f"{where} reads the database itself ({node.id})")
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = raised.id if isinstance(raised, ast.Name) else getattr(raised, "attr", "")
            if name in DECISIONS:
                found.append(f"{where} decides a permission itself (raise {name})")
    return found


def test_every_view_module_is_checked() -> None:
    assert {p.parent.name for p in MODULES} >= {"accounts", "cases", "meetings", "network", "outreach"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_views_and_api_classes_stay_thin(path: Path) -> None:
    assert offences(path) == []


@pytest.mark.parametrize("path", FORMS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_forms_read_their_choices_through_queries(path: Path) -> None:
    """A form may declare an empty queryset (``Model.objects.none()``); its choices come from queries."""
    assert offences(path, ORM_METHODS - {"objects"}) == []


def test_the_check_finds_what_it_forbids(tmp_path: Path) -> None:
    module = tmp_path / "views.py"
    module.write_text(
        "def view(request, pk):\n"
        "    case = Case.objects.filter(pk=pk).first()\n"
        "    if request.user.is_superuser or request.membership.role == 'admin':\n"
        "        raise PermissionDenied('no')\n"
        "    return get_object_or_404(Task, pk=pk)\n"
    )
    global SRC
    saved, SRC = SRC, tmp_path.parent
    try:
        assert len(offences(module)) == 6
    finally:
        SRC = saved
