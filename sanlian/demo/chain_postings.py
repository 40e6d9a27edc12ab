"""The supply–demand part of the demo (issue 5): postings of the demo enterprises and their brokered outcomes.

Told through the real services on dates before the load date, so every role has something to see or do:

- about 60 published postings across every kind and chain node (a few in traditional characters or with
  English terms), some soon expiring (renewable) and one already renewed;
- postings waiting for pj_officer's review, one rejected and one draft;
- expired postings (the expiry job is run at the load date);
- requests closed with "no local partner" at nodes the town lacks (U3 制药装备, M4 中药, …) for the
  chain-gap analysis;
- about 20 interests in every state, 7 of them signed with amounts: the realised links of the chain map.
  The showcase enterprise (ent_admin) has a request with interests and has expressed interest itself.

Posting enterprises are the demo enterprises on the posting's node (by USCC order, drawn with `rng`);
demo enterprises act through their demo admin account (no usable password), the showcase through ent_admin.
A second run writes nothing.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from sanlian.chain.models import ChainEdge, Interest, Posting
from sanlian.chain.services import interests as interest_services
from sanlian.chain.services import postings as services
from sanlian.core.models import Notification, User
from sanlian.demo.policies import _applicant as enterprise_user
from sanlian.enterprises.models import Enterprise

K = Posting.Kind
BO, BR, TO, TR, RD = K.BUSINESS_OFFER, K.BUSINESS_REQUEST, K.TECH_OFFER, K.TECH_REQUEST, K.RD_COOPERATION
HOME = "pujiang"
# Inbox messages of the postings older than this are shown as read: the story happened over months.
UNREAD_DAYS = 7


@dataclass(frozen=True)
class Item:
    kind: str
    by: str  # chain node of the enterprise that posts it
    nodes: tuple[str, ...]
    title: str
    description: str
    quantity: str = ""
    budget: int | None = None  # yuan
    deadline_days: int | None = None  # after the load date
    fate: str = "published"  # published, soon, renewed, expired, closed, pending, rejected, draft
    where: str = HOME  # HOME, or "elsewhere" for another town of the district
    age: int | None = None  # days since publication, when the story needs a particular one


# fmt: off
CATALOGUE: tuple[Item, ...] = (
    # U1 APIs, intermediates, excipients, packaging
    Item(BO, "U1", ("U1",), "供应药用辅料:微晶纤维素、羟丙甲纤维素(HPMC)",
         "本公司为药用辅料生产企业,可稳定供应微晶纤维素(PH101/PH102)、羟丙甲纤维素E5/E15等辅料,"
         "已完成CDE辅料登记(状态A),提供COA及关联审评资料,支持小批量送样。",
         quantity="月供能力80吨"),
    Item(BR, "M2", ("U1", "M2"), "采购抗肿瘤药关键中间体(GMP条件下生产)",
         "我司仿制药项目需采购某抗肿瘤药关键中间体,纯度≥99.0%,单杂≤0.1%,"
         "要求供应商具备GMP条件和完整的变更控制,可接受现场审计。首年需求约500kg,后续随品种放量增加。",
         quantity="500kg/年", budget=3_500_000, deadline_days=60),
    Item(BO, "U1", ("U1",), "中硼硅玻璃管制注射剂瓶供应",
         "提供中硼硅玻璃管制注射剂瓶(2ml–20ml),符合YBB标准,可配套丁基胶塞与铝塑组合盖,"
         "已与多家一致性评价品种完成关联审评,交期稳定。",
         quantity="年产能1.2亿支", fate="soon"),
    Item(BR, "D4", ("U1", "D4"), "采购益生菌原料粉及铝箔条袋包材",
         "公司开发益生菌固体饮料,需采购鼠李糖乳杆菌、乳双歧杆菌原料粉(活菌数≥1000亿CFU/g)及铝箔条袋包材,"
         "要求提供菌株鉴定报告与第三方检测报告。",
         quantity="原料粉2吨/年", budget=900_000, fate="expired"),
    # U2 life-science reagents, consumables, instruments
    Item(BO, "U2", ("U2",), "细胞培养基与血清替代物供应",
         "提供化学成分限定(CD)培养基、无血清培养基及定制配方服务,适用于CHO、HEK293、Vero等细胞,"
         "批间差小,可提供DMF文件支持IND申报。"),
    Item(BR, "M6", ("U2", "M6"), "采购高通量测序建库试剂及磁珠",
         "我司基因检测实验室需采购NGS建库试剂盒(DNA/RNA)、磁珠及相关耗材,"
         "兼容Illumina NovaSeq平台,年检测量约3万例样本,希望与本地供应商建立长期合作,降低冷链运输成本。",
         quantity="约3万反应/年", budget=2_800_000, deadline_days=45),
    Item(BO, "U2", ("U2", "M5"), "移液器吸头、离心管等实验耗材本地供货",
         "本公司生产无菌无酶移液器吸头(10μl–1000μl)、离心管、PCR板等实验耗材,"
         "已通过ISO 13485体系认证,浦江本地可实现48小时内送货。",
         quantity="日产能50万支"),
    Item(TR, "U5", ("U2", "U5"), "寻求类器官培养基质胶国产替代",
         "我司为临床前CRO,需要可替代进口产品的类器官基质胶(Matrigel替代品),要求蛋白浓度稳定、批间一致,"
         "欢迎有相关技术储备的企业联系,可共同开展验证。"),
    Item(TO, "U2", ("U2", "M6"), "微流控芯片設計與加工服務(Microfluidics)",
         "提供微流控芯片的設計、模具開發與批量加工服務,材料包括PDMS、PMMA、COC,"
         "適用於POCT即時檢測與單細胞測序平台,可配合客戶完成設計驗證。"),
    Item(BR, "M5", ("U2", "M5"), "采购IVD质控品与校准品原料",
         "我司化学发光试剂产品线需采购心肌标志物、肿瘤标志物质控品与校准品原料(抗原、抗体),要求批间差CV≤10%,"
         "可提供溯源性说明。",
         quantity="年采购约200批次", budget=1_200_000, fate="pending"),
    # U3 pharmaceutical equipment
    Item(BO, "U3", ("U3",), "一次性生物反应器及配套袋件",
         "提供50L–2000L一次性生物反应器、储液袋和除菌过滤组件,支持细胞培养工艺放大,"
         "可提供安装确认与运行确认(IQ/OQ)服务。",
         where="elsewhere"),
    Item(BR, "M2", ("U3", "M2"), "采购生产型冻干机及在线清洗灭菌系统",
         "我司新建无菌制剂车间需采购生产型冻干机(板层面积≥10㎡)一台,要求具备CIP/SIP功能和自动进出料系统,"
         "符合GMP附录要求。优先考虑本地供应商,便于后期维护。",
         quantity="1台", budget=6_500_000, fate="closed"),
    Item(BR, "M3", ("U3", "M3"), "寻找层析系统及切向流超滤设备供应商",
         "抗体药中试车间需采购层析系统和切向流超滤设备,要求提供3Q验证文件与本地售后工程师驻场支持,交期不超过四个月。",
         quantity="各2套", budget=4_200_000, fate="closed"),
    Item(BR, "M1", ("U3", "M1"), "采购预灌封注射器灌装加塞一体机",
         "CDMO企业扩建制剂线,需采购预灌封注射器灌装加塞一体机(产能≥3000支/小时),配套RABS隔离系统,"
         "要求供应商可在上海提供FAT/SAT。",
         quantity="1条线", budget=5_800_000, fate="closed"),
    # U4 device materials and components
    Item(BO, "U4", ("U4",), "医用级硅胶、TPU精密注塑加工",
         "具备十万级洁净车间和ISO 13485认证,可承接医用级硅胶、TPU、PC等材料的精密注塑与挤出加工,"
         "提供材料生物相容性报告支持。",
         quantity="月产能200万件"),
    Item(BR, "M5", ("U4", "M5"), "采购微导管用PTFE内衬管与编织层加工",
         "我司介入类高值耗材项目需采购PTFE内衬管(内径0.4–1.0mm)及不锈钢编织层加工,"
         "要求尺寸公差±0.01mm,年需求约20万米。",
         quantity="20万米/年", budget=1_600_000, deadline_days=75),
    Item(TO, "U4", ("U4", "M5"), "激光微焊接(Laser micro-welding)工艺技术服务",
         "提供镍钛合金、不锈钢等微小器械部件的激光微焊接(Laser micro-welding)与表面钝化处理技术,"
         "焊点强度可定制验证,适用于支架、导丝等产品。"),
    # U5 CRO
    Item(BO, "U5", ("U5",), "临床前药效与药代动力学研究服务",
         "提供小分子、抗体药物的体内外药效学、PK/PD及毒理研究服务,具备AAALAC认证动物房,"
         "可按GLP要求出具报告,支持IND申报。"),
    Item(TR, "M2", ("U5", "M2"), "寻找I期临床CRO及SMO合作伙伴",
         "我司1类创新药预计下半年启动I期临床试验,需寻找具备肿瘤领域经验的CRO和SMO,负责方案设计、中心管理、"
         "监查与数据管理。",
         quantity="约60例受试者", budget=12_000_000, deadline_days=90),
    Item(BO, "U5", ("U5", "M5", "S3"), "医疗器械临床试验(Device CRO)一站式服务",
         "为二、三类医疗器械提供临床评价路径分析、临床试验方案设计、中心筛选与监查服务,熟悉NMPA及FDA 510(k)"
         "要求。",
         fate="soon"),
    Item(BO, "U5", ("U5",), "药物安全性评价(GLP毒理)服务",
         "提供单次及重复给药毒性、遗传毒性、安全药理等GLP毒理研究,报告可用于中美双报。",
         fate="expired"),
    # M1 CDMO/CMO
    Item(BO, "M1", ("M1",), "抗体药CDMO服务:细胞株构建至临床样品生产",
         "提供从细胞株构建、工艺开发到200L/500L/2000L临床样品GMP生产的一站式抗体药CDMO服务,"
         "已支持多个项目获得IND批件。"),
    Item(BR, "M3", ("M1", "M3"), "寻求mRNA疫苗制剂CDMO合作",
         "公司mRNA候选疫苗需要LNP制剂工艺开发和GMP灌装服务,需求批量约5万剂,"
         "希望CDMO具备无菌灌装能力和超低温冷链管理经验。",
         quantity="约5万剂", budget=8_000_000, deadline_days=80),
    Item(BO, "M1", ("M1", "M2"), "小分子原料药和口服固体制剂的CMO代工",
         "可提供固体口服制剂(片剂、胶囊)及原料药的委托生产,拥有通过GMP符合性检查的生产线,支持MAH持有人委托生产。",
         fate="renewed"),
    Item(RD, "M1", ("M1", "M3"), "双特异性抗体表达工艺联合开发",
         "寻找拥有双抗分子的研发企业,共同开发高表达、低错配的双特异性抗体细胞株与纯化工艺,合作方式可协商。",
         fate="pending"),
    # M2 chemical drugs
    Item(BO, "M2", ("M2",), "供应已通过一致性评价的仿制药制剂",
         "本公司多个品种已通过一致性评价,可为医药流通企业及医疗机构稳定供货,支持带量采购配套与院内学术推广。"),
    Item(TO, "M2", ("M2", "U5"), "口服缓控释制剂平台技术转让",
         "拥有口服缓控释制剂平台技术(渗透泵、骨架缓释),可提供技术转让或联合开发,含处方工艺、稳定性数据与BE研究经验。",
         budget=5_000_000),
    Item(RD, "M2", ("M2", "U5"), "自身免疫疾病新靶点联合研发",
         "寻找具备高通量筛选和结构生物学能力的合作伙伴,就自身免疫疾病新靶点开展联合研发,可按里程碑付款或共享知识产权。"),
    Item(TR, "M2", ("M2", "S3"), "寻求改良型新药(505(b)(2))注册策略咨询",
         "我司计划开发一款改良型新药并同步申报中美两地,需要熟悉505(b)(2)"
         "路径的团队提供注册策略与沟通交流会议支持。",
         fate="expired"),
    # M3 biologics
    Item(TO, "M3", ("M3",), "CAR-T细胞制备工艺与质控技术",
         "提供封闭式自动化CAR-T细胞制备工艺,细胞回收率与活率高,配套完整的质控检测方法,可技术许可或合作开发。"),
    Item(TR, "M3", ("M3", "S5"), "寻求AAV载体空壳率检测方法开发",
         "我司基因治疗项目需要建立AAV载体空壳率与基因组滴度检测方法(AUC、ddPCR等),"
         "希望与具备分析能力的企业合作完成方法开发和验证。",
         budget=600_000, deadline_days=50),
    Item(RD, "M3", ("M3", "M6"), "核酸药物递送系统联合开发",
         "我司拥有siRNA序列设计平台,寻找具备GalNAc偶联或LNP递送技术的合作方,"
         "共同推进肝靶向核酸药物的临床前研究。"),
    Item(BO, "M3", ("M3", "U2"), "重組蛋白與抗體試劑定製",
         "提供重組蛋白表達純化、單克隆抗體定製及ELISA試劑盒開發服務,內毒素可控,交付週期4–8週,"
         "適用於藥物篩選與診斷原料。"),
    # M4 traditional Chinese medicine
    Item(BR, "D4", ("M4", "D4"), "寻找中药提取物及配方颗粒供应商",
         "我司开发药食同源类健康产品,需采购黄芪、枸杞、人参等中药提取物及配方颗粒,要求提供产地溯源与农残、"
         "重金属检测报告。",
         quantity="提取物3吨/年", budget=1_500_000, fate="closed"),
    Item(BR, "D1", ("M4", "D1"), "寻求中成药品种合作经销",
         "我司为药品零售连锁,计划引进一批治疗慢病的中成药品种,需要生产企业提供质量标准与稳定供货保证,"
         "并配合开展药学服务培训。",
         fate="closed"),
    Item(BO, "M4", ("M4",), "中药饮片及配方颗粒供货",
         "拥有GAP种植基地与饮片炮制车间,可供应常用中药饮片300余种及配方颗粒,质量标准符合国家药品标准。",
         where="elsewhere"),
    # M5 medical devices
    Item(BO, "M5", ("M5",), "一次性使用无菌注射器、输液器供应",
         "二类医疗器械注册证齐全,可稳定供应一次性使用无菌注射器(1ml–50ml)、输液器及配件,"
         "支持医院与第三方实验室集中采购。",
         quantity="年产能2亿支"),
    Item(TO, "M5", ("M5", "U4"), "3D打印个性化骨科植入物技术",
         "依托金属3D打印(增材制造)平台,提供个性化钛合金骨科植入物与手术导板的设计与制造技术服务,可协助完成注册检验。"),
    Item(TR, "M5", ("M5", "U4"), "寻求低功耗蓝牙模块与柔性电极方案",
         "我司研发可穿戴心电监测设备,寻求医用级低功耗BLE模块与柔性电极方案,"
         "要求满足YY 9706.102电磁兼容要求,可联合开展设计验证。",
         budget=800_000),
    Item(BO, "M5", ("M5", "D2"), "呼吸道病原体多重核酸检测试剂盒",
         "提供呼吸道病原体多重核酸检测试剂盒(荧光PCR法),已取得三类注册证,适用于医院检验科与第三方医学实验室。"),
    Item(RD, "M5", ("M5", "U5"), "手术机器人临床前研究合作",
         "我司腔镜手术机器人样机已完成,寻找具备大动物实验条件的机构及临床专家合作开展临床前研究与可用性评价。",
         budget=2_000_000),
    Item(BO, "M5", ("M5", "D3"), "家用康复与护理器械OEM",
         "可为品牌方提供家用雾化器、制氧机、康复训练器械等二类器械的OEM/ODM生产,具备完整的设计开发文档体系。",
         fate="rejected"),
    # M6 gene sequencing and precision medicine
    Item(BO, "M6", ("M6", "D2"), "肿瘤基因检测(NGS Panel)服务",
         "提供覆盖500+基因的肿瘤组织/血液NGS检测服务,出具临床解读报告,实验室通过CAP与ISO 15189认证,"
         "可与医院合作开展伴随诊断项目。"),
    Item(RD, "M6", ("M6", "U2"), "单细胞测序技术联合研发",
         "寻找微流控芯片与试剂研发伙伴,共同开发国产单细胞转录组测序平台(scRNA-seq),可共同申报科技项目。"),
    Item(TO, "M6", ("M6",), "遗传病生信分析流程本地化部署",
         "提供全外显子组(WES)与全基因组数据分析流程的本地化部署及解读知识库授权,符合数据不出院的合规要求。"),
    # D1 distribution, retail, e-commerce, CSO
    Item(BO, "D1", ("D1",), "医疗器械第三方物流与冷链配送",
         "具备药品、医疗器械第三方物流资质,提供2–8℃冷链仓储与上海市内当日达配送,支持UDI追溯。"),
    Item(BR, "M5", ("D1", "M5"), "寻求医疗器械全国分销渠道合作",
         "我司二类医用敷料产品已取得注册证,寻找具备医院渠道的经销商或CSO合作,覆盖华东、华南重点医院。"),
    Item(BO, "D1", ("D1", "D4"), "医药电商平台(B2C)店铺代运营",
         "提供天猫、京东健康等医药电商平台的店铺代运营、处方药合规审核与会员运营服务,支持DTP药房对接。"),
    # D2 hospitals, check-up centres, independent labs
    Item(BO, "D2", ("D2",), "第三方医学检验外送服务",
         "独立医学实验室提供生化、免疫、病理、分子诊断等2000余项检测外送服务,上海市内每日两次收样。"),
    Item(BR, "D2", ("M5", "D2"), "采购全自动化学发光免疫分析仪",
         "我方体检中心拟采购全自动化学发光免疫分析仪2台及配套试剂,检测速度≥200测试/小时,需提供装机培训与年度维保。",
         quantity="2台", budget=1_800_000, deadline_days=40),
    Item(RD, "D2", ("D2", "M5"), "医工结合:临床需求驱动的器械创新",
         "我方骨科与康复科提出若干临床需求(术后康复监测、微创入路器械),寻找器械企业共同开展医工结合创新项目,"
         "可提供临床验证场景。"),
    Item(BR, "D2", ("M6", "D2"), "体检中心采购肿瘤早筛检测服务",
         "体检中心计划为客户新增多癌种早筛项目,寻找具备注册证或LDT资质的检测服务商,年检测量预计1万人次。",
         quantity="1万人次/年", budget=3_000_000),
    # D3 health services and rehabilitation
    Item(BO, "D3", ("D3",), "康复机器人租赁及康复评估服务",
         "提供上下肢康复机器人租赁、康复评估及治疗师培训服务,适用于社区卫生服务中心与康复医院。"),
    Item(BR, "D3", ("M5", "D3"), "采购家用睡眠呼吸监测设备",
         "健康管理机构需采购家用睡眠呼吸监测设备200台,要求数据可上传云端并通过API对接我方健康管理平台。",
         quantity="200台", budget=700_000, deadline_days=30),
    Item(TR, "D3", ("D3", "M6"), "寻求慢病管理AI算法合作",
         "我司运营糖尿病健康管理服务,寻找具备医疗AI算法能力的企业,联合开发血糖预测与个性化干预模型。",
         fate="expired"),
    # D4 derivative products
    Item(BO, "D4", ("D4",), "特医食品(FSMP)OEM代工",
         "拥有特殊医学用途配方食品生产许可,可承接全营养及特定全营养配方粉剂的OEM/ODM代工。"),
    Item(BR, "D4", ("U1", "D4"), "采购鱼油、辅酶Q10等保健食品原料",
         "保健食品企业需采购高纯度鱼油(EPA+DHA≥70%)、辅酶Q10原料,要求提供原料备案信息与第三方检测报告。",
         quantity="各5吨/年", budget=2_400_000),
    # S1 GMP and lab space
    Item(BO, "S1", ("S1",), "浦江镇GMP标准厂房及实验室出租",
         "园区内可租赁带洁净装修的GMP标准厂房(1,500–4,000㎡),层高5.5米,楼板荷载800kg/㎡,"
         "具备纯化水与废气处理条件。"),
    Item(BR, "M3", ("S1", "M3"), "寻求1,000㎡细胞治疗GMP车间",
         "细胞治疗企业需租用约1,000㎡的C+A级洁净车间,要求具备独立空调系统和生物安全二级实验室条件,"
         "计划半年内入驻。",
         quantity="约1,000㎡"),
    # S2 IP services
    Item(BO, "S2", ("S2",), "生物医药专利布局与FTO分析",
         "为生物医药企业提供专利检索、FTO(Freedom to Operate)分析、专利布局及海外PCT申请服务。"),
    Item(BR, "M6", ("S2", "M6"), "寻求基因检测技术专利许可谈判支持",
         "我司需要专业IP服务机构协助开展基因检测相关专利的许可谈判及侵权风险评估,涉及中美两地专利。",
         budget=300_000),
    # S3 registration and regulatory
    Item(BO, "S3", ("S3",), "NMPA/FDA注册申报代理",
         "提供药品、医疗器械的NMPA注册申报、FDA 510(k)及CE MDR技术文件编写服务,"
         "熟悉创新医疗器械特别审查程序。"),
    Item(BR, "M5", ("S3", "M5"), "三类有源器械注册检验与申报代理",
         "我司三类有源医疗器械即将进入注册阶段,需要注册代理协助完成注册检验、临床评价报告与申报资料。",
         budget=500_000, fate="pending"),
    # S4 finance
    Item(BO, "S4", ("S4",), "生物医药早期项目股权投资",
         "专注生物医药早期项目的股权投资基金,单笔投资500万–3,000万元,可提供投后的产业资源对接。"),
    Item(BR, "M2", ("S4", "M2"), "创新药企业寻求B轮融资",
         "1类创新药已进入II期临床,寻求B轮融资约2亿元,欢迎具备医药投资经验的机构洽谈。",
         quantity="约2亿元"),
    # S5 testing and certification
    Item(BO, "S5", ("S5",), "医疗器械电磁兼容(EMC)与安规检测",
         "具备CNAS资质的检测实验室,提供YY 9706系列(IEC 60601)电磁兼容与电气安全检测,可预约预测试。"),
    Item(BR, "M5", ("S5", "M5"), "寻求植入器械生物相容性检测服务",
         "需要对植入类器械开展ISO 10993系列生物相容性评价与检测,包括细胞毒性、致敏、遗传毒性等项目。",
         budget=450_000, deadline_days=35),
    Item(TO, "S5", ("S5", "D2"), "AI-assisted病理图像分析算法授权",
         "提供基于深度学习的病理切片图像分析算法(AI-assisted pathology),"
         "支持乳腺癌HER2判读与细胞计数,可授权给检验机构与器械企业集成。"),
    # S6 talent and HR services
    Item(BO, "S6", ("S6",), "生物医药研发及GMP人才招聘服务",
         "为生物医药企业提供研发、质量(QA/QC)、注册等岗位的中高端人才寻访与背景调查服务。"),
    Item(BR, "M1", ("S6", "M1"), "招聘GMP生产与质量管理人员",
         "CDMO企业因产能扩张需招聘QA/QC、生产主管等约30人,寻求人力资源服务机构合作批量招聘。",
         quantity="约30人", fate="pending"),
    Item(BO, "M5", ("M5", "U2"), "POCT即时检测分析仪及试剂",
         "提供干式免疫荧光POCT分析仪及心肌、炎症、激素等配套试剂,适合基层医疗机构与急诊科使用。"),
    # More of the common links, so the lists are long enough to page through
    Item(BR, "M3", ("U2", "M3"), "采购细胞治疗用无菌袋与管路耗材",
         "细胞治疗产品生产需采购无菌细胞培养袋、冻存袋及管路组件,要求USP Class VI与无DEHP,"
         "年需求约5万套。",
         quantity="5万套/年", budget=1_100_000),
    Item(BO, "U5", ("U5", "M6"), "生物样本库与生物信息分析服务",
         "提供符合ISBER规范的生物样本存储与管理、组学数据生物信息分析服务,支持药物研发与转化医学研究。"),
    Item(TR, "M5", ("M5", "S2"), "寻求医疗器械专利侵权风险评估",
         "我司新一代超声刀产品上市前需开展专利侵权风险评估与规避设计建议,请具备器械领域经验的机构联系。",
         fate="expired"),
    Item(BO, "M2", ("M2", "D1"), "原研替代品种区域配送合作",
         "我司多款心血管与抗感染制剂已中标集采,寻求华东地区配送商合作,保障医疗机构及时供货。",
         fate="soon"),
    Item(RD, "M6", ("M6", "D2"), "液体活检早筛产品多中心临床研究合作",
         "我司肝癌液体活检早筛产品准备开展多中心临床研究,寻找三甲医院与体检机构作为研究中心,共享研究成果。",
         fate="expired"),
    Item(BO, "S1", ("S1", "U5"), "共享实验室及大型仪器租用",
         "开放共享实验室工位与流式细胞仪、质谱仪、共聚焦显微镜等大型仪器,可按小时或按月租用,适合初创企业。"),
)

# The showcase enterprise's own story (ent_admin): what it posts, and what it is interested in.
SHOWCASE_ITEMS: tuple[Item, ...] = (
    Item(BR, "M5", ("U2", "M5"), "采购化学发光试剂原料:抗原与单克隆抗体",
         "我司化学发光试剂产品线扩产,需采购甲状腺功能、肿瘤标志物项目用抗原及配对单克隆抗体,要求提供批间一致性数据,"
         "可接受现场审计。",
         quantity="约120个批次/年", budget=2_600_000, deadline_days=70, age=40),
    Item(TO, "M5", ("M5", "M6"), "多重荧光PCR检测平台技术合作",
         "我司拥有多重荧光PCR检测平台及配套仪器,可与医院检验科、第三方医学实验室开展新项目开发合作或技术授权。",
         fate="soon"),
    Item(RD, "M5", ("M6", "M5"), "伴随诊断试剂联合开发",
         "寻找处于临床阶段的靶向药企业,联合开发伴随诊断试剂(NGS或PCR平台),同步推进药械联合申报。",
         fate="draft"),
    Item(TR, "M5", ("U4", "M5"), "寻求微流控卡盒精密注塑供应商",
         "POCT新产品需要微流控卡盒的精密注塑与超声焊接加工,要求通道尺寸公差±0.02mm,首批2万件。",
         quantity="首批2万件", budget=400_000, fate="pending"),
)
# fmt: on

# Interest outcomes to tell, in order: (status, how many).
INTEREST_PLAN = (
    ("signed", 7),
    ("meeting_held", 2),
    ("introduced", 3),
    ("pending", 4),
    ("no_deal", 2),
    ("declined", 1),
    ("withdrawn", 1),
)
NOTES = (
    "我司具备相关资质与产能,可提供样品与资质文件。",
    "对贵司需求很感兴趣,希望安排技术交流。",
    "我司有类似项目经验,可到现场沟通。",
    "可提供本地化服务,响应及时。",
    "希望了解具体规格和交付要求。",
)
OUTCOME_NOTES = {
    "no_deal": ("价格与交期未能达成一致", "对方技术指标暂不满足要求"),
    "declined": ("意向方资质不符合需求方要求",),
}


class Teller:
    def __init__(self, *, now: datetime, rng: random.Random):
        self.now = now
        self.rng = rng
        self.tz = timezone.get_default_timezone()
        self.officers = {u.username: u for u in User.objects.filter(username__in=("pj_officer", "xz_officer",
                                                                                     "mh_officer"))}  # fmt: skip
        self.showcase_user = User.objects.filter(username="ent_admin").select_related("enterprise").first()
        self.showcase = self.showcase_user.enterprise if self.showcase_user else None
        demo = Enterprise.objects.filter(is_demo=True, is_biomedical=True).select_related("town")
        if self.showcase is not None:
            demo = demo.exclude(pk=self.showcase.pk)
        self.enterprises = list(demo.prefetch_related("chain_nodes").order_by("uscc"))
        self.nodes_of = {e.pk: {n.code for n in e.chain_nodes.all()} for e in self.enterprises}
        self.customers: dict[str, set[str]] = {}
        for supplier, customer in ChainEdge.objects.values_list("supplier__code", "customer__code"):
            self.customers.setdefault(supplier, set()).add(customer)
        self.used: dict[int, int] = {}
        self.counts = {"postings": 0, "published": 0, "pending": 0, "rejected": 0, "draft": 0, "expired": 0,
                       "closed_no_local_partner": 0, "renewed": 0, "interests": 0, "signed": 0}  # fmt: skip

    # Clock -------------------------------------------------------------------------------------------

    def at(self, days_ago: float, hour: int = 10) -> datetime:
        day = (self.now - timedelta(days=days_ago)).astimezone(self.tz).date()
        moment = datetime.combine(day, time(hour, self.rng.choice((0, 15, 30, 45))), tzinfo=self.tz)
        return min(moment, self.now - timedelta(minutes=5))

    # People ------------------------------------------------------------------------------------------

    def officer_for(self, enterprise: Enterprise) -> User | None:
        name = {"pujiang": "pj_officer", "xinzhuang": "xz_officer"}.get(enterprise.town.code, "mh_officer")
        return self.officers.get(name) or self.officers.get("mh_officer")

    def user_for(self, enterprise: Enterprise) -> User:
        if self.showcase is not None and enterprise.pk == self.showcase.pk:
            return self.showcase_user
        return enterprise_user(enterprise)

    def pick(self, node: str, *, where: str = HOME, exclude: set[int] = frozenset()) -> Enterprise | None:
        """A demo enterprise on the node (in the town, or elsewhere), preferring those with fewer postings."""
        home = [e for e in self.enterprises if (e.town.code == HOME) == (where == HOME) and e.pk not in exclude]
        for pool in ([e for e in home if node in self.nodes_of[e.pk]], home):
            if pool:
                fewest = min(self.used.get(e.pk, 0) for e in pool)
                enterprise = self.rng.choice([e for e in pool if self.used.get(e.pk, 0) == fewest])
                self.used[enterprise.pk] = self.used.get(enterprise.pk, 0) + 1
                return enterprise
        return None

    # Postings ----------------------------------------------------------------------------------------

    def _data(self, item: Item) -> dict:
        deadline = None
        if item.deadline_days is not None and item.fate in ("published", "pending"):
            deadline = (self.now + timedelta(days=item.deadline_days)).astimezone(self.tz).date()
        return {
            "kind": item.kind,
            "title": item.title,
            "description": item.description,
            "nodes": list(item.nodes),
            "quantity": item.quantity,
            "budget": Decimal(item.budget) if item.budget is not None else None,
            "deadline_date": deadline,
        }

    def _age(self, item: Item) -> int:
        if item.age is not None:
            return item.age
        return {
            "published": self.rng.randint(3, 70),
            "soon": services.POSTING_DAYS - self.rng.randint(3, 10),
            "renewed": services.POSTING_DAYS + 12,
            "expired": self.rng.randint(100, 150),
            "closed": self.rng.randint(60, 85),
            "pending": self.rng.randint(0, 3),
            "rejected": 9,
            "draft": 1,
        }[item.fate]

    def tell(self, item: Item, enterprise: Enterprise) -> Posting:
        user, officer = self.user_for(enterprise), self.officer_for(enterprise)
        age = self._age(item)
        created = self.at(age + 2, hour=self.rng.randint(9, 16))
        posting = services.posting_create(actor=user, enterprise=enterprise, data=self._data(item), now=created)
        self.counts["postings"] += 1
        if item.fate == "draft":
            self.counts["draft"] += 1
            return posting
        submitted = self.at(age + 1, hour=self.rng.randint(9, 17)) if item.fate != "pending" else self.at(age, 9)
        services.posting_submit(actor=user, posting=posting, now=submitted)
        if item.fate == "pending":
            self.counts["pending"] += 1
            return posting
        reviewed = max(self.at(age, hour=self.rng.randint(9, 17)), submitted + timedelta(minutes=30))
        if item.fate == "rejected":
            services.posting_review(actor=officer, posting=posting, action="reject", now=reviewed,
                                    comment="请补充产品注册证编号及生产许可信息后重新提交。")  # fmt: skip
            self.counts["rejected"] += 1
            return posting
        posting = services.posting_review(actor=officer, posting=posting, action="publish", now=reviewed)
        if item.fate == "renewed":
            services.posting_renew(actor=user, posting=posting, now=self.at(13, 11))
            self.counts["renewed"] += 1
        elif item.fate == "closed":
            services.posting_close(actor=user, posting=posting, no_local_partner=True,
                                   now=self.at(self.rng.randint(3, 20), 15))  # fmt: skip
            self.counts["closed_no_local_partner"] += 1
        if item.fate in ("published", "soon", "renewed"):
            self.counts["published"] += 1
        return posting

    # Interests ---------------------------------------------------------------------------------------

    def interested_party(self, posting: Posting, nodes: tuple[str, ...], taken: set[int]) -> Enterprise | None:
        """For a request: an enterprise on the sought node; for an offer: one on a customer node."""
        if posting.kind in services.OFFER_KINDS:
            wanted = sorted(self.customers.get(nodes[0], set())) or list(nodes)
        else:
            wanted = [nodes[0]]
        exclude = {posting.enterprise_id, *taken}
        for node in wanted:
            pool = [e for e in self.enterprises if node in self.nodes_of[e.pk] and e.pk not in exclude]
            if pool:
                return self.rng.choice(pool)
        pool = [e for e in self.enterprises if e.pk not in exclude]
        return self.rng.choice(pool) if pool else None

    def interest(self, posting: Posting, enterprise: Enterprise, status: str, age: int) -> Interest:
        """Express interest `age` days ago (the posting was published before) and move it to `status`."""
        user = self.user_for(enterprise)
        officer = self.officers.get("pj_officer") if posting.enterprise.town.code == HOME else None
        officer = officer or self.officer_for(posting.enterprise)
        interest = interest_services.interest_express(actor=user, posting=posting, note=self.rng.choice(NOTES),
                                                      now=self.at(age, 10))  # fmt: skip
        self.counts["interests"] += 1
        if status == "pending":
            return interest
        if status == "withdrawn":
            return interest_services.interest_withdraw(actor=user, interest=interest, now=self.at(age - 1, 16))
        if status == "declined":
            note = OUTCOME_NOTES["declined"][0]
            return interest_services.interest_broker(
                actor=officer, interest=interest, action="decline", note=note, now=self.at(age - 1, 14)
            )
        interest_services.interest_broker(
            actor=officer, interest=interest, action="introduce", now=self.at(age - 1, 14)
        )
        if status == "introduced":
            return interest
        meeting = self.at(age - 6, 10)
        interest_services.interest_broker(actor=officer, interest=interest, action="meeting_held",
                                          meeting_date=meeting.date(), now=self.at(age - 6, 17))  # fmt: skip
        if status == "meeting_held":
            return interest
        done = self.at(max(age - 14, 1), 16)
        if status == "no_deal":
            note = self.rng.choice(OUTCOME_NOTES["no_deal"])
            return interest_services.interest_broker(
                actor=officer, interest=interest, action="no_deal", note=note, now=done
            )
        amount = Decimal(self.rng.randrange(20, 800) * 10_000)
        self.counts["signed"] += 1
        return interest_services.interest_broker(actor=officer, interest=interest, action="signed",
                                                 signed_date=done.date(), amount=amount, note="已签订采购/服务合同",
                                                 now=done)  # fmt: skip


def _published_age(posting: Posting, now: datetime) -> int:
    return (now - posting.published_at).days


def load(*, now: datetime, rng: random.Random) -> dict[str, int]:
    """Tell the supply–demand story up to `now`; returns counts. A second run (postings exist) writes nothing."""
    teller = Teller(now=now, rng=rng)
    if not teller.enterprises or not teller.officers:
        return teller.counts
    demo_ids = [e.pk for e in teller.enterprises] + ([teller.showcase.pk] if teller.showcase else [])
    if Posting.objects.filter(enterprise_id__in=demo_ids).exists():
        return teller.counts

    told: list[tuple[Posting, Item]] = []
    for item in CATALOGUE:
        enterprise = teller.pick(item.by, where=item.where)
        if enterprise is None:
            enterprise = teller.pick(item.by)  # no other town in a small demo
        if enterprise is not None:
            told.append((teller.tell(item, enterprise), item))
    mine: list[tuple[Posting, Item]] = []
    if teller.showcase is not None:
        mine = [(teller.tell(item, teller.showcase), item) for item in SHOWCASE_ITEMS]
    teller.counts["expired"] = services.postings_expire(now=now)

    _interests(teller, told, mine)
    # The story spans months: its older inbox messages have been read.
    Notification.objects.filter(
        url__startswith="/chain/postings/", read_at__isnull=True, created_at__lt=now - timedelta(days=UNREAD_DAYS)
    ).update(read_at=now - timedelta(days=UNREAD_DAYS))
    return teller.counts


def _interests(teller: Teller, told: list, mine: list) -> None:
    today = timezone.localdate(teller.now)

    def live(posting: Posting) -> bool:
        posting.refresh_from_db(fields=["status", "expires_date"])
        return services.is_live(posting, today)

    # The showcase's request: one supplier signed, another waits for an introduction; and the showcase's
    # own interest in a local offer, introduced.
    taken_by: dict[int, set[int]] = {}
    showcase_request = next((p for p, item in mine if item.kind == BR and live(p)), None)
    plan = [status for status, n in INTEREST_PLAN for _ in range(n)]
    if showcase_request is not None:
        age = max(_published_age(showcase_request, teller.now) - 1, 2)
        for status in ("signed", "pending"):
            party = teller.interested_party(showcase_request, ("U2",), taken_by.setdefault(showcase_request.pk, set()))
            if party is not None:
                teller.interest(showcase_request, party, status, age if status == "signed" else 2)
                taken_by[showcase_request.pk].add(party.pk)
                plan.remove(status)
    candidates = [(p, item) for p, item in told if p.enterprise.town.code == HOME and live(p)]
    offers = [(p, item) for p, item in candidates if p.kind in services.OFFER_KINDS]
    if teller.showcase is not None and offers:
        posting, item = offers[0]
        teller.interest(posting, teller.showcase, "introduced", max(min(_published_age(posting, teller.now) - 1, 9), 2))
        taken_by.setdefault(posting.pk, set()).add(teller.showcase.pk)
        plan.remove("introduced")
    # The rest on the town's live postings: outcomes that take weeks on the older ones.
    candidates.sort(key=lambda pair: pair[0].published_at)
    old = [pair for pair in candidates if _published_age(pair[0], teller.now) >= 25]
    recent = [pair for pair in candidates if _published_age(pair[0], teller.now) >= 3]
    for status in plan:
        pool = old if status in ("signed", "no_deal", "meeting_held") else recent
        if not pool:
            continue
        posting, item = pool[teller.rng.randrange(len(pool))]
        party = teller.interested_party(posting, item.nodes, taken_by.setdefault(posting.pk, set()))
        if party is None:
            continue
        published_age = _published_age(posting, teller.now)
        age = published_age - 1 if status in ("signed", "no_deal", "meeting_held") else min(published_age - 1, 6)
        teller.interest(posting, party, status, max(age, 2))
        taken_by[posting.pk].add(party.pk)


def unload() -> int:
    """Remove the postings (with their interests) of the demo enterprises."""
    deleted, _ = Posting.objects.filter(enterprise__is_demo=True).delete()
    return deleted


__all__ = ["CATALOGUE", "SHOWCASE_ITEMS", "load", "unload"]
