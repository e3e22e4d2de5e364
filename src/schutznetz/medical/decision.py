"""Decision support from the findings record, each advice with its reasons. Advice only: the doctor
decides, and the advice shown is stored with the record it was computed from.

- **TEN-4-FACESp** (Pierce et al., JAMA Netw Open 2021): in a child under 4 years (younger than 48
  months), bruising of the Torso, Ears or Neck, of the Frenulum, Angle of jaw, Cheek, Eyelid or
  Subconjunctiva, or patterned bruising; and any bruising at all in an infant of 4.99 months or
  younger.
- **Sentinel injury** (Sheets et al., Pediatrics 2013): any visible injury of a pre-mobile infant.
  Where mobility was not recorded, an infant younger than 6 months is taken as pre-mobile.
- **Diagnostics** recommended by the AWMF S3+ guideline Kinderschutz (027-069) by age and finding.
  Imaging (the guideline's recommendations as its radiologists summarise them, Born et al., RöFo
  2020): on a suspicion of physical abuse a skeletal survey *shall* be done under 2 years (younger
  than 24 months) and *should be considered* from 2 to under 3 years (24–35 months); older children
  get targeted imaging of the regions with findings or pain. A suspicion is the doctor's assessment,
  a positive rule above, a patterned injury, or a history that is inconsistent, changing or missing.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from schutznetz.medical.bodymap import FACESP, TEN, Zone, region
from schutznetz.medical.vocabulary import (
    HISTORY_WARNING,
    SUSPECTED,
    HistoryConsistency,
    InjuryKind,
    Mobility,
    Pattern,
)

UNDER_4_YEARS = Decimal(48)  # months: "younger than 48 months"
INFANT_ANY_BRUISE = Decimal("4.99")  # months, inclusive
PRE_MOBILE_BY_AGE = Decimal(6)  # months, when mobility was not recorded
UNDER_1_YEAR = Decimal(12)
UNDER_2_YEARS = Decimal(24)
UNDER_3_YEARS = Decimal(36)

BRUISING = {InjuryKind.BRUISE, InjuryKind.PETECHIAE}
# Findings that call for imaging of their region in an older child.
IMAGED_KINDS = {InjuryKind.FRACTURE, InjuryKind.HEAD_INJURY}
NOT_SENTINEL = {InjuryKind.SCAR}


def age_in_months(birth: date, on: date) -> Decimal:
    """Completed months, and the part of the month begun, floored to two decimals: an infant one day
    before its 5-month birthday is 4.96-4.99 months old, never 5.00."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    if on.day < birth.day:
        months -= 1
    if months < 0:
        return Decimal(0)
    start = _add_months(birth, months)
    end = _add_months(birth, months + 1)
    part = Decimal((on - start).days) / Decimal((end - start).days)
    return (Decimal(months) + part).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Injury:
    region: str
    kind: str
    pattern: str = Pattern.UNSPECIFIC

    @property
    def zone(self) -> Zone:
        if self.kind == InjuryKind.FRENULUM:
            return Zone.FRENULUM
        return region(self.region).zone

    @property
    def label(self) -> str:
        return f"{InjuryKind(self.kind).label} an {region(self.region).label}"

    @property
    def is_bruising(self) -> bool:
        """Bruising as TEN-4-FACESp counts it: bruises and petechiae; a frenulum injury and a
        subconjunctival haemorrhage in their own letters."""
        return (
            self.kind in BRUISING
            or self.kind == InjuryKind.FRENULUM
            or (self.kind == InjuryKind.SUBCONJUNCTIVAL and self.zone == Zone.SUBCONJUNCTIVA)
        )


@dataclass
class Advice:
    ten4_facesp: bool = False
    ten4_reasons: list[str] = field(default_factory=list)
    sentinel: bool = False
    sentinel_reasons: list[str] = field(default_factory=list)
    diagnostics: list[dict[str, str]] = field(default_factory=list)  # {"code", "what", "why"}
    history_warning: str = ""  # why the history raises the recommendations, if it does

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def suspicious(self) -> bool:
        return self.ten4_facesp or self.sentinel


def _ten4(age: Decimal | None, injuries: list[Injury]) -> list[str]:
    if age is None:
        return []
    reasons: list[str] = []
    for injury in injuries:
        if not injury.is_bruising:
            continue
        zone = injury.zone
        if age <= INFANT_ANY_BRUISE:
            reasons.append(f"{injury.label}: jedes Hämatom bei einem Säugling bis 4,99 Monate")
        elif age < UNDER_4_YEARS and zone in TEN:
            reasons.append(f"{injury.label}: TEN ({TEN[zone]}) bei einem Kind unter 4 Jahren")
        elif age < UNDER_4_YEARS and zone in FACESP:
            reasons.append(f"{injury.label}: FACES ({FACESP[zone]}) bei einem Kind unter 4 Jahren")
        elif age < UNDER_4_YEARS and injury.pattern == Pattern.PATTERNED:
            reasons.append(f"{injury.label}: geformtes Hämatom (p) bei einem Kind unter 4 Jahren")
    return reasons


def _pre_mobile(age: Decimal | None, mobility: str) -> str | None:
    """Why the child counts as pre-mobile, or None."""
    if mobility == Mobility.PRE_MOBILE:
        return "noch nicht mobil"
    if mobility == Mobility.NOT_RECORDED and age is not None and age < PRE_MOBILE_BY_AGE:
        return "jünger als 6 Monate, Mobilität nicht erhoben"
    return None


def _sentinel(age: Decimal | None, mobility: str, injuries: list[Injury]) -> list[str]:
    why = _pre_mobile(age, mobility)
    if why is None:
        return []
    return [
        f"{injury.label} bei einem Säugling, der {why} ist"
        if why == "noch nicht mobil"
        else f"{injury.label} ({why})"
        for injury in injuries
        if injury.kind not in NOT_SENTINEL
    ]


def _diagnostics(age: Decimal | None, injuries: list[Injury], suspected: bool) -> list[dict[str, str]]:
    recommended: list[dict[str, str]] = []

    def recommend(code: str, what: str, why: str) -> None:
        recommended.append({"code": code, "what": what, "why": why})

    kinds = {injury.kind for injury in injuries}
    zones = {injury.zone for injury in injuries}
    head = InjuryKind.HEAD_INJURY in kinds or Zone.HEAD in zones
    if suspected and age is not None and age < UNDER_2_YEARS:
        recommend(
            "skeletal_survey",
            "Röntgen-Skelettscreening nach Leitlinie, Verlaufskontrolle nach etwa 2 Wochen",
            "Verdacht auf körperliche Misshandlung bei einem Kind unter 2 Jahren",
        )
    elif suspected and age is not None and age < UNDER_3_YEARS:
        recommend(
            "skeletal_survey",
            "Röntgen-Skelettscreening erwägen (Abwägung im Einzelfall)",
            "Verdacht auf körperliche Misshandlung bei einem Kind von 2 bis unter 3 Jahren",
        )
    elif suspected and age is not None and kinds & IMAGED_KINDS:
        recommend(
            "targeted_imaging",
            "Gezielte Bildgebung der betroffenen und schmerzhaften Körperregionen",
            "Verdacht auf körperliche Misshandlung bei einem Kind ab 3 Jahren: kein generelles "
            "Skelettscreening",
        )
    if suspected and age is not None and (age < UNDER_1_YEAR or (head and age < UNDER_2_YEARS)):
        why = "Kopfverletzung" if head else "Verdacht auf Misshandlung bei einem Säugling"
        recommend(
            "cranial_imaging",
            "Kranielle Bildgebung (MRT; bei akuter Symptomatik CT)",
            f"{why}: misshandlungsbedingte Kopfverletzung (Schütteltrauma) möglich",
        )
        recommend(
            "fundoscopy",
            "Augenhintergrunduntersuchung (Fundoskopie in Mydriasis) durch die Augenheilkunde",
            f"{why}: retinale Blutungen ausschließen",
        )
    if suspected and kinds & BRUISING:
        recommend(
            "coagulation",
            "Gerinnungsdiagnostik (Blutbild mit Thrombozyten, Quick, aPTT, Fibrinogen, "
            "Faktor VIII und IX, von-Willebrand-Diagnostik)",
            "Hämatome bei Verdacht auf Misshandlung: Blutungsneigung ausschließen",
        )
    if InjuryKind.FRACTURE in kinds:
        recommend(
            "bone_metabolism",
            "Labordiagnostik des Knochenstoffwechsels (Calcium, Phosphat, alkalische Phosphatase, "
            "25-OH-Vitamin D, Parathormon)",
            "Fraktur: Knochenstoffwechselstörung ausschließen",
        )
    if suspected and Zone.TORSO in zones:
        recommend(
            "abdominal_trauma",
            "Abdominelles Trauma ausschließen (Transaminasen, Lipase, Urinstatus; ggf. Sonografie)",
            "Verletzung am Rumpf bei Verdacht auf Misshandlung",
        )
    if suspected:
        recommend(
            "siblings",
            "Geschwisterkinder und weitere Kinder im Haushalt untersuchen lassen",
            "Verdacht auf Misshandlung: Mitbetroffenheit weiterer Kinder",
        )
    return recommended


def advise(
    *,
    age_months: Decimal | None,
    mobility: str,
    injuries: Iterable[Injury],
    assessment: str = "",
    history: str = "",
) -> Advice:
    """The advice for one record; the injuries' regions and kinds must be known. ``history``: a
    ``HistoryConsistency`` value (blank: not asked, on older versions)."""
    found = list(injuries)
    advice = Advice(
        ten4_reasons=_ten4(age_months, found), sentinel_reasons=_sentinel(age_months, mobility, found)
    )
    advice.ten4_facesp = bool(advice.ten4_reasons)
    advice.sentinel = bool(advice.sentinel_reasons)
    patterned = any(injury.pattern == Pattern.PATTERNED for injury in found)
    if history in HISTORY_WARNING and found:
        advice.history_warning = (
            f"Anamnese {HistoryConsistency(history).label.split(' (')[0]}: Warnzeichen nach Leitlinie, "
            "die Diagnostik richtet sich nach dem Verdacht auf Misshandlung."
        )
    suspected = advice.suspicious or assessment in SUSPECTED or patterned or bool(advice.history_warning)
    advice.diagnostics = _diagnostics(age_months, found, suspected)
    return advice
