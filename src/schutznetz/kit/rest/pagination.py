from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

MSG_PAGE = "Bitte eine Seitenzahl ab 1 angeben."


class StrictPageNumberPagination(PageNumberPagination):
    """Page numbers as the schema says: positive integers. `?page=` or `?page=x` is a 400."""

    last_page_strings = ()

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        if not value.isdigit() or int(value) < 1:
            raise ValidationError({self.page_query_param: [MSG_PAGE]})
        return value

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters
