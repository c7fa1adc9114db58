"""Named people and places for tests (style.md §7): every test can say who acts and who must
not see. Built through the real services and models, never mocks of our own database.
Test support sits above every app (it registers hazards, issues tokens), so it lives beside the
project's api.py and urls.py, not in core, which imports no app."""

import itertools
import json
import struct
import zlib
from datetime import date, timedelta

from django.db.models import Count
from django.test import Client
from django.utils import timezone

from worksafe.hazards.models import Hazard, HazardTally
from worksafe.hazards.services import hazard_create
from worksafe.orgs.models import Organization, Role, User
from worksafe.orgs.services import token_create_for
from worksafe.orgs.uscc import make_code

_serial = itertools.count(10_000_000)


def _png() -> bytes:
    """A real 1×1 PNG: evidence is judged by content, so tests upload true images."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )


PNG = _png()


def make_org(*, kind: str, name: str, region: str, **fields) -> Organization:
    if kind == Organization.Kind.ENTERPRISE:
        fields.setdefault("uscc", make_code(f"91{region[:6]}", f"{next(_serial):08d}"))
        fields.setdefault("industry", "hazardous_chemicals")
    return Organization.objects.create(kind=kind, name=name, region_id=region, **fields)


def make_user(username: str, *, role: str, organization: Organization | None, name: str = "") -> User:
    user = User(username=username, role=role, organization=organization, name=name or username)
    user.set_password("correct-horse-battery")
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save()
    return user


class World:
    """Dalian city with two districts, a Harbin outsider, and one person per role.

    - office / leader: Dalian city committee (210200)
    - office_gjz: Ganjingzi district committee (210211)
    - inspector: Dalian emergency management (hazardous chemicals, industry and trade; may penalize)
    - inspector_build: Dalian housing and construction (construction)
    - inspector_zs: Zhongshan district emergency management (hazardous chemicals; may not penalize)
    - officer_a: chemicals enterprise A in Zhongshan (210202)
    - officer_b: chemicals enterprise B in Ganjingzi (210211)
    - officer_c: construction enterprise C in Zhongshan
    - outsider: Harbin city office (230100); officer_h: a Harbin enterprise
    - expert, admin
    """

    def __init__(self):
        K = Organization.Kind
        self.committee = make_org(kind=K.COMMITTEE, name="大连市安委会办公室", region="210200")
        self.committee_gjz = make_org(kind=K.COMMITTEE, name="甘井子区安委会办公室", region="210211")
        self.dept_em = make_org(
            kind=K.DEPARTMENT,
            name="大连市应急管理局",
            region="210200",
            industries=["hazardous_chemicals", "industry_trade"],
            can_penalize=True,
        )
        self.dept_build = make_org(
            kind=K.DEPARTMENT,
            name="大连市住房和城乡建设局",
            region="210200",
            industries=["construction"],
            can_penalize=True,
        )
        self.dept_zs = make_org(
            kind=K.DEPARTMENT,
            name="中山区应急管理局",
            region="210202",
            industries=["hazardous_chemicals"],
            can_penalize=False,
        )
        self.enterprise_a = make_org(
            kind=K.ENTERPRISE, name="大连甲化工有限公司", region="210202", industry="hazardous_chemicals"
        )
        self.enterprise_b = make_org(
            kind=K.ENTERPRISE, name="大连乙化工有限公司", region="210211", industry="hazardous_chemicals"
        )
        self.enterprise_c = make_org(
            kind=K.ENTERPRISE, name="大连丙建筑工程有限公司", region="210202", industry="construction"
        )
        self.harbin = make_org(kind=K.COMMITTEE, name="哈尔滨市安委会办公室", region="230100")
        self.enterprise_h = make_org(
            kind=K.ENTERPRISE, name="哈尔滨丁化工有限公司", region="230100", industry="hazardous_chemicals"
        )
        self.expert_org = make_org(kind=K.COMMITTEE, name="大连市安全生产专家组", region="210200")

        self.admin = make_user("admin", role=Role.ADMIN, organization=None)
        self.office = make_user("office", role=Role.OFFICE, organization=self.committee)
        self.leader = make_user("leader", role=Role.LEADER, organization=self.committee)
        self.office_gjz = make_user("office_gjz", role=Role.OFFICE, organization=self.committee_gjz)
        self.inspector = make_user("inspector", role=Role.INSPECTOR, organization=self.dept_em)
        self.inspector_build = make_user("inspector_build", role=Role.INSPECTOR, organization=self.dept_build)
        self.inspector_zs = make_user("inspector_zs", role=Role.INSPECTOR, organization=self.dept_zs)
        self.officer_a = make_user("officer_a", role=Role.ENTERPRISE_OFFICER, organization=self.enterprise_a)
        self.officer_b = make_user("officer_b", role=Role.ENTERPRISE_OFFICER, organization=self.enterprise_b)
        self.officer_c = make_user("officer_c", role=Role.ENTERPRISE_OFFICER, organization=self.enterprise_c)
        self.outsider = make_user("outsider", role=Role.OFFICE, organization=self.harbin)
        self.officer_h = make_user("officer_h", role=Role.ENTERPRISE_OFFICER, organization=self.enterprise_h)
        self.expert = make_user("expert", role=Role.EXPERT, organization=self.expert_org)

    def make_hazard(self, **overrides):
        """A hazard registered through the service (so it has its number and creation event)."""
        actor = overrides.pop("actor", self.office)
        fields = {
            "enterprise": self.enterprise_a.pk,
            "title": "储罐区可燃气体报警器失效",
            "level": "general",
            "source": "inspection",
            "due_date": timezone.localdate() + timedelta(days=10),
        }
        if isinstance(overrides.get("enterprise"), Organization):
            overrides["enterprise"] = overrides["enterprise"].pk
        fields.update(overrides)
        return hazard_create(actor=actor, **fields)


def bearer(user: User) -> str:
    return token_create_for(user)[0]


class ApiClient:
    """The JSON API as one user, with a real bearer token."""

    def __init__(self, user: User | None):
        self.client = Client(SERVER_NAME="localhost")
        self.headers = {"Authorization": f"Bearer {bearer(user)}"} if user else {}

    def get(self, url: str, **params):
        return self.client.get(url, params, headers=self.headers)

    def post(self, url: str, data=None, **kwargs):
        body = (
            data
            if isinstance(data, (str, bytes))
            else json.dumps(data if data is not None else {}, default=str)
        )
        return self.client.post(url, body, content_type="application/json", headers=self.headers, **kwargs)

    def upload(self, url: str, data: dict):
        return self.client.post(url, data, headers=self.headers)

    def patch(self, url: str, data=None):
        return self.client.patch(
            url, json.dumps(data or {}, default=str), content_type="application/json", headers=self.headers
        )


def as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def tally_matches_register() -> bool:
    """The maintained hazard tally equals a recount of the register."""
    counted = {
        (r["region_id"], r["industry"], r["status"], r["level"]): r["n"]
        for r in Hazard.objects.values("region_id", "industry", "status", "level").annotate(n=Count("id"))
    }
    tallied = {(t.region_id, t.industry, t.status, t.level): t.n for t in HazardTally.objects.all() if t.n}
    return counted == tallied
