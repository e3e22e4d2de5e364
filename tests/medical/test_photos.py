"""Photos of findings: any of JPEG, PNG, HEIC; stored without metadata and encrypted; shown only to
those who may read the findings; anything else refused with a German error, nothing saved."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from schutznetz.audit.models import AuditEvent
from schutznetz.cases import queries as case_queries
from schutznetz.medical import photos, services
from schutznetz.medical.models import FindingsPhoto, FindingsRecord
from tests import factories as f
from tests.conftest import login
from tests.medical.conftest import MedicalWorld
from tests.medical.test_query_counts import _content

SECRET = "Kamera-Seriennummer-4711"


def image(fmt: str = "JPEG", size: tuple[int, int] = (120, 80)) -> bytes:
    picture = Image.new("RGB", size, (180, 40, 60))
    exif = Image.Exif()
    exif[0x010F] = SECRET  # Make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    picture.save(out, format=fmt, exif=exif) if fmt != "PNG" else picture.save(out, format=fmt)
    return out.getvalue()


def _record(mw: MedicalWorld) -> FindingsRecord:
    access = case_queries.case_get_for(mw.doctor, mw.case.pk)
    return services.findings_record_create(actor=mw.doctor, access=access, data=_content(1))


def _upload(
    client: Client, mw: MedicalWorld, record: FindingsRecord, data: bytes, name: str, **extra: Any
) -> Any:
    return client.post(
        f"/faelle/{mw.case.pk}/befunde/{record.pk}/fotos/",
        {
            "photo-photo": SimpleUploadedFile(name, data),
            "photo-caption": "Hämatom Wange links mit Maßstab",
            "photo-region": "cheek_left",
        }
        | extra,
    )


def test_photo_is_stored_without_metadata_encrypted_and_shown_to_the_entitled(
    client: Client, mw: MedicalWorld
) -> None:
    record = _record(mw)
    login(client, mw.doctor)
    original = image("JPEG")
    assert SECRET.encode() in original
    response = _upload(client, mw, record, original, "IMG_0001.jpg")
    assert response.status_code == 302
    photo = FindingsPhoto.objects.get()
    stored = bytes(photo.content)
    assert SECRET.encode() not in stored and stored[:2] != b"\xff\xd8"  # sealed, not a JPEG
    page = client.get(f"/faelle/{mw.case.pk}/befunde/{record.pk}/")
    url = f"/faelle/{mw.case.pk}/befunde/{record.pk}/fotos/{photo.pk}/"
    assert url in page.text and 'alt="Hämatom Wange links mit Maßstab"' in page.text
    shown = client.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert "no-store" in shown["Cache-Control"]
    assert SECRET.encode() not in shown.content
    with Image.open(io.BytesIO(shown.content)) as seen:
        assert seen.size == (120, 80) and not seen.getexif()
    assert AuditEvent.objects.filter(object_type="FindingsPhoto", action="read").count() == 1
    for user in (mw.youth_office, mw.consultant, mw.outsider, mw.clerk):
        login(client, user)
        assert client.get(url).status_code == 404


def test_png_and_heic_are_taken(client: Client, mw: MedicalWorld) -> None:
    record = _record(mw)
    login(client, mw.doctor)
    assert _upload(client, mw, record, image("PNG"), "a.png").status_code == 302
    assert _upload(client, mw, record, image("HEIF"), "IMG_0002.HEIC").status_code == 302
    assert FindingsPhoto.objects.count() == 2


def test_what_is_not_a_photo_is_refused_and_nothing_saved(client: Client, mw: MedicalWorld) -> None:
    record = _record(mw)
    login(client, mw.doctor)
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    refused = _upload(client, mw, record, svg, "bild.svg")
    assert refused.status_code == 400 and "SVG-Grafiken werden nicht angenommen" in refused.text
    pdf = _upload(client, mw, record, b"%PDF-1.4 not an image", "bild.jpg")
    assert pdf.status_code == 400 and "kein Foto im Format JPEG, PNG oder HEIC" in pdf.text
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    assert _upload(client, mw, record, gif.getvalue(), "a.gif").status_code == 400
    assert FindingsPhoto.objects.count() == 0


def test_over_20_mb_is_refused_before_it_is_read() -> None:
    with pytest.raises(ValidationError, match="größer als 20 MB"):
        photos.clean_photo(io.BytesIO(b"\xff\xd8" + b"0" * 10), size=photos.MAX_BYTES + 1)


def test_photos_by_api(client: Client, mw: MedicalWorld) -> None:
    record = _record(mw)
    headers = {"Authorization": f"Token {f.api_key(mw.doctor)}"}
    url = f"/api/v1/cases/{mw.case.pk}/findings/{record.pk}/photos/"
    created = client.post(
        url,
        {"photo": SimpleUploadedFile("x.jpg", image()), "caption": "Ohr links", "shows_face": "false"},
        headers=headers,
    )
    assert created.status_code == 201, created.json()
    listed = client.get(url, headers=headers).json()
    assert [p["caption"] for p in listed] == ["Ohr links"]
    shown = client.get(f"{url}{listed[0]['id']}/", headers=headers)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    svg = client.post(
        url,
        {"photo": SimpleUploadedFile("x.svg", b"<svg></svg>"), "caption": "x", "shows_face": "false"},
        headers=headers,
    )
    assert svg.status_code == 400 and "SVG" in svg.text
    outsider = {"Authorization": f"Token {f.api_key(mw.outsider)}"}
    assert client.get(url, headers=outsider).status_code == 404
    assert client.get(f"{url}{listed[0]['id']}/", headers=outsider).status_code == 404
