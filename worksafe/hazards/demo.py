"""Demo hidden dangers: every state, overdue and major ones, in believable Dalian terms."""

from datetime import timedelta

from django.utils import timezone

from .services import escalation_sweep, hazard_create, hazard_plan, hazard_transition

# (enterprise key, title, level, days ago found, days allowed, path through the lifecycle)
HAZARDS = [
    ("chem_a", "储罐区可燃气体检测报警器失效", "general", 3, 10, []),
    ("chem_a", "液氯装卸未使用万向管道充装系统", "major", 40, 30, ["plan", "assign"]),
    ("chem_a", "动火作业票未经审批即开始作业", "general", 20, 7, ["assign", "submit"]),
    (
        "chem_b",
        "重点监管危险化工工艺未实现自动化控制",
        "major",
        60,
        45,
        ["plan", "assign", "submit", "reject"],
    ),
    ("chem_b", "配电室未设置挡鼠板", "general", 50, 7, ["assign", "submit", "accept"]),
    ("trade", "粉尘涉爆除尘系统未采用泄爆措施", "major", 25, 60, ["plan"]),
    ("trade", "有限空间作业未做到先通风、再检测、后作业", "general", 15, 5, ["assign"]),
    ("build", "深基坑未按规定开展第三方监测", "major", 10, 30, []),
    ("build", "附着式升降脚手架防坠落装置失效", "general", 35, 10, ["assign", "submit", "accept"]),
    ("build2", "塔吊未经验收即投入使用", "general", 8, 3, ["assign"]),
    ("mall", "疏散通道被商品占用", "general", 12, 3, ["assign", "submit"]),
    ("mall", "应急照明和疏散指示标志损坏率超过30%", "general", 5, 15, ["cancel"]),
    ("hotel", "客房未设置火灾自动报警系统", "major", 90, 60, ["plan", "assign"]),
    ("bus", "客车驾驶员未按规定进行安全教育", "general", 4, 20, []),
    ("gas", "燃气调压站安全阀超期未校验", "general", 30, 10, ["assign"]),
    ("lift", "电梯超期未检验仍在使用", "general", 18, 7, ["assign", "submit", "reject", "submit"]),
]


# Major ones whose acceptance the demo expert reviews, so that role has work to try.
REVIEWED_BY_EXPERT = {"液氯装卸未使用万向管道充装系统", "重点监管危险化工工艺未实现自动化控制"}


def load(ctx: dict) -> None:
    today = timezone.localdate()
    office = ctx["users"]["office"]
    expert = ctx["users"]["expert"]
    for key, title, level, ago, allowed, path in HAZARDS:
        found_on = today - timedelta(days=ago)
        hazard = hazard_create(
            actor=office,
            enterprise=ctx["enterprises"][key].pk,
            title=title,
            level=level,
            source="inspection",
            due_date=found_on + timedelta(days=allowed),
            today=found_on,
            description="检查组现场检查发现。",
            location="厂区",
        )
        for step in path:
            if step == "plan":
                hazard = hazard_plan(
                    actor=office,
                    hazard_id=hazard.pk,
                    version=hazard.version,
                    measures="停用相关设施，制定并落实整改方案，整改期间落实临时管控措施。",
                    responsible_person="企业主要负责人",
                    funds="150000",
                    deadline=hazard.due_date,
                    contingency_plan="编制专项应急预案，配备应急物资，每月演练一次。",
                    today=found_on,
                )
                continue
            extra = {"note": ""}
            if step == "assign":
                extra.update(responsible_person="安全部经理", due_date=hazard.due_date)
                if title in REVIEWED_BY_EXPERT:
                    extra["expert"] = expert.pk
            if step in ("reject", "cancel"):
                extra["note"] = "整改照片不能反映整改效果，请补充。" if step == "reject" else "重复登记。"
            hazard = hazard_transition(
                actor=office,
                hazard_id=hazard.pk,
                action=step,
                version=hazard.version,
                today=found_on,
                **extra,
            )
    # The overdue ones have met tonight's sweep: their first escalation step shows.
    escalation_sweep()
