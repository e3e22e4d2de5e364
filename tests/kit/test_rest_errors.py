"""The API answers in German also when it cannot read the request: a body that is no JSON, or not
sent as JSON, gets a German message and no parser internals."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from schutznetz.kit.rest.exceptions import MSG_MEDIA_TYPE, MSG_PARSE
from tests import factories as f


@pytest.fixture
def api(db: Any) -> Client:
    net = f.build_network()
    return Client(HTTP_AUTHORIZATION=f"Bearer {f.api_key(net.dortmund_professional)}")


def test_a_body_that_is_no_json_gets_a_german_error(api: Client) -> None:
    answer = api.post("/api/v1/intakes/", "{kein json", content_type="application/json")
    assert answer.status_code == 400 and answer.json() == {"detail": MSG_PARSE}


def test_a_body_not_sent_as_json_gets_a_german_error(api: Client) -> None:
    answer = api.post("/api/v1/intakes/", "a=1", content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 415 and answer.json() == {"detail": MSG_MEDIA_TYPE}
