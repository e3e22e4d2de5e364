"""Settings of the production server (``schutznetz serve``), read by gunicorn at start."""

from __future__ import annotations

import gunicorn
import gunicorn.http.wsgi

# The Server header names no software to whoever scans for servers with known flaws.
gunicorn.SERVER = ""
gunicorn.http.wsgi.SERVER = ""  # bound at import in gunicorn.http.wsgi
