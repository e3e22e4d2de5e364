"""The sections that the pathways add to the case page (DESIGN.md, "The case page").

A pathway app sits above the case core and registers its section when it starts; the case page
shows each section that policy lets the user see, as a panel that loads its own fragment (htmx),
with a plain link for browsers without script. The case core imports no pathway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.cases.policy import CaseAccess


@dataclass(frozen=True)
class Section:
    key: str  # the panel's anchor on the case page
    title: str
    url_name: str  # a view taking the case's pk that renders the fragment (htmx) or a page
    visible: Callable[[User, CaseAccess], bool]


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def visible_sections(user: User, access: CaseAccess) -> list[Section]:
    return [section for section in _SECTIONS.values() if section.visible(user, access)]
