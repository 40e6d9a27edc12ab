"""Property tests of search query parsing: whatever is typed into the box, the parser answers, and what it
writes out is a query the database accepts as a query (never as syntax the user smuggled in)."""

import sqlite3

import pytest
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sanlian.search import text

TYPED = st.one_of(
    st.text(max_size=150),
    st.text(alphabet="医疗器械生物科技汉霖抗体 \"'*():^-+&|!<>\\NEAR AND OR NOT abc123.", max_size=60),
)


@pytest.fixture(scope="module")
def fts5():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body)")
    db.execute("INSERT INTO docs VALUES ('医疗 器械 复宏 汉霖', 'henlius 抗体')")
    yield db
    db.close()


@given(TYPED)
@example('"')
@example("NEAR(a b)")
@example("abc* OR -def")
@example("\x00医疗")
def test_any_text_gives_a_bounded_query_of_words_seen_once(typed):
    query = text.parse(typed)
    words = [group.word for group in query.groups]
    assert len(words) <= text.MAX_QUERY_WORDS and len(set(words)) == len(words)
    assert all(alt for group in query.groups for alt in group.alternatives)
    assert text.parse(typed) == query  # the same text always asks the same thing


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TYPED)
@example("'); DROP TABLE docs; --")
def test_the_fts5_expression_of_any_text_is_accepted_by_sqlite(fts5, typed):
    query = text.parse(typed)
    if query:
        fts5.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", [text.fts5(query)]).fetchone()


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TYPED)
@example("it's a \\ test")
def test_the_database_accepts_the_query_of_any_text(typed):
    """On PostgreSQL to_tsquery parses both forms; on SQLite the FTS5 form runs against an FTS5 table."""
    query = text.parse(typed)
    if not query:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for form in (text.tsquery(query), text.tsquery(query, for_match=True)):
                cursor.execute("SELECT to_tsquery('simple', %s)::text", [form])
                assert cursor.fetchone()[0]
        else:
            cursor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.q USING fts5(t)")
            cursor.execute("SELECT count(*) FROM temp.q WHERE q MATCH %s", [text.fts5(query)])
