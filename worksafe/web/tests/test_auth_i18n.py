from django.urls import reverse


def test_login_page_renders_and_logs_in(client, world):
    r = client.get(reverse("web:login"))
    assert r.status_code == 200
    assert b'name="username"' in r.content
    r = client.post(reverse("web:login"), {"username": "office", "password": "correct-horse-battery"})
    assert r.status_code == 302 and r.url == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200


def test_wrong_password_shows_error_and_keeps_username(client, world):
    r = client.post(reverse("web:login"), {"username": "office", "password": "nope"})
    assert r.status_code == 200
    assert b"errorlist" in r.content
    assert b'value="office"' in r.content


def test_pages_need_login(client, world):
    hazard = world.make_hazard()
    for url in (
        reverse("web:home"),
        reverse("hazards:list"),
        reverse("hazards:detail", args=[hazard.pk]),
        reverse("web:enterprise_list"),
        reverse("hazards:export"),
    ):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("web:login")), url


def test_logout_is_a_post(page, world):
    client = page(world.office)
    r = client.post(reverse("web:logout"))
    assert r.status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def test_accept_language_renders_chinese(page, world):
    r = page(world.office).get(reverse("web:home"), headers={"accept-language": "zh-hans"})
    assert r.status_code == 200
    assert "隐患" in r.content.decode()


def test_english_by_default_in_tests(page, world):
    r = page(world.office).get(reverse("web:home"), headers={"accept-language": "en"})
    assert "Hidden dangers" in r.content.decode()


def test_set_language_switches_to_chinese(page, world):
    client = page(world.office)
    r = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("hazards:list")})
    assert r.status_code == 302
    body = client.get(reverse("hazards:list")).content.decode()
    assert "导出" in body  # "Export to Excel"


def test_page_has_no_inline_script_or_style(page, world):
    world.make_hazard()
    body = page(world.office).get(reverse("web:home")).content.decode()
    assert "style=" not in body
    assert "<script>" not in body and "onclick" not in body


def test_detail_and_errors_in_chinese(page, world):
    hazard = world.make_hazard()
    client = page(world.office)
    zh = {"accept-language": "zh-hans"}
    body = client.get(reverse("hazards:detail", args=[hazard.pk]), headers=zh).content.decode()
    assert "下达整改" in body and "整改方案" in body and "佐证材料" in body
    r = client.post(
        reverse("hazards:transition", args=[hazard.pk]),
        {"action": "cancel", "version": 1, "note": ""},
        headers=zh,
    )
    assert "此项为必填项" in r.content.decode() or "这个字段是必填项" in r.content.decode()


def test_not_found_page_is_ours_and_says_nothing(page, world):
    hazard = world.make_hazard()
    r = page(world.outsider).get(reverse("hazards:detail", args=[hazard.pk]))
    assert r.status_code == 404
    body = r.content.decode()
    assert "not in your area" in body and hazard.number not in body
