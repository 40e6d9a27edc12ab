"""Words the demo generator builds fictional enterprises from.

Everything here is data: name parts (with pinyin, so e-mail addresses and English names follow from
the Chinese), the archetypes of each cluster (GB/T 4754-2017 industry codes, chain nodes, how likely
the line of business is gene-related), roads of the towns, and the three enterprises named in the
2024-05-20 report, described with public facts only.
"""

from dataclasses import dataclass


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """Split "王 wang 李 li" into (("王", "wang"), ("李", "li"))."""
    words = text.split()
    return tuple(zip(words[::2], words[1::2], strict=True))


# Characters of the fictional trade names (字号), with pinyin.
BRAND_CHARS = _pairs(
    """
    瑞 rui 康 kang 博 bo 泰 tai 安 an 诺 nuo 迈 mai 赛 sai 欣 xin 睿 rui
    凯 kai 晶 jing 源 yuan 健 jian 宁 ning 和 he 信 xin 景 jing 润 run 宇 yu
    禾 he 麟 lin 翊 yi 珩 heng 岚 lan 昀 yun 煦 xu 桐 tong 汇 hui 铂 bo
    序 xu 衡 heng 钧 jun 泓 hong 璟 jing 朗 lang 羿 yi 沐 mu 峻 jun 柏 bai
    致 zhi 远 yuan 嘉 jia 誉 yu
    """
)
# Pairs that spell well-known real brands or plain words; the generator never uses them.
BRAND_BLACKLIST = frozenset(
    """
    迈瑞 康宁 博瑞 诺泰 康泰 安诺 凯赛 健康 安康 晶泰 汇宇 润和 衡泰 瑞博
    赛诺 安泰 景嘉 泰嘉 嘉和 诺和 瑞康 博安 和信 信和 远景 康和 宇宁
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

SURNAMES = _pairs(
    """
    王 wang 李 li 张 zhang 刘 liu 陈 chen 杨 yang 黄 huang 赵 zhao 吴 wu 周 zhou
    徐 xu 孙 sun 马 ma 朱 zhu 胡 hu 郭 guo 何 he 林 lin 高 gao 罗 luo
    郑 zheng 梁 liang 谢 xie 宋 song 唐 tang 许 xu 韩 han 冯 feng 邓 deng 曹 cao
    彭 peng 曾 zeng 沈 shen 顾 gu 陆 lu 钱 qian 蒋 jiang 姚 yao 蔡 cai 潘 pan
    """
)
GIVEN_NAMES = _pairs(
    """
    伟 wei 敏 min 静 jing 丽 li 强 qiang 磊 lei 洋 yang 艳 yan 勇 yong 军 jun
    杰 jie 娟 juan 涛 tao 明 ming 超 chao 秀英 xiuying 霞 xia 平 ping 刚 gang 晓东 xiaodong
    海燕 haiyan 建华 jianhua 志强 zhiqiang 文博 wenbo 思远 siyuan
    雨桐 yutong 子涵 zihan 嘉怡 jiayi 一鸣 yiming 俊杰 junjie
    佳琪 jiaqi 浩然 haoran 欣怡 xinyi 立新 lixin 国庆 guoqing 慧 hui 婷 ting 斌 bin 鹏 peng 晨 chen
    """
)
CONTACT_TITLES = ("总经理", "副总经理", "办公室主任", "财务经理", "人事经理", "研发总监", "董事会秘书", "行政主管")
# Mobile prefixes of the three operators; the other eight digits are random.
MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "158", "159", "177", "186", "187", "189", "199")


@dataclass(frozen=True)
class Archetype:
    """A line of business: what an enterprise of it is called, coded and linked to."""

    key: str
    words: tuple[tuple[str, str], ...]  # (Chinese, English) of the name's industry part
    industry_codes: tuple[str, ...]  # GB/T 4754-2017
    chain_nodes: tuple[str, ...]  # the first is always taken, the others sometimes
    gene_affinity: float  # how likely such an enterprise is gene-related
    weight: float  # share within its cluster
    scope: str  # 经营范围
    description: str
    rd_intensity: float = 0.08  # median R&D spend / revenue
    revenue_per_employee: float = 1_000_000.0  # median, yuan
    covid_boost: bool = False  # in-vitro diagnostics sold far more in 2020–2022


BIOMEDICAL_ARCHETYPES: dict[str, tuple[Archetype, ...]] = {
    "devices": (
        Archetype(
            "ivd",
            (("生物科技", "Biotechnology"), ("诊断技术", "Diagnostics"), ("医学科技", "Medical Technology")),
            ("3581", "2761"),
            ("M5", "U2", "M6"),
            0.85,
            0.26,
            "许可项目:第二类、第三类医疗器械生产;第三类医疗器械经营。一般项目:体外诊断试剂及仪器的技术开发、"
            "技术服务;第一类、第二类医疗器械销售。",
            "从事体外诊断试剂与配套仪器的研发、生产和销售。",
            rd_intensity=0.11,
            covid_boost=True,
        ),
        Archetype(
            "equipment",
            (
                ("医疗科技", "Medical Technology"),
                ("医疗设备", "Medical Equipment"),
                ("精密仪器", "Precision Instruments"),
            ),
            ("3581",),
            ("M5", "U4", "S3"),
            0.3,
            0.22,
            "许可项目:第二类、第三类医疗器械生产。一般项目:医疗诊断、监护及治疗设备的研发、制造和销售;"
            "技术咨询、技术服务。",
            "研发和制造医学影像、监护及治疗设备。",
            rd_intensity=0.09,
        ),
        Archetype(
            "surgical",
            (("医疗器械", "Medical Devices"), ("医用材料", "Medical Materials")),
            ("3584",),
            ("M5", "U4"),
            0.25,
            0.18,
            "许可项目:第三类医疗器械生产、经营。一般项目:医疗、外科器械及高值耗材的研发与销售。",
            "专注于微创外科器械与高值医用耗材。",
            rd_intensity=0.1,
        ),
        Archetype(
            "rehab",
            (("医疗器械", "Medical Devices"), ("康复科技", "Rehabilitation Technology")),
            ("3582", "3585", "3586"),
            ("M5", "D3"),
            0.15,
            0.1,
            "一般项目:口腔科、康复及病房护理设备的研发、制造和销售;第一类、第二类医疗器械销售。",
            "提供口腔、康复与护理类医疗设备。",
            rd_intensity=0.06,
        ),
        Archetype(
            "lab",
            (("仪器科技", "Instruments"), ("生命科技", "Life Technology")),
            ("3583", "3589"),
            ("U2", "M5", "U3"),
            0.55,
            0.12,
            "一般项目:医疗实验室设备、消毒设备及生命科学仪器的研发、制造和销售;技术服务。",
            "为实验室与医院提供检测仪器、消毒设备和耗材。",
            rd_intensity=0.08,
        ),
        Archetype(
            "additive",
            (("增材科技", "Additive Manufacturing"), ("医疗科技", "Medical Technology")),
            ("3589",),
            ("M5", "U4"),
            0.2,
            0.06,
            "一般项目:3D打印医疗器械、个性化植入物的研发与制造;增材制造技术服务。",
            "以增材制造(3D打印)生产个性化医疗器械与植入物。",
            rd_intensity=0.14,
        ),
        Archetype(
            "dressings",
            (("医用材料", "Medical Materials"), ("卫生用品", "Medical Supplies")),
            ("2770",),
            ("M5", "U4"),
            0.1,
            0.06,
            "一般项目:卫生材料及医药用品的制造和销售;第一类、第二类医疗器械生产。",
            "生产医用敷料、防护用品等卫生材料。",
            rd_intensity=0.04,
            revenue_per_employee=800_000.0,
        ),
    ),
    "pharma-bio": (
        Archetype(
            "cgt",
            (("生物医药", "Biopharma"), ("细胞科技", "Cell Technology"), ("基因科技", "Gene Technology")),
            ("2761", "2762"),
            ("M3", "M1", "M6"),
            0.98,
            0.2,
            "许可项目:药品生产;药物临床试验服务。一般项目:细胞与基因治疗技术研发、技术转让;生物制品的研发。",
            "研发细胞治疗与基因治疗产品,拥有自主病毒载体平台。",
            rd_intensity=0.45,
            revenue_per_employee=700_000.0,
        ),
        Archetype(
            "antibody",
            (("生物制药", "Biopharmaceutical"), ("生物技术", "Biotech")),
            ("2761", "2762"),
            ("M3", "U5"),
            0.9,
            0.16,
            "许可项目:药品生产;药品委托生产。一般项目:抗体药物、疫苗的研发与技术服务。",
            "开发创新抗体药物与疫苗。",
            rd_intensity=0.35,
            revenue_per_employee=1_200_000.0,
        ),
        Archetype(
            "chem-innovative",
            (("医药科技", "Pharmaceutical Technology"), ("药业", "Pharmaceutical")),
            ("2720", "7340"),
            ("M2", "U5"),
            0.45,
            0.16,
            "许可项目:药品生产;药品批发。一般项目:化学创新药与改良型新药的研发、技术转让。",
            "研发小分子创新药与改良型新药。",
            rd_intensity=0.25,
            revenue_per_employee=1_400_000.0,
        ),
        Archetype(
            "api",
            (("制药", "Pharmaceutical"), ("化学科技", "Chemical Technology")),
            ("2710",),
            ("U1", "M1"),
            0.2,
            0.12,
            "许可项目:药品生产(原料药)。一般项目:医药中间体的研发、制造和销售。",
            "生产原料药和医药中间体。",
            rd_intensity=0.05,
            revenue_per_employee=1_600_000.0,
        ),
        Archetype(
            "excipients",
            (("药用包装", "Pharmaceutical Packaging"), ("新材料", "Materials")),
            ("2780",),
            ("U1",),
            0.1,
            0.06,
            "一般项目:药用辅料、药用包装材料的研发、生产和销售。",
            "供应药用辅料与包装材料。",
            rd_intensity=0.04,
        ),
        Archetype(
            "tcm",
            (("中药", "Traditional Chinese Medicine"), ("药业", "Pharmaceutical")),
            ("2740",),
            ("M4", "D4"),
            0.15,
            0.06,
            "许可项目:药品生产(中成药)。一般项目:中药饮片与中药提取物的研发和销售。",
            "研发和生产中成药与中药提取物。",
            rd_intensity=0.05,
        ),
        Archetype(
            "cro",
            (("医药研发", "Drug Research"), ("生物科技", "Biotechnology")),
            ("7340",),
            ("U5", "M1", "S3"),
            0.7,
            0.14,
            "一般项目:医学研究和试验发展;药物临床前研究、临床试验技术服务;技术开发、技术咨询。",
            "提供药物发现、临床前研究与临床试验服务(CRO/CDMO)。",
            rd_intensity=0.12,
            revenue_per_employee=600_000.0,
        ),
        Archetype(
            "reagents",
            (("生物试剂", "Bioreagents"), ("生命科学", "Life Sciences")),
            ("2761", "7340"),
            ("U2",),
            0.9,
            0.1,
            "一般项目:生命科学试剂、耗材的研发、生产和销售;分子生物学技术服务。",
            "生产分子生物学与细胞培养试剂、耗材。",
            rd_intensity=0.12,
        ),
    ),
    "health-services": (
        Archetype(
            "precision",
            (("基因科技", "Gene Technology"), ("精准医学", "Precision Medicine")),
            ("8492", "7340"),
            ("M6", "D2"),
            1.0,
            0.24,
            "许可项目:医学检验;临床检验服务。一般项目:基因测序技术开发、技术服务;健康咨询服务(不含诊疗服务)。",
            "提供基因测序、肿瘤精准检测与遗传咨询服务。",
            rd_intensity=0.15,
            revenue_per_employee=700_000.0,
        ),
        Archetype(
            "lab-services",
            (("医学检验所", "Medical Laboratory"), ("医学检验", "Clinical Laboratory")),
            ("8492",),
            ("D2", "M6"),
            0.85,
            0.18,
            "许可项目:医疗服务(医学检验科、病理科)。一般项目:临床检验技术服务。",
            "第三方医学检验实验室。",
            rd_intensity=0.05,
            revenue_per_employee=600_000.0,
        ),
        Archetype(
            "hospital",
            (("医院管理", "Hospital Management"), ("门诊部", "Clinic")),
            ("8415", "8491", "8411"),
            ("D2", "D3"),
            0.3,
            0.14,
            "许可项目:医疗服务;健康体检服务。一般项目:医院管理;健康咨询服务(不含诊疗服务)。",
            "运营专科医院、门诊部与健康体检中心。",
            rd_intensity=0.02,
            revenue_per_employee=500_000.0,
        ),
        Archetype(
            "distribution",
            (("医药", "Pharmaceutical"), ("医疗器械销售", "Medical Supplies")),
            ("5151", "5154"),
            ("D1",),
            0.1,
            0.16,
            "许可项目:药品批发;第三类医疗器械经营。一般项目:第二类医疗器械销售;医药信息咨询服务。",
            "从事药品与医疗器械的批发、配送和院内物流服务。",
            rd_intensity=0.01,
            revenue_per_employee=3_000_000.0,
        ),
        Archetype(
            "wellness",
            (("健康科技", "Health Technology"), ("营养科技", "Nutrition")),
            ("8491", "8499"),
            ("D3", "D4"),
            0.45,
            0.1,
            "一般项目:健康管理;营养健康咨询服务;保健食品、特殊医学用途配方食品的研发和销售。",
            "提供健康管理、康复与特医食品服务。",
            rd_intensity=0.04,
            revenue_per_employee=600_000.0,
        ),
        Archetype(
            "testing",
            (("检测技术", "Testing Technology"), ("认证服务", "Certification Services")),
            ("7451",),
            ("S5", "S3"),
            0.4,
            0.1,
            "许可项目:检验检测服务。一般项目:医疗器械与药品注册申报咨询;技术服务。",
            "提供医疗器械和药品的检验检测、注册申报服务。",
            rd_intensity=0.05,
            revenue_per_employee=500_000.0,
        ),
        Archetype(
            "ip-hr",
            (("知识产权代理", "IP Agency"), ("企业服务", "Business Services")),
            ("7520", "7340"),
            ("S2", "S6", "S4"),
            0.3,
            0.08,
            "一般项目:知识产权服务(专利代理除外);人力资源服务(不含职业中介活动);生物医药科技咨询。",
            "为生物医药企业提供知识产权、人才和投融资服务。",
            rd_intensity=0.02,
            revenue_per_employee=400_000.0,
        ),
    ),
}
CLUSTER_WEIGHTS = {"devices": 0.4, "pharma-bio": 0.35, "health-services": 0.25}

OTHER_ARCHETYPES: tuple[Archetype, ...] = (
    Archetype(
        "ic-design",
        (("半导体科技", "Semiconductor Technology"), ("微电子", "Microelectronics")),
        ("6520",),
        (),
        0.0,
        0.12,
        "一般项目:集成电路设计;集成电路芯片及产品销售;技术服务、技术开发。",
        "从事集成电路设计。",
        rd_intensity=0.18,
        revenue_per_employee=1_500_000.0,
    ),
    Archetype(
        "electronics",
        (("电子科技", "Electronic Technology"), ("光电科技", "Optoelectronics")),
        ("3973", "3976"),
        (),
        0.0,
        0.12,
        "一般项目:电子元器件、光电子器件的制造和销售;技术开发。",
        "制造电子元器件和光电子器件。",
        rd_intensity=0.06,
        revenue_per_employee=1_200_000.0,
    ),
    Archetype(
        "software",
        (("信息技术", "Information Technology"), ("智能科技", "Intelligent Technology")),
        ("6513",),
        (),
        0.0,
        0.14,
        "一般项目:软件开发;信息系统集成服务;人工智能应用软件开发。",
        "开发行业应用软件与信息系统。",
        rd_intensity=0.2,
        revenue_per_employee=600_000.0,
    ),
    Archetype(
        "auto-parts",
        (("汽车零部件", "Auto Parts"), ("汽车科技", "Automotive Technology")),
        ("3670",),
        (),
        0.0,
        0.14,
        "一般项目:汽车零部件及配件制造;汽车零配件批发。",
        "生产汽车零部件。",
        rd_intensity=0.04,
        revenue_per_employee=1_500_000.0,
    ),
    Archetype(
        "automation",
        (("自动化科技", "Automation"), ("智能装备", "Intelligent Equipment")),
        ("4011",),
        (),
        0.0,
        0.12,
        "一般项目:工业自动控制系统装置制造;智能装备的研发与销售。",
        "提供工业自动化控制系统与智能装备。",
        rd_intensity=0.07,
    ),
    Archetype(
        "metal",
        (("金属制品", "Metal Products"), ("精密机械", "Precision Machinery")),
        ("3311", "3360"),
        (),
        0.0,
        0.1,
        "一般项目:金属结构制造;金属表面处理及热处理加工。",
        "从事金属结构件制造与表面处理。",
        rd_intensity=0.03,
    ),
    Archetype(
        "materials",
        (("新材料科技", "New Materials"), ("涂料", "Coatings")),
        ("2641", "2927"),
        (),
        0.0,
        0.1,
        "一般项目:涂料制造(不含危险化学品);塑料制品制造;新材料技术研发。",
        "生产涂料与功能性塑料制品。",
        rd_intensity=0.04,
    ),
    Archetype(
        "engineering",
        (("工程技术", "Engineering"), ("环保科技", "Environmental Technology")),
        ("7320",),
        (),
        0.0,
        0.08,
        "一般项目:工程和技术研究和试验发展;环保技术咨询、技术服务。",
        "提供工程技术研发与环保技术服务。",
        rd_intensity=0.1,
        revenue_per_employee=600_000.0,
    ),
    Archetype(
        "trade",
        (("贸易", "Trading"), ("机电设备", "Electromechanical Equipment")),
        ("5179",),
        (),
        0.0,
        0.08,
        "一般项目:机械设备、五金产品及电子产品批发;货物进出口。",
        "经营机电设备与电子产品批发。",
        rd_intensity=0.005,
        revenue_per_employee=3_000_000.0,
    ),
)

# Roads of each town (for the fictional addresses).
ROADS = {
    "pujiang": ("浦星公路", "沈杜公路", "陈行公路", "召楼路", "三鲁公路", "新骏环路", "芦恒路", "联航路"),
    "xinzhuang": ("莘松路", "沪闵路", "莘北路"),
    "qibao": ("七莘路", "漕宝路", "新镇路"),
    "zhuanqiao": ("都市路", "颛兴路"),
    "huacao": ("华翔路", "北翟路"),
    "hongqiao": ("吴中路", "虹井路"),
    "meilong": ("莲花南路", "虹梅南路"),
    "wujing": ("龙吴路", "剑川路"),
    "maqiao": ("元江路",),
    "pujin": ("浦锦路", "江月路"),
    "jiangchuan": ("江川路", "东川路"),
    "gumei": ("古美路", "平阳路"),
    "xinhong": ("申长路",),
    "xinzhuang-industrial": ("申富路", "光华路"),
}
# Relative number of biomedical enterprises in the other towns and streets of 闵行区.
OTHER_TOWN_WEIGHTS = {
    "xinzhuang-industrial": 60,
    "maqiao": 42,
    "wujing": 36,
    "xinzhuang": 34,
    "zhuanqiao": 30,
    "huacao": 26,
    "pujin": 22,
    "qibao": 20,
    "meilong": 18,
    "jiangchuan": 18,
    "hongqiao": 14,
    "xinhong": 12,
    "gumei": 8,
}


@dataclass(frozen=True)
class NamedEnterprise:
    """One of the enterprises the 2024-05-20 report names; only public facts, no figures."""

    name: str
    name_en: str
    industry_code: str
    cluster: str
    chain_nodes: tuple[str, ...]
    is_gene_related: bool
    business_scope: str


NAMED_ENTERPRISES = (
    NamedEnterprise(
        "上海之江生物科技股份有限公司",
        "Shanghai ZJ Bio-Tech Co., Ltd.",
        "2761",
        "devices",
        ("M5", "M6", "U2"),
        True,
        "体外诊断(分子诊断)试剂与仪器。",
    ),
    NamedEnterprise("3M(浦江工厂)", "3M (Pujiang plant)", "2770", "devices", ("M5",), False, "医疗产品。"),
    NamedEnterprise(
        "思路迪医药",
        "3D Medicines",
        "2761",
        "pharma-bio",
        ("M3", "M6"),
        True,
        "肿瘤药物与肿瘤诊断。",
    ),
)
NAMED_DESCRIPTION = (
    "2024年5月20日浦江镇生物医药产业发展主题活动的新闻报道中提及的企业。本平台仅收录其公开信息"
    "(名称、业务领域、产业集群与产业链环节);统一社会信用代码为演示生成,并非该企业的真实代码。"
)

# The enterprise the demo accounts `ent_admin` and `ent_staff` belong to (fictional).
SHOWCASE = {
    "name": "上海澜屿医疗科技有限公司",
    "name_en": "Shanghai Lanyu Medical Technology Co., Ltd.",
    "archetype": "ivd",
    "industry_code": "3581",
    "chain_nodes": ("M5", "M6", "U2"),
    "park": "lingang-pujiang",
    "address": "上海市闵行区陈行公路2388号3幢501室",
    "new_address": "上海市闵行区陈行公路2388号8幢201-203室",
    "founded": (2016, 4, 18),
    "legal_representative": "沈思远",
    # The first contact is the demo account `ent_admin` (numbers and addresses are fictional).
    "contacts": (
        ("许佳琪", "办公室主任", "13916250718", "jiaqi.xu@lanyumt.example.com"),
        ("韩艳", "财务经理", "15090156668", "yan.han@lanyumt.example.com"),
    ),
}

REVIEW_COMMENTS = (
    "研发人员数量与社保缴纳人数不一致,请核实后重新提交。",
    "纳税总额与税务部门数据差异较大,请补充说明。",
    "营业收入与审计报告不符,请上传审计报告后重新填报。",
    "发明专利数量有误,请按授权专利统计。",
)
