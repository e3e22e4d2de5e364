"""REST API wiring only: each app owns its endpoints and serializers."""

from __future__ import annotations

from django.urls import path

from schutznetz.accounts.api import ApiTokenListApi, ApiTokenRevokeApi, MeApi
from schutznetz.cases import api as cases
from schutznetz.crisis import api as crisis
from schutznetz.medical import api as medical
from schutznetz.meetings import api as meetings
from schutznetz.network import api as network
from schutznetz.outreach import api as outreach
from schutznetz.welfare import api as welfare

app_name = "api"

urlpatterns = [
    path("me/", MeApi.as_view(), name="me"),
    path("me/tokens/", ApiTokenListApi.as_view(), name="my-tokens"),
    path("me/tokens/<int:pk>/revoke/", ApiTokenRevokeApi.as_view(), name="my-token-revoke"),
    path("organisations/", network.OrganisationListApi.as_view(), name="organisation-list"),
    path("organisations/<int:pk>/", network.OrganisationDetailApi.as_view(), name="organisation-detail"),
    path(
        "organisations/<int:pk>/alert-channels/",
        network.AlertChannelsApi.as_view(),
        name="organisation-alert-channels",
    ),
    path("organisations/<int:pk>/on-call/", network.OnCallApi.as_view(), name="organisation-on-call"),
    path(
        "organisations/<int:pk>/jurisdiction-areas/",
        network.JurisdictionAreaApi.as_view(),
        name="organisation-jurisdiction-areas",
    ),
    path(
        "on-call-shifts/<int:pk>/cancel/", network.OnCallShiftCancelApi.as_view(), name="on-call-shift-cancel"
    ),
    path("organisations/<int:pk>/units/", network.UnitApi.as_view(), name="organisation-units"),
    path(
        "organisations/<int:pk>/members/",
        network.OrganisationMembersApi.as_view(),
        name="organisation-members",
    ),
    path("memberships/<int:pk>/", network.MembershipApi.as_view(), name="membership-detail"),
    path("memberships/<int:pk>/end/", network.MembershipEndApi.as_view(), name="membership-end"),
    path("cases/", cases.CaseListApi.as_view(), name="case-list"),
    path("cases/<uuid:pk>/", cases.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<uuid:pk>/participations/", cases.CaseInviteApi.as_view(), name="case-invite"),
    path("cases/<uuid:pk>/guardians/", cases.GuardianApi.as_view(), name="case-guardians"),
    path("cases/<uuid:pk>/tasks/", cases.TaskCreateApi.as_view(), name="case-task-create"),
    path(
        "cases/<uuid:pk>/tasks/<int:task_pk>/complete/",
        cases.TaskCompleteApi.as_view(),
        name="case-task-complete",
    ),
    path(
        "cases/<uuid:pk>/tasks/<int:task_pk>/reassign/",
        cases.TaskReassignApi.as_view(),
        name="case-task-reassign",
    ),
    path("cases/<uuid:pk>/handover/", cases.HandoverApi.as_view(), name="case-handover"),
    path(
        "cases/<uuid:pk>/handover/<int:handover_pk>/answer/",
        cases.HandoverAnswerApi.as_view(),
        name="case-handover-answer",
    ),
    path("cases/<uuid:pk>/close/", cases.CaseCloseApi.as_view(), name="case-close"),
    path("cases/<uuid:pk>/findings/", medical.FindingsListApi.as_view(), name="case-findings"),
    path("cases/<uuid:pk>/family-talks/", medical.FamilyTalkApi.as_view(), name="case-family-talks"),
    path("cases/<uuid:pk>/consultations/", medical.ConsultationListApi.as_view(), name="case-consultations"),
    path("cases/<uuid:pk>/reports/", medical.CaseReportListApi.as_view(), name="case-reports"),
    path("cases/<uuid:pk>/risk-assessments/", welfare.AssessmentListApi.as_view(), name="case-assessments"),
    path(
        "cases/<uuid:pk>/risk-assessments/<int:version_pk>/sign/",
        welfare.AssessmentSignApi.as_view(),
        name="case-assessment-sign",
    ),
    path("reports/", medical.ReportInboxApi.as_view(), name="reports"),
    path("cases/<uuid:pk>/protection/", welfare.ProtectionApi.as_view(), name="case-protection"),
    path("cases/<uuid:pk>/safety-plans/", welfare.SafetyPlanApi.as_view(), name="case-safety-plans"),
    path("cases/<uuid:pk>/court-referrals/", welfare.CourtReferralApi.as_view(), name="case-court-referrals"),
    path("cases/<uuid:pk>/care-takings/", welfare.CareTakingApi.as_view(), name="case-care-takings"),
    path(
        "cases/<uuid:pk>/care-takings/<int:care_pk>/end/",
        welfare.CareTakingEndApi.as_view(),
        name="case-care-taking-end",
    ),
    path("cases/<uuid:pk>/help-plans/", welfare.HelpPlanListApi.as_view(), name="case-help-plans"),
    path(
        "cases/<uuid:pk>/help-plans/<int:plan_pk>/review/",
        welfare.HelpPlanReviewApi.as_view(),
        name="case-help-plan-review",
    ),
    path(
        "cases/<uuid:pk>/help-plans/<int:plan_pk>/clinics/",
        welfare.HelpPlanClinicApi.as_view(),
        name="case-help-plan-clinics",
    ),
    path("cases/<uuid:pk>/conferences/", welfare.ConferenceListApi.as_view(), name="case-conferences"),
    path("conferences/<uuid:pk>/", welfare.ConferenceDetailApi.as_view(), name="conference-detail"),
    path("conferences/<uuid:pk>/minutes/", welfare.ConferenceMinutesApi.as_view(), name="conference-minutes"),
    path("cases/<uuid:pk>/moves/", welfare.MoveOfferApi.as_view(), name="case-moves"),
    path("moves/<uuid:pk>/", welfare.MoveDetailApi.as_view(), name="move-detail"),
    path("moves/<uuid:pk>/answer/", welfare.MoveAnswerApi.as_view(), name="move-answer"),
    path("cases/<uuid:pk>/crises/", crisis.CaseCrisisApi.as_view(), name="case-crises"),
    path("crises/", crisis.CrisisListApi.as_view(), name="crises"),
    path("crises/<uuid:pk>/", crisis.CrisisDetailApi.as_view(), name="crisis-detail"),
    path("crises/<uuid:pk>/respond/", crisis.CrisisRespondApi.as_view(), name="crisis-respond"),
    path(
        "crises/<uuid:pk>/emergency-call/",
        crisis.CrisisEmergencyCallApi.as_view(),
        name="crisis-emergency-call",
    ),
    path("crises/<uuid:pk>/close/", crisis.CrisisCloseApi.as_view(), name="crisis-close"),
    path("crises/<uuid:pk>/case/", crisis.CrisisJoinApi.as_view(), name="crisis-case"),
    path(
        "crises/<uuid:pk>/guardians-informed/",
        crisis.CrisisGuardiansInformedApi.as_view(),
        name="crisis-guardians-informed",
    ),
    path("intakes/", welfare.IntakeListApi.as_view(), name="intakes"),
    path("intakes/<uuid:pk>/feedback/", welfare.IntakeFeedbackApi.as_view(), name="intake-feedback"),
    path("intakes/<uuid:pk>/", welfare.IntakeDetailApi.as_view(), name="intake-detail"),
    path(
        "intakes/<uuid:pk>/first-contact/",
        welfare.IntakeFirstContactApi.as_view(),
        name="intake-first-contact",
    ),
    path("reports/<uuid:report_pk>/", medical.ReportDetailApi.as_view(), name="report-detail"),
    path("reports/<uuid:report_pk>/pdf/", medical.ReportPdfApi.as_view(), name="report-pdf"),
    path(
        "reports/<uuid:report_pk>/acknowledge/",
        medical.ReportAcknowledgeApi.as_view(),
        name="report-acknowledge",
    ),
    path(
        "reports/<uuid:report_pk>/involve-reporter/",
        medical.ReportInvolveApi.as_view(),
        name="report-involve",
    ),
    path("reports/<uuid:report_pk>/feedback/", medical.ReportFeedbackApi.as_view(), name="report-feedback"),
    path(
        "cases/<uuid:pk>/consultations/findings/",
        medical.ConsultationFindingsApi.as_view(),
        name="case-consultation-findings",
    ),
    path(
        "cases/<uuid:pk>/consultations/<int:consultation_pk>/answer/",
        medical.ConsultationAnswerApi.as_view(),
        name="case-consultation-answer",
    ),
    path("cases/<uuid:pk>/findings/shares/", medical.FindingsShareApi.as_view(), name="case-findings-shares"),
    path(
        "cases/<uuid:pk>/findings/shares/<int:share_pk>/revoke/",
        medical.FindingsShareRevokeApi.as_view(),
        name="case-findings-share-revoke",
    ),
    path(
        "cases/<uuid:pk>/findings/<int:record_pk>/",
        medical.FindingsDetailApi.as_view(),
        name="case-findings-detail",
    ),
    path(
        "cases/<uuid:pk>/findings/<int:record_pk>/photos/",
        medical.FindingsPhotoListApi.as_view(),
        name="case-findings-photos",
    ),
    path(
        "cases/<uuid:pk>/findings/<int:record_pk>/photos/<uuid:photo_pk>/",
        medical.FindingsPhotoApi.as_view(),
        name="case-findings-photo",
    ),
    path(
        "cases/<uuid:pk>/findings/<int:record_pk>/versions/",
        medical.FindingsVersionApi.as_view(),
        name="case-findings-versions",
    ),
    path("cases/<uuid:pk>/audit/", cases.CaseAuditApi.as_view(), name="case-audit"),
    path("cases/<uuid:pk>/audit/export/", cases.CaseAuditExportApi.as_view(), name="case-audit-export"),
    path("access-log/", cases.AccessLogApi.as_view(), name="access-log"),
    path("access-log/export/", cases.AccessLogExportApi.as_view(), name="access-log-export"),
    path("access-log/alerts/", cases.AccessAlertListApi.as_view(), name="access-alerts"),
    path("invitations/", cases.InvitationListApi.as_view(), name="invitation-list"),
    path("invitations/<int:pk>/answer/", cases.InvitationAnswerApi.as_view(), name="invitation-answer"),
    path("tasks/", cases.MyTasksApi.as_view(), name="my-tasks"),
    path("children/search/", cases.ChildSearchApi.as_view(), name="child-search"),
    path("agreements/", network.AgreementListApi.as_view(), name="agreement-list"),
    path("agreements/<int:pk>/", network.AgreementDetailApi.as_view(), name="agreement-detail"),
    path("agreements/<int:pk>/accept/", network.AgreementAcceptApi.as_view(), name="agreement-accept"),
    path("response-time/", network.ResponseTimeApi.as_view(), name="response-time"),
    path("knowledge/", network.KnowledgeSearchApi.as_view(), name="knowledge-search"),
    path("knowledge/articles/", network.ArticleCreateApi.as_view(), name="knowledge-article-create"),
    path("knowledge/topics/", network.KnowledgeTopicsApi.as_view(), name="knowledge-topics"),
    path("knowledge/synonyms/", network.SynonymListApi.as_view(), name="knowledge-synonyms"),
    path("knowledge/synonyms/<int:pk>/", network.SynonymDetailApi.as_view(), name="knowledge-synonym"),
    path("knowledge/articles/<int:pk>/", network.ArticleDetailApi.as_view(), name="knowledge-article"),
    path(
        "knowledge/articles/<int:pk>/attachments/",
        network.AttachmentCreateApi.as_view(),
        name="knowledge-attachment-create",
    ),
    path(
        "knowledge/articles/<int:pk>/attachments/<int:attachment_pk>/",
        network.AttachmentDownloadApi.as_view(),
        name="knowledge-attachment",
    ),
    path("jurisdiction/", network.JurisdictionApi.as_view(), name="jurisdiction"),
    path("meetings/", meetings.MeetingListApi.as_view(), name="meeting-list"),
    path("meetings/<int:pk>/", meetings.MeetingDetailApi.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/invitees/", meetings.MeetingInviteApi.as_view(), name="meeting-invite"),
    path("meetings/<int:pk>/response/", meetings.MeetingResponseApi.as_view(), name="meeting-response"),
    path("meetings/<int:pk>/reschedule/", meetings.MeetingRescheduleApi.as_view(), name="meeting-reschedule"),
    path("meetings/<int:pk>/cancel/", meetings.MeetingCancelApi.as_view(), name="meeting-cancel"),
    path("meetings/<int:pk>/attendance/", meetings.MeetingAttendanceApi.as_view(), name="meeting-attendance"),
    path("meetings/<int:pk>/minutes/", meetings.MeetingMinutesApi.as_view(), name="meeting-minutes"),
    path("meetings/<int:pk>/minutes.pdf", meetings.MinutesPdfApi.as_view(), name="meeting-minutes-pdf"),
    path("meetings/<int:pk>/calendar.ics", meetings.MeetingIcsApi.as_view(), name="meeting-ics"),
    path("meetings/<int:pk>/action-items/", meetings.ActionItemApi.as_view(), name="meeting-action-items"),
    path(
        "meetings/<int:pk>/action-items/<int:task_pk>/complete/",
        meetings.ActionItemCompleteApi.as_view(),
        name="meeting-action-item-complete",
    ),
    path("consultation-hours/", outreach.ConsultationHourListApi.as_view(), name="consultation-hour-list"),
    path(
        "consultation-hours/<int:pk>/",
        outreach.ConsultationHourDetailApi.as_view(),
        name="consultation-hour-detail",
    ),
    path(
        "consultation-hours/<int:pk>/answer/",
        outreach.ConsultationHourAnswerApi.as_view(),
        name="consultation-hour-answer",
    ),
    path(
        "consultation-hours/<int:pk>/bookings/",
        outreach.BookingCreateApi.as_view(),
        name="consultation-booking",
    ),
    path("bookings/", outreach.MyBookingsApi.as_view(), name="my-bookings"),
    path("bookings/<int:pk>/cancel/", outreach.BookingCancelApi.as_view(), name="booking-cancel"),
    path("bookings/<int:pk>/outcome/", outreach.BookingOutcomeApi.as_view(), name="booking-outcome"),
    path("help-offers/", outreach.HelpOfferListApi.as_view(), name="help-offer-list"),
    path("help-offers/<int:pk>/", outreach.HelpOfferDetailApi.as_view(), name="help-offer-detail"),
    path("referrals/", outreach.ReferralListApi.as_view(), name="referral-list"),
    path("referrals/<int:pk>/", outreach.ReferralDetailApi.as_view(), name="referral-detail"),
    path("referrals/<int:pk>/status/", outreach.ReferralStatusApi.as_view(), name="referral-status"),
]
