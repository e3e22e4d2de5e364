from __future__ import annotations

from django.test import Client

from tests import factories as f
from tests.conftest import login


def test_pages_render(client: Client, world: f.CaseWorld) -> None:
    login(client, world.lead)
    for url in [
        "/faelle/",
        "/aufgaben/",
        "/faelle/suche/",
        f"/faelle/{world.case.pk}/",
        "/faelle/einladungen/",
        "/nachrichten/",
        "/faelle/suche/?family_name=Mayer&given_name=Mia&birth_date=2021-01-20",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Mia Meier" in client.get(f"/faelle/{world.case.pk}/").text
