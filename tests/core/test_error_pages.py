"""Error pages are platform pages: 403 and 404 keep the header (navigation, language, the 关怀版 switch) and
speak the visitor's language; 500 is rendered without the request, so it stands alone."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_refused_page_is_the_platforms_403_with_the_care_mode_switch(client, enterprise_admin):
    client.force_login(enterprise_admin)
    response = client.get(reverse("audit"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in html
    assert reverse("care-mode") in html
    assert "activity.manage" not in html and "Forbidden" not in html


def test_a_missing_page_is_the_platforms_404_in_the_chosen_language(client, enterprise_admin):
    client.force_login(enterprise_admin)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert reverse("care-mode") in html and 'lang="en"' in html


def test_a_server_error_page_renders_without_the_request():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in html and "css/sanlian.css" in html
