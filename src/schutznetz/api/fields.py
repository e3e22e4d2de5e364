from __future__ import annotations

# Ids are 64-bit integers in the database: a larger number is refused as bad input, not passed on.
MAX_ID = 2**63 - 1
