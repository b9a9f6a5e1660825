"""A tiny composer of Chinese official-document prose, from templates the project wrote.

It gives the generated documents plausible text (通知, 实施方案, 工作总结, 简报, 会议纪要,
统计分析, and unrelated office notices) that mentions the topic words and the document's
year, and no other year: the year a document proves is the only year written in it, so the
example city's manifest can say exactly which years a document is evidence for.
"""
from __future__ import annotations

import random

GENRES = ("通知", "实施方案", "工作总结", "简报", "会议纪要", "统计分析", "事务")

# Each genre: an opening sentence (always first), then a pool the composer draws from.
# Slots: {c} city, {d} department, {y} year, {t} main topic, {k}/{k2} other topic words,
# {n}/{n2} small counts, {N} large count, {p} percentage, {g} growth, {m}/{m2} months,
# {dd} day, {person} contact, {phone} office phone.
_TEMPLATES: dict[str, tuple[str, list[str]]] = {
    "通知": (
        "为深入推进全国文明城市创建工作，进一步做好{t}相关工作，经研究，决定于{y}年{m}月至{m2}月在全市开展{k}专项行动。现将有关事项通知如下。",
        [
            "一、工作目标。以{k}为重点，力争到{y}年底实现{t}工作制度化、常态化，群众满意率达到{p}%以上。",
            "二、工作内容。各单位要围绕{k}和{k2}，制定具体工作措施，明确责任人和完成时限，建立工作台账。",
            "三、工作要求。各地各单位要高度重视，主要负责同志亲自抓，分管负责同志具体抓，确保各项任务落到实处。",
            "请各单位于{y}年{m2}月{dd}日前将{k}工作开展情况书面报送{d}，同时报送电子文档。",
            "联系人：{person}，联系电话：{phone}。",
            "各区、各部门要将{k}纳入年度重点工作，定期研究部署，及时解决工作中遇到的困难和问题。",
            "对工作不力、进度滞后的单位，将在全市创建工作调度会上予以通报。",
        ],
    ),
    "实施方案": (
        "为贯彻落实上级关于创建全国文明城市的部署要求，结合我市实际，制定{y}年{t}工作实施方案。",
        [
            "一、指导思想。坚持以人民为中心，把{k}作为提升城市文明程度的重要抓手，推动创建工作常态长效。",
            "二、组织领导。成立{t}工作领导小组，领导小组办公室设在{d}，负责日常协调调度和督促检查。",
            "三、主要任务。（一）完善{k}工作机制；（二）加强{k2}阵地建设；（三）健全督查考核办法。",
            "四、实施步骤。动员部署阶段为{y}年{m}月，全面实施阶段为{y}年{m}月至{m2}月，总结提升阶段为{y}年12月。",
            "五、保障措施。安排专项经费{N}万元，用于{k}相关设施建设和活动开展，做到专款专用。",
            "各牵头单位要细化分解任务，形成责任清单，每月{dd}日前报送工作进展。",
        ],
    ),
    "工作总结": (
        "{y}年，{d}在市委、市政府的坚强领导下，紧紧围绕创建全国文明城市目标，扎实推进{t}各项工作，取得了明显成效。",
        [
            "全年共组织开展{k}活动{n}场次，参与群众{N}人次，覆盖全市{n2}个社区。",
            "建立健全{k2}工作台账，做到有计划、有部署、有记录、有总结、有图片资料。",
            "{k}工作的经验做法被省级以上媒体报道{n}次，市民知晓率达到{p}%。",
            "工作中也存在一些不足：部分基层单位对{k}重视不够，资料收集整理不够及时规范。",
            "下一步，我们将进一步完善{t}长效机制，加大督查力度，确保各项指标全面达标。",
            "坚持问题导向，对照测评要求逐项查找短板，共整改问题{n}个，整改完成率{p}%。",
        ],
    ),
    "简报": (
        "{y}年{m}月{dd}日，{c}{t}工作推进会在市行政中心召开，{d}主要负责同志出席会议并讲话。",
        [
            "会议通报了前一阶段{t}工作进展情况，对存在的问题逐一进行了点评。",
            "截至{m}月底，全市已累计完成{k2}任务{n}项，完成年度目标的{p}%。",
            "与会人员实地观摩了{n}个{k}示范点，现场交流了工作经验。",
            "会议强调，要以更高标准、更实举措推进{k}，以优异成绩迎接测评。",
        ],
    ),
    "会议纪要": (
        "{y}年{m}月{dd}日下午，{d}召开{t}工作专题会议，研究部署近期重点工作。现将会议议定事项纪要如下。",
        [
            "会议认为，{k}是测评体系中的重要内容，必须坚持问题导向，逐项对标对表。",
            "会议明确，由{d}牵头，相关单位配合，于{m2}月底前完成{k2}资料的收集整理。",
            "会议要求，各责任单位要指定专人负责，按照一个指标一套档案的要求规范整理佐证材料。",
            "出席：{person}等{n}人。记录：{person}。",
        ],
    ),
    "统计分析": (
        "根据全市统计数据，{y}年全市{t}相关指标运行平稳，主要数据如下。",
        [
            "全年{k}完成{N}，同比增长{g}%。",
            "{k2}达到{p}%，较上年提高{g}个百分点。",
            "以上数据由{d}负责采集，经统计部门审核确认。",
            "统计范围为市辖各区及市直有关单位，统计时点为{y}年12月31日。",
            "分区域看，{n}个区县均完成年度目标任务，其中{n2}个区县超额完成。",
        ],
    ),
    # Office business unrelated to any indicator: the noise every real submission contains.
    "事务": (
        "按照市政府办公室统一安排，现就{y}年有关工作事项通知如下。",
        [
            "值班人员要坚守岗位，保持通讯畅通，遇有重大情况及时报告。",
            "请各科室于{m}月{dd}日前报送本科室办公用品需求清单。",
            "机关食堂就餐时间调整为中午十一时四十分至十二时三十分。",
            "固定资产清查工作由办公室牵头，财务科配合，年底前完成账实核对。",
            "联系人：{person}，联系电话：{phone}。",
        ],
    ),
}

# Sentences any genre may borrow, to vary the rhythm of longer documents.
_FILLERS = [
    "各责任单位要严格对照测评体系要求，做好{k}资料的日常积累。",
    "坚持创建为民、创建惠民，不断增强市民群众的获得感和幸福感。",
    "进一步加强宣传引导，营造全社会共同参与{k}的浓厚氛围。",
    "强化部门协同，形成上下联动、齐抓共管的工作格局。",
    "把{k}工作与日常业务工作同部署、同检查、同考核。",
]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
_GIVEN = ["建国", "晓燕", "志强", "丽华", "伟", "海涛", "静", "明", "红梅", "俊杰", "芳", "磊",
          "秀英", "军", "文博", "玉兰", "少华", "立新", "雪", "国庆"]


def person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def _slots(rng: random.Random, words: list[str], year: int, city: str, department: str) -> dict[str, object]:
    topic = words[0] if words else "创建"
    others = words[1:] or [topic]
    m = rng.randint(1, 9)
    return {
        "c": city, "d": department, "y": year, "t": topic,
        "k": rng.choice(others), "k2": rng.choice(others),
        "n": rng.randint(3, 60), "n2": rng.randint(5, 120), "N": rng.randint(120, 9800),
        "p": f"{rng.uniform(85, 99.5):.1f}", "g": f"{rng.uniform(0.5, 15):.1f}",
        "m": m, "m2": rng.randint(m + 1, 12), "dd": rng.randint(1, 28),
        "person": person(rng), "phone": f"{rng.randint(2, 8)}{rng.randint(100, 999)}{rng.randint(1000, 9999)}",
    }


def compose_paragraphs(rng: random.Random, topic_words: list[str], year: int, n: int, *,
                       genre: str | None = None, city: str = "云岚市", department: str = "市文明办") -> list[str]:
    """`n` paragraphs of official-document prose about `topic_words` (the first is the main
    topic) in `year`. `genre` is one of GENRES (random when None). Deterministic for `rng`."""
    genre = genre or rng.choice(GENRES[:-1])
    opening, pool = _TEMPLATES[genre]
    deck: list[str] = []

    def draw() -> str:
        # Dealt from a shuffled deck, so a sentence repeats only after all the others were used.
        if not deck:
            deck.extend(pool + ([] if genre == "事务" else rng.sample(_FILLERS, 2)))
            rng.shuffle(deck)
        return deck.pop()

    paragraphs: list[str] = []
    for index in range(max(n, 0)):
        sentences = [opening] if index == 0 else [draw() for _ in range(rng.randint(1, 3))]
        slots = _slots(rng, topic_words, year, city, department)
        paragraphs.append("".join(s.format(**slots) for s in sentences))
    return paragraphs
