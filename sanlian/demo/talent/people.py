"""Fictional applicants of the talent demo: names, valid ID numbers, phones, education and careers.

Pure values drawn from a seeded `random.Random`: no database and no clock. ID numbers are built the
way GB 11643-1999 describes them (area code, birth date, sequence with the gender's parity) and
checked with python-stdnum, so every one passes the same validation as a typed-in number.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from stdnum.cn import ric

from sanlian.demo.generator import vocab

# Area codes (with a weight): mostly Shanghai, then the provinces the cluster hires from. stdnum knows
# a county only from the year its code was assigned, so a code that was not yet valid in the birth year
# falls back to one of the old city districts.
AREA_CODES = (
    ("310112", 6),  # 上海市闵行区
    ("310104", 4),  # 上海市徐汇区
    ("310110", 3),  # 上海市杨浦区
    ("310115", 3),  # 上海市浦东新区
    ("320102", 2),  # 南京市玄武区
    ("320503", 2),  # 苏州市姑苏区
    ("330106", 2),  # 杭州市西湖区
    ("340104", 2),  # 合肥市蜀山区
    ("370102", 1),  # 济南市历下区
    ("420111", 2),  # 武汉市洪山区
    ("430104", 1),  # 长沙市岳麓区
    ("440305", 1),  # 深圳市南山区
    ("510107", 1),  # 成都市武侯区
    ("610113", 1),  # 西安市雁塔区
    ("110108", 2),  # 北京市海淀区
    ("220102", 1),  # 长春市南关区
)
ALWAYS_VALID = ("310101", "310104", "310105", "310106", "310110", "110105", "110108", "120104")
GIVEN_EXTRA = tuple("宇然晗怡琳泽轩萱博睿航哲瑶彤昊楠悦辰逸凡")  # second characters of given names

UNIVERSITIES = (
    "复旦大学",
    "上海交通大学",
    "同济大学",
    "华东理工大学",
    "华东师范大学",
    "上海大学",
    "东华大学",
    "上海中医药大学",
    "中国药科大学",
    "浙江大学",
    "南京大学",
    "北京大学",
    "清华大学",
    "中国科学院大学",
    "武汉大学",
    "中山大学",
    "四川大学",
    "华中科技大学",
)
OVERSEAS = ("哈佛大学", "约翰斯·霍普金斯大学", "加州大学旧金山分校", "剑桥大学", "新加坡国立大学", "东京大学")
MAJORS_BIO = (
    "生物医学工程",
    "药学",
    "药物化学",
    "生物化学与分子生物学",
    "遗传学",
    "免疫学",
    "微生物学",
    "临床医学",
    "细胞生物学",
    "生物信息学",
)
MAJORS_OTHER = (
    "电子科学与技术",
    "计算机科学与技术",
    "机械工程",
    "材料科学与工程",
    "集成电路科学与工程",
    "化学工程与技术",
    "控制科学与工程",
    "工商管理",
    "光学工程",
)
TITLES = {
    "academic": ("首席科学家", "研究员", "高级研究员", "研究院副院长"),
    "technical": ("研发总监", "技术总监", "高级工程师", "首席工程师", "项目负责人", "质量总监"),
    "management": ("副总经理", "运营总监", "市场总监", "首席财务官"),
    "company_head": ("总经理", "董事长兼总经理", "首席执行官"),
}
PRIOR_EMPLOYERS = (
    "上海某医疗器械公司",
    "苏州某生物制药公司",
    "某跨国药企中国研发中心",
    "某三甲医院",
    "某高校附属研究所",
    "杭州某体外诊断公司",
    "某半导体设计公司",
    "某外资制造企业",
)


@dataclass
class Person:
    name: str
    gender: str  # TalentApplication.Gender value
    birth_date: date
    id_number: str
    phone: str
    education: list = field(default_factory=list)
    career: list = field(default_factory=list)
    achievements: str = ""


class PeopleBook:
    """Hands out fictional people with unique, valid ID numbers and unique phone numbers."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.valid: dict[tuple[str, int], bool] = {}  # stdnum's place check depends on code and birth year only
        self.codes = [code for code, _weight in AREA_CODES]
        self.weights = [weight for _code, weight in AREA_CODES]

    def name(self) -> tuple[str, str]:
        """(name, gender) — a two- or three-character fictional name."""
        rng = self.rng
        surname, _py = rng.choice(vocab.SURNAMES)
        given, _py = rng.choice(vocab.GIVEN_NAMES)
        if len(given) == 1 and rng.random() < 0.55:
            given += rng.choice(GIVEN_EXTRA)
        return surname + given, "male" if rng.random() < 0.62 else "female"

    def id_number(self, birth: date, gender: str) -> str:
        rng = self.rng
        code = rng.choices(self.codes, weights=self.weights, k=1)[0]
        for _attempt in range(50):
            # The 17th digit is odd for men and even for women.
            sequence = rng.randrange(0, 50) * 20 + rng.randrange(0, 10) * 2 + (1 if gender == "male" else 0)
            body = f"{code}{birth:%Y%m%d}{sequence:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number in self.ids:
                continue
            key = (code, birth.year)
            if key not in self.valid:
                self.valid[key] = ric.is_valid(number)
            if not self.valid[key]:
                code = rng.choice(ALWAYS_VALID)
                continue
            self.ids.add(number)
            return number
        raise RuntimeError("ran out of ID numbers")  # pragma: no cover

    def phone(self) -> str:
        while True:
            number = self.rng.choice(vocab.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def person(self, *, born_after: date, born_before: date, gender: str | None = None) -> Person:
        """Someone born in [born_after, born_before] (of the given gender, if any)."""
        name, drawn = self.name()
        gender = gender or drawn
        span = (born_before - born_after).days
        birth = born_after + timedelta(days=self.rng.randrange(max(span, 1)))
        return Person(name, gender, birth, self.id_number(birth, gender), self.phone())

    def background(self, person: Person, *, biomedical: bool, degree: str, title: str, employer: str, since: date):
        """Education, career and achievements that fit the person's age, industry and level."""
        rng = self.rng
        majors = MAJORS_BIO if biomedical else MAJORS_OTHER
        major = rng.choice(majors)
        graduated = person.birth_date.year + 22
        education = [{"degree": "bachelor", "school": rng.choice(UNIVERSITIES), "major": major, "year": str(graduated)}]
        if degree in ("master", "doctor"):
            graduated += 3
            education.append(
                {"degree": "master", "school": rng.choice(UNIVERSITIES), "major": major, "year": str(graduated)}
            )
        if degree == "doctor":
            graduated += 3
            school = rng.choice(OVERSEAS) if rng.random() < 0.25 else rng.choice(UNIVERSITIES)
            education.append({"degree": "doctor", "school": school, "major": major, "year": str(graduated)})
        person.education = education
        career = []
        if since.year - graduated >= 3:
            career.append(
                {
                    "start": f"{graduated}-07",
                    "end": f"{since.year}-{max(since.month - 1, 1):02d}",
                    "employer": rng.choice(PRIOR_EMPLOYERS),
                    "title": rng.choice(("研发工程师", "研究员", "项目经理", "高级工程师", "部门经理")),
                }
            )
        career.append({"start": f"{since:%Y-%m}", "end": "", "employer": employer, "title": title})
        person.career = career
        projects, patents = rng.randint(2, 9), rng.randint(0, 12)
        lines = [f"现任{employer}{title},主持或参与研发、产业化项目{projects}项"]
        if patents:
            lines.append(f"获授权发明专利{patents}项")
        if rng.random() < 0.4:
            lines.append(f"发表论文{rng.randint(3, 40)}篇")
        if rng.random() < 0.25:
            lines.append("牵头产品获国家药品监督管理局注册证")
        person.achievements = ",".join(lines) + "。"
        return person
