"""Build the enterprise patent survey's two XLSForms from the readable definitions below.

The XLSForm workbooks in ``patentreach/survey/instrument/`` are the master definition of the
instrument (ODK Collect, Enketo and KoboToolbox read them directly, and the response import
validates against them). Workbooks do not diff, so the questions are written here as plain Python
rows and the ``.xlsx`` files are generated; both are committed, and a test fails when the committed
workbooks differ from what this script builds.

    .venv/bin/python scripts/survey/build_forms.py          # rewrite both workbooks
    .venv/bin/python scripts/survey/build_forms.py --check  # exit 1 if they are stale

Two questionnaires, as in the national survey: ``holder`` (one per sampled patent-holding
enterprise) and ``patent`` (one per patent sampled within a responding enterprise).
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook

OUT = Path(__file__).resolve().parents[2] / "patentreach" / "survey" / "instrument"
EN, ZH = "English (en)", "Chinese (zh)"

SURVEY_COLUMNS = [
    "type",
    "name",
    f"label::{EN}",
    f"label::{ZH}",
    f"hint::{EN}",
    f"hint::{ZH}",
    "required",
    "relevant",
    "calculation",
    "constraint",
    f"constraint_message::{EN}",
    f"constraint_message::{ZH}",
    "choice_filter",
    "appearance",
]
CHOICE_COLUMNS = ["list_name", "name", f"label::{EN}", f"label::{ZH}", "belt_and_road"]
SETTINGS_COLUMNS = ["form_title", "form_id", "version", "default_language"]

Row = dict[str, str]


def q(
    type_: str,
    name: str,
    en: str,
    zh: str,
    *,
    required: bool = True,
    relevant: str = "",
    constraint: str = "",
    message: tuple[str, str] = ("", ""),
    hint: tuple[str, str] = ("", ""),
    choice_filter: str = "",
    appearance: str = "",
    calculation: str = "",
) -> Row:
    """One question row."""
    return {
        "type": type_,
        "name": name,
        f"label::{EN}": en,
        f"label::{ZH}": zh,
        f"hint::{EN}": hint[0],
        f"hint::{ZH}": hint[1],
        "required": "yes" if required else "",
        "relevant": relevant,
        "calculation": calculation,
        "constraint": constraint,
        f"constraint_message::{EN}": message[0],
        f"constraint_message::{ZH}": message[1],
        "choice_filter": choice_filter,
        "appearance": appearance,
    }


def group(name: str, en: str, zh: str, relevant: str = "") -> Row:
    row = q("begin_group", name, en, zh, required=False, relevant=relevant)
    return row


def end(name: str) -> Row:
    return {"type": "end_group", "name": name}


def repeat(name: str, en: str, zh: str, relevant: str = "") -> Row:
    """A repeat group: in a response file, one set of wide columns per instance."""
    return q("begin_repeat", name, en, zh, required=False, relevant=relevant)


def end_repeat(name: str) -> Row:
    return {"type": "end_repeat", "name": name}


def yes(name: str) -> str:
    return f"${{{name}}} = 'yes'"


NON_NEGATIVE = (". >= 0", ("Must be zero or more", "不能为负数"))
# Either the 18-character unified social credit code (GB 32100-2015: registration authority and
# type, six-digit division code, nine-character organisation code, check character; the letters
# I, O, Z, S and V are never used) or a demo id such as E123456. The form checks the shape only;
# the check character is verified on import from the frame's id rule.
ENTERPRISE_ID = (
    "regex(., '^(E[0-9]{6}|[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10})$')",
    (
        "The enterprise ID is the 18-character unified social credit code "
        "(or the ID printed on the survey letter, such as E123456)",
        "企业编号为18位统一社会信用代码（或调查通知书上的编号，如E123456）",
    ),
)

# --- holder questionnaire (unit: patent-holding enterprise) ----------------------------------

HOLDER: list[Row] = [
    q(
        "note",
        "intro",
        "Enterprise patent survey - enterprise questionnaire. "
        "Reference period: last calendar year. "
        "Answers are confidential and used for statistics only.",
        "企业专利调查 - 企业问卷。调查时期为上一年度。所填信息仅用于统计，严格保密。",
        required=False,
    ),
    group("profile", "A. Enterprise profile", "一、企业基本情况"),
    q(
        "text",
        "enterprise_id",
        "Enterprise ID",
        "企业编号",
        constraint=ENTERPRISE_ID[0],
        message=ENTERPRISE_ID[1],
    ),
    q(
        "select_one size",
        "size",
        "Enterprise size",
        "企业规模",
        hint=(
            "As classified by the national statistical standard for enterprise size",
            "按国家统计局大中小微型企业划分办法",
        ),
    ),
    q("select_one sector", "sector", "Registration type (ownership)", "企业登记注册类型"),
    q("select_one industry", "industry", "Main industry", "所属主要行业"),
    q("select_one region", "region", "Region of registration", "注册地所在地区"),
    q(
        "integer",
        "employees",
        "Employees at year end",
        "年末从业人员数（人）",
        constraint=". >= 1 and . <= 500000",
        message=("Employees must be between 1 and 500,000", "从业人员数应在1至500000之间"),
    ),
    q(
        "integer",
        "rd_staff",
        "R&D staff at year end",
        "年末研发人员数（人）",
        constraint=". >= 0 and . <= ${employees}",
        message=("R&D staff cannot exceed employees", "研发人员数不能超过从业人员数"),
    ),
    q(
        "decimal",
        "revenue_mcny",
        "Operating revenue (million CNY)",
        "营业收入（百万元）",
        constraint=NON_NEGATIVE[0],
        message=NON_NEGATIVE[1],
    ),
    q("select_one yes_no", "high_tech", "Certified high-tech enterprise?", "是否为高新技术企业"),
    end("profile"),
    group("patents", "B. Patents held", "二、专利拥有情况"),
    q(
        "integer",
        "inv_patents_cn",
        "Valid Chinese invention patents held at year end",
        "年末拥有的有效发明专利数（件）",
        constraint=NON_NEGATIVE[0],
        message=NON_NEGATIVE[1],
    ),
    q(
        "integer",
        "um_patents_cn",
        "Valid Chinese utility model patents held at year end",
        "年末拥有的有效实用新型专利数（件）",
        constraint=NON_NEGATIVE[0],
        message=NON_NEGATIVE[1],
    ),
    q(
        "integer",
        "design_patents_cn",
        "Valid Chinese design patents held at year end",
        "年末拥有的有效外观设计专利数（件）",
        constraint=". >= 0 and . + ${inv_patents_cn} + ${um_patents_cn} >= 1",
        message=(
            "A patent-holding enterprise holds at least one valid patent",
            "专利权人应至少拥有一件有效专利",
        ),
    ),
    q(
        "calculate",
        "total_patents_cn",
        "Valid Chinese patents held at year end (all three types)",
        "年末拥有的有效专利总数（件，三种专利合计）",
        required=False,
        calculation="${inv_patents_cn} + ${um_patents_cn} + ${design_patents_cn}",
    ),
    q(
        "select_one yes_no",
        "holds_foreign",
        "Do you hold patents granted or pending abroad?",
        "是否拥有境外专利（含已授权和申请中）",
    ),
    q(
        "integer",
        "foreign_patents",
        "Number of patents held or pending abroad",
        "境外专利数量（件）",
        relevant=yes("holds_foreign"),
        constraint=". >= 1",
        message=("At least one, since you hold patents abroad", "既然拥有境外专利，数量应至少为1"),
    ),
    q(
        "select_multiple office",
        "foreign_offices",
        "Where are they granted or pending?",
        "境外专利的授权或申请地",
        relevant=yes("holds_foreign"),
    ),
    q(
        "select_one yes_no",
        "pct_filed",
        "Did you file PCT international applications?",
        "是否提交了PCT国际专利申请",
        required=False,
    ),
    end("patents"),
    group("transfer", "C. Patent transfer and licensing", "三、专利转让与许可"),
    q(
        "select_one yes_no",
        "transfer_out",
        "Did you assign or license any patent to another party?",
        "是否向其他单位或个人转让或许可专利",
    ),
    q(
        "select_multiple transfer_mode",
        "transfer_out_mode",
        "How?",
        "转让或许可方式",
        relevant=yes("transfer_out"),
    ),
    q(
        "select_one yes_no",
        "transfer_out_abroad",
        "Was any of it to a party outside mainland China?",
        "其中是否有向境外转让或许可",
        relevant=yes("transfer_out"),
    ),
    q(
        "select_multiple country",
        "transfer_out_countries",
        "To which countries or regions?",
        "向哪些国家或地区转让或许可",
        relevant=yes("transfer_out_abroad"),
        constraint="count-selected(.) <= 10",
        message=("Choose at most ten (the main ones)", "最多选择十个（主要的）"),
    ),
    q(
        "select_one yes_no",
        "license_in",
        "Did you acquire patents or take patent licences from another party?",
        "是否从其他单位或个人受让专利或获得专利许可",
    ),
    q(
        "select_one yes_no",
        "license_in_abroad",
        "Was any of it from outside mainland China?",
        "其中是否有从境外引进",
        relevant=yes("license_in"),
    ),
    q(
        "select_multiple country",
        "license_in_countries",
        "From which countries or regions?",
        "从哪些国家或地区引进",
        relevant=yes("license_in_abroad"),
    ),
    end("transfer"),
    group("export", "D. Exports and patent protection abroad", "四、出口与海外专利保护"),
    q(
        "select_one yes_no",
        "exports",
        "Did the enterprise export products or services?",
        "是否有产品或服务出口",
    ),
    group("export_detail", "Export markets", "出口市场", relevant=yes("exports")),
    q(
        "decimal",
        "export_share_pct",
        "Exports as a share of revenue (%)",
        "出口额占营业收入比重（%）",
        constraint=". > 0 and . <= 100",
        message=("A percentage above 0 and at most 100", "应大于0且不超过100"),
    ),
    q(
        "select_multiple country",
        "export_markets",
        "Main export markets",
        "主要出口市场",
        constraint="count-selected(.) <= 15",
        message=("Choose at most fifteen", "最多选择十五个"),
    ),
    q(
        "select_one protection",
        "export_protection",
        "Did you obtain patent protection in your export markets?",
        "是否在出口市场获得了专利保护",
    ),
    q(
        "select_multiple country",
        "protected_markets",
        "Which of your export markets are covered by your patents?",
        "哪些出口市场有专利保护",
        relevant="${export_protection} = 'some'",
        choice_filter="selected(${export_markets}, name)",
    ),
    q(
        "select_multiple no_protection_reason",
        "no_protection_reason",
        "Why not (in every market)?",
        "未在全部出口市场获得专利保护的原因",
        relevant="${export_protection} = 'none' or ${export_protection} = 'some'",
    ),
    # Form 2021.3: the main export markets one by one, a repeat group (wide columns market_1_country,
    # market_1_share, market_1_protected ... in a response file; at most ten instances).
    repeat("market", "Export market", "出口市场"),
    q(
        "select_one country",
        "country",
        "Country or region",
        "国家或地区",
        hint=(
            "Your main export markets one by one, the largest first (at most ten)",
            "逐一填写主要出口市场，按出口额从大到小（最多十个）",
        ),
        choice_filter="selected(${export_markets}, name)",
    ),
    q(
        "decimal",
        "share",
        "Share of the enterprise's exports (%)",
        "占本企业出口额的比重（%）",
        constraint=". > 0 and . <= 100",
        message=("A percentage above 0 and at most 100", "应大于0且不超过100"),
    ),
    q(
        "select_one yes_no",
        "protected",
        "Does the enterprise hold a patent in force there?",
        "本企业在该市场是否拥有有效专利",
        constraint="not((${export_protection} = 'none' and . = 'yes') or (${export_protection} = 'all' and . = 'no'))",
        message=(
            "This contradicts your answer on patent protection in your export markets",
            "与前面关于出口市场专利保护情况的回答不一致",
        ),
    ),
    end_repeat("market"),
    q(
        "select_one yes_no_unknown",
        "overseas_dispute",
        "Did you face a patent infringement claim or dispute abroad?",
        "是否在境外遭遇专利侵权指控或纠纷",
        required=False,
    ),
    end("export_detail"),
    end("export"),
    group("tech_import", "E. Technology from abroad", "五、境外技术引进"),
    q(
        "select_one yes_no",
        "tech_import_difficulty",
        "In the last three years, was it difficult to license or acquire technology from abroad?",
        "近三年从境外获得技术（专利许可、技术转让）是否遇到困难",
    ),
    q(
        "select_one yes_no",
        "difficulty_us_europe",
        "Was it difficult to license in or acquire technology from the United States or Europe "
        "in particular?",
        "其中，从美国或欧洲引进技术（专利许可、技术转让）是否遇到困难",
        relevant=yes("tech_import_difficulty"),
    ),
    q(
        "select_multiple difficulty_reason",
        "difficulty_reasons",
        "What made it difficult?",
        "遇到困难的原因",
        relevant=yes("tech_import_difficulty"),
    ),
    q(
        "select_multiple difficulty_response",
        "difficulty_response",
        "How did you respond?",
        "企业采取的应对措施",
        relevant=yes("tech_import_difficulty"),
        constraint="not(selected(., 'none') and count-selected(.) > 1)",
        message=(
            "'No particular response' cannot be combined with other answers",
            "“未采取措施”不能与其他选项同时选择",
        ),
    ),
    q(
        "text",
        "difficulty_response_other",
        "Other response (please describe)",
        "其他应对措施（请注明）",
        relevant="selected(${difficulty_response}, 'other')",
    ),
    end("tech_import"),
    group("ip_management", "F. IP staff and budget", "六、知识产权人员与经费"),
    q(
        "decimal",
        "ip_staff_fte",
        "IP staff (full-time equivalent)",
        "知识产权工作人员（折合全时当量）",
        constraint=". >= 0 and . <= ${employees}",
        message=("Between 0 and the number of employees", "应在0与从业人员数之间"),
    ),
    q(
        "select_one yes_no",
        "ip_department",
        "Is there a dedicated IP department?",
        "是否设有专门的知识产权管理部门",
    ),
    q(
        "decimal",
        "ip_budget_kcny",
        "IP budget (thousand CNY)",
        "知识产权经费（千元）",
        constraint=NON_NEGATIVE[0],
        message=NON_NEGATIVE[1],
    ),
    q(
        "select_one change",
        "ip_budget_change",
        "Compared with the year before, the IP budget",
        "与上年相比，知识产权经费",
    ),
    end("ip_management"),
]

# --- patent questionnaire (unit: one patent sampled within a responding enterprise) ----------

PATENT: list[Row] = [
    q(
        "note",
        "intro",
        "Enterprise patent survey - patent questionnaire, one per sampled patent. "
        "Reference period: last calendar year.",
        "企业专利调查 - 专利问卷（每件抽中专利填写一份）。调查时期为上一年度。",
        required=False,
    ),
    group("identity", "A. The patent", "一、专利基本信息"),
    q(
        "text",
        "enterprise_id",
        "Enterprise ID",
        "企业编号",
        constraint=ENTERPRISE_ID[0],
        message=ENTERPRISE_ID[1],
    ),
    q(
        "text",
        "patent_id",
        "Patent publication number",
        "专利公告号",
        constraint="regex(., '^CN[0-9]{9}[A-Z][0-9]?$')",
        message=("A CN publication number such as CN110123456B", "应为专利公告号，如CN110123456B"),
    ),
    q("select_one patent_type", "patent_type", "Type of patent", "专利类型"),
    q(
        "integer",
        "grant_year",
        "Year of grant",
        "授权年份",
        constraint=". >= 1985 and . <= 2021",
        message=("A year from 1985 to the reference year", "应在1985年至调查年度之间"),
    ),
    end("identity"),
    group("use", "B. Use and commercialisation", "二、专利实施与运用"),
    q(
        "select_one yes_no",
        "implemented",
        "Has the patented technology been put into production or use?",
        "该专利是否已实施（产业化）",
    ),
    q(
        "select_multiple implementation_mode",
        "implementation_mode",
        "How is it used?",
        "实施方式",
        relevant=yes("implemented"),
    ),
    q(
        "select_one revenue_band",
        "implementation_revenue",
        "Revenue from products using it last year",
        "上年度专利产品销售收入",
        relevant=yes("implemented"),
        required=False,
    ),
    q("select_one yes_no", "licensed", "Was it licensed to another party?", "是否许可他人实施"),
    q(
        "select_one yes_no",
        "licensed_abroad",
        "Was the licensee outside mainland China?",
        "被许可方是否在境外",
        relevant=yes("licensed"),
    ),
    q(
        "select_one country",
        "licensee_country",
        "Licensee's country or region",
        "被许可方所在国家或地区",
        relevant=yes("licensed_abroad"),
    ),
    q(
        "select_one yes_no",
        "transferred",
        "Was it assigned (sold) to another party?",
        "是否转让给他人",
    ),
    q(
        "select_one yes_no",
        "transferred_abroad",
        "Was the assignee outside mainland China?",
        "受让方是否在境外",
        relevant=yes("transferred"),
    ),
    q(
        "select_one country",
        "assignee_country",
        "Assignee's country or region",
        "受让方所在国家或地区",
        relevant=yes("transferred_abroad"),
    ),
    end("use"),
    group("protection", "C. Protection abroad and enforcement", "三、海外布局与维权"),
    q(
        "select_one yes_no",
        "family_abroad",
        "Has the same invention been filed abroad?",
        "同一发明创造是否已向境外申请专利",
    ),
    q(
        "select_multiple office",
        "family_offices",
        "Where?",
        "向哪些国家或地区申请",
        relevant=yes("family_abroad"),
    ),
    q(
        "select_one yes_no_unknown",
        "infringed",
        "Has this patent been infringed?",
        "该专利是否遭受过侵权",
    ),
    q(
        "select_multiple enforcement",
        "enforcement",
        "What did you do?",
        "采取了哪些维权措施",
        relevant=yes("infringed"),
        constraint="not(selected(., 'none') and count-selected(.) > 1)",
        message=(
            "'No action' cannot be combined with other answers",
            "“未采取措施”不能与其他选项同时选择",
        ),
    ),
    end("protection"),
]

# --- choice lists ------------------------------------------------------------------------------

# Partner countries and regions. `belt_and_road` follows the list of countries that signed Belt
# and Road cooperation documents (yidaiyilu.gov.cn snapshot, Oct 2023; Italy still listed); a test
# checks it against ../shared/reference/filing-rules/bri_countries.csv.
COUNTRIES: list[tuple[str, str, str, str]] = [
    ("us", "United States", "美国", "no"),
    ("jp", "Japan", "日本", "no"),
    ("kr", "Republic of Korea", "韩国", "yes"),
    ("de", "Germany", "德国", "no"),
    ("fr", "France", "法国", "no"),
    ("gb", "United Kingdom", "英国", "no"),
    ("it", "Italy", "意大利", "yes"),
    ("nl", "Netherlands", "荷兰", "no"),
    ("es", "Spain", "西班牙", "no"),
    ("ch", "Switzerland", "瑞士", "no"),
    ("se", "Sweden", "瑞典", "no"),
    ("pl", "Poland", "波兰", "yes"),
    ("hu", "Hungary", "匈牙利", "yes"),
    ("cz", "Czechia", "捷克", "yes"),
    ("rs", "Serbia", "塞尔维亚", "yes"),
    ("gr", "Greece", "希腊", "yes"),
    ("ru", "Russian Federation", "俄罗斯", "yes"),
    ("kz", "Kazakhstan", "哈萨克斯坦", "yes"),
    ("uz", "Uzbekistan", "乌兹别克斯坦", "yes"),
    ("tr", "Türkiye", "土耳其", "yes"),
    ("ae", "United Arab Emirates", "阿联酋", "yes"),
    ("sa", "Saudi Arabia", "沙特阿拉伯", "yes"),
    ("eg", "Egypt", "埃及", "yes"),
    ("za", "South Africa", "南非", "yes"),
    ("ng", "Nigeria", "尼日利亚", "yes"),
    ("in", "India", "印度", "no"),
    ("pk", "Pakistan", "巴基斯坦", "yes"),
    ("bd", "Bangladesh", "孟加拉国", "yes"),
    ("sg", "Singapore", "新加坡", "yes"),
    ("my", "Malaysia", "马来西亚", "yes"),
    ("th", "Thailand", "泰国", "yes"),
    ("vn", "Viet Nam", "越南", "yes"),
    ("id", "Indonesia", "印度尼西亚", "yes"),
    ("ph", "Philippines", "菲律宾", "yes"),
    ("au", "Australia", "澳大利亚", "no"),
    ("nz", "New Zealand", "新西兰", "yes"),
    ("ca", "Canada", "加拿大", "no"),
    ("mx", "Mexico", "墨西哥", "no"),
    ("br", "Brazil", "巴西", "no"),
    ("cl", "Chile", "智利", "yes"),
    ("hk", "Hong Kong, China", "中国香港", "no"),
    ("tw", "Taiwan, China", "中国台湾", "no"),
    ("other_bri", "Other Belt and Road country", "其他“一带一路”合作国家", "yes"),
    ("other", "Other country or region", "其他国家或地区", "no"),
]

CHOICES: dict[str, list[tuple[str, str, str]]] = {
    "yes_no": [("yes", "Yes", "是"), ("no", "No", "否")],
    "yes_no_unknown": [
        ("yes", "Yes", "是"),
        ("no", "No", "否"),
        ("unknown", "Don't know", "不清楚"),
    ],
    "size": [
        ("large", "Large", "大型企业"),
        ("medium", "Medium", "中型企业"),
        ("small", "Small", "小型企业"),
        ("micro", "Micro", "微型企业"),
    ],
    "sector": [
        ("state_owned", "State-owned or state-controlled", "国有及国有控股企业"),
        ("private", "Private (domestic)", "民营企业"),
        ("foreign", "Foreign-invested", "外商投资企业"),
        ("hmt", "Hong Kong, Macao or Taiwan-invested", "港澳台商投资企业"),
    ],
    "industry": [
        (
            "electronics",
            "Computers, communication and electronic equipment",
            "计算机、通信和其他电子设备制造业",
        ),
        ("electrical", "Electrical machinery and equipment", "电气机械和器材制造业"),
        ("machinery", "General and special-purpose machinery", "通用设备和专用设备制造业"),
        ("transport", "Automobiles and other transport equipment", "汽车及其他运输设备制造业"),
        ("chemicals", "Chemicals and chemical products", "化学原料和化学制品制造业"),
        ("pharma", "Pharmaceuticals", "医药制造业"),
        ("materials", "Metals and non-metallic mineral products", "金属及非金属矿物制品业"),
        ("light", "Textiles, food and other light industry", "纺织、食品及其他轻工业"),
        ("software", "Software and information technology services", "软件和信息技术服务业"),
        ("research", "Scientific research and technical services", "科学研究和技术服务业"),
        ("other", "Other industries", "其他行业"),
    ],
    "region": [
        ("east", "Eastern region", "东部地区"),
        ("central", "Central region", "中部地区"),
        ("west", "Western region", "西部地区"),
        ("northeast", "North-eastern region", "东北地区"),
    ],
    "office": [
        ("us", "United States (USPTO)", "美国"),
        ("ep", "European Patent Office", "欧洲专利局"),
        ("jp", "Japan (JPO)", "日本"),
        ("kr", "Republic of Korea (KIPO)", "韩国"),
        ("de", "Germany (DPMA)", "德国"),
        ("gb", "United Kingdom (UKIPO)", "英国"),
        ("ru", "Russian Federation (Rospatent)", "俄罗斯"),
        ("ea", "Eurasian Patent Office", "欧亚专利局"),
        ("in", "India", "印度"),
        ("sg", "Singapore", "新加坡"),
        ("vn", "Viet Nam", "越南"),
        ("my", "Malaysia", "马来西亚"),
        ("th", "Thailand", "泰国"),
        ("id", "Indonesia", "印度尼西亚"),
        ("au", "Australia", "澳大利亚"),
        ("ca", "Canada", "加拿大"),
        ("br", "Brazil", "巴西"),
        ("other", "Other", "其他"),
    ],
    "transfer_mode": [
        ("assignment", "Assignment (sale)", "转让"),
        ("exclusive", "Exclusive licence", "独占许可"),
        ("sole", "Sole licence", "排他许可"),
        ("ordinary", "Non-exclusive licence", "普通许可"),
        ("open", "Open licence", "开放许可"),
        ("cross", "Cross-licence", "交叉许可"),
    ],
    "protection": [
        ("all", "Yes, in all export markets", "全部出口市场均有专利保护"),
        ("some", "In some export markets", "部分出口市场有专利保护"),
        ("none", "No, in none of them", "均未获得专利保护"),
    ],
    "no_protection_reason": [
        ("cost", "Filing and maintenance cost too high", "申请和维持费用过高"),
        ("not_needed", "Not considered necessary", "认为没有必要"),
        ("unfamiliar", "Unfamiliar with foreign rules", "不熟悉境外规则"),
        ("too_slow", "Examination too slow for the market", "审查周期过长"),
        ("enforcement", "Hard to enforce there anyway", "当地维权困难"),
        ("other", "Other", "其他"),
    ],
    "difficulty_reason": [
        ("export_control", "Export controls or sanctions", "出口管制或制裁"),
        ("refusal", "Owner refused to license", "对方拒绝许可或转让"),
        ("price", "Price too high", "价格过高"),
        ("terms", "Restrictive terms", "附加条件苛刻"),
        ("negotiation", "Negotiation too long", "谈判周期过长"),
        ("other", "Other", "其他"),
    ],
    "difficulty_response": [
        ("self_innovation", "Increased investment in own innovation (R&D)", "加大自主创新投入"),
        ("domestic_source", "Turned to domestic technology suppliers", "转向国内技术来源"),
        ("university_coop", "More cooperation with universities and institutes", "加强产学研合作"),
        ("other_countries", "Turned to other countries", "转向其他国家引进"),
        ("acquisition", "Acquired a company abroad", "并购境外企业"),
        ("postpone", "Postponed or abandoned the project", "推迟或放弃相关项目"),
        ("none", "No particular response", "未采取措施"),
        ("other", "Other", "其他"),
    ],
    "change": [
        ("increase", "Increased", "增加"),
        ("same", "About the same", "基本持平"),
        ("decrease", "Decreased", "减少"),
    ],
    "patent_type": [
        ("invention", "Invention", "发明"),
        ("utility_model", "Utility model", "实用新型"),
        ("design", "Design", "外观设计"),
    ],
    "implementation_mode": [
        ("own", "Own production", "自行实施"),
        ("licensing", "Licensed to others", "许可他人实施"),
        ("assignment", "Assigned to others", "转让他人实施"),
        ("equity", "Contributed as equity", "作价入股"),
        ("cooperation", "Joint implementation", "合作实施"),
    ],
    "revenue_band": [
        ("lt1m", "Under 1 million CNY", "100万元以下"),
        ("1m_10m", "1-10 million CNY", "100万-1000万元"),
        ("10m_100m", "10-100 million CNY", "1000万-1亿元"),
        ("ge100m", "100 million CNY or more", "1亿元及以上"),
        ("unknown", "Don't know", "不清楚"),
    ],
    "enforcement": [
        ("none", "No action", "未采取措施"),
        ("negotiation", "Negotiation", "协商"),
        ("administrative", "Administrative complaint", "行政投诉或查处"),
        ("litigation", "Litigation", "诉讼"),
        ("arbitration", "Arbitration or mediation", "仲裁或调解"),
    ],
}

FORMS: dict[str, tuple[list[Row], list[str], dict[str, str]]] = {
    "holder": (
        HOLDER,
        [
            "yes_no",
            "yes_no_unknown",
            "size",
            "sector",
            "industry",
            "region",
            "office",
            "country",
            "transfer_mode",
            "protection",
            "no_protection_reason",
            "difficulty_reason",
            "difficulty_response",
            "change",
        ],
        {
            "form_title": "Enterprise patent survey: enterprise questionnaire",
            "form_id": "patentreach_enterprise_holder",
            "version": "2021.3",
        },
    ),
    "patent": (
        PATENT,
        [
            "yes_no",
            "yes_no_unknown",
            "patent_type",
            "implementation_mode",
            "revenue_band",
            "country",
            "office",
            "enforcement",
        ],
        {
            "form_title": "Enterprise patent survey: patent questionnaire",
            "form_id": "patentreach_enterprise_patent",
            "version": "2021.2",
        },
    ),
}


def sheets(form: str) -> dict[str, list[list[str]]]:
    """The three XLSForm sheets of ``form`` as rows of strings, header first."""
    survey, lists, settings = FORMS[form]
    choice_rows: list[list[str]] = []
    for list_name in lists:
        if list_name == "country":
            choice_rows += [["country", *row] for row in COUNTRIES]
        else:
            choice_rows += [[list_name, *row, ""] for row in CHOICES[list_name]]
    return {
        "survey": [SURVEY_COLUMNS] + [[row.get(c, "") for c in SURVEY_COLUMNS] for row in survey],
        "choices": [CHOICE_COLUMNS, *choice_rows],
        "settings": [
            SETTINGS_COLUMNS,
            [settings["form_title"], settings["form_id"], settings["version"], EN],
        ],
    }


def read_sheets(path: Path) -> dict[str, list[list[str]]]:
    """The sheets of a workbook as rows of strings (empty cells as ``""``)."""
    book = load_workbook(path, read_only=True)
    out = {}
    for sheet in book.worksheets:
        out[sheet.title] = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return out


def write(form: str, path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets(form).items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.properties.creator = "patentreach scripts/survey/build_forms.py"
    book.save(path)


def main(argv: list[str]) -> int:
    stale = [f for f in FORMS if read_sheets_or_none(OUT / f"{f}.xlsx") != sheets(f)]
    if "--check" in argv:
        for f in stale:
            print(f"{OUT / f'{f}.xlsx'} is stale: run scripts/survey/build_forms.py")
        return 1 if stale else 0
    for f in FORMS:
        write(f, OUT / f"{f}.xlsx")
        print(f"wrote {OUT / f'{f}.xlsx'}")
    return 0


def read_sheets_or_none(path: Path) -> dict[str, list[list[str]]] | None:
    return read_sheets(path) if path.exists() else None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
