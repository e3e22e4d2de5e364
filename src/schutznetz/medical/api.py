"""REST endpoints of the findings record. Same queries and services as the pages: who may not read
findings gets 404, as for a case they cannot see."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from schutznetz.accounts.http import AuthenticatedRequest
from schutznetz.cases import queries as case_queries
from schutznetz.cases.feedback import FeedbackInput
from schutznetz.kit.rest.exceptions import ERROR_RESPONSES
from schutznetz.kit.rest.views import FileRenderer, PdfRenderer, validated
from schutznetz.kit.views import download
from schutznetz.medical import documents, queries, services
from schutznetz.medical import serializers as s
from schutznetz.medical.models import FindingsRecord

TAGS = ["Befunde"]


def _content(data: dict[str, Any]) -> services.FindingsInput:
    data.pop("change_note", None)
    injuries = services.clean_injuries([dict(item) for item in data.pop("injuries")])
    return services.FindingsInput(injuries=injuries, **data)


def _detail(record: FindingsRecord, status: int = 200) -> Response:
    versions = queries.versions_of(record)
    record.current = versions[0]
    return Response(s.RecordDetailOutput(record, context={"versions": versions}).data, status=status)


class FindingsListApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.RecordOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The case's findings records, each with its current version (medical staff, or shared)."""
        access = case_queries.case_get_for(request.user, pk)
        records = queries.records_for(request.user, access)
        if records:
            services.findings_record_read(
                actor=request.user, access=access, records=[r.pk for r in records], purpose="Befunde (API)"
            )
        return Response(s.RecordOutput(records, many=True).data)

    @extend_schema(
        tags=TAGS, request=s.FindingsInput, responses={201: s.RecordDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Document findings; the decision support is computed and stored with them."""
        access = case_queries.case_get_for(request.user, pk)
        data = _content(validated(s.FindingsInput, request.data))
        record = services.findings_record_create(actor=request.user, access=access, data=data)
        return _detail(record, status=201)


class FindingsDetailApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.RecordDetailOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID, record_pk: int) -> Response:
        """A record with every version, newest first."""
        access = case_queries.case_get_for(request.user, pk)
        record = queries.record_get_for(request.user, access, record_pk)
        services.findings_record_read(
            actor=request.user, access=access, records=[record.pk], purpose="Befund einsehen (API)"
        )
        return _detail(record)


class DiagnosticsApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.DiagnosticStatusOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID, record_pk: int) -> Response:
        """The recommended examinations of the current version, each with its marking."""
        access = case_queries.case_get_for(request.user, pk)
        record = queries.record_get_for(request.user, access, record_pk)
        services.findings_record_read(
            actor=request.user, access=access, records=[record.pk], purpose="Empfohlene Diagnostik (API)"
        )
        rows = queries.diagnostics_of(record, queries.current_of(record))
        return Response(s.DiagnosticStatusOutput(rows, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=s.DiagnosticInput,
        responses={200: s.DiagnosticStatusOutput(many=True), **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID, record_pk: int) -> Response:
        """Mark a recommended examination done, or not done with its reason."""
        access = case_queries.case_get_for(request.user, pk)
        record = queries.record_get_for(request.user, access, record_pk)
        services.diagnostic_mark(
            actor=request.user, access=access, record=record, **validated(s.DiagnosticInput, request.data)
        )
        rows = queries.diagnostics_of(record, queries.current_of(record))
        return Response(s.DiagnosticStatusOutput(rows, many=True).data)


class FindingsVersionApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.CorrectionInput, responses={201: s.RecordDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID, record_pk: int) -> Response:
        """Correct a record: a new version with its reason; the earlier ones stay."""
        access = case_queries.case_get_for(request.user, pk)
        record = queries.record_get_for(request.user, access, record_pk)
        data = validated(s.CorrectionInput, request.data)
        note = data["change_note"]
        services.findings_record_correct(
            actor=request.user, access=access, record=record, data=_content(data), change_note=note
        )
        return _detail(record, status=201)


class FindingsShareApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.ShareOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        access = case_queries.case_get_for(request.user, pk)
        return Response(s.ShareOutput(queries.shares_of(request.user, access), many=True).data)

    @extend_schema(tags=TAGS, request=s.ShareInput, responses={201: s.ShareOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Share the case's findings with an organisation taking part, on a legal basis."""
        access = case_queries.case_get_for(request.user, pk)
        data = validated(s.ShareInput, request.data)
        share = services.findings_share(
            actor=request.user,
            access=access,
            organisation_id=data["organisation"],
            legal_basis=data["legal_basis"],
            note=data["note"],
        )
        return Response(s.ShareOutput(share).data, status=201)


class FamilyTalkApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.TalkOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Talks with the child and the parents (§ 4 Abs. 1 KKG), newest first."""
        access = case_queries.case_get_for(request.user, pk)
        talks = queries.talks_for(request.user, access)
        if talks:
            services.findings_record_read(
                actor=request.user,
                access=access,
                records=[],
                talks=[t.pk for t in talks],
                purpose="Gespräche (API)",
            )
        return Response(s.TalkOutput(talks, many=True).data)

    @extend_schema(tags=TAGS, request=s.TalkInput, responses={201: s.TalkOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Record the talk (when, with whom, result) or the reason it was not held."""
        access = case_queries.case_get_for(request.user, pk)
        data = services.TalkInput(**validated(s.TalkInput, request.data))
        talk = services.family_talk_record(actor=request.user, access=access, data=data)
        return Response(s.TalkOutput(talk).data, status=201)


class JpegRenderer(FileRenderer):
    media_type = "image/jpeg"


class FindingsPhotoListApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(tags=TAGS, responses={200: s.PhotoOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID, record_pk: int) -> Response:
        """The record's photos (their descriptions; each image is fetched on its own)."""
        access = case_queries.case_get_for(request.user, pk)
        record = queries.record_get_for(request.user, access, record_pk)
        photos = queries.photos_of(record)
        if photos:
            services.findings_record_read(
                actor=request.user, access=access, records=[record.pk], purpose="Fotos eines Befunds (API)"
            )
        return Response(s.PhotoOutput(photos, many=True).data)

    @extend_schema(
        tags=TAGS,
        request={"multipart/form-data": s.PhotoInput},
        responses={201: s.PhotoOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID, record_pk: int) -> Response:
        """Add a photo (JPEG, PNG or HEIC, at most 20 MB): stored without metadata, encrypted."""
        access = case_queries.case_get_for(request.user, pk)
        record = queries.record_get_for(request.user, access, record_pk)
        data = validated(s.PhotoInput, request.data)
        upload = data.pop("photo")
        photo = services.findings_photo_add(
            actor=request.user, access=access, record=record, upload=upload, size=upload.size, **data
        )
        return Response(s.PhotoOutput(photo).data, status=201)


class FindingsPhotoApi(APIView):
    renderer_classes = [JSONRenderer, JpegRenderer]

    @extend_schema(
        tags=TAGS,
        responses={
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="das Foto"),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request: AuthenticatedRequest, pk: UUID, record_pk: int, photo_pk: UUID) -> HttpResponse:
        access = case_queries.case_get_for(request.user, pk)
        photo = queries.photo_get_for(request.user, access, record_pk, photo_pk)
        response = HttpResponse(
            services.findings_photo_open(actor=request.user, access=access, photo=photo),
            content_type="image/jpeg",
        )
        response["Cache-Control"] = "no-store, private"
        return response


class ConsultationListApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.ConsultationOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Consultations of the case: all for the doctor's side, the own for a consulted specialist."""
        access = case_queries.case_get_for(request.user, pk)
        return Response(s.ConsultationOutput(queries.consultations_for(request.user, access), many=True).data)

    @extend_schema(
        tags=TAGS, request=s.ConsultationInput, responses={201: s.ConsultationOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Ask a specialist with pseudonymised data (§ 4 Abs. 2 KKG); the question is screened."""
        access = case_queries.case_get_for(request.user, pk)
        data = validated(s.ConsultationInput, request.data)
        specialist = queries.specialist_get(data.pop("specialist"))
        consultation = services.consultation_request(
            actor=request.user, access=access, specialist=specialist, **data
        )
        return Response(s.ConsultationOutput(consultation).data, status=201)


class ConsultationAnswerApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.ConsultationAnswerInput, responses={200: s.ConsultationOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID, consultation_pk: int) -> Response:
        """The consulted specialist answers; the answer is on the case's timeline."""
        access = case_queries.case_get_for(request.user, pk)
        consultation = queries.consultation_get_for(request.user, access, consultation_pk)
        answer = validated(s.ConsultationAnswerInput, request.data)["answer"]
        consultation = services.consultation_answer(
            actor=request.user, access=access, consultation=consultation, answer=answer
        )
        return Response(s.ConsultationOutput(consultation).data)


class ConsultationFindingsApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.PseudonymisedFindingsOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """What a consulted specialist sees of the findings: coded, without free text or faces."""
        access = case_queries.case_get_for(request.user, pk)
        return Response(
            s.PseudonymisedFindingsOutput(queries.pseudonymised_findings(request.user, access)).data
        )


class FindingsShareRevokeApi(APIView):
    @extend_schema(tags=TAGS, request=None, responses={200: s.ShareOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID, share_pk: int) -> Response:
        """End a share: the organisation no longer reads the case's findings."""
        access = case_queries.case_get_for(request.user, pk)
        share = queries.share_get_for(request.user, access, share_pk)
        share = services.findings_share_revoke(actor=request.user, access=access, share=share)
        return Response(s.ShareOutput(share).data)


REPORT_TAGS = ["Mitteilungen (§ 4 KKG)"]


class CaseReportListApi(APIView):
    @extend_schema(tags=REPORT_TAGS, responses={200: s.ReportOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The case's reports to the Jugendamt (its doctors; a Jugendamt: those it received)."""
        access = case_queries.case_get_for(request.user, pk)
        return Response(s.ReportOutput(queries.reports_of_case(request.user, access), many=True).data)

    @extend_schema(
        tags=REPORT_TAGS, request=s.ReportInput, responses={201: s.ReportOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Send the report to the Jugendamt (§ 4 Abs. 3 KKG; a Kita or Träger under § 8a Abs. 4 SGB VIII)
        following the Meldebogen; the Jugendamt must acknowledge receipt within the agreements'
        response time."""
        access = case_queries.case_get_for(request.user, pk)
        data = validated(s.ReportInput, request.data)
        data["youth_office_id"] = data.pop("youth_office")
        report = services.report_send(actor=request.user, access=access, data=services.ReportInput(**data))
        return Response(s.ReportOutput(report).data, status=201)


class ReportInboxApi(APIView):
    @extend_schema(
        tags=REPORT_TAGS,
        operation_id="v1_reports_inbox",
        responses={200: s.ReportInboxOutput, **ERROR_RESPONSES},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """Reports received by the user's Jugendamt (unacknowledged first), and those sent by the
        user's practice or clinic, with the feedback outstanding or given."""
        return Response(s.ReportInboxOutput(queries.report_inbox(request.user)).data)


def _report_detail(request: AuthenticatedRequest, report_pk: UUID, status: int = 200) -> Response:
    detail = queries.report_detail(queries.report_get_for(request.user, report_pk))
    services.report_record_read(
        actor=request.user, detail=detail, purpose="Mitteilung an das Jugendamt (API)"
    )
    return Response(
        s.ReportDetailOutput(detail.access.report, context={"detail": detail}).data, status=status
    )


class ReportDetailApi(APIView):
    @extend_schema(tags=REPORT_TAGS, responses={200: s.ReportDetailOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, report_pk: UUID) -> Response:
        """The report with the child's and parents' identity (a read on the audit trail)."""
        return _report_detail(request, report_pk)


class ReportPdfApi(APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        tags=REPORT_TAGS,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Mitteilung als PDF"),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request: AuthenticatedRequest, report_pk: UUID) -> HttpResponse:
        detail = queries.report_detail(queries.report_get_for(request.user, report_pk))
        services.report_record_read(actor=request.user, detail=detail, purpose="Mitteilung als PDF (API)")
        return download(
            documents.report_pdf(detail),
            content_type="application/pdf",
            filename=f"mitteilung-{detail.access.report.case.child.pseudonym}.pdf",
        )


class ReportAcknowledgeApi(APIView):
    @extend_schema(tags=REPORT_TAGS, request=None, responses={200: s.ReportDetailOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, report_pk: UUID) -> Response:
        """The Jugendamt confirms receipt: it takes part in the case and takes the lead."""
        report = queries.report_get_for(request.user, report_pk).report
        services.report_acknowledge(actor=request.user, report=report)
        return _report_detail(request, report_pk)


class ReportInvolveApi(APIView):
    @extend_schema(
        tags=REPORT_TAGS,
        request=s.ReportInvolveInput,
        responses={200: s.ReportDetailOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, report_pk: UUID) -> Response:
        """Involve the reporting doctor in the risk assessment (a dated task in the case)."""
        report = queries.report_get_for(request.user, report_pk).report
        data = validated(s.ReportInvolveInput, request.data)
        services.report_involve_reporter(actor=request.user, report=report, **data)
        return _report_detail(request, report_pk)


class ReportFeedbackApi(APIView):
    @extend_schema(
        tags=REPORT_TAGS,
        request=s.ReportFeedbackInput,
        responses={201: s.ReportFeedbackOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, report_pk: UUID) -> Response:
        """§ 4 Abs. 4 KKG feedback: indications confirmed, the Jugendamt became active, is still active;
        a fixed phrase and a callback number, no free text."""
        report = queries.report_get_for(request.user, report_pk).report
        data = validated(s.ReportFeedbackInput, request.data)
        feedback = services.report_feedback(actor=request.user, report=report, data=FeedbackInput(**data))
        return Response(s.ReportFeedbackOutput(feedback).data, status=201)
