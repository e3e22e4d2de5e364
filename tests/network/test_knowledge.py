from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from schutznetz.network.knowledge import queries as knowledge_queries
from schutznetz.network.knowledge import services as knowledge_services
from tests import factories as f
from tests.factories import api_key

BODY = (
    "Bei Verdacht auf Misshandlungen im Säuglingsalter ist eine Sentinel-Verletzung ernst zu nehmen. "
    "Die Kinderschutzgruppe dokumentiert Befunde nach der AWMF-Leitlinie."
)


@pytest.fixture
def articles(network: f.Network):  # type: ignore[no-untyped-def]
    create = knowledge_services.article_create
    return {
        "medicine": create(
            actor=network.dortmund_coordinator,
            title="Sentinel-Verletzungen erkennen",
            body=BODY,
            tags=["Medizin"],
        ),
        "neglect": create(
            actor=network.dortmund_coordinator,
            title="Vernachlässigung: Checkliste",
            body="Hinweise auf Vernachlässigung im Kita-Alltag.",
        ),
        "youth_offices_only": create(
            actor=network.dortmund_coordinator,
            title="Interne Bereitschaftsregeln ASD",
            body="Misshandlung gemeldet: Rückruf binnen einer Stunde.",
            audiences=["youth_office"],
        ),
    }


def test_german_search_finds_inflected_forms_with_highlighted_snippets(network: f.Network, articles) -> None:  # type: ignore[no-untyped-def]
    hits = knowledge_queries.search(network.dortmund_professional, "Misshandlung")
    titles = [h.article.title for h in hits]
    assert "Sentinel-Verletzungen erkennen" in titles
    snippet = next(h.snippet for h in hits if h.article == articles["medicine"])
    assert "<mark>Misshandlung" in snippet


def test_articles_are_shown_only_to_their_audience(network: f.Network, articles) -> None:  # type: ignore[no-untyped-def]
    doctor = network.practice_doctor
    titles = [h.article.title for h in knowledge_queries.search(doctor, "Misshandlung")]
    assert "Interne Bereitschaftsregeln ASD" not in titles
    with pytest.raises(Http404):
        knowledge_queries.article_get_for(doctor, articles["youth_offices_only"].pk)
    assert knowledge_queries.article_get_for(network.dortmund_professional, articles["youth_offices_only"].pk)


def test_markup_in_articles_is_escaped(network: f.Network) -> None:
    knowledge_services.article_create(
        actor=network.dortmund_coordinator,
        title="Skript",
        body="<script>alert(1)</script> Misshandlungen erkennen",
    )
    snippet = knowledge_queries.search(network.dortmund_professional, "Misshandlungen")[0].snippet
    assert "<script>" not in snippet and "<mark>Misshandlung" in snippet


def test_revision_replaces_the_article_in_search_and_keeps_the_old_readable(
    network: f.Network, articles
) -> None:  # type: ignore[no-untyped-def]
    old = articles["neglect"]
    new = knowledge_services.article_revise(
        actor=network.dortmund_coordinator,
        article=old,
        title="Vernachlässigung erkennen",
        body="Hinweise auf Vernachlässigung in Kita und Schule.",
    )
    titles = [
        h.article.title for h in knowledge_queries.search(network.dortmund_professional, "Vernachlässigung")
    ]
    assert titles == ["Vernachlässigung erkennen"]
    assert knowledge_queries.article_get_for(network.dortmund_professional, old.pk).version == 1
    assert new.version == 2


def test_bad_input(network: f.Network, articles) -> None:  # type: ignore[no-untyped-def]
    for nothing_to_search in ("a", "und die", "  "):
        with pytest.raises(ValidationError):
            knowledge_queries.search(network.dortmund_professional, nothing_to_search)
    with pytest.raises(PermissionDenied):
        knowledge_services.article_create(actor=network.dortmund_professional, title="X", body="Y")
    with pytest.raises(ValidationError):
        knowledge_services.article_create(
            actor=network.dortmund_coordinator, title="X", body="Y", audiences=["castle"]
        )
    knowledge_queries.search(network.dortmund_professional, 'Misshandlung" OR NEAR(x')  # operators are inert


def test_search_page_and_api(network: f.Network, articles) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from tests.conftest import login

    client = login(Client(), network.dortmund_professional)
    page = client.get("/wissen/", {"q": "Misshandlung"})
    assert page.status_code == 200 and "<mark>Misshandlung" in page.text
    assert client.get("/wissen/", {"q": "und"}).status_code == 400
    api = Client(headers={"Authorization": f"Token {api_key(network.practice_doctor)}"})
    hits = api.get("/api/v1/knowledge/", {"q": "Misshandlung"}).json()
    assert "Interne Bereitschaftsregeln ASD" not in [h["title"] for h in hits]
    assert api.get(f"/api/v1/knowledge/articles/{articles['youth_offices_only'].pk}/").status_code == 404


class TestAttachments:
    PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    def upload(self, name: str, content: bytes):  # type: ignore[no-untyped-def]
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile(name, content, content_type="application/pdf")

    def test_upload_in_the_ui_download_for_the_audience_404_for_others(
        self, client, network: f.Network, articles, settings, tmp_path
    ) -> None:  # type: ignore[no-untyped-def]
        from tests.conftest import login

        settings.MEDIA_ROOT = tmp_path
        article = articles["youth_offices_only"]
        login(client, network.dortmund_coordinator)
        response = client.post(f"/wissen/{article.pk}/", {"file": self.upload("Ablauf.pdf", self.PDF)})
        assert response.status_code == 302
        attachment = article.attachments.get()
        assert attachment.content_type == "application/pdf" and len(attachment.sha256) == 64
        url = f"/wissen/{article.pk}/anhaenge/{attachment.pk}/"
        download = client.get(url)
        assert download.status_code == 200 and b"".join(download.streaming_content) == self.PDF
        login(client, network.practice_doctor)  # a practice: not in the article's audience
        assert client.get(url).status_code == 404
        assert (
            client.get(f"/api/v1/knowledge/articles/{article.pk}/attachments/{attachment.pk}/").status_code
            == 404
        )

    def test_only_known_file_types_and_editors(
        self, client, network: f.Network, articles, settings, tmp_path
    ) -> None:  # type: ignore[no-untyped-def]
        from tests.conftest import login

        settings.MEDIA_ROOT = tmp_path
        article = articles["medicine"]
        with pytest.raises(ValidationError) as error:
            knowledge_services.attachment_add(
                actor=network.dortmund_coordinator,
                article=article,
                upload=self.upload("x.pdf", b"MZ\x90\x00"),
            )
        assert error.value.message_dict == {"file": [knowledge_services.MSG_ATTACHMENT_TYPE]}
        with pytest.raises(PermissionDenied):
            knowledge_services.attachment_add(
                actor=network.dortmund_professional, article=article, upload=self.upload("x.pdf", self.PDF)
            )
        login(client, network.dortmund_coordinator)
        response = client.post(
            f"/api/v1/knowledge/articles/{article.pk}/attachments/",
            {"file": self.upload("Checkliste.exe", self.PDF)},
        )
        assert response.status_code == 400 and response.json() == {
            "file": [knowledge_services.MSG_ATTACHMENT_TYPE]
        }
        response = client.post(
            f"/api/v1/knowledge/articles/{article.pk}/attachments/",
            {"file": self.upload("Checkliste.pdf", self.PDF)},
        )
        assert response.status_code == 201 and response.json()["name"] == "Checkliste.pdf"

    def test_revision_carries_the_attachments_forward(
        self, network: f.Network, articles, settings, tmp_path
    ) -> None:  # type: ignore[no-untyped-def]
        settings.MEDIA_ROOT = tmp_path
        article = articles["medicine"]
        knowledge_services.attachment_add(
            actor=network.dortmund_coordinator, article=article, upload=self.upload("Bogen.pdf", self.PDF)
        )
        revision = knowledge_services.article_revise(
            actor=network.dortmund_coordinator,
            article=article,
            title=article.title,
            body=article.body + " Neu.",
        )
        assert [a.name for a in revision.attachments.all()] == ["Bogen.pdf"]
        assert revision.attachments.get().file.name == article.attachments.get().file.name
        with pytest.raises(ValidationError):
            knowledge_services.attachment_add(
                actor=network.dortmund_coordinator, article=article, upload=self.upload("Alt.pdf", self.PDF)
            )


LIBRARY = {
    "Vernachlässigung erkennen": "Ein Kind wird vernachlässigt, wenn Ernährung, Pflege und Aufsicht fehlen.",
    "Checkliste Vernachlässigung": "Hinweise auf Vernachlässigung im Kita-Alltag.",
    "Mitteilung an das Jugendamt": (
        "Nach § 4 Abs. 3 KKG dürfen Berufsgeheimnisträger dem Jugendamt Anhaltspunkte mitteilen."
    ),
    "Schutzauftrag der Träger": "Der freie Träger schätzt nach §8a Abs. 4 SGB VIII das Risiko ein.",
    "Beratung durch die ISEF": "Die ISEF berät pseudonymisiert, bevor das Jugendamt informiert wird.",
    "Anzeichen einer KWG": "Eine Kindeswohlgefährdung liegt vor, wenn das Wohl des Kindes gefährdet ist.",
    "Misshandlungen im Säuglingsalter": "Ein misshandelter Säugling zeigt oft Sentinel-Verletzungen.",
    "Häusliche Gewalt": "Kinder, die häusliche Gewalt miterleben, sind mitbetroffen.",
}
# What a professional types, and the articles that answer it: the same on PostgreSQL and SQLite (CI
# runs this table on both).
GERMAN_QUERIES = [
    ("Vernachlässigung", {"Vernachlässigung erkennen", "Checkliste Vernachlässigung"}),
    ("vernachlässigt", {"Vernachlässigung erkennen", "Checkliste Vernachlässigung"}),
    ("Vernachl", {"Vernachlässigung erkennen", "Checkliste Vernachlässigung"}),
    ("§ 8a", {"Schutzauftrag der Träger"}),
    ("§8a SGB VIII", {"Schutzauftrag der Träger"}),
    ("8a", {"Schutzauftrag der Träger"}),  # typed without "§"
    ("8a SGB VIII", {"Schutzauftrag der Träger"}),
    ("4 KKG", {"Mitteilung an das Jugendamt"}),
    ("§ 4 KKG", {"Mitteilung an das Jugendamt"}),
    ("Misshandlung", {"Misshandlungen im Säuglingsalter"}),
    ("misshandelt", {"Misshandlungen im Säuglingsalter"}),
    ("KWG", {"Anzeichen einer KWG"}),
    ("Kindeswohlgefährdung", {"Anzeichen einer KWG"}),
    ("insoweit erfahrene Fachkraft", {"Beratung durch die ISEF"}),
    ("ISEF Jugendamt", {"Beratung durch die ISEF"}),
    ("Jugendamt", {"Mitteilung an das Jugendamt", "Beratung durch die ISEF"}),
    ("häusliche Gewalt", {"Häusliche Gewalt"}),
    ("Gewalt Säugling", set()),
    ("Ordnungswidrigkeit", set()),
]


class TestGermanSearch:
    @pytest.fixture
    def library(self, network: f.Network) -> None:
        for title, body in LIBRARY.items():
            knowledge_services.article_create(actor=network.dortmund_coordinator, title=title, body=body)
        for group in (["KWG", "Kindeswohlgefährdung"], ["ISEF", "insoweit erfahrene Fachkraft"]):
            knowledge_services.synonym_create(actor=network.dortmund_coordinator, expressions=group)

    @pytest.mark.parametrize(("query", "expected"), GERMAN_QUERIES)
    def test_table_of_german_queries(
        self, network: f.Network, library: None, query: str, expected: set[str]
    ) -> None:
        hits = knowledge_queries.search(network.dortmund_professional, query)
        assert {h.article.title for h in hits} == expected

    def test_matching_words_are_marked_in_the_snippet(self, network: f.Network, library: None) -> None:
        [hit] = knowledge_queries.search(network.dortmund_professional, "Vernachlässigung Pflege")
        assert "<mark>vernachlässigt</mark>" in hit.snippet and "<mark>Pflege</mark>" in hit.snippet
        [hit] = knowledge_queries.search(network.dortmund_professional, "KWG")
        assert "<mark>Kindeswohlgefährdung</mark>" in hit.snippet

    def test_synonyms_are_kept_by_coordinators(self, network: f.Network, library: None) -> None:
        with pytest.raises(PermissionDenied):
            knowledge_services.synonym_create(actor=network.dortmund_professional, expressions=["a b", "c"])
        with pytest.raises(ValidationError, match="zwei Begriffe"):
            knowledge_services.synonym_create(actor=network.dortmund_coordinator, expressions=["HzE"])
        with pytest.raises(ValidationError, match="schon in einer anderen Gruppe"):
            knowledge_services.synonym_create(
                actor=network.dortmund_coordinator, expressions=["kwg", "Gefährdung des Kindeswohls"]
            )
        isef = next(s for s in knowledge_queries.synonyms() if "ISEF" in s.expressions)
        knowledge_services.synonym_delete(actor=network.dortmund_coordinator, synonym=isef)
        assert not knowledge_queries.search(network.dortmund_professional, "insoweit erfahrene Fachkraft")

    def test_synonym_page_and_api(self, network: f.Network, library: None) -> None:
        from django.test import Client

        from tests.conftest import login

        coordinator = login(Client(), network.dortmund_coordinator)
        page = coordinator.get("/wissen/synonyme/")
        assert page.status_code == 200 and "insoweit erfahrene Fachkraft" in page.text
        answer = coordinator.post("/wissen/synonyme/", {"expressions": "HzE, Hilfe zur Erziehung"})
        assert answer.status_code == 302
        assert coordinator.post("/wissen/synonyme/", {"expressions": "HzE"}).status_code == 400
        worker = login(Client(), network.dortmund_professional)
        assert worker.get("/wissen/synonyme/").status_code == 200  # read, not change
        assert worker.post("/wissen/synonyme/", {"expressions": "A1, B2"}).status_code == 403
        api = Client(headers={"Authorization": f"Token {api_key(network.dortmund_coordinator)}"})
        groups = api.get("/api/v1/knowledge/synonyms/").json()
        assert ["HzE", "Hilfe zur Erziehung"] in [g["expressions"] for g in groups]
        created = api.post(
            "/api/v1/knowledge/synonyms/",
            {"expressions": ["SPFH", "Sozialpädagogische Familienhilfe"]},
            content_type="application/json",
        )
        assert created.status_code == 201
        pk = created.json()["id"]
        assert api.delete(f"/api/v1/knowledge/synonyms/{pk}/").status_code == 204
        assert api.delete(f"/api/v1/knowledge/synonyms/{pk}/").status_code == 404

    def test_synonym_groups_can_be_edited(self, network: f.Network, library: None) -> None:
        """Issue 39, item 19: a group is changed in place (a spelling added), not only replaced by
        deleting and adding it again; its own expressions do not count as taken."""
        from django.test import Client

        from tests.conftest import login

        isef = next(s for s in knowledge_queries.synonyms() if "ISEF" in s.expressions)
        coordinator = login(Client(), network.dortmund_coordinator)
        url = f"/wissen/synonyme/{isef.pk}/bearbeiten/"
        assert 'value="ISEF, insoweit erfahrene Fachkraft"' in coordinator.get(url).text
        changed = coordinator.post(url, {"expressions": "ISEF, insoweit erfahrene Fachkraft, IeF"})
        assert changed.status_code == 302
        [hit] = knowledge_queries.search(network.dortmund_professional, "IeF")
        assert hit.article.title == "Beratung durch die ISEF"
        taken = coordinator.post(url, {"expressions": "ISEF, KWG"})
        assert taken.status_code == 400 and "schon in einer anderen Gruppe" in taken.text
        worker = login(Client(), network.dortmund_professional)
        assert worker.get(url).status_code == 403
        assert worker.post(url, {"expressions": "A1, B2"}).status_code == 403
        api = Client(headers={"Authorization": f"Token {api_key(network.dortmund_coordinator)}"})
        answer = api.put(
            f"/api/v1/knowledge/synonyms/{isef.pk}/",
            {"expressions": ["ISEF", "insoweit erfahrene Fachkraft"]},
            content_type="application/json",
        )
        assert answer.status_code == 200 and answer.json()["expressions"] == [
            "ISEF",
            "insoweit erfahrene Fachkraft",
        ]
        assert not knowledge_queries.search(network.dortmund_professional, "IeF")

    def test_articles_by_topic(self, network: f.Network, articles) -> None:  # type: ignore[no-untyped-def]
        from django.test import Client

        from tests.conftest import login

        topics = knowledge_queries.topics_for(network.practice_doctor)
        assert [t.name for t in topics] == ["Medizin", "Allgemein"]
        assert [a.title for a in topics[1].articles] == ["Vernachlässigung: Checkliste"]
        page = login(Client(), network.practice_doctor).get("/wissen/")
        assert "Medizin" in page.text and "Interne Bereitschaftsregeln ASD" not in page.text
        api = Client(headers={"Authorization": f"Token {api_key(network.dortmund_professional)}"})
        topics_api = api.get("/api/v1/knowledge/topics/").json()
        assert "Interne Bereitschaftsregeln ASD" in [a["title"] for t in topics_api for a in t["articles"]]
