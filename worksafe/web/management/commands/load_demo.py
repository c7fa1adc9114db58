"""Demo data telling a believable story in Dalian. Safe to run twice: a loaded demo is kept."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from worksafe.orgs.models import Organization, Role, User
from worksafe.orgs.uscc import make_code

PASSWORD = "WorkSafe-demo-2026"  # noqa: S105  (demo accounts only, printed for the visitor)

DEPARTMENTS = {
    "dept_em": (
        "大连市应急管理局",
        ["hazardous_chemicals", "industry_trade", "metal_nonmetal_mine", "fireworks"],
        True,
    ),
    "dept_build": ("大连市住房和城乡建设局", ["construction", "gas"], True),
    "dept_transport": ("大连市交通运输局", ["road_transport", "waterway_transport"], True),
    "dept_fire": ("大连市消防救援支队", ["fire_safety"], True),
    "dept_market": ("大连市市场监督管理局", ["special_equipment"], True),
    "dept_em_gjz": ("甘井子区应急管理局", ["hazardous_chemicals", "industry_trade"], False),
}

# key: (name, district, industry, staff)
ENTERPRISES = {
    "chem_a": ("大连海辰化工有限公司", "210211", "hazardous_chemicals", 320),
    "chem_b": ("大连北港石化储运有限公司", "210211", "hazardous_chemicals", 180),
    "trade": ("大连金泰铝制品有限公司", "210211", "industry_trade", 95),
    "build": ("大连城建第三工程有限公司", "210202", "construction", 600),
    "build2": ("大连宏远建筑安装有限公司", "210203", "construction", 140),
    "mall": ("大连青泥洼商贸有限公司", "210202", "fire_safety", 260),
    "hotel": ("大连海韵酒店管理有限公司", "210202", "fire_safety", 85),
    "bus": ("大连顺达客运有限公司", "210203", "road_transport", 410),
    "gas": ("大连港城燃气有限公司", "210203", "gas", 230),
    "lift": ("大连星海物业服务有限公司", "210203", "special_equipment", 150),
    "mine": ("大连石门矿业有限公司", "210211", "metal_nonmetal_mine", 210),
    "tour": ("大连老虎滩旅游发展有限公司", "210202", "tourism", 380),
}

# key: (legal representative, principal person for safety); fictional people. Their phone numbers
# are 138-0000-01NN, a range no one is given, so a visitor dialling one reaches nobody.
CONTACTS = {
    "chem_a": ("韩立军", "马建国"),
    "chem_b": ("邹海波", "田晓东"),
    "trade": ("袁金泰", "曲振华"),
    "build": ("孔德明", "吕志强"),
    "build2": ("唐宏远", "于洪涛"),
    "mall": ("薛丽娟", "谷长青"),
    "hotel": ("任海韵", "邵雪梅"),
    "bus": ("毛顺达", "姜永利"),
    "gas": ("邓国栋", "秦立新"),
    "lift": ("石星海", "常玉琴"),
    "mine": ("崔石门", "付广才"),
    "tour": ("丁浩然", "潘晓峰"),
}

ACCOUNTS = [
    # username, role, organization key, name
    ("admin", Role.ADMIN, None, "系统管理员"),
    ("office", Role.OFFICE, "committee", "王主任（市安委办）"),
    ("leader", Role.LEADER, "committee", "李市长"),
    ("office_gjz", Role.OFFICE, "committee_gjz", "赵科长（甘井子区安委办）"),
    ("inspector", Role.INSPECTOR, "dept_em", "张检查员（市应急局）"),
    ("inspector_build", Role.INSPECTOR, "dept_build", "陈检查员（市住建局）"),
    ("officer", Role.ENTERPRISE_OFFICER, "chem_a", "刘安全员（海辰化工）"),
    ("officer_b", Role.ENTERPRISE_OFFICER, "build", "孙安全员（城建三公司）"),
    ("expert", Role.EXPERT, "experts", "周专家"),
]

# Apps that contribute demo data, in dependency order; each has demo.load(ctx).
DEMO_MODULES = ["hazards", "inspections", "accidents", "assessment"]


class Command(BaseCommand):
    help = "Loads the Dalian demo (organizations, one account per role, hidden dangers in every state)."

    def handle(self, *args, **options):
        if User.objects.filter(username="office").exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            with transaction.atomic():
                ctx = self.build_people()
                for label in DEMO_MODULES:
                    if apps.is_installed(f"worksafe.{label}"):
                        module = importlib.import_module(f"worksafe.{label}.demo")
                        module.load(ctx)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo accounts, one per role; the password of each is {PASSWORD}")
        for username, role, _org, name in ACCOUNTS:
            self.stdout.write(f"  {username:<16} {role.label:<28} {name}")

    def build_people(self) -> dict:
        K = Organization.Kind
        orgs = {
            "city_gov": Organization.objects.create(
                kind=K.GOVERNMENT, name="大连市人民政府", region_id="210200"
            ),
            "committee": Organization.objects.create(
                kind=K.COMMITTEE, name="大连市安全生产委员会办公室", region_id="210200"
            ),
            "committee_gjz": Organization.objects.create(
                kind=K.COMMITTEE, name="甘井子区安全生产委员会办公室", region_id="210211"
            ),
            "committee_zs": Organization.objects.create(
                kind=K.COMMITTEE, name="中山区安全生产委员会办公室", region_id="210202"
            ),
            "committee_xg": Organization.objects.create(
                kind=K.COMMITTEE, name="西岗区安全生产委员会办公室", region_id="210203"
            ),
            "experts": Organization.objects.create(
                kind=K.COMMITTEE, name="大连市安全生产专家库", region_id="210200"
            ),
        }
        for key, (name, industries, can_penalize) in DEPARTMENTS.items():
            region = "210211" if key.endswith("_gjz") else "210200"
            orgs[key] = Organization.objects.create(
                kind=K.DEPARTMENT,
                name=name,
                region_id=region,
                industries=industries,
                can_penalize=can_penalize,
                parent=orgs["city_gov"],
            )
        enterprises = {}
        for n, (key, (name, district, industry, staff)) in enumerate(ENTERPRISES.items(), start=1):
            enterprises[key] = orgs[key] = Organization.objects.create(
                kind=K.ENTERPRISE,
                name=name,
                region_id=district,
                industry=industry,
                staff_count=staff,
                uscc=make_code(f"91{district}", f"{55_000_000 + n * 7919:08d}"),
                address=f"大连市{name[2:4]}路{n * 11}号",
                legal_representative=CONTACTS[key][0],
                safety_principal=CONTACTS[key][1],
                contact_phone=f"138-0000-01{n:02d}",
            )
        users = {}
        for username, role, org_key, name in ACCOUNTS:
            user = User(
                username=username,
                role=role,
                name=name,
                organization=orgs.get(org_key),
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            user.set_password(PASSWORD)
            user.save()
            users[username] = user
        return {"orgs": orgs, "enterprises": enterprises, "users": users}
