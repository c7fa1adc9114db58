"""Demo inspections: an unannounced check planned for a chemicals enterprise (its own users see
nothing), a finished one that registered hidden dangers, a supervision of a district, a fine and
a referral."""

from datetime import timedelta

from django.utils import timezone

from .models import ChecklistTemplate
from .services import (
    enforcement_create,
    finding_add,
    inspection_answer,
    inspection_create,
    inspection_finish,
    inspection_start,
)


def load(ctx: dict) -> None:
    today = timezone.localdate()
    users, ent, orgs = ctx["users"], ctx["enterprises"], ctx["orgs"]
    inspector, office = users["inspector"], users["office"]
    chem = ChecklistTemplate.objects.get(code="national-hazardous_chemicals", version=1)
    items = list(chem.items.order_by("position"))

    inspection_create(
        actor=inspector,
        target=ent["chem_a"].pk,
        kind="unannounced",
        planned_on=today + timedelta(days=1),
        note="四不两直：不发通知、不打招呼、不听汇报、不用陪同接待，直奔基层、直插现场。",
    )

    done = inspection_create(actor=inspector, target=ent["chem_b"].pk, kind="routine", planned_on=today)
    inspection_start(actor=inspector, inspection_id=done.pk, lat="38.985600", lng="121.541200")
    for item, result, note in [
        (items[3], "fail", "二号裂解装置紧急停车系统处于旁路状态"),
        (items[16], "fail", "罐区报警器检定记录缺三个月"),
        (items[0], "pass", ""),
        (items[1], "pass", ""),
        (items[5], "not_applicable", "无液化烃球罐"),
    ]:
        inspection_answer(actor=inspector, inspection_id=done.pk, item=item.pk, result=result, note=note)
    finding_add(
        actor=inspector,
        inspection_id=done.pk,
        title="消防通道堆放空桶",
        location="三号仓库北侧",
        level="general",
    )
    inspection_finish(actor=inspector, inspection_id=done.pk, allow_unanswered=True)

    supervision = inspection_create(
        actor=office,
        target=orgs["committee_gjz"].pk,
        kind="government_supervision",
        planned_on=today,
        checklist=chem.pk,
        note="市安委办督导甘井子区危险化学品专项整治。",
    )
    inspection_start(actor=office, inspection_id=supervision.pk)
    finding_add(
        actor=office,
        inspection_id=supervision.pk,
        title="区应急局未按计划完成危化企业全覆盖检查",
        description="第三季度检查覆盖率62%，低于计划。",
    )
    inspection_finish(actor=office, inspection_id=supervision.pk, allow_unanswered=True)

    enforcement_create(
        actor=inspector,
        target=ent["chem_b"].pk,
        kind="fine",
        amount="50000.00",
        legal_basis="《中华人民共和国安全生产法》第一百零二条",
        description="重大事故隐患未采取措施消除。",
        inspection=done.pk,
    )
    enforcement_create(
        actor=office,
        target=ent["trade"].pk,
        kind="referral",
        referred_to=orgs["dept_em"].pk,
        description="群众举报粉尘涉爆车间除尘系统无泄爆措施，移送市应急管理局依法处理。",
    )
