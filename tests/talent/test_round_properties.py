"""Property tests of the round document (YAML written by officers): whatever the text or the structure, the
parser and the validator answer with a ValidationError naming where, never with another exception."""

from datetime import date

import pytest
import yaml
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sanlian.talent.services.rounds import RoundDocumentError, clean_document, parse_document

from .helpers import round_document

pytestmark = pytest.mark.django_db

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=False),
    st.text(max_size=12), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
KEYS = st.sampled_from(
    ["year", "name", "open_date", "deadline_date", "age_reference_date", "notice_days", "routes", "rule",
     "types", "materials", "levels", "quotas", "scoring", "code", "label", "housing_subsidy_max"]
)  # fmt: skip


@PROPERTY
@given(st.text(max_size=200))
@example("year: [")
@example("\x00")
@example("a: &x [*x]")
def test_any_text_parses_or_is_refused_with_the_line(text):
    try:
        parse_document(text)
    except RoundDocumentError as exc:
        assert "document" in exc.message_dict


@PROPERTY
@given(st.dictionaries(KEYS, VALUES, max_size=8))
def test_any_structure_is_cleaned_or_refused_field_by_field(document):
    try:
        clean_document(document)
    except ValidationError as exc:
        assert exc.message_dict and all(isinstance(k, str) for k in exc.message_dict)


@PROPERTY
@given(st.sampled_from(["year", "levels", "open_date", "notice_days", "routes", "rule"]), VALUES)
def test_one_field_of_a_valid_document_replaced_by_anything_is_accepted_or_refused_at_that_field(key, value):
    document = round_document()
    document[key] = value
    try:
        clean_document(document)
    except ValidationError as exc:
        assert any(path.startswith(key) for path in exc.message_dict), exc.message_dict


def test_a_valid_document_round_trips_through_yaml():
    document = round_document()
    assert clean_document(parse_document(yaml.safe_dump(document, allow_unicode=True))) == clean_document(document)
