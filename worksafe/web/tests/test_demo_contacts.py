"""The demo's enterprises have people and phone numbers a visitor can believe, all fictional."""

import io
import re

from django.core.management import call_command
from django.urls import reverse

from worksafe.orgs.models import Organization, User


def test_demo_enterprises_have_named_people_and_a_fictional_phone(db, client):
    call_command("load_demo", stdout=io.StringIO())
    enterprises = list(Organization.objects.filter(kind="enterprise"))
    people = [e.legal_representative for e in enterprises] + [e.safety_principal for e in enterprises]
    assert len(set(people)) == len(people) == 2 * len(enterprises)
    assert not {"法定代表人", "安全总监", ""} & set(people)
    assert all(re.fullmatch(r"138-0000-01\d\d", e.contact_phone) for e in enterprises)
    assert len({e.contact_phone for e in enterprises}) == len(enterprises)

    client.force_login(User.objects.get(username="office"))
    first = enterprises[0]
    html = client.get(reverse("web:enterprise_detail", args=[first.pk])).content.decode()
    assert first.legal_representative in html and first.safety_principal in html
    assert f'<a href="tel:{first.contact_phone}">{first.contact_phone}</a>' in html
