"""The OpenAPI document is served and valid, and the responses of the API conform to it.

Schemathesis loads the document from the WSGI application in-process, so its requests run inside the
test's database transaction and see the data made here.
"""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from sanlian.config.wsgi import application
from sanlian.core.services import api_token_create
from sanlian.enterprises import services
from tests import factories

from .client import API
from .helpers import certify, report


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """Calling the WSGI app directly fires request_finished, whose close_old_connections would close the
    test's connection mid-transaction (PostgreSQL); Django's test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Schemathesis sends hundreds of calls with one token: the rate limits (tested in test_rate_limits.py)
    must not turn its answers into 429s."""
    settings.SANLIAN_API_RATE_USER = None
    settings.SANLIAN_API_RATE_ANON = None


@pytest.fixture
def registry(db):
    """A little of everything the GET endpoints show, in two towns."""
    enterprise = factories.enterprise("pujiang", name="浦江结构测试有限公司", chain_nodes=("M5", "U2"))
    factories.enterprise("xinzhuang")
    certify(enterprise, "hnte", valid_from_date="2022-01-01", valid_until_date="2024-12-31")
    services.contact_save(
        actor=factories.superuser(),
        enterprise=enterprise,
        data={"name": "李四", "phone": "13900001111", "email": "lisi@example.cn", "is_primary": True},
    )
    approved = report(enterprise, 2023)
    report(enterprise, 2024, status="submitted")
    return enterprise, approved


@pytest.fixture
def district_key(db):
    _token, key = api_token_create(user=factories.district_officer(), name="schema tests")
    return key


@pytest.fixture
def api_schema(registry):
    return schemathesis.openapi.from_wsgi(f"{API}/openapi.json", application)


def test_the_openapi_document_is_served_to_anyone(db):
    response = Client().get(f"{API}/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert {"TokenAuth", "SessionAuth"} <= set(document["components"]["securitySchemes"])
    assert f"{API}/enterprises" in document["paths"]


def test_the_openapi_document_is_a_valid_openapi_schema(api_schema):
    # validate() checks the document against the OpenAPI 3.1 meta-schema (jsonschema-rs) and raises if invalid.
    assert api_schema.validate() is None
    operations = {(op.method.upper(), op.path) for op in (r.ok() for r in api_schema.get_all_operations())}
    assert ("GET", f"{API}/enterprises/{{pk}}") in operations


def test_the_docs_page_loads_nothing_from_a_cdn(db):
    response = Client().get(f"{API}/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html and "https://" not in html
    assert "/static/ninja/swagger-ui-bundle.js" in html


@pytest.mark.xfail(
    "ninja" not in django_settings.INSTALLED_APPS,
    reason='the bundled Swagger UI files are served once "ninja" is in INSTALLED_APPS',
    strict=True,
)
def test_the_docs_page_assets_are_served_locally():
    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("ninja/swagger-ui-init.js")


# ---------------------------------------------------------------- responses against the document

# Loaded eagerly at collection: `schemathesis.pytest.from_fixture` does not run under pytest 9 (it sets the
# removed `Function._nodeid`). The document needs no database, only the URLconf.
schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", application)

MAIN_READS = [
    ("/me", {}, {}),
    ("/regions", {}, {}),
    ("/parks", {}, {}),
    ("/clusters", {}, {}),
    ("/chain-nodes", {}, {}),
    ("/enterprises", {}, {"page_size": 5}),
    ("/enterprises", {}, {"town": "pujiang", "chain_node": "M5", "certification": "hnte", "as_of": "2023-01-01"}),
    ("/enterprises/{pk}", {"pk": "enterprise"}, {}),
    ("/annual-reports", {}, {"year": 2023}),
    ("/annual-reports/{pk}", {"pk": "report"}, {}),
    ("/stats", {}, {"town": "pujiang", "year": 2023}),
]


@pytest.mark.parametrize(("path", "path_parameters", "query"), MAIN_READS)
def test_each_main_read_answers_200_conforming_to_the_document(
    api_schema, registry, district_key, path, path_parameters, query
):
    enterprise, approved = registry
    ids = {"enterprise": enterprise.pk, "report": approved.pk}
    operation = api_schema[API + path]["GET"]
    case = operation.Case(path_parameters={k: ids[v] for k, v in path_parameters.items()}, query=query)

    response = case.call_and_validate(headers={"Authorization": f"Bearer {district_key}"})

    assert response.status_code == 200


ERROR_READS = [
    ("/enterprises/{pk}", {"pk": 999999}, {}, 404),
    ("/enterprises", {}, {"town": "atlantis"}, 422),
    ("/enterprises", {}, {"page": 0}, 422),
    ("/stats", {}, {"town": "minhang"}, 422),
]


@pytest.mark.parametrize(("path", "path_parameters", "query", "status"), ERROR_READS)
def test_error_answers_conform_to_the_document_too(api_schema, district_key, path, path_parameters, query, status):
    case = api_schema[API + path]["GET"].Case(path_parameters=path_parameters, query=query)

    response = case.call_and_validate(headers={"Authorization": f"Bearer {district_key}"})

    assert response.status_code == status


def test_an_anonymous_answer_conforms_to_the_document(api_schema):
    response = api_schema[API + "/enterprises"]["GET"].Case().call_and_validate()

    assert response.status_code == 401


@schema.include(method="GET").parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_generated_reads_conform_to_the_document(case, registry, district_key):
    # Unknown reference codes are refused with 422 by design, and any string is a schema-valid code:
    # so "schema-valid requests are accepted" cannot hold; every other check runs.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {district_key}"}, excluded_checks=[positive_data_acceptance]
    )


# ---------------------------------------------------------------- every operation, on data that exists


def _on_existing_objects(case, ids: dict) -> None:
    """Point the path parameters at the world's objects, so generated calls reach real ones (not just 404)."""
    template = case.operation.path.removeprefix(API)
    if template in ids and not _path_made_invalid(case):
        for name, value in ids[template].items():
            case.path_parameters[name] = value


def _path_made_invalid(case) -> bool:
    """A negative case whose path parameters were made schema-violating on purpose keeps them: replacing
    them with valid ids would make the API accept what the check expects it to refuse."""
    meta = getattr(case, "_meta", None)
    if meta is None:
        return False
    info = meta.components.get(ParameterLocation.PATH)
    return info is not None and info.mode == GenerationMode.NEGATIVE


GENERATED = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@schema.include(method=["POST", "PATCH", "PUT"]).parametrize()
@GENERATED
def test_generated_writes_as_an_officer_conform_to_the_document(case, world):
    _on_existing_objects(case, world["ids"])
    # Schema-valid bodies may still break a business rule (422), so positive acceptance cannot hold.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world['keys']['officer']}"}, excluded_checks=[positive_data_acceptance]
    )


@schema.include(method=["POST", "PATCH", "PUT"]).parametrize()
@GENERATED
def test_generated_writes_as_an_enterprise_conform_to_the_document(case, world):
    _on_existing_objects(case, world["ids"])
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world['keys']['enterprise']}"}, excluded_checks=[positive_data_acceptance]
    )


@schema.include(method="GET").parametrize()
@GENERATED
def test_generated_reads_of_existing_objects_conform_to_the_document(case, world):
    _on_existing_objects(case, world["ids"])
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world['keys']['enterprise']}"}, excluded_checks=[positive_data_acceptance]
    )


def _schemas(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI document files schemas by class name: a second class of the same name silently replaces
    the first in `components`, and answers are then checked against the wrong schema."""
    from ninja import Schema

    import sanlian.config.api  # noqa: F401 — every router and its schemas

    names = {}
    for schema in _schemas(Schema):
        if schema.__module__.startswith("sanlian."):
            names.setdefault(schema.__name__, set()).add(f"{schema.__module__}.{schema.__qualname__}")
    assert {name: where for name, where in names.items() if len(where) > 1} == {}
