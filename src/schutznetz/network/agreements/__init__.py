"""Cooperation agreements between organisations: hand-over clauses with response times, crisis
rosters, versions. ``queries.response_terms`` and ``queries.deadline`` are the one place every
deadline in Schutznetz comes from.
"""
