"""The meeting reader against reports a careful reader has gone through (the shipped samples) and
against the Chinese forms of what reports say: relative dates, who presides, who is only quoted."""

import json
from datetime import date
from pathlib import Path

import pytest

from worksafe.meetings.reader import read_report
from worksafe.meetings.reader.dates import dates_in
from worksafe.meetings.reader.scoring import directive_recall, score

SAMPLES = Path(__file__).parent / "samples"
GOLD = json.loads((SAMPLES / "gold.json").read_text())["docs"]

# Written for these tests in the shape of a county committee's news item: a headline, a dateline,
# a relative date, a relayed leader, a chair who is not the main speaker, a list of officials
# sharing one title, enumerated instructions, a named campaign and a past-tense report.
COUNTY_REPORT = """县安委会召开2024年第二次全体（扩大）会议
发布时间：2024-06-03 18:20
今天下午，县安委会召开2024年第二次全体（扩大）会议，传达学习习近平总书记关于安全生产的重要指示精神，分析当前安全生产形势，部署汛期及夏季安全生产工作。县委副书记、县长陈立群出席会议并讲话，常务副县长周敏主持会议，副县长刘海涛、吴芳出席会议。
会上，县应急管理局通报了1至5月全县安全生产情况，县交通运输局、县住建局作了表态发言。
陈立群强调，一要提高政治站位，坚决扛起防范化解重大安全风险的政治责任；二要聚焦危险化学品、建筑施工、道路交通和燃气等重点行业领域，深入开展“安全生产治本攻坚三年行动”，全面排查整治各类事故隐患；三要严格落实汛期值班值守制度，确保信息畅通、处置及时；四要压实企业主体责任和部门监管责任，对隐患整改不力的单位依法严肃问责。"""


@pytest.mark.parametrize("name", sorted(GOLD))
def test_samples_read_as_a_careful_reader_would(name):
    wanted = GOLD[name]
    published = wanted["published_on"] and date.fromisoformat(wanted["published_on"])
    draft = read_report((SAMPLES / name).read_text(), published_on=published)
    figures = score(draft, wanted)

    assert draft.title == wanted["title"]
    assert figures["chair"] and figures["held_on"] and figures["form"]
    assert figures["industries_f1"] >= 0.8
    assert figures["people_precision"] >= 0.8 and figures["people_recall"] >= 0.8
    assert not set(draft.people) & set(wanted.get("people_mentioned", []))
    assert {c.lower() for c in draft.campaigns} == {c.lower() for c in wanted["campaigns"]}
    matched, total = figures["directives"]
    assert matched >= 0.7 * total


def test_a_chinese_report_is_read_in_full():
    draft = read_report(COUNTY_REPORT)

    assert draft.language == "zh"
    assert draft.title == "县安委会召开2024年第二次全体（扩大）会议"
    assert draft.held_on == date(2024, 6, 3)  # 今天 counts from the dateline
    assert draft.form == "plenary"
    assert draft.chair == "周敏"  # 主持 decides; the main speaker is not the chair
    assert draft.people == ["陈立群", "周敏", "刘海涛", "吴芳"]  # not 习近平, who is only relayed
    assert set(draft.industries) == {"hazardous_chemicals", "construction", "road_transport", "gas"}
    assert draft.campaigns == ["安全生产治本攻坚三年行动"]
    texts = [d.text for d in draft.directives]
    assert len(texts) == 4
    assert texts[0].startswith("提高政治站位")
    assert not any("通报了" in t for t in texts)  # what was reported is not an instruction
    assert set(draft.directives[1].industries) == {
        "hazardous_chemicals",
        "construction",
        "road_transport",
        "gas",
    }


def test_traditional_characters_read_the_same():
    import opencc

    traditional = opencc.OpenCC("s2t").convert(COUNTY_REPORT)
    assert traditional != COUNTY_REPORT
    draft = read_report(traditional)
    assert draft.chair == "周敏"
    assert draft.held_on == date(2024, 6, 3)
    assert len(draft.directives) == 4


def test_the_publication_date_the_user_gives_resolves_relative_days():
    body = COUNTY_REPORT.replace("发布时间：2024-06-03 18:20\n", "")
    assert read_report(body).held_on is None  # no year anywhere: better none than a guess
    assert read_report(body, published_on=date(2024, 6, 4)).held_on == date(2024, 6, 4)
    with_day = body.replace("今天下午", "3日下午")
    assert read_report(with_day, published_on=date(2024, 6, 4)).held_on == date(2024, 6, 3)


@pytest.mark.parametrize(
    ("sentence", "base", "current", "expected"),
    [
        ("6月6日上午召开", date(2024, 6, 7), None, [date(2024, 6, 6)]),
        ("6月8日召开", date(2024, 6, 7), None, [date(2024, 6, 8)]),  # a day after the dateline: same year
        ("6月9日召开", date(2024, 6, 7), None, [date(2023, 6, 9)]),  # later than that: last year
        (
            "30日下午召开",
            date(2024, 6, 2),
            None,
            [date(2024, 5, 30)],
        ),  # a day past the dateline's: last month
        ("昨天召开", date(2024, 3, 1), None, [date(2024, 2, 29)]),
        ("On the afternoon of the same day", None, date(2022, 6, 15), [date(2022, 6, 15)]),
        ("On June 6th the city met", None, None, [None]),  # no year known
        ("On 13 June 2022 and June 15th", date(2022, 6, 17), None, [date(2022, 6, 13), date(2022, 6, 15)]),
        ("2月30日召开", date(2024, 3, 5), None, [None]),
    ],
)
def test_dates_in_a_sentence(sentence, base, current, expected):
    assert dates_in(sentence, base, current) == expected


def test_a_report_without_people_or_instructions_gives_an_empty_draft():
    draft = read_report("Weather report\nIt rained on Tuesday.")
    assert draft.chair is None and draft.people == [] and draft.directives == []
    assert draft.form == "other" and draft.held_on is None


def test_directive_recall_counts_a_gold_directive_once():
    assert directive_recall(
        ["strengthen supervision of gas pipelines"], ["strengthen gas pipeline supervision"]
    ) == (1, 1)
    assert directive_recall(["close illegal mines"], ["strengthen supervision of gas pipelines"]) == (0, 1)


def test_spaced_dates_rare_surnames_and_a_reporter_who_is_not_present():
    text = (
        "本报讯（记者王小明）3 月 10 日，某县召开安全生产专题会议。副县长普永进主持会议，"
        "县委常委闭海出席会议并讲话。有关负责同志参加会议。会议要求，要深入开展“打非治违”专项行动。"
    )
    draft = read_report(text, published_on=date(2022, 3, 11))
    assert draft.held_on == date(2022, 3, 10)
    assert draft.chair == "普永进"
    assert draft.people == ["普永进", "闭海"]
    assert draft.form == "special"
    assert draft.campaigns == ["打非治违"]
