"""Generate the labelled matching set (sanlian/chain/data/eval/) and the bench's large profile sets.

    .venv/bin/python bench/make_eval_set.py                 # rewrites profiles.jsonl and queries.jsonl
    .venv/bin/python bench/make_eval_set.py --check         # exit 1 if the shipped files differ from a fresh run

The world behind the set (hidden from the matcher)
    CAPABILITIES is a hand-written table of about a hundred things a biomedical firm in 闵行 can supply — a
    chain node (U1 … S6), the several ways firms and buyers write it (synonyms, English terms, brand-free
    trade words), the certifications firms with it usually hold, and the capabilities that can partly stand
    in for it. Every generated firm holds one to three capabilities; its chain nodes are theirs; its town,
    park and certifications are drawn at random (45 % in 浦江镇, most of those in its two parks). Its
    description is written from templates: an introduction, its capabilities (each in a randomly chosen
    wording), the customers it serves (capabilities of its chain customers — words a buyer also uses about
    itself), now and then its certificates, and boilerplate. About 10 % are written in traditional
    characters, some use full-width letters, some add an English sentence.

    NEEDS is a hand-written list of buyer needs: the buyer's own capability (hence its chain node), the
    capability it needs, a certification the partner must hold (or none) and whether the buyer wants a
    partner in its own town. Each need becomes one query: a buyer in a random town (60 % 浦江镇) writes about
    itself and what it seeks, in one of the wordings of the needed capability, stating the certification
    and the locality in words. The query line carries the buyer's node and town, as a posting would.

How the relevance labels are assigned (never from a matcher's scores)
    For each query and each firm, from the hidden capabilities, certifications and towns only:
      3  the firm holds the needed capability, holds the required certification (if any) and, when the
         buyer wants a local partner, is in the buyer's town;
      2  the firm holds the needed capability and the certification, but is elsewhere;
      1  the firm holds the needed capability without the required certification, or holds a capability
         listed as a partial substitute (and the certification);
      0  otherwise (not written to the file).
    Firms that merely mention the needed product — the buyer's competitors, distributors, customers — are
    not relevant, however many words they share with the query: that is where plain text matching goes
    wrong, and where chain position, place and certificates help. The synonyms make text matching miss some
    firms that are relevant. Nothing in the labels depends on the engine.

Determinism: one random.Random(seed) drives everything, in a fixed order; the output is byte-identical
between runs (json with sorted keys per line, ensure_ascii=False).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "sanlian" / "chain" / "data" / "eval"
EDGES_FILE = ROOT / "sanlian" / "chain" / "data" / "edges.yaml"
DEFAULT_SEED = 20240520
DEFAULT_PROFILES = 1200

TOWNS = {
    "pujiang": "浦江镇",
    "xinzhuang": "莘庄镇",
    "qibao": "七宝镇",
    "zhuanqiao": "颛桥镇",
    "huacao": "华漕镇",
    "hongqiao": "虹桥镇",
    "meilong": "梅陇镇",
    "wujing": "吴泾镇",
    "maqiao": "马桥镇",
    "pujin": "浦锦街道",
    "jiangchuan": "江川路街道",
    "gumei": "古美路街道",
    "xinhong": "新虹街道",
    "xinzhuang-industrial": "莘庄工业区",
}
PARKS = {
    "lingang-pujiang": ("pujiang", ("临港浦江国际科技城", "临港浦江国际生命健康城", "浦江基因未来谷")),
    "caohejing-pujiang": ("pujiang", ("漕河泾开发区浦江高科技园", "漕开发南片区")),
}

CERT_WORDS = {
    "gmp": ("药品GMP符合性检查", "GMP认证", "GMP资质", "药品生产质量管理规范(GMP)"),
    "iso13485": ("ISO 13485质量管理体系认证", "ISO13485认证", "13485医疗器械质量体系"),
    "device-license": ("医疗器械生产许可证", "器械生产许可证"),
    "hnte": ("高新技术企业",),
    "srdi": ("专精特新中小企业",),
    "little-giant": ("科技小巨人企业",),
    "quality-biomed": ("浦江镇优质生物医药企业",),
}
# How a buyer states that the partner must hold a certification.
CERT_REQUIREMENTS = {
    "gmp": ("要求具备GMP资质", "须通过药品GMP符合性检查", "需符合GMP要求", "供应商须持有GMP证书"),
    "iso13485": ("须通过ISO 13485认证", "要求具备13485质量体系认证", "供方需通过ISO 13485体系认证"),
    "device-license": ("须持有医疗器械生产许可证", "要求具备器械生产许可证"),
}


@dataclass(frozen=True)
class Capability:
    key: str
    node: str
    phrases: tuple[str, ...]
    certs: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    english: tuple[str, ...] = ()
    kind: str = "product"  # product, service, space, finance, institution: how buyers ask for it


SERVICE_NODES = frozenset({"U5", "M1", "M6", "D1", "S2", "S3", "S5", "S6"})
KIND_BY_NODE = {"S1": "space", "S4": "finance", "D2": "institution", "D3": "institution"}


def _cap(key, node, phrases, certs=(), related=(), english=(), kind=None):
    kind = kind or KIND_BY_NODE.get(node) or ("service" if node in SERVICE_NODES else "product")
    return Capability(key, node, tuple(phrases), tuple(certs), tuple(related), tuple(english), kind)


CAPABILITIES: dict[str, Capability] = {
    c.key: c
    for c in [
        # U1 API, intermediates, excipients, packaging
        _cap(
            "api", "U1", ["化学原料药", "原料药(API)", "活性药物成分", "特色原料药"], ["gmp"], ["intermediate"], ["API"]
        ),
        _cap("intermediate", "U1", ["医药中间体", "关键中间体定制合成", "高级中间体", "手性中间体"], [], ["api"]),
        _cap("excipient", "U1", ["药用辅料", "微晶纤维素等辅料", "药用级羟丙甲纤维素", "口服制剂辅料"], ["gmp"]),
        _cap("vial", "U1", ["中硼硅玻璃管制注射剂瓶", "西林瓶", "管制瓶", "药用玻璃瓶"], ["gmp"], ["prefilled"]),
        _cap(
            "prefilled", "U1", ["预灌封注射器", "预充式注射器", "玻璃预灌封"], ["gmp"], ["vial"], ["prefilled syringe"]
        ),
        _cap("stopper", "U1", ["药用胶塞", "覆膜胶塞", "溴化丁基胶塞", "注射剂胶塞及铝盖"], ["gmp"]),
        _cap("blister", "U1", ["铝塑泡罩包装材料", "药用铝箔", "PVC/PVDC药用硬片", "药品包装复合膜"], ["gmp"]),
        _cap("tcm_herbs", "U1", ["中药材", "道地药材", "中药材种植与初加工", "药食同源原料"], [], ["nutrition_raw"]),
        _cap("nutrition_raw", "U1", ["保健食品原料", "益生菌原料", "胶原蛋白肽原料", "植物提取物"], [], ["tcm_herbs"]),
        _cap("peptide_api", "U1", ["多肽原料药", "GLP-1类多肽原料", "固相多肽合成"], ["gmp"], ["api"]),
        _cap("lipid", "U1", ["LNP脂质材料", "可电离脂质", "脂质体辅料", "mRNA递送用脂质"], ["gmp"], ["excipient"]),
        # U2 reagents, consumables, instruments
        _cap("media", "U2", ["细胞培养基", "无血清培养基", "化学成分限定培养基", "CHO细胞培养基"], [], ["serum"]),
        _cap("serum", "U2", ["胎牛血清", "血清替代物", "细胞培养补充剂"], [], ["media"]),
        _cap(
            "resin",
            "U2",
            ["层析填料", "Protein A亲和填料", "离子交换层析介质", "纯化填料"],
            [],
            [],
            ["chromatography resin"],
        ),
        _cap("research_ab", "U2", ["科研抗体", "流式抗体", "ELISA试剂盒", "抗原抗体原料"], [], ["ivd_raw"]),
        _cap("ivd_raw", "U2", ["诊断原料", "诊断用抗原", "诊断酶原料", "化学发光原料"], [], ["research_ab"]),
        _cap("enzymes", "U2", ["分子生物学工具酶", "DNA聚合酶", "逆转录酶", "mRNA加帽酶"], [], ["pcr"]),
        _cap("pcr", "U2", ["PCR试剂", "qPCR预混液", "核酸提取试剂", "荧光定量PCR试剂"], [], ["enzymes"]),
        _cap("lab_consumables", "U2", ["移液吸头", "离心管", "细胞培养板", "实验室塑料耗材"], [], ["single_use"]),
        _cap(
            "single_use",
            "U2",
            ["一次性储液袋", "一次性使用系统", "除菌过滤器", "一次性无菌连接件"],
            [],
            ["lab_consumables"],
        ),
        _cap("analytical", "U2", ["液相色谱仪", "质谱仪", "HPLC及LC-MS", "分析仪器"], [], ["cytometer"]),
        _cap("cytometer", "U2", ["流式细胞仪", "细胞分析仪", "细胞计数仪"], [], ["analytical"]),
        _cap("ngs_reagent", "U2", ["测序试剂", "建库试剂盒", "NGS文库制备试剂", "靶向捕获探针"], [], ["pcr"]),
        _cap("standards", "U2", ["标准品", "杂质对照品", "化学对照品", "标准物质"], []),
        # U3 pharmaceutical equipment
        _cap("filling_line", "U3", ["无菌灌装线", "灌装加塞机", "西林瓶灌装设备", "洗烘灌轧联动线"], [], ["isolator"]),
        _cap(
            "lyophilizer",
            "U3",
            ["冻干机", "冷冻干燥机", "真空冷冻干燥设备", "自动进出料冻干系统"],
            [],
            ["filling_line"],
        ),
        _cap(
            "bioreactor",
            "U3",
            ["一次性生物反应器", "生物反应器", "细胞培养罐", "不锈钢发酵罐"],
            [],
            [],
            ["single-use bioreactor"],
        ),
        _cap("purification", "U3", ["层析系统", "超滤系统", "切向流过滤设备", "蛋白纯化设备"], [], []),
        _cap("water_system", "U3", ["制药用水系统", "纯化水设备", "注射用水系统", "纯蒸汽发生器"], []),
        _cap(
            "isolator", "U3", ["无菌隔离器", "隔离器", "RABS限制进入屏障系统", "细胞治疗隔离器"], [], ["filling_line"]
        ),
        _cap("solid_equipment", "U3", ["压片机", "包衣机", "固体制剂设备", "流化床制粒机"], []),
        _cap("packaging_machine", "U3", ["泡罩包装机", "装盒机", "贴标机", "药品追溯赋码设备"], []),
        _cap(
            "cleanroom_eng",
            "U3",
            ["洁净室工程", "净化工程", "洁净空调系统", "GMP车间设计与施工"],
            [],
            ["gmp_space"],
            kind="service",
        ),
        # U4 device materials and components
        _cap("polymer", "U4", ["医用高分子材料", "医用级硅胶", "医用聚氨酯", "PEEK材料"], ["iso13485"], ["catheter"]),
        _cap("catheter", "U4", ["医用导管挤出", "导管组件", "球囊及导丝", "精密管材"], ["iso13485"], ["polymer"]),
        _cap("sensor", "U4", ["医用传感器", "压力传感器", "生物传感器", "温度传感模块"], ["iso13485"], ["electronics"]),
        _cap("molding", "U4", ["精密注塑", "医用注塑件", "精密模具", "塑料件加工"], ["iso13485"], []),
        _cap(
            "electronics", "U4", ["电路板PCBA", "电子元器件", "医用电源模块", "嵌入式控制板"], ["iso13485"], ["sensor"]
        ),
        _cap("metal_am", "U4", ["钛合金3D打印", "金属增材制造", "植入物精密加工", "医用金属粉末"], ["iso13485"], []),
        _cap("optics", "U4", ["光学镜头", "内窥镜光学组件", "医用光纤", "CMOS图像模组"], ["iso13485"], []),
        _cap("motor", "U4", ["微型电机", "精密电机", "驱动模组", "微型泵阀"], ["iso13485"], []),
        # U5 CRO
        _cap("discovery", "U5", ["药物发现", "化合物筛选", "先导化合物优化", "药物化学合成服务"], [], ["ab_discovery"]),
        _cap("ab_discovery", "U5", ["抗体发现", "杂交瘤筛选", "噬菌体展示", "抗体人源化改造"], [], ["discovery"]),
        _cap("dmpk", "U5", ["药代动力学研究", "DMPK服务", "PK研究", "体内药动学评价"], [], ["bioanalysis"]),
        _cap("tox", "U5", ["毒理学研究", "安全性评价", "GLP毒理试验", "药理毒理研究"], [], ["animal"]),
        _cap("animal", "U5", ["动物实验", "动物模型构建", "药效学评价", "小鼠药效模型"], [], ["tox"]),
        _cap("clinical", "U5", ["临床试验服务", "临床CRO", "I-III期临床运营", "临床监查"], [], ["smo", "biostat"]),
        _cap("smo", "U5", ["SMO服务", "临床协调员CRC派驻", "临床试验现场管理"], [], ["clinical"]),
        _cap("biostat", "U5", ["生物统计", "临床数据管理", "统计分析与编程"], [], ["clinical"]),
        _cap("device_cro", "U5", ["器械临床试验", "医疗器械临床评价", "器械CRO", "体外诊断临床试验"], [], ["clinical"]),
        _cap("bioanalysis", "U5", ["生物分析", "免疫原性检测", "临床样本检测"], [], ["dmpk"]),
        # M1 CDMO/CMO
        _cap(
            "cdmo_small",
            "M1",
            ["小分子CDMO", "化学药委托生产", "原料药工艺开发与放大", "化药MAH委托生产"],
            ["gmp"],
            ["formulation"],
            ["CDMO"],
        ),
        _cap(
            "cdmo_bio",
            "M1",
            ["抗体CDMO", "生物药委托开发生产", "细胞株构建及工艺开发", "蛋白药物委托生产"],
            ["gmp"],
            ["fill_finish"],
        ),
        _cap(
            "cdmo_cgt",
            "M1",
            ["细胞治疗CDMO", "病毒载体生产", "慢病毒与AAV载体工艺", "CAR-T工艺开发与生产"],
            ["gmp"],
            ["cdmo_bio"],
        ),
        _cap("cdmo_mrna", "M1", ["mRNA CDMO", "核酸药物委托生产", "LNP制剂开发", "质粒DNA生产"], ["gmp"], ["cdmo_bio"]),
        _cap(
            "fill_finish",
            "M1",
            ["无菌灌装服务", "制剂灌装与冻干", "注射剂委托灌装", "冻干粉针委托生产"],
            ["gmp"],
            ["cdmo_bio"],
            ["fill-finish"],
        ),
        _cap(
            "formulation",
            "M1",
            ["制剂开发", "处方工艺开发", "口服固体制剂CMO", "一致性评价研究"],
            ["gmp"],
            ["cdmo_small"],
        ),
        # M2 chemical drugs
        _cap("innovative_chem", "M2", ["小分子创新药", "1类新药", "靶向小分子药物"], ["gmp"]),
        _cap("generic", "M2", ["仿制药", "口服固体仿制药", "一致性评价品种"], ["gmp"]),
        _cap("injectables", "M2", ["注射剂", "小容量注射液", "冻干粉针剂"], ["gmp"]),
        # M3 biologics
        _cap("mab", "M3", ["单克隆抗体", "单抗药物", "双特异性抗体", "抗体偶联药物ADC"], ["gmp"]),
        _cap("vaccine", "M3", ["疫苗", "mRNA疫苗", "重组蛋白疫苗"], ["gmp"]),
        _cap("cell_therapy", "M3", ["细胞治疗", "CAR-T细胞疗法", "干细胞治疗", "NK细胞治疗"], ["gmp"]),
        _cap("gene_therapy", "M3", ["基因治疗", "AAV基因治疗", "溶瘤病毒"], ["gmp"]),
        _cap("blood", "M3", ["血液制品", "人血白蛋白", "静注人免疫球蛋白"], ["gmp"]),
        _cap("nucleic", "M3", ["核酸药物", "siRNA药物", "反义寡核苷酸"], ["gmp"]),
        # M4 TCM
        _cap("tcm", "M4", ["中成药", "中药配方颗粒", "中药饮片", "经典名方制剂"], ["gmp"]),
        # M5 devices
        _cap("ivd", "M5", ["体外诊断试剂", "IVD试剂", "化学发光试剂", "POCT快速检测"], ["iso13485", "device-license"]),
        _cap(
            "imaging",
            "M5",
            ["医学影像设备", "超声诊断设备", "电子内窥镜", "数字化X射线设备"],
            ["iso13485", "device-license"],
        ),
        _cap("high_value", "M5", ["高值耗材", "介入导管", "心血管支架", "骨科植入物"], ["iso13485", "device-license"]),
        _cap("low_value", "M5", ["低值耗材", "一次性注射器", "输液器", "医用敷料"], ["iso13485", "device-license"]),
        _cap(
            "rehab_device", "M5", ["康复设备", "康复器械", "康复训练机器人", "助行器"], ["iso13485", "device-license"]
        ),
        _cap(
            "monitoring", "M5", ["监护仪", "可穿戴监测设备", "血糖仪", "家用医疗设备"], ["iso13485", "device-license"]
        ),
        _cap("surgical", "M5", ["手术机器人", "微创手术器械", "电外科设备"], ["iso13485", "device-license"]),
        # M6 sequencing and precision medicine
        _cap("sequencing", "M6", ["基因测序服务", "高通量测序", "NGS测序服务", "全基因组测序"], [], ["genetic_test"]),
        _cap("genetic_test", "M6", ["基因检测", "肿瘤基因检测", "遗传病基因检测", "无创产前检测"], [], ["sequencing"]),
        _cap("bioinfo", "M6", ["生物信息分析", "生信分析平台", "基因数据解读"], [], []),
        _cap("companion_dx", "M6", ["伴随诊断", "液体活检", "MRD微小残留病检测"], [], ["genetic_test"]),
        # D1 distribution, retail, e-commerce, CSO
        _cap("distribution", "D1", ["医药流通", "药品配送", "医药商业批发", "医院药品配送"], [], ["cold_chain"]),
        _cap("cold_chain", "D1", ["冷链物流", "2-8℃冷链运输", "生物制品冷链配送"], [], ["distribution"]),
        _cap("cso", "D1", ["CSO学术推广", "医药营销外包", "合同销售组织", "处方药推广"], []),
        _cap("ecommerce", "D1", ["医药电商", "线上药房", "连锁零售药店", "互联网医院药品服务"], []),
        _cap("device_dist", "D1", ["医疗器械经销", "器械代理", "耗材配送", "器械院内物流(SPD)"], [], ["distribution"]),
        # D2 hospitals, check-up centres, independent labs
        _cap("hospital", "D2", ["综合医院", "专科医院", "三级医院临床科室", "民营医院"], []),
        _cap("checkup", "D2", ["体检中心", "健康体检", "高端体检"], []),
        _cap("icl", "D2", ["第三方医学检验", "独立医学实验室", "医学检验所", "病理诊断中心"], [], ["genetic_test"]),
        # D3 health services and rehabilitation
        _cap("rehab_service", "D3", ["康复中心", "康复治疗服务", "运动康复", "术后康复"], [], ["elderly"]),
        _cap("elderly", "D3", ["养老护理", "健康管理服务", "慢病管理", "居家护理"], [], ["rehab_service"]),
        # D4 derivative products
        _cap("supplements", "D4", ["保健食品", "膳食补充剂", "特殊医学用途配方食品", "益生菌产品"], []),
        # S1 GMP and lab space
        _cap("gmp_space", "S1", ["GMP厂房", "标准厂房", "洁净车间", "D级洁净区厂房"], [], ["lab_space"]),
        _cap("lab_space", "S1", ["实验室空间", "孵化器工位", "共享实验室", "研发办公楼"], [], ["gmp_space"]),
        # S2 IP services
        _cap("patent", "S2", ["专利申请代理", "专利布局与挖掘", "知识产权代理", "FTO自由实施分析"], []),
        # S3 registration and regulatory
        _cap("drug_reg", "S3", ["药品注册申报", "IND/NDA申报", "药品注册法规咨询", "注册资料撰写"], [], ["fda_reg"]),
        _cap(
            "device_reg",
            "S3",
            ["医疗器械注册", "三类医疗器械注册申报", "二类器械注册证办理", "器械注册人制度咨询"],
            [],
            ["fda_reg"],
        ),
        _cap("fda_reg", "S3", ["FDA申报", "510(k)申报", "CE认证及MDR咨询", "海外注册"], [], ["drug_reg", "device_reg"]),
        # S4 finance
        _cap("finance", "S4", ["股权投资", "风险投资", "产业基金", "科技贷款", "知识产权质押融资"], []),
        # S5 testing and certification
        _cap("testing", "S5", ["检验检测", "第三方检测", "理化检测", "微生物限度检测"], [], ["biocompat"]),
        _cap("sterilization", "S5", ["环氧乙烷灭菌", "辐照灭菌", "灭菌验证", "EO灭菌服务"], [], ["testing"]),
        _cap("emc", "S5", ["电磁兼容测试", "EMC检测", "电气安全检测", "有源器械型式检验"], [], ["testing"]),
        _cap("biocompat", "S5", ["生物相容性评价", "细胞毒性试验", "ISO 10993测试"], [], ["testing"]),
        _cap("qms_consult", "S5", ["质量体系咨询", "ISO 13485认证咨询", "GMP咨询", "体系认证辅导"], [], ["validation"]),
        _cap("validation", "S5", ["验证服务", "设备验证", "清洁验证", "计算机化系统验证(CSV)"], [], ["qms_consult"]),
        # S6 talent and HR
        _cap("hr", "S6", ["人才招聘", "生物医药猎头", "人力资源外包", "劳务派遣"], []),
    ]
}

FIRM_SUFFIX = {
    "U1": ("医药科技", "药业", "包装材料", "化工"),
    "U2": ("生物科技", "生物试剂", "仪器", "生命科学"),
    "U3": ("制药设备", "机械", "智能装备"),
    "U4": ("医用材料", "精密器件", "电子科技"),
    "U5": ("医药研发", "生物医药科技", "临床研究"),
    "M1": ("生物制药", "医药科技", "生物技术"),
    "M2": ("药业", "制药"),
    "M3": ("生物医药", "生物技术", "生物制药"),
    "M4": ("中药", "药业"),
    "M5": ("医疗器械", "医疗科技", "诊断技术"),
    "M6": ("基因科技", "医学检验所", "精准医学"),
    "D1": ("医药", "医药物流", "大药房"),
    "D2": ("医院", "医学检验实验室", "健康管理"),
    "D3": ("康复医疗", "健康科技", "护理院"),
    "D4": ("营养科技", "健康食品"),
    "S1": ("科技园", "园区运营", "孵化器管理"),
    "S2": ("知识产权代理", "专利代理事务所"),
    "S3": ("医药咨询", "法规咨询"),
    "S4": ("投资管理", "创业投资"),
    "S5": ("检测技术", "质量技术服务"),
    "S6": ("人力资源", "人才服务"),
}
BRAND = "华瑞康博迈科泰诺信达恒盛源聚安和百联臻睿领君赛宏晟润锐捷微晶复申江浦闵禾嘉益维晨普优"
BRAND_CHARS = [ch for ch in BRAND if "\u4e00" <= ch <= "\u9fff"]

INTROS = (
    "{name}成立于{year}年,位于{place},是一家专注于{p}的企业。",
    "{name}坐落于{place},深耕{p}领域{years}年。",
    "公司于{year}年在{place}注册成立,主要从事{p}。",
    "{name}({place})以{p}为核心业务。",
    "我们是{place}的一家{p}企业,成立于{year}年。",
)
CAP_SENTENCES = (
    "主营{p}。",
    "可提供{p}。",
    "核心产品/服务为{p}。",
    "拥有成熟的{p}平台。",
    "业务涵盖{p}等。",
    "公司具备{p}能力,已服务国内外客户。",
)
CUSTOMER_SENTENCES = (
    "产品广泛应用于{d}等领域。",
    "客户涵盖{d}企业。",
    "长期为{d}企业提供配套。",
    "重点服务{d}客户。",
)
CERT_SENTENCES = ("已通过{c}。", "持有{c}。", "公司获{c}。")
FILLER = (
    "公司秉承质量第一、客户至上的理念。",
    "拥有一支由博士、硕士组成的专业团队。",
    "与多家三甲医院及科研院所建立了长期合作关系。",
    "欢迎各界朋友洽谈合作。",
    "已累计服务超过百家客户。",
    "建有完善的质量管理体系。",
    "响应迅速,交付周期短。",
    "产品销往全国二十多个省市。",
    "公司注重研发投入,拥有多项发明专利。",
    "为客户提供一站式解决方案。",
)
ENGLISH = ("We offer {e}.", "Our {e} services support global clients.", "Specialised in {e}.")

# How a buyer introduces itself, by the kind of its own capability.
QUERY_CONTEXT = {
    "product": (
        "我司是一家专注于{b}的企业",
        "本公司主营{b}",
        "我们是位于{town}的{b}企业",
        "我单位从事{b}研发与生产",
        "公司主要产品为{b}",
    ),
    "service": ("我司是一家专注于{b}的企业", "本公司主营{b}", "我们是位于{town}的{b}服务商", "我们提供{b}"),
    "institution": ("我们是{town}的{b}", "本单位为{b}", "我单位属于{b}"),
}
# How a buyer asks for the capability it needs, by the kind of that capability.
QUERY_NEED = {
    "product": ("现寻找{n}供应商", "需采购{n}", "诚寻{n}合作伙伴", "求购{n}", "寻求{n}方面的合作"),
    "service": ("拟委托外部单位承担{n}", "寻求{n}服务", "诚寻{n}合作伙伴", "需要{n}", "寻求{n}方面的合作"),
    "space": ("需租赁{n}", "寻找{n}", "求租{n}"),
    "finance": ("寻求{n}", "希望获得{n}", "正在寻找{n}支持"),
    "institution": ("寻找{n}合作", "诚寻{n}合作伙伴"),
}
QUERY_LOCAL = ("优先考虑{town}企业", "希望就近合作({town})", "最好在{town}本地", "本地企业优先({town})")
QUERY_DETAIL = ("年需求量较大", "预算约{n}万元", "希望年内启动", "可长期合作", "", "", "")

# (buyer capability, needed capability, required certification or None, wants a partner in its own town)
NEEDS: tuple[tuple[str, str, str | None, bool], ...] = (
    ("mab", "fill_finish", "gmp", True),
    ("mab", "resin", None, False),
    ("mab", "media", None, True),
    ("mab", "bioreactor", None, False),
    ("mab", "purification", None, True),
    ("mab", "cdmo_bio", "gmp", False),
    ("mab", "ab_discovery", None, False),
    ("mab", "tox", None, True),
    ("mab", "drug_reg", None, False),
    ("mab", "finance", None, True),
    ("mab", "gmp_space", None, True),
    ("mab", "hr", None, True),
    ("cell_therapy", "cdmo_cgt", "gmp", True),
    ("cell_therapy", "cytometer", None, False),
    ("cell_therapy", "single_use", None, True),
    ("cell_therapy", "serum", None, False),
    ("cell_therapy", "gmp_space", None, True),
    ("gene_therapy", "cdmo_cgt", "gmp", False),
    ("vaccine", "lipid", "gmp", False),
    ("nucleic", "cdmo_mrna", "gmp", True),
    ("nucleic", "enzymes", None, False),
    ("vaccine", "patent", None, True),
    ("generic", "api", "gmp", False),
    ("generic", "excipient", "gmp", True),
    ("generic", "solid_equipment", None, False),
    ("generic", "blister", "gmp", True),
    ("generic", "formulation", "gmp", False),
    ("innovative_chem", "discovery", None, True),
    ("innovative_chem", "dmpk", None, True),
    ("innovative_chem", "clinical", None, False),
    ("innovative_chem", "cdmo_small", "gmp", True),
    ("injectables", "vial", "gmp", False),
    ("injectables", "stopper", "gmp", True),
    ("injectables", "isolator", None, False),
    ("injectables", "testing", None, True),
    ("generic", "distribution", None, False),
    ("fill_finish", "filling_line", None, True),
    ("fill_finish", "lyophilizer", None, False),
    ("cdmo_bio", "water_system", None, True),
    ("cdmo_bio", "cleanroom_eng", None, True),
    ("cdmo_small", "intermediate", None, False),
    ("cdmo_bio", "gmp_space", None, True),
    ("high_value", "polymer", "iso13485", True),
    ("high_value", "catheter", "iso13485", False),
    ("high_value", "sterilization", None, True),
    ("high_value", "biocompat", None, False),
    ("high_value", "device_reg", None, True),
    ("imaging", "optics", "iso13485", False),
    ("imaging", "electronics", "iso13485", True),
    ("imaging", "emc", None, True),
    ("monitoring", "sensor", "iso13485", True),
    ("surgical", "motor", "iso13485", False),
    ("surgical", "metal_am", "iso13485", True),
    ("low_value", "molding", "iso13485", True),
    ("low_value", "device_dist", None, False),
    ("ivd", "ivd_raw", None, True),
    ("ivd", "device_cro", None, False),
    ("ivd", "fda_reg", None, False),
    ("ivd", "qms_consult", None, True),
    ("rehab_device", "device_reg", None, True),
    ("sequencing", "ngs_reagent", None, True),
    ("sequencing", "bioinfo", None, False),
    ("genetic_test", "sequencing", None, True),
    ("hospital", "ivd", "device-license", True),
    ("hospital", "genetic_test", None, True),
    ("icl", "pcr", None, False),
    ("checkup", "low_value", "device-license", True),
    ("rehab_service", "rehab_device", "device-license", True),
    ("elderly", "monitoring", None, True),
    ("distribution", "generic", "gmp", False),
    ("ecommerce", "supplements", None, False),
    ("supplements", "nutrition_raw", None, True),
    ("tcm", "tcm_herbs", None, False),
    ("clinical", "lab_consumables", None, True),
    ("animal", "cytometer", None, False),
    ("cdmo_cgt", "validation", None, True),
)


@dataclass
class Firm:
    id: str
    name: str
    caps: list[str]
    town: str
    park: str
    certs: list[str]
    description: str

    @property
    def nodes(self) -> list[str]:
        seen: dict[str, None] = {}
        for key in self.caps:
            seen.setdefault(CAPABILITIES[key].node, None)
        return list(seen)

    def as_line(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "nodes": self.nodes,
            "town": self.town,
            "park": self.park,
            "certifications": self.certs,
        }


def load_edges(path: Path = EDGES_FILE) -> list[tuple[str, str]]:
    return [(s, c) for s, c, _note in yaml.safe_load(path.read_text(encoding="utf-8"))["edges"]]


CAPS_BY_NODE: dict[str, list[str]] = {}
for _key, _cap_ in CAPABILITIES.items():
    CAPS_BY_NODE.setdefault(_cap_.node, []).append(_key)


def _place(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.45:
        roll = rng.random()
        park = "lingang-pujiang" if roll < 0.45 else "caohejing-pujiang" if roll < 0.75 else ""
        return "pujiang", park
    return rng.choice([code for code in TOWNS if code != "pujiang"]), ""


def _place_words(rng: random.Random, town: str, park: str) -> str:
    if park:
        return rng.choice(PARKS[park][1])
    return "闵行区" + TOWNS[town]


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)


def _join(phrases: list[str]) -> str:
    return "、".join(phrases)


def _firm_name(rng: random.Random, node: str, used: set[str] | None) -> str:
    """A fictional firm name; unique among `used` when given (the bench's large sets allow repeats)."""
    for attempt in range(50):
        brand = "".join(rng.sample(BRAND_CHARS, 2))
        name = f"上海{brand}{rng.choice(FIRM_SUFFIX[node])}有限公司"
        if used is None:
            return name
        if name not in used or attempt == 49:
            used.add(name)
            return name
    raise AssertionError("unreachable")


def _style(rng: random.Random, text: str) -> str:
    """Some firms write in traditional characters, some type full-width letters."""
    import zhconv

    roll = rng.random()
    if roll < 0.10:
        return zhconv.convert(text, "zh-hant")
    if roll < 0.16:
        return _full_width(text)
    return text


def make_firm(rng: random.Random, number: int, edges: list[tuple[str, str]], used: set[str] | None) -> Firm:
    keys = list(CAPABILITIES)
    primary = keys[number % len(keys)] if number < len(keys) * 4 else rng.choice(keys)
    caps = [primary]
    cap = CAPABILITIES[primary]
    siblings = [k for k in CAPS_BY_NODE[cap.node] if k != primary]
    if siblings and rng.random() < 0.3:
        caps.append(rng.choice(siblings))
    if cap.related and rng.random() < 0.15:
        extra = rng.choice(cap.related)
        if extra not in caps:
            caps.append(extra)
    town, park = _place(rng)
    certs: list[str] = []
    for key in caps:
        for code in CAPABILITIES[key].certs:
            if code not in certs and rng.random() < 0.6:
                certs.append(code)
    for code, share in (("hnte", 0.3), ("srdi", 0.12), ("little-giant", 0.04)):
        if rng.random() < share:
            certs.append(code)
    if town == "pujiang" and rng.random() < 0.15:
        certs.append("quality-biomed")
    name = _firm_name(rng, cap.node, used)

    place = _place_words(rng, town, park)
    first = rng.choice(cap.phrases)
    sentences = [
        rng.choice(INTROS).format(
            name=name, year=rng.randint(1998, 2023), years=rng.randint(3, 25), place=place, p=first
        )
    ]
    for key in caps:
        c = CAPABILITIES[key]
        chosen = rng.sample(c.phrases, k=min(len(c.phrases), rng.choice((1, 1, 2))))
        sentences.append(rng.choice(CAP_SENTENCES).format(p=_join(chosen)))
    customers = [c for s, c in edges if s == cap.node]
    if customers and rng.random() < 0.75:
        domains = []
        for node in rng.sample(customers, k=min(len(customers), 2)):
            domains.append(rng.choice(CAPABILITIES[rng.choice(CAPS_BY_NODE[node])].phrases))
        sentences.append(rng.choice(CUSTOMER_SENTENCES).format(d=_join(domains)))
    shown = [code for code in certs if code in CERT_WORDS and rng.random() < 0.5]
    if shown:
        sentences.append(rng.choice(CERT_SENTENCES).format(c=_join([rng.choice(CERT_WORDS[c]) for c in shown])))
    sentences.extend(rng.sample(FILLER, k=rng.randint(1, 3)))
    english = [e for key in caps for e in CAPABILITIES[key].english]
    if english and rng.random() < 0.35:
        sentences.append(" " + rng.choice(ENGLISH).format(e=rng.choice(english)))
    description = _style(rng, "".join(sentences))
    return Firm(
        id=f"p{number + 1:04d}",
        name=name,
        caps=caps,
        town=town,
        park=park,
        certs=certs,
        description=description,
    )


def make_firms(
    count: int, seed: int = DEFAULT_SEED, edges: list[tuple[str, str]] | None = None, *, unique_names: bool = True
) -> list[Firm]:
    rng = random.Random(seed)
    edges = load_edges() if edges is None else edges
    used: set[str] | None = set() if unique_names else None
    return [make_firm(rng, number, edges, used) for number in range(count)]


def grade(firm: Firm, need: tuple[str, str, str | None, bool], buyer_town: str) -> int:
    """The relevance of a firm to a need, from the hidden capabilities only (see the module docstring)."""
    _buyer, needed, cert, local = need
    cert_ok = cert is None or cert in firm.certs
    if needed in firm.caps:
        if not cert_ok:
            return 1
        return 3 if (not local or firm.town == buyer_town) else 2
    if any(key in CAPABILITIES[needed].related for key in firm.caps):
        return 1 if cert_ok else 0
    return 0


def make_query(rng: random.Random, number: int, need, firms: list[Firm]) -> dict:
    buyer_key, needed, cert, local = need
    buyer, wanted = CAPABILITIES[buyer_key], CAPABILITIES[needed]
    town = "pujiang" if rng.random() < 0.6 else rng.choice(list(TOWNS))
    parts = [
        rng.choice(QUERY_CONTEXT.get(buyer.kind, QUERY_CONTEXT["service"])).format(
            b=rng.choice(buyer.phrases), town=TOWNS[town]
        ),
        rng.choice(QUERY_NEED[wanted.kind]).format(n=rng.choice(wanted.phrases)),
    ]
    if cert:
        parts.append(rng.choice(CERT_REQUIREMENTS[cert]))
    if local:
        parts.append(rng.choice(QUERY_LOCAL).format(town=TOWNS[town]))
    detail = rng.choice(QUERY_DETAIL).format(n=rng.choice((20, 50, 100, 200, 500)))
    if detail:
        parts.append(detail)
    text = ",".join(parts).replace("服务服务", "服务") + "。"
    if wanted.english and rng.random() < 0.4:
        text += f" Looking for {rng.choice(wanted.english)} partners."
    text = _style(rng, text)
    relevant = {}
    for firm in firms:
        g = grade(firm, need, town)
        if g:
            relevant[firm.id] = g
    return {"id": f"q{number + 1:03d}", "text": text, "node": buyer.node, "town": town, "relevant": relevant}


def make_set(profiles: int = DEFAULT_PROFILES, seed: int = DEFAULT_SEED) -> tuple[list[dict], list[dict]]:
    edges = load_edges()
    firms = make_firms(profiles, seed, edges)
    rng = random.Random(seed + 1)
    queries = [make_query(rng, i, need, firms) for i, need in enumerate(NEEDS)]
    return [firm.as_line() for firm in firms], queries


def _dump(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=DEFAULT_PROFILES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--check", action="store_true", help="compare with the files instead of writing them")
    args = parser.parse_args(argv)
    profiles, queries = make_set(args.profiles, args.seed)
    files = {args.out / "profiles.jsonl": _dump(profiles), args.out / "queries.jsonl": _dump(queries)}
    if args.check:
        stale = [str(p) for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"differs: {path}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    sizes = [len(q["relevant"]) for q in queries]
    print(f"{len(profiles)} profiles, {len(queries)} queries, relevant per query {min(sizes)}–{max(sizes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
