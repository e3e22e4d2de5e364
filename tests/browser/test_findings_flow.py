"""The findings record as a paediatrician documents it: body map, advice with reasons, correction;
the Jugendamt taking part does not see it."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from schutznetz.accounts.models import User
from schutznetz.cases import queries
from schutznetz.cases.services import participation_invite, participation_respond
from schutznetz.network.models import Membership
from schutznetz.seed.loader import Seeded
from tests import factories as f
from tests.browser.conftest import AxeChecker
from tests.browser.test_case_flow import signed_in
from tests.medical.conftest import born_months_ago

pytestmark = pytest.mark.browser


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (160, 120), (190, 60, 80)).save(out, format="JPEG")
    return out.getvalue()


def document_bruised_cheek(page: Page, axe_check: AxeChecker) -> None:
    """From the case page's findings section: a fresh bruise on the left cheek of a pre-mobile infant,
    chosen on the body map by keyboard; the advice is shown with its reasons."""
    section = page.locator("section#befunde")
    section.get_by_role("link", name="Befund dokumentieren").click()
    expect(page.get_by_role("heading", name="Befund dokumentieren")).to_be_visible()

    stamp = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Untersuchung am").fill(stamp)
    page.get_by_label("Anamnese: Schilderung des Hergangs").fill(
        "Laut Mutter an der Gitterbettkante gestoßen."
    )
    page.get_by_label("Geschildert von").select_option("mother")
    page.get_by_label("Geschildert am").fill(stamp)
    page.get_by_label("Schlüssigkeit der Anamnese").select_option("inconsistent")
    page.get_by_label("Mobilität des Kindes").select_option("pre_mobile")
    # The keyboard does not tab through the drawings' forty regions: from the mobility it reaches the
    # first row's list of regions.
    page.get_by_label("Mobilität des Kindes").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#injury-row-0").get_by_label("Körperregion")).to_be_focused()
    # A region chosen on the map (pointer, or Enter on it) fills the empty first row, focus moves on to
    # the kind of injury, and the row is announced.
    cheek = page.get_by_role("link", name="Wange links: Einzelbefund hinzufügen")
    cheek.focus()
    page.keyboard.press("Enter")
    row = page.locator("#injury-row-0")
    expect(row.get_by_label("Körperregion")).to_have_value("cheek_left")
    expect(row.get_by_label("Art der Verletzung")).to_be_focused()
    expect(page.locator("#injury-announce")).to_contain_text("Einzelbefund 1: Wange links")
    expect(page.locator("#injury-row-1")).to_have_count(0)  # no empty row left standing
    row.get_by_label("Art der Verletzung").select_option("bruise")
    row.get_by_label("Größe (z. B. 3 × 2 cm)").fill("2 × 1,5 cm")
    row.get_by_label("Farbe").select_option("red_blue")
    # Another row by keyboard: the button fetches it, focus lands on its list of regions.
    page.get_by_role("button", name="Weiteren Einzelbefund hinzufügen").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#injury-row-1").get_by_label("Körperregion")).to_be_focused()
    expect(page.locator("#injury-announce")).to_contain_text("Einzelbefund 2 hinzugefügt")
    page.get_by_label("Gesamteinschätzung").select_option("nai_possible")
    axe_check(page, "60-findings-form")
    page.get_by_role("button", name="Befund speichern").click()

    expect(page.get_by_role("heading", name=re.compile("Befund vom"))).to_be_visible()
    expect(page.get_by_text("TEN-4-FACESp: positiv")).to_be_visible()
    expect(
        page.get_by_text("Hämatom an Wange links: FACES (Wange) bei einem Kind unter 4 Jahren")
    ).to_be_visible()
    expect(page.get_by_text("Sentinel-Verletzung: möglich")).to_be_visible()
    expect(
        page.locator("section#diagnostik strong", has_text="Röntgen-Skelettscreening nach Leitlinie")
    ).to_be_visible()


def test_doctor_documents_a_bruised_cheek_on_the_body_map(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    doctor = User.objects.get(username="dr.yilmaz")
    practice = Membership.objects.get(user=doctor, is_active=True).organisation
    case = f.make_case(
        doctor,
        practice,
        identity=f.child_identity(given="Ella", family="Sommerfeld", born=born_months_ago(7)),
        title="Hämatom an der Wange bei der U5",
    )
    youth_office = Membership.objects.get(user__username="j.hoffmann", is_active=True).organisation
    invited = participation_invite(
        actor=doctor,
        access=queries.case_get_for(doctor, case.pk),
        organisation=youth_office,
        role="youth_office",
        legal_basis="kkg_4_3",
    )
    participation_respond(actor=User.objects.get(username="m.becker"), participation=invited, accept=True)

    page = signed_in(browser, browser_context_args, base, "dr.yilmaz")
    page.goto(f"{base}/faelle/{case.pk}/")
    section = page.locator("section#befunde")
    expect(section.get_by_text("Noch keine ärztliche Befunddokumentation")).to_be_visible()  # loaded by htmx
    document_bruised_cheek(page, axe_check)
    expect(page.locator('[data-region="cheek_left"].bodymap__region--found')).to_have_count(1)
    axe_check(page, "61-findings-record")

    # A photo: uploaded, shown to the doctor from the encrypted store.
    page.get_by_text("Foto hinzufügen").click()
    page.get_by_label("Foto (JPEG, PNG oder HEIC, höchstens 20 MB)").set_input_files(
        files=[{"name": "IMG_0815.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    page.get_by_label("Was zeigt das Foto?").fill("Hämatom Wange links mit Maßstab")
    page.get_by_role("button", name="Foto hochladen").click()
    shown = page.get_by_role("img", name="Hämatom Wange links mit Maßstab")
    expect(shown).to_be_visible()
    assert shown.evaluate("img => img.decode().then(() => img.naturalWidth)") == 160  # loaded and decoded

    # The guideline's recommendations, each marked: the skeletal survey done, the coagulation tests
    # refused by the parents (a reason from the list, no free text).
    diagnostics = page.locator("section#diagnostik")
    survey = diagnostics.locator("li", has_text="Röntgen-Skelettscreening nach Leitlinie")
    survey.get_by_text("Stand festhalten").click()
    survey.get_by_label("durchgeführt", exact=True).check()
    survey.get_by_role("button", name="Festhalten").click()
    expect(page.get_by_text("Der Stand der Untersuchung ist festgehalten.")).to_be_visible()
    coagulation = page.locator("section#diagnostik li", has_text="Gerinnungsdiagnostik")
    coagulation.get_by_text("Stand festhalten").click()
    coagulation.get_by_label("nicht durchgeführt", exact=True).check()
    coagulation.get_by_label("Grund, falls nicht durchgeführt").select_option(
        label="Von den Sorgeberechtigten abgelehnt"
    )
    coagulation.get_by_role("button", name="Festhalten").click()
    expect(page.get_by_text("nicht durchgeführt: Von den Sorgeberechtigten abgelehnt")).to_be_visible()
    axe_check(page, "97-findings-diagnostics")

    # A correction keeps the first version readable.
    page.get_by_role("link", name="Korrigieren").click()
    page.get_by_label("Grund der Korrektur").fill("Größe nachgemessen")
    page.locator("#injury-row-0").get_by_label("Größe (z. B. 3 × 2 cm)").fill("2,5 × 1,5 cm")
    page.get_by_role("button", name="Korrektur speichern").click()
    expect(page.get_by_text("Korrektur: Größe nachgemessen")).to_be_visible()
    page.get_by_role("link", name="Fassung 1").click()
    expect(page.get_by_text("Frühere Fassung 1")).to_be_visible()
    expect(page.get_by_role("cell", name="2 × 1,5 cm")).to_be_visible()

    # The Jugendamt takes part but sees no findings: no section, and the record's address is 404.
    jugendamt = signed_in(browser, browser_context_args, base, "j.hoffmann")
    jugendamt.goto(f"{base}/faelle/{case.pk}/")
    expect(jugendamt.get_by_role("heading", name="Ella Sommerfeld")).to_be_visible()
    expect(jugendamt.locator("section#befunde")).to_have_count(0)
    record_url = page.url.split("?")[0]
    assert jugendamt.goto(record_url).status == 404  # type: ignore[union-attr]
