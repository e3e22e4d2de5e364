from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from schutznetz.accounts.http import AuthenticatedRequest
from schutznetz.kit.rest.exceptions import ERROR_RESPONSES
from schutznetz.kit.rest.throttling import WriteScopedThrottle
from schutznetz.kit.rest.views import validated
from schutznetz.network import queries as network_queries
from schutznetz.outreach import queries, services
from schutznetz.outreach import serializers as s

TAGS = ["Sprechstunden, Hilfeangebote, Vermittlungen"]


class ConsultationHourListApi(generics.GenericAPIView):
    @extend_schema(tags=TAGS, responses={200: s.ConsultationHourOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest) -> Response:
        page = self.paginate_queryset(queries.consultation_hours_current())
        return self.get_paginated_response(s.ConsultationHourOutput(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=s.ConsultationHourInput,
        responses={201: s.ConsultationHourOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = validated(s.ConsultationHourInput, request.data)
        data["practice"] = network_queries.active_organisation_get(data["practice"])
        data["counsellor"] = network_queries.membership_get(data["counsellor"])
        hour = services.consultation_hour_create(actor=request.user, **data)
        return Response(s.ConsultationHourOutput(hour).data, status=201)


class ConsultationHourDetailApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.ConsultationHourDetailOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        """The hour with its slots of the next four weeks; bookings only for those who take part."""
        hour = queries.consultation_hour_get(request.user, pk)
        slots = queries.hour_schedule(request.user, hour)
        visible = [slot.booking.pk for slot in slots if slot.booking is not None and slot.visible]
        if visible:
            services.record_read(
                actor=request.user,
                object_type="ConsultationHour",
                object_id=hour.pk,
                purpose="Termine der Sprechstunde",
                bookings=visible,
            )
        return Response(s.ConsultationHourDetailOutput({"hour": hour, "slots": slots}).data)


class BookingCreateApi(APIView):
    throttle_classes = [WriteScopedThrottle]
    throttle_scope = "free_text"

    @extend_schema(tags=TAGS, request=s.BookingInput, responses={201: s.BookingOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        hour = queries.consultation_hour_get(request.user, pk)
        data = validated(s.BookingInput, request.data)
        booking = services.booking_create(
            actor=request.user,
            hour=hour,
            day=data["date"],
            slot_start=data["slot_start"],
            reference=data["reference"],
            topic=data["topic"],
            consent_recorded=data["consent_recorded"],
        )
        return Response(s.BookingOutput(booking).data, status=201)


class BookingCancelApi(APIView):
    @extend_schema(tags=TAGS, request=None, responses={200: s.BookingOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        booking = queries.booking_get_for(request.user, pk)
        booking = services.booking_cancel(actor=request.user, booking=booking)
        return Response(s.BookingOutput(booking).data)


class MyBookingsApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.BookingRowOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest) -> Response:
        rows = queries.my_bookings(request.user, timezone.localdate())
        services.record_read(
            actor=request.user,
            object_type="BookingList",
            purpose="Meine Sprechstunden (API)",
            bookings=[row.booking.pk for row in rows],
        )
        return Response(s.BookingRowOutput(rows, many=True).data)


class BookingOutcomeApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.BookingOutcomeInput, responses={200: s.BookingRowOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        booking = queries.booking_get_for(request.user, pk)
        data = validated(s.BookingOutcomeInput, request.data)
        booking = services.booking_outcome_record(actor=request.user, booking=booking, **data)
        row = queries.booking_row(request.user, booking, timezone.localdate())
        return Response(s.BookingRowOutput(row).data)


class HelpOfferListApi(generics.GenericAPIView):
    @extend_schema(
        tags=TAGS,
        parameters=[s.HelpOfferFilterInput],
        responses={200: s.HelpOfferOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """The catalogue; ``postal_code`` keeps offers that serve it (and those for the whole network)."""
        data = validated(s.HelpOfferFilterInput, request.query_params.dict())
        offers = queries.help_offer_list(
            category=data.get("category", ""), postal_code=data.get("postal_code", ""), text=data["q"]
        )
        page = self.paginate_queryset(offers)
        return self.get_paginated_response(s.HelpOfferOutput(page, many=True).data)

    @extend_schema(tags=TAGS, request=s.HelpOfferInput, responses={201: s.HelpOfferOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = validated(s.HelpOfferInput, request.data)
        data["provider"] = network_queries.active_organisation_get(data["provider"])
        offer = services.help_offer_create(actor=request.user, **data)
        return Response(s.HelpOfferOutput(queries.help_offer_get(offer.pk)).data, status=201)


class HelpOfferDetailApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.HelpOfferOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(s.HelpOfferOutput(queries.help_offer_get(pk)).data)


class ReferralListApi(generics.GenericAPIView):
    throttle_classes = [WriteScopedThrottle]
    throttle_scope = "free_text"

    @extend_schema(tags=TAGS, responses={200: s.ReferralOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest) -> Response:
        """Referrals my organisations made or received, open ones first."""
        page = self.paginate_queryset(queries.referral_list_for(request.user))
        services.record_read(
            actor=request.user,
            object_type="ReferralList",
            purpose="Vermittlungen",
            referrals=[r.pk for r in page or []],
        )
        return self.get_paginated_response(s.ReferralOutput(page, many=True).data)

    @extend_schema(
        tags=TAGS, request=s.ReferralInput, responses={201: s.ReferralDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = validated(s.ReferralInput, request.data)
        data["offer"] = queries.help_offer_get(data["offer"])
        data["from_organisation"] = network_queries.active_organisation_get(data["from_organisation"])
        referral = services.referral_create(actor=request.user, **data)
        return Response(
            s.ReferralDetailOutput(queries.referral_get_for(request.user, referral.pk)).data, status=201
        )


class ReferralDetailApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.ReferralDetailOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        referral = queries.referral_get_for(request.user, pk)
        services.record_read(
            actor=request.user, object_type="Referral", object_id=referral.pk, purpose="Vermittlung einsehen"
        )
        return Response(s.ReferralDetailOutput(referral).data)


class ReferralStatusApi(APIView):
    throttle_classes = [WriteScopedThrottle]
    throttle_scope = "free_text"

    @extend_schema(
        tags=TAGS, request=s.ReferralStatusInput, responses={200: s.ReferralDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        referral = queries.referral_get_for(request.user, pk)
        data = validated(s.ReferralStatusInput, request.data)
        services.referral_status_set(actor=request.user, referral=referral, **data)
        return Response(s.ReferralDetailOutput(queries.referral_get_for(request.user, pk)).data)


class ConsultationHourAnswerApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.HourAnswerInput, responses={200: s.ConsultationHourOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        """The host practice's coordination agrees to a proposed consultation hour, or declines it."""
        hour = queries.consultation_hour_get(request.user, pk)
        answered = services.consultation_hour_answer(
            actor=request.user, hour=hour, **validated(s.HourAnswerInput, request.data)
        )
        return Response(s.ConsultationHourOutput(answered).data)
