"""Requests no database could answer are refused before any view runs."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_character_in_an_api_query_is_a_clear_400(api_as, pujiang_officer):
    response = api_as(pujiang_officer).get("/policies", q="基因\x00")

    assert response.status_code == 400
    assert response.json() == {"detail": "查询参数不能包含空字符(NUL)", "code": "invalid_query"}


def test_a_nul_character_in_a_page_query_is_a_400(client, pujiang_officer):
    client.force_login(pujiang_officer)

    response = client.get("/policies/", {"q": "\x00"})

    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_ordinary_queries_pass(client, pujiang_officer):
    client.force_login(pujiang_officer)

    assert client.get("/policies/", {"q": "研发"}).status_code == 200
