"""Reporting bodies: towns, townships, streets and county departments across provinces.

Organs are split into disjoint pools by their locality key (the town/street/county name), so a
held-out evaluation never sees a town that training saw. The split is a stable hash, not random.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

from gongkai.synth import hanzi

# (province, city, county-level unit): a spread of provinces; city prefix printed only sometimes.
COUNTIES: tuple[tuple[str, str, str], ...] = (
    ("广东省", "韶关市", "仁化县"), ("广东省", "梅州市", "蕉岭县"), ("广东省", "清远市", "连州市"),
    ("湖南省", "益阳市", "安化县"), ("湖南省", "邵阳市", "新宁县"), ("湖南省", "永州市", "江永县"),
    ("湖北省", "宜昌市", "远安县"), ("湖北省", "黄冈市", "罗田县"), ("湖北省", "恩施州", "建始县"),
    ("河南省", "南阳市", "西峡县"), ("河南省", "信阳市", "商城县"), ("河南省", "洛阳市", "栾川县"),
    ("山东省", "济宁市", "泗水县"), ("山东省", "临沂市", "蒙阴县"), ("山东省", "潍坊市", "临朐县"),
    ("江苏省", "无锡市", "江阴市"), ("江苏省", "盐城市", "东台市"), ("江苏省", "徐州市", "睢宁县"),
    ("浙江省", "金华市", "武义县"), ("浙江省", "丽水市", "松阳县"), ("浙江省", "台州市", "天台县"),
    ("安徽省", "安庆市", "岳西县"), ("安徽省", "六安市", "霍山县"), ("江西省", "赣州市", "安远县"),
    ("江西省", "吉安市", "永丰县"), ("福建省", "南平市", "武夷山市"), ("福建省", "三明市", "泰宁县"),
    ("四川省", "绵阳市", "平武县"), ("四川省", "宜宾市", "筠连县"), ("四川省", "南充市", "仪陇县"),
    ("贵州省", "遵义市", "湄潭县"), ("贵州省", "黔东南州", "雷山县"), ("云南省", "大理州", "宾川县"),
    ("云南省", "曲靖市", "师宗县"), ("陕西省", "汉中市", "留坝县"), ("陕西省", "宝鸡市", "凤县"),
    ("甘肃省", "天水市", "清水县"), ("甘肃省", "陇南市", "康县"), ("山西省", "晋城市", "陵川县"),
    ("河北省", "承德市", "隆化县"), ("河北省", "保定市", "阜平县"), ("辽宁省", "丹东市", "宽甸县"),
    ("吉林省", "通化市", "集安市"), ("黑龙江省", "伊春市", "铁力市"), ("广西壮族自治区", "桂林市", "龙胜县"),
    ("广西壮族自治区", "河池市", "凤山县"), ("重庆市", "", "武隆区"), ("重庆市", "", "秀山县"),
    ("内蒙古自治区", "赤峰市", "宁城县"), ("新疆维吾尔自治区", "昌吉州", "奇台县"), ("青海省", "海东市", "互助县"),
    ("宁夏回族自治区", "固原市", "隆德县"), ("海南省", "", "琼中县"), ("北京市", "", "密云区"),
    ("上海市", "", "崇明区"), ("天津市", "", "蓟州区"),
)
_FIRST = "青白石金龙凤桃柳杨松竹梅兰花清明长东西南北高平安新太河溪山湖双三五九古大小上下黄红望"
_SECOND = "山河溪桥坪岭湾口坝林田阳源塘泉沟庄店集营寨铺洲湖江滩岗坡峪堡园圩关头渡冲"
DEPARTMENTS = (
    "教育局", "自然资源局", "农业农村局", "卫生健康局", "住房和城乡建设局", "交通运输局", "市场监督管理局",
    "民政局", "人力资源和社会保障局", "文化和旅游局", "水利局", "应急管理局", "司法局", "财政局", "统计局",
    "林业局", "医疗保障局", "退役军人事务局", "审计局", "发展和改革局",
    "信访局", "房屋征收管理办公室", "住房和城乡建设委员会", "政务服务管理局", "经济开发区管理委员会",
    "城市管理局", "公安局", "商务局", "科学技术局", "生态环境分局", "自然资源和规划分局",
)
NAMED_RATE = 0.5  # share of towns/streets named from the open character pool, not the fixed lists
RANDOM_COUNTY_RATE = 0.3  # share of bodies in an invented city/county (so its name is no cue either)
KINDS = ("镇", "乡", "街道", "department")
POOLS = ("train", "heldout", "all")
HELDOUT_BUCKETS = 2  # of 10: ~20 % of localities are held out


@dataclass(frozen=True)
class Organ:
    """One reporting body. ``full`` is its fullest printed name (the ORGAN span)."""

    kind: str  # 镇 | 乡 | 街道 | department
    province: str
    city: str
    county: str
    locality: str  # the pool key: town/street name, or the county for departments
    full: str
    place: str  # how the place is named in prose: 九峰镇, 新华街道, 仁化县
    self_ref: str  # 我镇 / 我乡 / 我街道 / 我局
    self_short: str  # 镇 / 乡 / 街道 / 局

    @property
    def pool(self) -> str:
        return pool_of(self.locality)


def pool_of(locality: str) -> str:
    """Deterministic pool of a locality key: stable across runs and machines (crc32)."""
    return "heldout" if zlib.crc32(locality.encode("utf-8")) % 10 < HELDOUT_BUCKETS else "train"


def draw_organ(rng: random.Random, pool: str = "all") -> Organ:
    """Draw an organ from ``pool`` (train / heldout / all)."""
    if pool not in POOLS:
        raise ValueError(f"organ_pool must be one of {POOLS}, not {pool!r}")
    for _ in range(1000):
        organ = _draw_any(rng)
        if pool == "all" or organ.pool == pool:
            return organ
    raise RuntimeError("could not draw an organ from pool " + pool)


def _draw_any(rng: random.Random) -> Organ:
    province, city, county = rng.choice(COUNTIES)
    if rng.random() < RANDOM_COUNTY_RATE:
        city = hanzi.place(rng)[:2] + rng.choice(("市", "市", "州")) if city else city
        county = hanzi.place(rng)[:2] + rng.choice(("县", "县", "区", "市"))
    kind = rng.choices(KINDS, weights=(55, 15, 20, 10))[0]
    if kind == "department":
        dept = rng.choice(DEPARTMENTS)
        prefix = city + county if city and rng.random() < 0.2 else county
        full = prefix + dept
        return Organ(kind, province, city, county, county, full, county, "我局", "局")
    if rng.random() < NAMED_RATE:
        name = hanzi.place(rng)
    else:
        name = rng.choice(_FIRST) + rng.choice(_SECOND)
    if name[0] == name[1]:
        name = name[0] + rng.choice(_SECOND.replace(name[0], ""))
    r = rng.random()
    prefix = city + county if (city and r < 0.15) else (county if r < 0.6 else "")
    if kind == "街道":
        full = f"{prefix}{name}街道办事处"
        return Organ(kind, province, city, county, name, full, f"{name}街道", "我街道", "街道")
    suffix = rng.choice(("人民政府", "人民政府", "人民政府", "政府")) if not prefix else "人民政府"
    full = f"{prefix}{name}{kind}{suffix}"
    return Organ(kind, province, city, county, name, full, f"{name}{kind}", f"我{kind}", kind)
