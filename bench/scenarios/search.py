"""Child search: exact (blind index of names and birth date) and by sound (Kölner Phonetik)."""

from __future__ import annotations

from bench.harness import Context, Result, page

NAME = "child_search"


def search_url(params: dict) -> str:
    return (
        f"/faelle/suche/?family_name={params['family_name']}&given_name={params['given_name']}"
        f"&birth_date={params['birth_date']:%Y-%m-%d}"
    )


def run(ctx: Context) -> list[Result]:
    user = ctx.client(ctx.world.heavy_user)
    return [
        page(ctx, NAME, "Kindersuche exakt", user, search_url(ctx.world.search_exact), explain=True),
        page(ctx, NAME, "Kindersuche phonetisch", user, search_url(ctx.world.search_phonetic), explain=True),
    ]
