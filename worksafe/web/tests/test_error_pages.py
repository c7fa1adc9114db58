from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error


def test_a_server_error_shows_the_apps_own_page_in_the_users_language():
    with translation.override("zh-hans"):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in html and 'lang="zh-hans"' in html
    assert "Traceback" not in html
