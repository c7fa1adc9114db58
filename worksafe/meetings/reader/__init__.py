"""Reads a published meeting report (Chinese or English) into a draft meeting and its directives
(design.md "Meetings"; domain.md 9). Rules and word lists only: no model, no network.

What a careful reader extracts: the title, the day the meeting was held, its form, who presided
(主持; a speaker is not the chair), the officials present (not leaders who are only quoted or whose
instructions are relayed), the sectors, named campaigns, and one directive per instruction."""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import opencc

from . import lexicon as lx
from .dates import dateline, dates_in

CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Directive:
    text: str
    industries: list[str] = field(default_factory=list)


@dataclass
class Draft:
    language: str
    title: str
    held_on: date | None
    form: str
    chair: str | None
    people: list[str]
    industries: list[str]
    campaigns: list[str]
    directives: list[Directive]


def read_report(text: str, *, published_on: date | None = None) -> Draft:
    text = _normalise(text)
    chinese = len(CJK.findall(text)) > 0.05 * max(len(text), 1)
    if chinese:
        # Reports from Hong Kong, Macao, Taiwan or older sites come in traditional characters;
        # the word lists are simplified.
        text = opencc.OpenCC("t2s").convert(text)
        text = text.translate(HALF_TO_FULL)
    reader = _Chinese(text, published_on) if chinese else _English(text, published_on)
    return reader.draft()


HALF_TO_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\u3000", " ").replace("\xa0", " ")
    text = re.sub(r"(?<=[\d年月])\s+(?=[\d年月日])", "", text)  # "2 月 5 日"
    return re.sub(r"[ \t]+", " ", text).strip()


def industries_in(text: str, *, chinese: bool) -> list[str]:
    found = []
    for code, (zh, en) in lx.INDUSTRIES.items():
        if chinese:
            hit = any(word in text for word in zh)
        else:
            hit = any(re.search(pattern, text, re.I if pattern.islower() else 0) for pattern in en)
        if hit:
            found.append(code)
    return found


class _Reader:
    chinese: bool

    def __init__(self, text: str, published_on: date | None):
        self.text = text
        self.lines = [line.strip() for line in text.split("\n") if line.strip()]
        first = self.lines[0] if self.lines else ""
        # A headline is a short first line that is not itself a sentence of the report.
        self.headline = (
            first
            if len(first) <= (80 if self.chinese else 220) and not re.search(r"[。.]$|[。]", first)
            else None
        )
        self.base = published_on or dateline(text)
        self.sentences = self.split_sentences()
        self.names = self.find_names()

    # -- shared steps ---------------------------------------------------------------------------
    def draft(self) -> Draft:
        meeting_at = self.meeting_sentence()
        directives = self.directives()
        return Draft(
            language="zh" if self.chinese else "en",
            title=self.title(meeting_at),
            held_on=self.held_on(meeting_at),
            form=self.form(meeting_at),
            chair=self.chair(),
            people=self.people(),
            industries=industries_in(self.text, chinese=self.chinese),
            campaigns=self.campaigns(),
            directives=[Directive(d, industries_in(d, chinese=self.chinese)) for d in directives],
        )

    def title(self, meeting_at: int | None) -> str:
        if self.headline:
            return self.headline
        if meeting_at is not None:
            return self.meeting_phrase(self.sentences[meeting_at]).strip(" ,，")
        return (self.sentences[0] if self.sentences else "")[: 60 if self.chinese else 160]

    def held_on(self, meeting_at: int | None) -> date | None:
        current = None
        for index, sentence in enumerate(self.sentences):
            found = dates_in(sentence, self.base, current)
            if index == meeting_at:
                named = [d for d in found if d is not None]
                if named:
                    return named[0]
                return None if found else current
            if found and found[-1] is not None:
                current = found[-1]
        return current if meeting_at is None and current else None

    def form(self, meeting_at: int | None) -> str:
        places = []
        if meeting_at is not None:
            places.append(self.meeting_phrase(self.sentences[meeting_at]))
        if self.headline:
            places.append(self.headline)
        for place in places:
            for form, zh, en in lx.MEETING_FORMS:
                patterns = zh if self.chinese else en
                if any(re.search(p, place, re.I) for p in patterns):
                    return form
        return "other"

    def people(self) -> list[str]:
        present = [name for name in self.names if self.is_present(name)]
        chair = self.chair()
        if chair and chair not in present:
            present.insert(0, chair)
        return present

    def chair(self) -> str | None:
        if not self.names:
            return None
        names = "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
        for pattern in self.chair_patterns:
            match = re.search(pattern.pattern.replace("NAME", names), self.text, pattern.flags)
            if match:
                return match["name"]
        return None

    def campaigns(self) -> list[str]:
        seen: dict[str, str] = {}
        for name in self.find_campaigns():
            key = re.sub(r"\W+", "", name.lower())
            seen.setdefault(key, name)
        return list(seen.values())


class _Chinese(_Reader):
    chinese = True
    chair_patterns = lx.ZH_CHAIR

    def split_sentences(self) -> list[str]:
        return [s.strip() for s in re.split(r"(?<=[。！？!?])|\n", self.text) if s.strip()]

    def find_names(self) -> list[str]:
        titles = "|".join(lx.ZH_TITLES)
        names: list[str] = []

        def add(name: str | None) -> None:
            if name and name not in names and name not in lx.ZH_TITLES and _could_be_name(name):
                names.append(name)

        # A title then a name, and the names listed after it: 副市长龙李海、方晓利、王晓焱
        for match in re.finditer(rf"(?:{titles})(?=[\u4e00-\u9fff]{{2}})", self.text):
            position = match.end()
            while True:
                name = self.cut_name(self.text[position : position + 12])
                add(name)
                if not name or self.text[position + len(name) : position + len(name) + 1] != "、":
                    break
                position += len(name) + 1
        # A name then a title at the start of a clause: 王公理副主任对……做出安排
        for match in re.finditer(
            rf"(?:^|(?<=[，。；：\n]))([\u4e00-\u9fff]{{2,3}}?)(?:{titles})(?=对|要求|强调|指出|表示|作|就|在|讲话|主持)",
            self.text,
            re.M,
        ):
            add(match.group(1))
        # "王明同志" after a title or at a clause's start; not "有关负责同志".
        for match in re.finditer(
            rf"(?:{titles}|^|(?<=[，。；：、\n]))([\u4e00-\u9fff]{{2,3}})同志", self.text, re.M
        ):
            add(self.cut_name(match.group(1) + "同志"))
        return sorted(names, key=self.text.find)

    @staticmethod
    def cut_name(tail: str) -> str | None:
        if not tail:
            return None
        for length in (2, 3):
            # A rarer surname (普, 闭) is accepted when the name is followed by what people do.
            if tail[length:].startswith(lx.ZH_AFTER_NAME) and (
                tail[0] in SURNAMES_ZH or lx.ZH_PRESENT.match(tail[length:])
            ):
                return tail[:length]
        if tail[0] not in SURNAMES_ZH:
            return None
        # No known word follows: let the segmenter say where the name ends.
        first = next(iter(_jieba().cut(tail[:6])), None)
        return first.word if first and 2 <= len(first.word) <= 3 else None

    def is_present(self, name: str) -> bool:
        for match in re.finditer(re.escape(name), self.text):
            before = self.text[max(0, match.start() - 12) : match.start()]
            clause_end = re.search(r"[。；;！？\n]", self.text[match.end() :])
            after = self.text[match.end() : match.end() + (clause_end.start() if clause_end else 80)]
            if lx.ZH_RELAYED.match(after[:8]) or re.search(r"(?:学习|贯彻|传达|落实|关于)$", before):
                continue
            if lx.ZH_RELAYED.search(after[:12]) and not lx.ZH_PRESENT.search(after[:4]):
                continue
            if lx.ZH_PRESENT.search(after) or re.search(r"由[^，。]{0,30}$", before):
                return True
        return False

    def meeting_sentence(self) -> int | None:
        for index, sentence in enumerate(self.sentences):
            if sentence != self.headline and re.search(
                r"召开|举行|主持(?:召开)?[^，。]{0,20}会|会议(?:于|在)", sentence
            ):
                return index
        return None

    def meeting_phrase(self, sentence: str) -> str:
        # "委员会" and "安委会" name the body, not the meeting.
        match = re.search(r"(?:召开|举行|主持)([^，。；]{0,40}?(?:会议|(?<![委员])会))(?!议)", sentence)
        return match.group(1) if match else sentence

    def find_campaigns(self) -> list[str]:
        found = [m.group(1) for m in lx.CAMPAIGN_ZH.finditer(self.text)]
        found += [lx.CAMPAIGN_ZH_LEAD.sub("", m.group(1)) for m in lx.CAMPAIGN_ZH_BARE.finditer(self.text)]
        return [f for f in found if len(f) >= 4]

    def directives(self) -> list[str]:
        found: list[str] = []
        for sentence in self.sentences:
            if re.search(r"召开|举行", sentence):
                # The sentence that announces the meeting lists its agenda; only what it says
                # was stressed there is an instruction.
                said = list(re.finditer(r"(?:强调|要求|指出)[，,：:]?", sentence))
                if not said:
                    continue
                sentence = sentence[said[-1].end() :]
            for clause in re.split(r"[；;]", sentence):
                clause = self.strip_speaker(clause.strip(" 。，,"))
                # The enumerator itself ("一要", "二是") marks an instruction.
                marked = bool(lx.DIRECTIVE_ZH.match(clause) or lx.ZH_DIRECTIVE_MARKS.search(clause))
                clause = self.strip_enumerator(clause)
                if len(clause) < 6 or not marked or lx.ZH_NOT_DIRECTIVE.search(clause):
                    continue
                if "了" in clause and not re.search(r"要(?!求)|必须|务必", clause):
                    continue  # what was done ("汇报了……"), not what is to be done
                found.extend(self.split_long(clause))
        return found

    @staticmethod
    def strip_speaker(clause: str) -> str:
        """Drops "随后，王公理副主任对……做出安排：" and "周春雨强调，": who speaks is not the instruction."""
        clause = re.sub(r"^[^。]{0,40}?[：:]", "", clause)
        said = re.search(r"^[^，。]{0,25}?(?:强调|指出|要求|提出|表示|认为)(?:了)?[，,]?", clause)
        return clause[said.end() :] if said and len(clause) > said.end() + 4 else clause

    @staticmethod
    def strip_enumerator(clause: str) -> str:
        clause = lx.DIRECTIVE_ZH.sub("", clause)
        return re.sub(
            r"^(?:要|必须|务必|同时|此外|另外|并且|还要|全市|各级各部门要)[，,]?", "", clause
        ).strip(" ，,")

    @staticmethod
    def split_long(clause: str) -> list[str]:
        if len(clause) <= 60:
            return [clause]
        parts = re.split(
            r"[，,](?=(?:要|坚决|切实|全面|深入|严格|扎实|持续|着力|强化|加强|落实|推进|开展|确保|压实|狠抓|健全|完善|提高|提升|防范|遏制|排查|整治|打击|严厉))",
            clause,
        )
        merged: list[str] = []
        context = ""
        for part in parts:
            if not lx.ZH_DIRECTIVE_MARKS.search(part):
                context += part + "，"  # "国庆节将至，……": the occasion of the instruction that follows
            elif merged and (len(part) < 12 or len(merged[-1]) < 12):
                merged[-1] += "，" + part
            else:
                merged.append(context + part)
                context = ""
        return merged


class _English(_Reader):
    chinese = False
    chair_patterns = lx.EN_CHAIR

    def split_sentences(self) -> list[str]:
        parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])|\n", self.text)
        return [p.strip() for p in parts if p.strip()]

    def find_names(self) -> list[str]:
        names: list[str] = []
        for match in re.finditer(r"\b([A-Z][a-z]+) ([A-Z][a-z]+(?:-[a-z]+)?)\b", self.text):
            if match.group(1) in lx.PINYIN_SURNAMES and match.group(2).lower() not in NOT_GIVEN_NAMES:
                name = match.group(0)
                if name not in names:
                    names.append(name)
        return names

    def is_present(self, name: str) -> bool:
        for sentence in self.sentences:
            for match in re.finditer(re.escape(name), sentence):
                before, after = sentence[: match.start()], sentence[match.end() :]
                if lx.EN_RELAYED.match(after) or lx.EN_RELAYED_BEFORE.search(before):
                    continue
                if re.search(
                    r"\b(?:by|with)\s+(?:the\s+)?(?:[\w-]+\s+){0,8}$", before
                ) and lx.EN_PRESENT.search(before):
                    return True
                if lx.EN_PRESENT.search(after):
                    return True
        return False

    def meeting_sentence(self) -> int | None:
        verbs = r"\b(?:held|convened|presided over|chaired|hosted|took place|was held|were held)\b"
        for index, sentence in enumerate(self.sentences):
            if sentence == self.headline:
                continue  # the headline names the event; the body says which meeting it was
            if re.search(verbs, sentence, re.I) and re.search(
                r"meeting|conference|session|plenary|symposium", sentence, re.I
            ):
                return index
        return None

    def meeting_phrase(self, sentence: str) -> str:
        # The meeting's own name runs from the verb to its first noun for a meeting: a relayed
        # meeting named later in the sentence ("to implement the province's teleconference") is not it.
        match = re.search(
            r"\b(?:held|convened|presided over|chaired|hosted)\b([^,;.]{0,80}?\b(?:meeting|conference|session|plenary|symposium))",
            sentence,
            re.I,
        )
        return match.group(1) if match else sentence

    def find_campaigns(self) -> list[str]:
        found = [
            m.group(1) for m in lx.CAMPAIGN_EN.finditer(self.text) if lx.CAMPAIGN_EN_WORDS.search(m.group(1))
        ]
        found += [m.group(1) for m in lx.CAMPAIGN_EN_BARE.finditer(self.text)]
        return [f.strip(" ,.") for f in found]

    def directives(self) -> list[str]:
        found: list[str] = []
        for sentence in self.sentences:
            if not lx.EN_DIRECTIVE_MARKS.search(sentence) or re.search(
                r"\battended\b|\bpresided over\b", sentence
            ):
                continue
            pieces = re.split(
                r"(;|\bit is (?:necessary|crucial|important|essential|imperative) (?:to|that)\b)",
                sentence,
                flags=re.I,
            )
            preamble = ""
            for index in range(0, len(pieces), 2):
                piece = lx.EN_LEADS.sub("", pieces[index].strip(" ,.")).strip(" ,.")
                if len(piece.split()) < 4:
                    continue
                marked = index > 0 and not pieces[index - 1].startswith(";")
                if (
                    not marked
                    and not lx.EN_DIRECTIVE_MARKS.search(piece)
                    and not re.match(rf"(?:{EN_VERB_RE})\b", piece, re.I)
                ):
                    # "Based on the summer's characteristics, it is crucial to ...": the condition
                    # belongs to the instruction that follows it.
                    preamble = piece + ", "
                    continue
                found.extend(self.split_long(piece, preamble))
                preamble = ""
        return found

    @staticmethod
    def split_long(piece: str, preamble: str = "") -> list[str]:
        if len(piece.split()) <= 24:
            return [preamble + piece]
        parts = re.split(rf",\s+(?:and\s+)?(?=(?:{EN_VERB_RE})\b)", piece, flags=re.I)
        merged: list[str] = []
        for part in parts:
            part = part.strip(" ,.")
            if merged and (len(part.split()) < 6 or len(merged[-1].split()) < 6):
                merged[-1] += ", " + part
            else:
                merged.append(part)
        merged[0] = preamble + merged[0]
        return merged


EN_VERB_RE = "|".join(sorted(lx.EN_VERBS))
NOT_GIVEN_NAMES = frozenset(
    """bay city county district province party committee government company group corporation
    mining road sea river port harbour harbor industry safety street town village park""".split()
)

# Single-character surnames common among officials, and compound ones (enough to tell a name
# from a word after a title; not a complete list).
SURNAMES_ZH = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)


def _could_be_name(word: str) -> bool:
    """A word the dictionary knows as a verb, adverb or other common word is not a name."""
    tag = _jieba().dt.word_tag_tab.get(word)
    return tag is None or tag[0] in "n" and tag not in ("n", "nt")


@cache
def _jieba():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.posseg.dt.initialize()
    return jieba.posseg
