"""The body map: the regions a finding is placed on, in three views (front, back, face), each with
its shape on the drawing and what the decision rules make of it (``decision.py``).

The drawing shows the child facing the viewer on the front and in the face view (the child's right
side on the viewer's left), and from behind on the back. Face and ears are placed in the face view,
where the regions that TEN-4-FACESp names are large enough to point at.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class View(StrEnum):
    FRONT = "front"
    BACK = "back"
    FACE = "face"


VIEW_LABELS = {View.FRONT: "Vorderseite", View.BACK: "Rückseite", View.FACE: "Gesicht und Ohren"}


class Zone(StrEnum):
    """What TEN-4-FACESp looks at (Pierce et al. 2021): Torso, Ears, Neck; Frenulum, Angle of jaw,
    Cheek, Eyelid, Subconjunctiva. ``OTHER`` is anywhere else."""

    TORSO = "torso"
    EAR = "ear"
    NECK = "neck"
    FRENULUM = "frenulum"
    ANGLE_OF_JAW = "angle_of_jaw"
    CHEEK = "cheek"
    EYELID = "eyelid"
    SUBCONJUNCTIVA = "subconjunctiva"
    HEAD = "head"
    OTHER = "other"


TEN = {Zone.TORSO: "Rumpf", Zone.EAR: "Ohr", Zone.NECK: "Hals"}
FACESP = {
    Zone.FRENULUM: "Frenulum",
    Zone.ANGLE_OF_JAW: "Kieferwinkel",
    Zone.CHEEK: "Wange",
    Zone.EYELID: "Augenlid",
    Zone.SUBCONJUNCTIVA: "Subkonjunktiva",
}


@dataclass(frozen=True)
class Region:
    code: str
    label: str
    view: View
    zone: Zone
    shape: str  # the SVG element's tag and geometry: "ellipse cx cy rx ry" or "rect x y w h"

    @property
    def svg(self) -> tuple[str, dict[str, str]]:
        """The SVG element and its attributes."""
        tag, *numbers = self.shape.split()
        names = {"ellipse": ("cx", "cy", "rx", "ry"), "rect": ("x", "y", "width", "height")}[tag]
        return tag, dict(zip(names, numbers, strict=True))


def _sides(code: str, label: str, view: View, zone: Zone, right: str, left: str) -> list[Region]:
    """A paired region; the shapes are given as the viewer sees them (right side first)."""
    return [
        Region(f"{code}_right", f"{label} rechts", view, zone, right),
        Region(f"{code}_left", f"{label} links", view, zone, left),
    ]


F, B, FACE = View.FRONT, View.BACK, View.FACE
REGIONS: tuple[Region, ...] = (
    # Front: the child facing the viewer, its right side on the viewer's left.
    Region("forehead", "Stirn", F, Zone.HEAD, "ellipse 110 34 24 14"),
    Region("neck_front", "Hals vorne", F, Zone.NECK, "rect 98 84 24 16"),
    Region("chest", "Brust", F, Zone.TORSO, "rect 80 102 60 50"),
    Region("abdomen", "Bauch", F, Zone.TORSO, "rect 82 154 56 46"),
    Region("genital", "Genitalregion", F, Zone.TORSO, "rect 96 202 28 22"),
    *_sides("upper_arm", "Oberarm", F, Zone.OTHER, "rect 58 104 18 58", "rect 144 104 18 58"),
    *_sides("forearm", "Unterarm", F, Zone.OTHER, "rect 52 166 16 54", "rect 152 166 16 54"),
    *_sides("hand", "Hand", F, Zone.OTHER, "ellipse 58 234 10 13", "ellipse 162 234 10 13"),
    *_sides("thigh", "Oberschenkel vorne", F, Zone.OTHER, "rect 84 228 24 74", "rect 112 228 24 74"),
    *_sides(
        "shin", "Unterschenkel vorne (Schienbein)", F, Zone.OTHER, "rect 86 306 20 78", "rect 114 306 20 78"
    ),
    *_sides("foot", "Fußrücken", F, Zone.OTHER, "ellipse 94 396 13 9", "ellipse 126 396 13 9"),
    # Back: the child seen from behind, its left side on the viewer's left.
    Region("scalp", "Hinterkopf und behaarter Kopf", B, Zone.HEAD, "ellipse 110 52 28 32"),
    Region("neck_back", "Nacken", B, Zone.NECK, "rect 98 84 24 16"),
    Region("upper_back", "Oberer Rücken", B, Zone.TORSO, "rect 80 102 60 50"),
    Region("lower_back", "Unterer Rücken und Lendenregion", B, Zone.TORSO, "rect 82 154 56 46"),
    Region("buttocks", "Gesäß", B, Zone.TORSO, "rect 84 202 52 28"),
    *_sides("back_upper_arm", "Oberarm Rückseite", B, Zone.OTHER, "rect 144 104 18 58", "rect 58 104 18 58"),
    *_sides("back_forearm", "Unterarm Streckseite", B, Zone.OTHER, "rect 152 166 16 54", "rect 52 166 16 54"),
    *_sides("back_hand", "Handrücken", B, Zone.OTHER, "ellipse 162 234 10 13", "ellipse 58 234 10 13"),
    *_sides("back_thigh", "Oberschenkel Rückseite", B, Zone.OTHER, "rect 112 232 24 70", "rect 84 232 24 70"),
    *_sides("calf", "Wade", B, Zone.OTHER, "rect 114 306 20 78", "rect 86 306 20 78"),
    *_sides("sole", "Fußsohle und Ferse", B, Zone.OTHER, "ellipse 126 396 13 9", "ellipse 94 396 13 9"),
    # Face, enlarged: the child facing the viewer.
    *_sides("eyelid", "Augenlid", FACE, Zone.EYELID, "ellipse 78 70 18 7", "ellipse 142 70 18 7"),
    *_sides(
        "subconjunctiva",
        "Bindehaut (subkonjunktival)",
        FACE,
        Zone.SUBCONJUNCTIVA,
        "ellipse 78 86 12 5",
        "ellipse 142 86 12 5",
    ),
    *_sides("cheek", "Wange", FACE, Zone.CHEEK, "ellipse 70 118 20 18", "ellipse 150 118 20 18"),
    *_sides(
        "jaw_angle", "Kieferwinkel", FACE, Zone.ANGLE_OF_JAW, "ellipse 56 152 10 12", "ellipse 164 152 10 12"
    ),
    *_sides(
        "ear",
        "Ohr (Ohrmuschel und hinter dem Ohr)",
        FACE,
        Zone.EAR,
        "ellipse 30 100 10 24",
        "ellipse 190 100 10 24",
    ),
    Region("nose", "Nase", FACE, Zone.OTHER, "ellipse 110 106 10 16"),
    Region("lips", "Lippen", FACE, Zone.OTHER, "ellipse 110 142 22 8"),
    Region("frenulum", "Lippen- oder Zungenbändchen (Frenulum)", FACE, Zone.FRENULUM, "rect 104 151 12 7"),
    Region("chin", "Kinn", FACE, Zone.OTHER, "ellipse 110 172 18 10"),
)

BY_CODE = {region.code: region for region in REGIONS}


def region(code: str) -> Region:
    """The region of a code; ``KeyError`` names the unknown code."""
    return BY_CODE[code]


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The regions as grouped choices of a select: by view, each region a list entry."""
    return [(VIEW_LABELS[view], [(r.code, r.label) for r in REGIONS if r.view == view]) for view in View]
