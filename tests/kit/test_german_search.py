"""The German analysis both databases index: stems, paragraphs, synonyms, the compiled queries."""

from __future__ import annotations

import pytest

from schutznetz.kit import german_search as g


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Vernachlässigung", "vernachlässigt"),
        ("Misshandlung", "misshandelt"),
        ("Gefährdung", "gefährdet"),
        ("Fachkraft", "Fachkräfte"),
        ("§ 8a", "§8a"),
        ("§§ 8a", "§ 8a"),
    ],
)
def test_forms_of_a_word_share_one_stem(a: str, b: str) -> None:
    assert g.index_text(a) == g.index_text(b)


def test_stop_words_and_single_letters_are_not_terms() -> None:
    assert g.index_text("und die der a") == ""
    assert g.index_text("§ 4 Abs. 3 KKG") == "p4 abs 3 kkg"


def test_user_input_never_reaches_the_query_syntax() -> None:
    query = g.parse('Misshandlung" NEAR(x) -- ; DROP*')
    assert query.fts5() == '(("misshandl"*)) AND (("near"*)) AND (("drop"*))'
    assert query.tsquery() == "((misshandl:*)) & ((near:*)) & ((drop:*))"


def test_a_synonym_is_an_alternative_of_the_words_it_stands_for() -> None:
    groups = [["ISEF", "insoweit erfahrene Fachkraft"]]
    spelled_out = g.parse("insoweit erfahrene Fachkraft hinzuziehen", groups)
    short = g.parse("ISEF hinzuziehen", groups)
    assert spelled_out == short
    assert short.fts5().startswith('(("isef"*) OR ("insoweit"* AND "erfahr"* AND "fachkraft"*))')


def test_short_terms_and_paragraphs_match_exactly_longer_ones_by_prefix() -> None:
    query = g.parse("§ 8a KKG Vernachl")
    assert query.tsquery() == "((p8a)) & ((kkg)) & ((vernachl:*))"
    assert query.matches("vernachlass") and not query.matches("p8")


def test_snippet_marks_the_matching_words_where_most_of_them_are() -> None:
    text = "Einleitung. " * 40 + "Ein Kind wird vernachlässigt; die Vernachlässigung zeigt sich früh."
    snippet = g.snippet(text, g.parse("Vernachlässigung"), start_mark="[", stop_mark="]")
    assert snippet.startswith("…") and "[vernachlässigt]" in snippet and "[Vernachlässigung]" in snippet
