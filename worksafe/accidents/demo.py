"""Demo accidents: a general one in Dalian under investigation, and a larger one that vetoes a
district's assessment for the year (see assessment/demo.py)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from .models import ReportDuty
from .services import accident_create, investigation_update, report_record, track_update


def load(ctx: dict) -> None:
    office = ctx["users"]["office"]
    enterprises = ctx["enterprises"]
    now = timezone.now()

    general = accident_create(
        actor=office,
        occurred_at=now - timedelta(days=20, hours=3),
        region=enterprises["chem_a"].region_id,
        enterprise=enterprises["chem_a"].pk,
        industry="hazardous_chemicals",
        deaths=1,
        serious_injuries=2,
        direct_economic_loss=Decimal("1850000.00"),
        location="罐区3号储罐检修现场",
        summary="检修作业中储罐内残留可燃气体遇明火发生闪爆，造成1人死亡、2人重伤。",
    )
    duties = list(general.report_duties.filter(kind=ReportDuty.Kind.INITIAL).order_by("due_at"))
    report_record(
        actor=office,
        accident_id=general.pk,
        duty_id=duties[0].pk,
        reported_at=general.occurred_at + timedelta(minutes=40),
        note="企业主要负责人电话报告甘井子区应急管理局。",
    )
    report_record(
        actor=office,
        accident_id=general.pk,
        duty_id=duties[1].pk,
        reported_at=general.occurred_at + timedelta(hours=3),
        note="区应急管理局书面报告市应急管理局（超过2小时，迟报）。",
    )
    investigation_update(
        actor=office,
        accident_id=general.pk,
        version=general.investigation.version,
        lead_authority="甘井子区人民政府事故调查组",
        team=[
            {"name": "赵组长", "unit": "甘井子区应急管理局", "role": "组长"},
            {"name": "钱工", "unit": "大连市安全生产专家库", "role": "技术专家"},
            {"name": "孙科长", "unit": "甘井子区总工会", "role": "成员"},
        ],
        direct_causes="检修前未进行置换和气体检测，违规动火。",
    )
    track_update(
        actor=office,
        accident_id=general.pk,
        kind="enterprise",
        findings="企业动火作业审批流于形式，特殊作业管理制度未落实。",
        close=True,
    )

    bus = enterprises["bus"]
    larger = accident_create(
        actor=office,
        occurred_at=now - timedelta(days=45),
        region=bus.region_id,
        enterprise=bus.pk,
        industry="road_transport",
        deaths=3,
        serious_injuries=6,
        direct_economic_loss=Decimal("4200000.00"),
        location="西岗区长江路与北京街交叉口",
        summary="客运车辆制动失效与路口车辆相撞，造成3人死亡、6人重伤。",
    )
    ctx["accidents"] = {"general": general, "larger": larger}
