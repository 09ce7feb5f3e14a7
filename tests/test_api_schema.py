"""The API matches its OpenAPI schema, fuzzed by schemathesis through the WSGI app."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


def test_openapi_schema_is_served_and_names_the_api():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Alongside API"
    assert "/api/health" in document["paths"]


@pytest.mark.django_db
@schema.parametrize()
def test_api_conforms_to_its_schema(case):
    case.call_and_validate()
