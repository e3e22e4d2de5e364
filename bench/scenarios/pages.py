"""The pages professionals open all day, as the heaviest user of the network (the professional of
the biggest youth office, whose cases and tasks grow with the data)."""

from __future__ import annotations

from bench.harness import Context, Result, page

NAME = "pages"


def run(ctx: Context) -> list[Result]:
    world = ctx.world
    anonymous = ctx.client()
    user = ctx.client(world.heavy_user)
    return [
        page(ctx, NAME, "Anmeldeseite", anonymous, "/account/login/"),
        # What every signed-in page pays before its own work (bench/urls.py).
        page(ctx, NAME, "Leeres Layout (angemeldet)", user, "/bench/layout/"),
        page(ctx, NAME, "Netzwerkverzeichnis", user, "/netzwerk/"),
        page(ctx, NAME, "Verzeichnis: Suche", user, "/netzwerk/?q=Jugendamt"),
        page(ctx, NAME, "Wer ist zuständig?", user, f"/zustaendigkeit/?postal_code={world.postal_code}"),
        page(ctx, NAME, "Meine Fälle", user, "/faelle/", explain=True),
        page(ctx, NAME, "Meine Aufgaben", user, "/aufgaben/", explain=True),
        page(ctx, NAME, "Fallseite", user, f"/faelle/{world.case_id}/", explain=True),
        page(ctx, NAME, "Meldungseingang", user, "/meldungen/", explain=True),
        page(ctx, NAME, "Wissen: Suche", user, "/wissen/?q=Misshandlung", explain=True),
    ]
