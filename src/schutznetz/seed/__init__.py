"""Seeding a network from a TOML file: organisations, people, rosters, cases, agreements, meetings,
outreach and knowledge, written through the services (encryption, blind indexes, audit trail).

``demo.toml`` next to this module is the fictional demo network and the documented example of the
format; ``schutznetz seed FILE`` reads a network's own file.
"""
