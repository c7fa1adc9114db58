"""Word lists the reader matches against: sectors (domain.md 6, mapped to our industry codes),
meeting forms, officials' titles and the verbs that say who took part (domain.md 9)."""

import re

# Industry code -> (Chinese patterns, English patterns). Patterns name the sector itself, not
# words that merely contain it ("safety construction" is not the construction sector).
INDUSTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "coal_mine": (("煤矿", "煤炭"), (r"coal[- ]mines?", r"coal mining", r"colliery", r"collieries")),
    "metal_nonmetal_mine": (
        ("非煤矿山", "金属非金属", "尾矿库", "矿山"),
        (
            r"non-coal mines?",
            r"metal (?:and|&) non-?metal",
            r"tailings? (?:ponds?|dams?)",
            r"mining\b",
            r"\bmines?\b",
        ),
    ),
    "hazardous_chemicals": (
        ("危险化学品", "危化品", "危化", "化工", "石化", "石油化工", "炼化", "化学品"),
        (
            r"hazardous chemicals?",
            r"dangerous chemicals?",
            r"chemical (?:industry|industries|enterprises?|parks?|plants?)",
            r"petrochemicals?",
            r"petro-?chemical",
            r"PetroChina",
            r"Sinopec",
            r"refiner(?:y|ies)",
        ),
    ),
    "fireworks": (("烟花爆竹", "烟花", "爆竹"), (r"fireworks?", r"firecrackers?")),
    "industry_trade": (
        (
            "工贸",
            "冶金",
            "有色",
            "建材",
            "机械",
            "轻工",
            "纺织",
            "烟草",
            "商贸",
            "粉尘涉爆",
            "涉氨制冷",
            "有限空间",
            "船舶制造",
            "造船",
        ),
        (
            r"industry and trade",
            r"industrial and trade",
            r"metallurg(?:y|ical)",
            r"dust explosions?",
            r"ammonia refrigeration",
            r"confined spaces?",
            r"shipbuilding",
            r"shipyards?",
            r"steel (?:mills?|plants?)",
        ),
    ),
    "construction": (
        ("建筑施工", "房屋市政", "建设工程", "在建工程", "建筑工地", "施工现场"),
        (
            r"construction (?:sites?|industry|projects?|works|enterprises?|safety)",
            r"building construction",
            r"housing and (?:urban|municipal)",
            r"municipal engineering",
            r"engineering construction",
        ),
    ),
    "road_transport": (
        ("道路交通", "道路运输", "交通运输", "公路", "客运车辆", "危货运输", "校车", "两客一危"),
        (
            r"road traffic",
            r"road transport(?:ation)?",
            r"highways?",
            r"school bus(?:es)?",
            r"coaches",
            r"tunnels?",
        ),
    ),
    "waterway_transport": (
        ("水上交通", "水路运输", "水运", "船舶", "港口", "渡口", "轮渡", "客船", "海上"),
        (
            r"waterways?",
            r"water transport(?:ation)?",
            r"maritime",
            r"ports?\b",
            r"harbou?rs? (?:and|&)",
            r"ferr(?:y|ies)",
            r"(?:bay|harbou?r|river|sea) passenger",
            r"passenger ships?",
            r"vessels?",
        ),
    ),
    "fishing_vessel": (("渔船", "渔业船舶", "渔业"), (r"fishing (?:vessels?|boats?)", r"fisher(?:y|ies)")),
    "fire_safety": (
        ("消防", "火灾", "人员密集场所", "高层建筑", "九小场所", "森林防火"),
        (
            r"fire (?:safety|prevention|protection|control|hazards?)",
            r"fire-fighting",
            r"firefighting",
            r"crowded places",
            r"high-rise buildings?",
            r"forest fires?",
        ),
    ),
    "special_equipment": (
        ("特种设备", "电梯", "锅炉", "压力容器", "起重机械", "游乐设施"),
        (
            r"special equipment",
            r"elevators?",
            r"boilers?",
            r"pressure vessels?",
            r"lifting (?:equipment|machinery)",
            r"cranes?",
        ),
    ),
    "tourism": (("旅游", "景区", "文旅"), (r"touris[mt]s?", r"scenic (?:spots?|areas?)")),
    "gas": (
        ("燃气", "天然气", "液化石油气", "城镇燃气"),
        (
            r"\bgas (?:supply|pipelines?|safety|cylinders?|stations?|users?)",
            r"natural gas",
            r"liquefied petroleum gas",
            r"\bLPG\b",
            r"urban gas",
        ),
    ),
}

MEETING_FORMS = (
    # (form, Chinese patterns, English patterns); the first that matches the meeting's own name wins.
    (
        "video_conference",
        (r"电视电话会", r"视频会", r"电视会", r"视频调度会"),
        (
            r"tele-?conference",
            r"video(?:-| )?(?:and telephone )?conference",
            r"telephone conference",
            r"video meeting",
        ),
    ),
    (
        "plenary",
        (
            r"全体(?:成员)?(?:（扩大）|\(扩大\)|扩大)?会议",
            r"全会",
            r"安委会(?:（扩大）|扩大)?会议",
            r"安全生产委员会(?:（扩大）|扩大)?会议",
        ),
        (
            r"plenary",
            r"full (?:session|meeting)",
            r"(?:enlarged|expanded) meeting",
            r"(?:safety|security) committee meeting",
            r"meeting of the (?:\w+ )*(?:safety|security) committee",
        ),
    ),
    ("other", (r"紧急会",), (r"emergency (?:meeting|conference)",)),
    (
        "special",
        (r"专题会", r"专项会", r"调度会", r"推进会"),
        (r"special (?:meeting|session|conference)", r"thematic meeting"),
    ),
    (
        "work_meeting",
        (r"工作会议", r"工作会", r"例会", r"座谈会", r"部署会"),
        (
            r"work(?:ing)? meeting",
            r"work conference",
            r"symposium",
            r"regular meeting",
            r"deployment meeting",
        ),
    ),
)

# Officials' titles that precede a name in Chinese, longest first so "副市长" beats "市长".
ZH_TITLES = sorted(
    """书记 副书记 市委书记 县委书记 区委书记 省委书记 市长 副市长 代市长 常务副市长 区长 副区长 代区长 县长 副县长
    代县长 省长 副省长 代省长 常务副省长 州长 副州长 主任 副主任 常务副主任 局长 副局长 厅长 副厅长 处长 副处长 科长
    部长 副部长 常委 委员 秘书长 副秘书长 总经理 副总经理 董事长 副董事长 院长 副院长 主席 副主席 镇长 副镇长 乡长
    副乡长 组长 副组长 总工程师 总监 巡视员 调研员 旗长 盟长 总理 副总理 国务委员 政委 队长 支队长 大队长""".split(),
    key=len,
    reverse=True,
)
# What may stand right after a Chinese name: the name ends where one of these begins.
ZH_AFTER_NAME = tuple(
    """主持 出席 参加 讲话 强调 指出 要求 表示 同志 在 作 对 代表 陪同 带队 率 通报 汇报 传达 分别 并 就 到 深入
    一行 调研 检查 督导 听取 召开 等 和 及 与 、 ， , 。 ； ( （ 总结 宣读 部署 解读 提出 也 先后 前往 带领 充分 肯定
    现场 作出 对此 主要 首先 最后 围绕 结合 领学 安排 介绍 布置 宣布 带头 主讲 发言 参与 出任 任 进行""".split()
)
ZH_RELAYED = re.compile(
    r"总书记|国务院总理|重要指示|重要讲话|重要论述|批示|指示精神|讲话精神|的重要|的指示|的讲话"
)
ZH_PRESENT = re.compile(
    r"主持|领学|安排|介绍|布置|发言|宣布|出席|参加|参会|讲话|强调|指出|要求|通报|汇报|作报告|作了|部署|传达|陪同|带队|率|提出|宣读|总结|解读|表示|肯定|听取"
)
ZH_CHAIR = (
    re.compile(r"由(?:[^，。；由]{0,40}?)(?P<name>NAME)(?:同志)?主持"),
    re.compile(r"(?P<name>NAME)(?:同志)?主持(?:召开|会议|并讲话|。|，)"),
)

PINYIN_SURNAMES = frozenset(
    """Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng Liang Xie Song
    Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan Pan Yu Jiang Cai Du Ye Cheng Su Wei Lu Ding Ren Shen Yao
    Cui Zhong Tan Fan Jin Shi Liao Jia Xia Fu Fang Bai Zou Meng Xiong Qin Qiu Hou Yin Xue Yan Duan Lei Long Shao
    Mao Hao Gong Chang Wan Qian Dai Mo Kong Xiang Gu Lai Wen Kang Niu Ou Shang Geng Guan Lan Lian Ge Nie Zhan Bao
    Mu Ai Bi Chai Chu Ji Kou Ling Miao Ning Pang Pei Qi Rao Sha Tao Tong Xin Yi Yue Zang Zhai Zhuang Zuo Ouyang
    Sima Zhuge Shangguan Situ Murong Huangfu Lv Lyu Quan Que Qu Shan Sang Tu Wu Xi Zhen Zhuo""".split()
)
EN_PRESENT = re.compile(
    r"\b(?:chaired|presided|attended|delivered|spoke|stressed|emphasi[sz]ed|pointed out|required|asked|demanded|"
    r"made (?:a|the) (?:report|speech)|reported|accompanied|led\b|conveyed|relayed|hosted|addressed|put forward|"
    r"affirmed|listened|summed up|announced|urged|called (?:on|for)|said|noted|presented|briefed)",
    re.I,
)
EN_RELAYED = re.compile(r"^'s\b|^’s\b")
EN_RELAYED_BEFORE = re.compile(
    r"(?:general secretary|premier|president|chairman|instructions? (?:of|from)|spirit of)\s*$", re.I
)
EN_CHAIR = (
    re.compile(r"(?:chaired|presided(?: over)?|hosted|moderated) by (?:[^.;]{0,80}?)(?P<name>NAME)"),
    re.compile(r"(?P<name>NAME)(?:,[^.;]{0,120}?,)? (?:presided over|chaired|hosted|moderated)\b"),
)

DIRECTIVE_ZH = re.compile(
    r"^(?:[一二三四五六七八九十]+(?:要|是|、)|第[一二三四五六七八九十]+[，,、]?|（[一二三四五六七八九十]+）|[0-9]+[.、])"
)
ZH_DIRECTIVE_MARKS = re.compile(
    r"(?<![重主需])要(?!求)|必须|务必|坚决|切实|确保|严格|严防|严禁|全力|进一步|抓好|做好|持续|加强|强化|压实|落实|狠抓|深入|全面|扎实|着力"
)
ZH_NOT_DIRECTIVE = re.compile(
    r"^(?:会议听取|会议传达|会议学习|会议通报|会议审议|会议观看|会上|会前|此前|参加会议|出席会议)|取得了|同比|下降|上升|肯定了"
)
EN_DIRECTIVE_MARKS = re.compile(
    r"\b(?:it is (?:necessary|crucial|important|essential|imperative|required)|must|should|shall|need(?:s)? to|"
    r"required to|called (?:on|for)|urged|strive to|make sure|ensure|resolutely|strictly|we will|have to)\b",
    re.I,
)
EN_LEADS = re.compile(
    r"^(?:(?:and|also|further(?:more)?|meanwhile|moreover|in addition|at the same time|first(?:ly)?|second(?:ly)?|"
    r"third(?:ly)?|finally|lastly|he|she|they|we|it|the meeting|everyone|all \w+(?: \w+){0,10}?)\b[ ,]*)*"
    r"(?:(?:stressed|emphasi[sz]ed|pointed out|required|demanded|noted|said|called for|urged|asked)(?: that)? )?"
    r"(?:it is (?:necessary|crucial|important|essential|imperative|required)(?: to| that)?|(?:we |they |everyone |all )?"
    r"(?:must|should|shall|need(?:s)? to|have to|are required to|is required to)(?: be)?)?\s*",
    re.I,
)
# Imperative verbs at which a long English directive splits into its instructions.
EN_VERBS = frozenset(
    """adhere advance build carry check compact consolidate control crack curb deepen do eliminate enforce enhance
    ensure establish focus guard highlight implement improve increase innovate insist investigate keep launch
    maintain make optimize organize perfect prevent promote punish put raise rectify reinforce resolve seize
    severely standardize step stick strengthen strictly supervise take tighten transmit unify urge vigorously
    give use draw study spend insist learn grasp attach resolutely effectively earnestly firmly fully thoroughly solidly deeply continue intensify""".split()
)

CAMPAIGN_ZH = re.compile(
    r"[“\"「『]([^”\"」』]{0,30}?(?:行动|整治|攻坚|大检查|大排查|大整治|打非治违|百日|清查|集中治理|措施|条))[”\"」』]"
)
CAMPAIGN_ZH_BARE = re.compile(
    r"((?:安全生产)?(?:专项整治|治本攻坚)(?:三年)?行动|[\u4e00-\u9fff]{2,12}?(?:专项行动|百日行动|攻坚行动|大检查|打非治违专项行动)|"
    r"[一二三四五六七八九十]+(?:条|项)(?:硬)?措施)"
)
# What stands before a campaign's name in a sentence, not part of it.
CAMPAIGN_ZH_LEAD = re.compile(r"^.*(?:召开|开展|推进|深化|深入|继续|暨|和|及|与|的|对|就|在|把|将)")
CAMPAIGN_EN = re.compile(r"[\"“]([^\"”]{3,60}?)[\"”]")
CAMPAIGN_EN_WORDS = re.compile(
    r"\b(?:action|campaign|rectification|crackdown|inspection|fighting|measures|tackling|drive|overhaul|operation|against)\b",
    re.I,
)
CAMPAIGN_EN_BARE = re.compile(
    r"\b((?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty)[- ](?:hard )?measures|three-year (?:action|campaign)[^,.;]{0,40})",
    re.I,
)
