"""The controlled vocabularies of the findings record (Befunddokumentation)."""

from __future__ import annotations

from django.db import models


class InjuryKind(models.TextChoices):
    BRUISE = "bruise", "Hämatom"
    PETECHIAE = "petechiae", "Petechien"
    BURN = "burn", "Verbrennung/Verbrühung"
    FRACTURE = "fracture", "Fraktur"
    BITE = "bite", "Bissverletzung"
    HEAD_INJURY = "head_injury", "Kopfverletzung"
    FRENULUM = "frenulum", "Verletzung des Frenulums"
    SUBCONJUNCTIVAL = "subconjunctival", "Subkonjunktivale Blutung"
    ABRASION = "abrasion", "Schürfwunde"
    LACERATION = "laceration", "Riss- oder Schnittwunde"
    SCAR = "scar", "Narbe"
    OTHER = "other", "Sonstige Verletzung"


class Colour(models.TextChoices):
    RED_BLUE = "red_blue", "rot bis blau-violett"
    GREEN = "green", "grünlich"
    YELLOW = "yellow", "gelblich"
    BROWN = "brown", "bräunlich"
    MIXED = "mixed", "verschiedene Farben"
    NOT_ASSESSABLE = "na", "nicht beurteilbar"


class Pattern(models.TextChoices):
    UNSPECIFIC = "unspecific", "unspezifisch"
    PATTERNED = "patterned", "geformt (z. B. Hand-, Griff-, Gürtel- oder Gegenstandsmarke)"
    NOT_ASSESSABLE = "na", "nicht beurteilbar"


class EstimatedAge(models.TextChoices):
    FRESH = "fresh", "frisch (unter 48 Stunden)"
    DAYS = "days", "einige Tage"
    OLDER = "older", "älter als eine Woche"
    STAGES = "stages", "verschiedene Stadien"
    UNKNOWN = "unknown", "nicht bestimmbar"


class Mobility(models.TextChoices):
    PRE_MOBILE = "pre_mobile", "noch nicht mobil (zieht sich nicht hoch, läuft nicht an Möbeln entlang)"
    MOBILE = "mobile", "mobil (läuft an Möbeln entlang oder frei)"
    NOT_RECORDED = "not_recorded", "nicht erhoben"


class HistoryGiver(models.TextChoices):
    CHILD = "child", "Kind selbst"
    MOTHER = "mother", "Mutter"
    FATHER = "father", "Vater"
    OTHER_GUARDIAN = "guardian", "andere sorgeberechtigte Person"
    COMPANION = "companion", "Begleitperson"
    PROFESSIONAL = "professional", "Fachkraft (z. B. Kita, Rettungsdienst)"


class HistoryConsistency(models.TextChoices):
    """Whether the history explains the injuries (AWMF S3+ guideline Kinderschutz: an inconsistent,
    changing or missing history is a warning sign and raises the recommended diagnostics). Blank only
    on versions written before it was asked."""

    CONSISTENT = "consistent", "schlüssig (passt zu Verletzungsmuster und Entwicklungsstand)"
    INCONSISTENT = "inconsistent", "nicht schlüssig (passt nicht zu Verletzungsmuster oder Entwicklungsstand)"
    CHANGING = "changing", "wechselnd (unterschiedliche Schilderungen)"
    MISSING = "missing", "fehlend (kein Hergang geschildert)"


HISTORY_WARNING = {HistoryConsistency.INCONSISTENT, HistoryConsistency.CHANGING, HistoryConsistency.MISSING}


class Assessment(models.TextChoices):
    NONACCIDENTAL_LIKELY = "nai_likely", "nicht-akzidentelle Verletzung wahrscheinlich"
    NONACCIDENTAL_POSSIBLE = "nai_possible", "nicht-akzidentelle Verletzung möglich"
    UNCLEAR = "unclear", "unklar, weitere Abklärung erforderlich"
    ACCIDENTAL_LIKELY = "accidental", "akzidentelle Verletzung wahrscheinlich"
    NO_FINDING = "none", "kein pathologischer Befund"


SUSPECTED = {Assessment.NONACCIDENTAL_LIKELY, Assessment.NONACCIDENTAL_POSSIBLE}
