"""TEN-4-FACESp, sentinel injuries and the recommended diagnostics, against a table with the
boundaries (4.99 vs 5.00 months, 47.99 vs 48 months, each FACESp region)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from schutznetz.medical.decision import Injury, advise, age_in_months
from schutznetz.medical.vocabulary import Assessment, HistoryConsistency, InjuryKind, Mobility, Pattern

BRUISE = InjuryKind.BRUISE


def ten4(age: str, region: str, kind: str = BRUISE, pattern: str = Pattern.UNSPECIFIC) -> bool:
    injuries = [Injury(region, kind, pattern)]
    return advise(age_months=Decimal(age), mobility=Mobility.MOBILE, injuries=injuries).ten4_facesp


@pytest.mark.parametrize(
    ("age", "region", "kind", "pattern", "expected"),
    [
        # Any bruise in an infant up to 4.99 months, wherever it is.
        ("4.99", "shin_left", BRUISE, Pattern.UNSPECIFIC, True),
        ("5.00", "shin_left", BRUISE, Pattern.UNSPECIFIC, False),
        ("0.50", "hand_right", InjuryKind.PETECHIAE, Pattern.UNSPECIFIC, True),
        ("4.99", "shin_left", InjuryKind.ABRASION, Pattern.UNSPECIFIC, False),  # not a bruise
        # TEN: torso, ears, neck, under 4 years (younger than 48 months).
        ("47.99", "chest", BRUISE, Pattern.UNSPECIFIC, True),
        ("48.00", "chest", BRUISE, Pattern.UNSPECIFIC, False),
        ("47", "abdomen", BRUISE, Pattern.UNSPECIFIC, True),
        ("47", "upper_back", BRUISE, Pattern.UNSPECIFIC, True),
        ("47", "lower_back", BRUISE, Pattern.UNSPECIFIC, True),
        ("47", "buttocks", BRUISE, Pattern.UNSPECIFIC, True),
        ("47", "genital", BRUISE, Pattern.UNSPECIFIC, True),
        ("47", "ear_left", BRUISE, Pattern.UNSPECIFIC, True),
        ("48", "ear_left", BRUISE, Pattern.UNSPECIFIC, False),
        ("47", "neck_front", BRUISE, Pattern.UNSPECIFIC, True),
        ("47", "neck_back", BRUISE, Pattern.UNSPECIFIC, True),
        # FACESp: each region, under 4 years.
        ("47", "frenulum", InjuryKind.FRENULUM, Pattern.UNSPECIFIC, True),
        ("48", "frenulum", InjuryKind.FRENULUM, Pattern.UNSPECIFIC, False),
        ("47", "lips", InjuryKind.FRENULUM, Pattern.UNSPECIFIC, True),  # the kind names the frenulum
        ("47", "jaw_angle_right", BRUISE, Pattern.UNSPECIFIC, True),
        ("48", "jaw_angle_right", BRUISE, Pattern.UNSPECIFIC, False),
        ("47", "cheek_left", BRUISE, Pattern.UNSPECIFIC, True),
        ("48", "cheek_left", BRUISE, Pattern.UNSPECIFIC, False),
        ("47", "eyelid_right", BRUISE, Pattern.UNSPECIFIC, True),
        ("48", "eyelid_right", BRUISE, Pattern.UNSPECIFIC, False),
        ("47", "subconjunctiva_left", InjuryKind.SUBCONJUNCTIVAL, Pattern.UNSPECIFIC, True),
        ("48", "subconjunctiva_left", InjuryKind.SUBCONJUNCTIVAL, Pattern.UNSPECIFIC, False),
        # Bruises elsewhere in a mobile toddler are not a positive screen ...
        ("30", "shin_right", BRUISE, Pattern.UNSPECIFIC, False),
        ("30", "forehead", BRUISE, Pattern.UNSPECIFIC, False),
        ("30", "nose", BRUISE, Pattern.UNSPECIFIC, False),
        ("30", "chin", BRUISE, Pattern.UNSPECIFIC, False),
        # ... unless patterned (p).
        ("30", "shin_right", BRUISE, Pattern.PATTERNED, True),
        ("48", "shin_right", BRUISE, Pattern.PATTERNED, False),
        # Not bruising: a burn on the torso is not a TEN bruise.
        ("30", "chest", InjuryKind.BURN, Pattern.UNSPECIFIC, False),
    ],
)
def test_ten4_facesp_table(age: str, region: str, kind: str, pattern: str, expected: bool) -> None:
    assert ten4(age, region, kind, pattern) is expected


def test_ten4_reasons_name_the_finding_and_the_rule() -> None:
    advice = advise(
        age_months=Decimal("7.2"),
        mobility=Mobility.PRE_MOBILE,
        injuries=[Injury("cheek_left", BRUISE)],
    )
    assert advice.ten4_reasons == ["Hämatom an Wange links: FACES (Wange) bei einem Kind unter 4 Jahren"]
    assert advice.sentinel_reasons == ["Hämatom an Wange links bei einem Säugling, der noch nicht mobil ist"]


@pytest.mark.parametrize(
    ("age", "mobility", "kind", "expected"),
    [
        ("7", Mobility.PRE_MOBILE, BRUISE, True),
        ("7", Mobility.MOBILE, BRUISE, False),
        ("7", Mobility.PRE_MOBILE, InjuryKind.SCAR, False),  # a scar is no fresh sentinel
        ("7", Mobility.PRE_MOBILE, InjuryKind.FRACTURE, True),
        ("7", Mobility.PRE_MOBILE, InjuryKind.FRENULUM, True),
        ("5.99", Mobility.NOT_RECORDED, BRUISE, True),  # taken as pre-mobile by age
        ("6.00", Mobility.NOT_RECORDED, BRUISE, False),
    ],
)
def test_sentinel_injury_in_a_pre_mobile_infant(age: str, mobility: str, kind: str, expected: bool) -> None:
    advice = advise(age_months=Decimal(age), mobility=mobility, injuries=[Injury("shin_left", kind)])
    assert advice.sentinel is expected


def _whats(advice_age: str, injuries: list[Injury], assessment: str = "") -> list[str]:
    advice = advise(
        age_months=Decimal(advice_age), mobility=Mobility.MOBILE, injuries=injuries, assessment=assessment
    )
    return [d["what"].split(" (")[0].split(" nach")[0] for d in advice.diagnostics]


def test_diagnostics_for_a_bruised_infant() -> None:
    whats = _whats("7", [Injury("cheek_left", BRUISE)])
    assert whats == [
        "Röntgen-Skelettscreening",
        "Kranielle Bildgebung",
        "Augenhintergrunduntersuchung",
        "Gerinnungsdiagnostik",
        "Geschwisterkinder und weitere Kinder im Haushalt untersuchen lassen",
    ]


def test_diagnostics_follow_age_and_finding() -> None:
    # A 3-year-old with a torso bruise: no skeletal survey (over 2), abdominal work-up, coagulation.
    whats = _whats("36", [Injury("abdomen", BRUISE)])
    assert "Röntgen-Skelettscreening" not in whats
    assert "Kranielle Bildgebung" not in whats
    assert "Abdominelles Trauma ausschließen" in whats
    assert "Gerinnungsdiagnostik" in whats
    # A toddler with a head injury that the doctor suspects: imaging and fundoscopy.
    whats = _whats("20", [Injury("scalp", InjuryKind.HEAD_INJURY)], Assessment.NONACCIDENTAL_POSSIBLE)
    assert {"Röntgen-Skelettscreening", "Kranielle Bildgebung", "Augenhintergrunduntersuchung"} <= set(whats)
    # A fracture: bone metabolism, whatever the suspicion.
    assert "Labordiagnostik des Knochenstoffwechsels" in _whats("60", [Injury("forearm_left", "fracture")])
    # An accidental-looking shin bruise of a school child: nothing.
    assert _whats("96", [Injury("shin_left", BRUISE)], Assessment.ACCIDENTAL_LIKELY) == []


@pytest.mark.parametrize(
    ("birth", "on", "months"),
    [
        (date(2026, 1, 15), date(2026, 6, 14), "4.96"),  # the day before the 5-month birthday
        (date(2026, 1, 15), date(2026, 6, 15), "5.00"),
        (date(2022, 3, 1), date(2026, 2, 28), "47.96"),
        (date(2022, 3, 1), date(2026, 3, 1), "48.00"),
        (date(2026, 1, 31), date(2026, 2, 28), "1.00"),  # a month without a 31st
        (date(2026, 5, 1), date(2026, 5, 1), "0.00"),
    ],
)
def test_age_in_months(birth: date, on: date, months: str) -> None:
    assert age_in_months(birth, on) == Decimal(months)


SURVEY = "Röntgen-Skelettscreening nach Leitlinie, Verlaufskontrolle nach etwa 2 Wochen"
CONSIDER = "Röntgen-Skelettscreening erwägen (Abwägung im Einzelfall)"
TARGETED = "Gezielte Bildgebung der betroffenen und schmerzhaften Körperregionen"
FEMUR = [Injury("thigh_left", InjuryKind.FRACTURE)]


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        ("23", SURVEY),  # under 2 years: the survey shall be done
        ("23.99", SURVEY),
        ("24", CONSIDER),  # 2 to under 3 years: to be considered
        ("26", CONSIDER),  # the 26-month-old with a femur fracture that got nothing before
        ("35.99", CONSIDER),
        ("36", TARGETED),  # from 3 years: imaging of the affected regions, no general survey
        ("47", TARGETED),
        ("48", TARGETED),
    ],
)
def test_skeletal_imaging_follows_the_guideline_s_age_bands(age: str, expected: str) -> None:
    """A suspected femur fracture (the doctor rates abuse possible) at the boundaries of the AWMF
    guideline's imaging recommendations: exactly one of the three, by age."""
    advice = advise(
        age_months=Decimal(age),
        mobility=Mobility.MOBILE,
        injuries=FEMUR,
        assessment=Assessment.NONACCIDENTAL_POSSIBLE,
    )
    imaging = [d["what"] for d in advice.diagnostics if d["what"] in {SURVEY, CONSIDER, TARGETED}]
    assert imaging == [expected]


@pytest.mark.parametrize(
    ("history", "raised"),
    [
        (HistoryConsistency.INCONSISTENT, True),
        (HistoryConsistency.CHANGING, True),
        (HistoryConsistency.MISSING, True),
        (HistoryConsistency.CONSISTENT, False),
        ("", False),  # versions written before it was asked
    ],
)
def test_an_inconsistent_changing_or_missing_history_raises_the_recommendations(
    history: str, raised: bool
) -> None:
    """A 26-month-old with a femur fracture the doctor rates as accidental: only the history makes
    it a suspicion, and then the guideline's work-up is recommended with the reason shown."""
    advice = advise(
        age_months=Decimal(26),
        mobility=Mobility.MOBILE,
        injuries=FEMUR,
        assessment=Assessment.ACCIDENTAL_LIKELY,
        history=history,
    )
    whats = {d["what"] for d in advice.diagnostics}
    assert (CONSIDER in whats) is raised
    assert bool(advice.history_warning) is raised
    if raised:
        assert advice.history_warning.startswith("Anamnese ")
