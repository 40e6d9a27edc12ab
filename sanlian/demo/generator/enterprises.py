"""Fictional enterprises of 闵行区 (and the three named ones), as `EnterpriseSpec` values.

Each group of enterprises draws from its own seeded stream, so changing one group does not reshuffle
the others; USCCs follow from a serial number only, so they stay put whatever the seed.
"""

import math
import random
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from sanlian.core.validators import uscc_from_serial

from . import vocab
from .specs import SERIAL_BASE, ContactSpec, EnterpriseSpec, Sizes
from .vocab import Archetype

GENE_SHARE_PUJIANG = 2 / 3  # 约2/3与基因相关
GENE_SHARE_ELSEWHERE = 0.45


def weighted(rng: random.Random, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


class NameBook:
    """Hands out unique fictional enterprise names."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = {vocab.SHOWCASE["name"]}

    def take(self, words, *, foreign: bool) -> tuple[str, str, str]:
        """(name, English name, e-mail domain) for an enterprise with one of the given name words."""
        for _attempt in range(1000):
            (c1, p1), (c2, p2) = self.rng.sample(vocab.BRAND_CHARS, 2)
            brand = c1 + c2
            if brand in vocab.BRAND_BLACKLIST or brand == "澜屿":
                continue
            word, word_en = self.rng.choice(words)
            name = f"{brand}(上海){word}有限公司" if foreign else f"上海{brand}{word}有限公司"
            if name in self.used:
                continue
            self.used.add(name)
            pinyin = p1 + p2
            name_en = (
                f"{pinyin.capitalize()} (Shanghai) {word_en} Co., Ltd."
                if foreign
                else f"Shanghai {pinyin.capitalize()} {word_en} Co., Ltd."
            )
            initials = "".join(part[0] for part in word_en.lower().replace("&", " ").split())
            return name, name_en, f"{pinyin}{initials}.example.com"
        raise RuntimeError("ran out of fictional names")  # pragma: no cover


def person(rng: random.Random) -> tuple[str, str, str]:
    """A fictional Chinese name with its pinyin: (name, given pinyin, surname pinyin)."""
    surname, surname_py = rng.choice(vocab.SURNAMES)
    given, given_py = rng.choice(vocab.GIVEN_NAMES)
    return surname + given, given_py, surname_py


def contacts(rng: random.Random, domain: str) -> tuple[ContactSpec, ...]:
    result = []
    titles = rng.sample(vocab.CONTACT_TITLES, 2)
    for i in range(1 if rng.random() < 0.5 else 2):
        name, given_py, surname_py = person(rng)
        phone = rng.choice(vocab.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        result.append(ContactSpec(name, titles[i], phone, f"{given_py}.{surname_py}@{domain}", i == 0))
    return tuple(result)


def founded(rng: random.Random, year: int | None = None) -> date:
    """Mostly before 2019; `year` forces one (the 2024 newcomers)."""
    if year is None:
        year = min(2018, int(rng.triangular(1996, 2019, 2015))) if rng.random() < 0.72 else rng.randint(2019, 2023)
    return date(year, 1, 1) + timedelta(days=rng.randrange(300 if year == 2024 else 365))


def address(rng: random.Random, town: str) -> str:
    road = rng.choice(vocab.ROADS[town])
    text = f"上海市闵行区{road}{rng.randint(1, 2999)}号"
    if rng.random() < 0.6:
        text += f"{rng.randint(1, 12)}幢{rng.randint(1, 8)}{rng.randint(1, 20):02d}室"
    return text


def capital(rng: random.Random, median: float) -> Decimal:
    """Registered capital in yuan, rounded to 10,000 yuan (万元)."""
    amount = min(2e9, max(1e5, rng.lognormvariate(math.log(median), 1.1)))
    return Decimal(int(amount // 10_000) * 10_000).quantize(Decimal("0.01"))


def park(rng: random.Random, town: str, archetype: Archetype, biomedical: bool) -> str | None:
    if town != "pujiang":
        return None
    if not biomedical:
        return weighted(rng, ["caohejing-pujiang", "lingang-pujiang", None], [0.4, 0.2, 0.4])
    if archetype.gene_affinity >= 0.7:  # the gene valley (浦江基因未来谷) is in the Lingang park
        return weighted(rng, ["lingang-pujiang", "caohejing-pujiang", None], [0.6, 0.2, 0.2])
    return weighted(rng, ["lingang-pujiang", "caohejing-pujiang", None], [0.35, 0.35, 0.3])


def fictional(
    rng: random.Random, names: NameBook, serial: int, *, town: str, cluster: str | None, founded_year: int | None
) -> EnterpriseSpec:
    biomedical = cluster is not None
    archetypes = vocab.BIOMEDICAL_ARCHETYPES[cluster] if biomedical else vocab.OTHER_ARCHETYPES
    archetype = weighted(rng, archetypes, [a.weight for a in archetypes])
    foreign = rng.random() < (0.1 if biomedical else 0.08)
    name, name_en, domain = names.take(archetype.words, foreign=foreign)
    legal_representative, _given, _surname = person(rng)
    return EnterpriseSpec(
        serial=serial,
        uscc=uscc_from_serial(serial),
        name=name,
        name_en=name_en,
        industry_code=rng.choice(archetype.industry_codes),
        is_biomedical=biomedical,
        cluster=cluster,
        is_gene_related=False,  # decided for the whole group (see assign_gene_related)
        chain_nodes=archetype.chain_nodes,  # narrowed once gene-relatedness is known
        town=town,
        park=park(rng, town, archetype, biomedical),
        founded_date=founded(rng, founded_year),
        registered_capital=capital(rng, 10_000_000 if biomedical else 5_000_000),
        legal_representative=legal_representative,
        address=address(rng, town),
        business_scope=archetype.scope,
        description=archetype.description,
        is_demo=True,
        contacts=contacts(rng, domain),
        archetype=archetype.key,
        is_foreign=foreign,
    )


def showcase(serial: int) -> EnterpriseSpec:
    """The enterprise of the demo accounts `ent_admin` and `ent_staff`."""
    spec = vocab.SHOWCASE
    archetype = archetype_of("devices", spec["archetype"])
    return EnterpriseSpec(
        serial=serial,
        uscc=uscc_from_serial(serial),
        name=spec["name"],
        name_en=spec["name_en"],
        industry_code=spec["industry_code"],
        is_biomedical=True,
        cluster="devices",
        is_gene_related=True,
        chain_nodes=spec["chain_nodes"],
        town="pujiang",
        park=spec["park"],
        founded_date=date(*spec["founded"]),
        registered_capital=Decimal("30000000.00"),
        legal_representative=spec["legal_representative"],
        address=spec["address"],
        business_scope=archetype.scope,
        description="专注于分子诊断(核酸检测)仪器与试剂的研发和生产,产品覆盖呼吸道病原体与肿瘤基因检测。",
        is_demo=True,
        contacts=tuple(ContactSpec(*row, is_primary=i == 0) for i, row in enumerate(spec["contacts"])),
        archetype=archetype.key,
        showcase=True,
    )


def named(serial: int, item: vocab.NamedEnterprise) -> EnterpriseSpec:
    """An enterprise named in the news report: public facts only, no figures, no contacts."""
    return EnterpriseSpec(
        serial=serial,
        uscc=uscc_from_serial(serial),
        name=item.name,
        name_en=item.name_en,
        industry_code=item.industry_code,
        is_biomedical=True,
        cluster=item.cluster,
        is_gene_related=item.is_gene_related,
        chain_nodes=item.chain_nodes,
        town="pujiang",
        park=None,
        founded_date=None,
        registered_capital=None,
        legal_representative="",
        address="",
        business_scope=item.business_scope,
        description=vocab.NAMED_DESCRIPTION,
        is_demo=False,
    )


def archetype_of(cluster: str | None, key: str) -> Archetype:
    archetypes = vocab.BIOMEDICAL_ARCHETYPES[cluster] if cluster else vocab.OTHER_ARCHETYPES
    return next(a for a in archetypes if a.key == key)


def assign_gene_related(rng: random.Random, group: list[EnterpriseSpec], target: int) -> None:
    """Mark exactly `target` of the group gene-related, favouring gene-heavy lines of business."""
    fixed = sum(1 for e in group if not e.is_demo and e.is_gene_related) + sum(1 for e in group if e.showcase)
    free = [e for e in group if e.is_demo and not e.showcase]
    ranked = sorted(
        free,
        key=lambda e: archetype_of(e.cluster, e.archetype).gene_affinity + rng.uniform(-0.35, 0.35),
        reverse=True,
    )
    chosen = {e.serial for e in ranked[: max(0, target - fixed)]}
    for e in free:
        e.is_gene_related = e.serial in chosen


def narrow_chain_nodes(rng: random.Random, group: list[EnterpriseSpec]) -> None:
    """The archetype's first node always; M6 when gene-related; each other node sometimes."""
    for e in group:
        if not e.is_demo or e.showcase or not e.chain_nodes:
            continue
        first, *rest = e.chain_nodes
        nodes = [first] + [n for n in rest if (n == "M6" and e.is_gene_related) or (n != "M6" and rng.random() < 0.4)]
        e.chain_nodes = tuple(nodes)


def build_enterprises(seed: int, sizes: Sizes) -> list[EnterpriseSpec]:
    serials = count(SERIAL_BASE)
    names = NameBook(random.Random(f"{seed}:names"))
    clusters = list(vocab.CLUSTER_WEIGHTS)
    cluster_weights = list(vocab.CLUSTER_WEIGHTS.values())

    pujiang = [named(next(serials), item) for item in vocab.NAMED_ENTERPRISES]
    rng = random.Random(f"{seed}:pujiang-biomedical")
    pujiang.append(showcase(next(serials)))
    for i in range(sizes.pujiang_biomedical - 1 + sizes.pujiang_biomedical_new):
        year = 2024 if i >= sizes.pujiang_biomedical - 1 else None
        cluster = weighted(rng, clusters, cluster_weights)
        pujiang.append(fictional(rng, names, next(serials), town="pujiang", cluster=cluster, founded_year=year))

    rng = random.Random(f"{seed}:other-biomedical")
    towns = list(vocab.OTHER_TOWN_WEIGHTS)
    town_weights = list(vocab.OTHER_TOWN_WEIGHTS.values())
    elsewhere = []
    for i in range(sizes.other_biomedical + sizes.other_biomedical_new):
        year = 2024 if i >= sizes.other_biomedical else None
        town = weighted(rng, towns, town_weights)
        cluster = weighted(rng, clusters, cluster_weights)
        elsewhere.append(fictional(rng, names, next(serials), town=town, cluster=cluster, founded_year=year))

    rng = random.Random(f"{seed}:pujiang-other")
    others = [
        fictional(
            rng,
            names,
            next(serials),
            town="pujiang",
            cluster=None,
            founded_year=2024 if i >= sizes.pujiang_other else None,
        )
        for i in range(sizes.pujiang_other + sizes.pujiang_other_new)
    ]

    rng = random.Random(f"{seed}:gene")
    by_2023 = [e for e in pujiang if e.exists_in(2023)]
    newcomers = [e for e in pujiang if not e.exists_in(2023)]
    assign_gene_related(rng, by_2023, round(len(by_2023) * GENE_SHARE_PUJIANG))
    assign_gene_related(rng, newcomers, round(len(newcomers) * GENE_SHARE_PUJIANG))
    assign_gene_related(rng, elsewhere, round(len(elsewhere) * GENE_SHARE_ELSEWHERE))
    narrow_chain_nodes(random.Random(f"{seed}:chain"), pujiang + elsewhere)
    return pujiang + elsewhere + others
