"""The report to the Jugendamt as PDF (§ 4 Abs. 3 KKG): every item of the Meldebogen, nothing else
of the case (no photos, no consultation, nothing written by other participants)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from schutznetz.kit.pdf import render_pdf
from schutznetz.medical.queries import ReportDetail


def report_pdf(detail: ReportDetail) -> bytes:
    return render_pdf(
        "medical/report_pdf.html",
        {
            "detail": detail,
            "report": detail.access.report,
            "network_name": settings.NETWORK_NAME,
            "printed_at": timezone.localtime(),
        },
    )
