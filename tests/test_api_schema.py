"""Property-based API testing: schemathesis generates requests from the OpenAPI schema.

Every operation is called with valid and invalid data as a coordinator of a youth office; no
response may be a 5xx or deviate from the schema (status code, content type, body).
The "schema-valid data must be accepted" check is left out: a well-formed request can still be
refused for a rule of the domain (a postal code no youth office serves is a 400 with a message).
The examples are derandomized so that CI is repeatable; to explore further, run it locally with
more examples and without `derandomize`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from schutznetz.accounts.services import api_token_rotate
from schutznetz.wsgi import application
from tests import factories as f

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


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
def token(network: f.Network, _keep_test_connection: None) -> str:
    return api_token_rotate(user=network.dortmund_coordinator).key


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
def test_api_conforms_to_its_schema(case: schemathesis.Case, token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"}, excluded_checks=[positive_data_acceptance]
    )
