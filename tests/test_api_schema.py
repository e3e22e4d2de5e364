"""Property-based API testing: schemathesis generates requests from the OpenAPI schema.

Every operation is called with valid and invalid data as a coordinator of a youth office; no
response may be a 5xx or deviate from the schema (status code, content type, body).

Valid data must pass the endpoint's input validation: a schema-valid request that the serializer
refuses (a required field it does not know, a type it does not take) means the schema documents
another body than the endpoint reads. A valid request may still be refused for a rule of the
domain (a postal code no youth office serves, a due date in the past, an id that does not exist):
those refusals come from the services or carry codes of their own, and are allowed.
A second test runs schemathesis' stateful phase: chains of calls in which a list or a creation feeds
its ids into the next call (links inferred from the schema), with valid and invalid data, each chain
rolled back after it. Every operation is also sent once without a token and once with a wrong one
(401/403 expected).

The examples are derandomized so that CI is repeatable; to explore further, run it locally with
more examples and without `derandomize`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import time, timedelta
from typing import Any

import pytest
import schemathesis
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.exceptions import ValidationError
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from schemathesis.specs.openapi.checks import positive_data_acceptance

from schutznetz.cases.models import Task
from schutznetz.kit.rest.exceptions import exception_handler
from schutznetz.meetings import services as meeting_services
from schutznetz.meetings.models import MeetingKind
from schutznetz.network.agreements import services as agreement_services
from schutznetz.network.knowledge import services as knowledge_services
from schutznetz.outreach import services as outreach_services
from schutznetz.outreach.models import HelpCategory
from schutznetz.wsgi import application
from tests import factories as f
from tests.factories import api_key

# The served schema is for signed-in users outside the demo; the test reads what it serves directly.
schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
)
schema.app = application
schema.location = "/api/schema/"

# The token of the current test's user (set by the fixture `token`), sent as the schema's token auth:
# schemathesis then also sends each operation once without and once with a wrong token, and expects
# 401/403 there.
_auth: dict[str, str] = {}


@schema.auth(refresh_interval=None)
class TokenAuth:
    def get(self, case: schemathesis.Case, ctx: Any) -> str:
        return _auth.get("token", "")

    def set(self, case: schemathesis.Case, data: str, ctx: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


# Codes of DRF's field validation that say the request does not have the shape the serializer
# reads: a field it requires, a type or choice it does not take, a bound it does not document.
# ("invalid" is left out: DRF also uses it for a date or an id in the wrong format, and a JSON
# Schema "format" is an annotation, so schema-valid data may carry any string there; so is "blank",
# which DRF also says of a text of spaces only.)
SHAPE_CODES = {
    "required",
    "null",
    "invalid_choice",
    "max_length",
    "min_length",
    "max_value",
    "min_value",
    "max_string_length",
    "not_a_list",
    "not_a_dict",
    "empty",
}

refusals: list[tuple[str, Any]] = []


def _codes(detail: Any) -> set[str]:
    if isinstance(detail, dict):
        return set().union(*(_codes(v) for v in detail.values())) if detail else set()
    if isinstance(detail, list):
        return set().union(*(_codes(v) for v in detail)) if detail else set()
    return {str(detail)}


def _recording_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """The API's exception handler, noting where a 400 came from: the input or a service."""
    if isinstance(exc, DjangoValidationError):
        refusals.append(("service", None))
    elif isinstance(exc, ValidationError):
        refusals.append(("input", exc.get_codes()))
    return exception_handler(exc, context)


def _file_fields(case: schemathesis.Case) -> set[str]:
    """Fields of a multipart body that are files: whether a part arrives as a file is the encoder's
    choice (a filename), not the schema's, and the stateful phase fills fields with values taken from
    earlier responses."""
    content = case.operation.definition.raw.get("requestBody", {}).get("content", {})
    body = content.get("multipart/form-data", {}).get("schema", {})
    if "$ref" in body:
        body = schema.raw_schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    return {name for name, field in body.get("properties", {}).items() if field.get("format") == "binary"}


def valid_input_passes_validation(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    files = _file_fields(case)
    for origin, codes in refusals:
        if isinstance(codes, dict):
            codes = {name: code for name, code in codes.items() if name not in files}
        shape = _codes(codes) & SHAPE_CODES if origin == "input" else set()
        if shape:
            raise AssertionError(
                f"{case.operation.label}: a schema-valid request was refused by the input validation "
                f"({', '.join(sorted(shape))}: {response.text[:300]}); the schema does not describe "
                "what the endpoint reads."
            )
    return None


@pytest.fixture
def _keep_test_connection() -> Iterator[None]:
    # The WSGI handler closes the database connection after each request, which would end the
    # test's transaction; the test client does the same disconnect.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(world: f.CaseWorld, _keep_test_connection: None, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(APIView, "get_exception_handler", lambda self: _recording_handler)
    # Thousands of generated requests by one user: the per-user bounds are tested on their own.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"child_search": None, "free_text": None})
    _auth["token"] = api_key(world.network.dortmund_coordinator)
    return _auth["token"]


@pytest.fixture
def known_ids(world: f.CaseWorld) -> dict[str, dict[str, Any]]:
    """Ids of records the token's user (coordinator of the lead youth office) may act on, by the
    first segment of the API path: schema-valid requests reach the input validation this way,
    instead of stopping at a 404 for a random id."""
    net, coordinator = world.network, world.network.dortmund_coordinator
    today, soon = timezone.localdate(), timezone.now().replace(microsecond=0) + timedelta(days=3)
    meeting = meeting_services.meeting_create(
        actor=coordinator,
        organiser=net.dortmund,
        kind=MeetingKind.ROUND_TABLE,
        title="Runder Tisch",
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
        location="Ostwall 64",
        invitees=[net.dortmund_professional_membership],
    )
    item = meeting_services.action_item_create(
        actor=coordinator, meeting=meeting, title="Protokoll", owner=coordinator, due_date=today
    )
    agreement = agreement_services.agreement_create(
        actor=coordinator, title="Vereinbarung", parties=[net.dortmund, net.practice], valid_from=today
    )
    article = knowledge_services.article_create(actor=coordinator, title="Ablauf", body="Ablauf der Meldung")
    hour = outreach_services.consultation_hour_create(
        actor=net.admin,
        practice=net.practice,
        counsellor=net.dortmund_professional_membership,
        weekday=2,
        start_time=time(9),
        end_time=time(12),
        valid_from=today,
    )
    offer = outreach_services.help_offer_create(
        actor=coordinator,
        provider=net.dortmund,
        title="Familienberatung",
        category=HelpCategory.PARENTING_COUNSELLING,
        target_group="Familien",
        contact="0231 50-0",
    )
    referral = outreach_services.referral_create(
        actor=coordinator,
        offer=offer,
        from_organisation=net.dortmund,
        family_postal_code="44135",
        reference="Nr. 1",
        consent_recorded=True,
    )
    shift = f.make_shift(coordinator, net.dortmund_professional_membership, soon)
    task = Task.objects.filter(case=world.case).first()
    assert task is not None
    return {
        "organisations": {"pk": net.dortmund.pk},
        "memberships": {"pk": net.dortmund_professional_membership.pk},
        "on-call-shifts": {"pk": shift.pk},
        "cases": {"pk": world.case.pk, "task_pk": task.pk},  # type: ignore[attr-defined]
        "agreements": {"pk": agreement.pk},
        "knowledge": {"pk": article.pk},
        "meetings": {"pk": meeting.pk, "task_pk": item.pk},
        "consultation-hours": {"pk": hour.pk},
        "help-offers": {"pk": offer.pk},
        "referrals": {"pk": referral.pk},
    }


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(
    case: schemathesis.Case, token: str, known_ids: dict[str, dict[str, Any]]
) -> None:
    if case.meta is not None and case.meta.generation.mode.is_positive and case.path_parameters:
        resource = case.operation.path.removeprefix("/api/v1/").split("/")[0]
        for name, value in known_ids.get(resource, {}).items():
            if name in case.path_parameters:
                case.path_parameters[name] = value
    refusals.clear()
    case.call_and_validate(
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_input_passes_validation],
    )


def test_api_survives_chains_of_calls(token: str, known_ids: dict[str, dict[str, Any]]) -> None:
    """Stateful phase: schemathesis chains operations (a list or a creation feeds the ids of the next
    call, links inferred from the schema) and checks every response as above."""

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        # Each scenario starts from the same data: what one chain created is rolled back after it.
        def setup(self) -> None:
            self._scenario = transaction.atomic()
            self._scenario.__enter__()

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._scenario.__exit__(None, None, None)

        def before_call(self, case: schemathesis.Case) -> None:
            refusals.clear()

        def validate_response(self, response: Any, case: schemathesis.Case, **kwargs: Any) -> None:
            case.validate_response(
                response,
                excluded_checks=[positive_data_acceptance],
                additional_checks=[valid_input_passes_validation],
                transport_kwargs=kwargs,
            )

    Workflow.run(
        settings=settings(
            max_examples=60,
            stateful_step_count=8,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
