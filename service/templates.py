"""Every piece of user-facing Chinese text the service produces, in one place.

Placeholders use str.format names; service code fills them and never writes Chinese itself.
"""

# --- errors (HTTP `detail`) ---------------------------------------------------------------
TEXT_EMPTY = "请输入要咨询的内容"
TEXT_TOO_LONG = "内容过长，请控制在{max_chars}字以内，简要描述您要办理的事项"
TEXT_NO_WORDS = "没有识别到文字，请用文字描述您要办理的事项，例如“身份证丢了怎么补办”"
ITEM_NOT_FOUND = "未找到事项编码 {code}"
SITUATION_NOT_FOUND = "事项“{item_name}”没有办理情形 {situation}，可选情形：{choices}"
HALL_NOT_FOUND = "办事大厅信息尚未导入"
INTERNAL_ERROR = "服务暂时出现问题，请稍后再试，或拨打 12345 政务服务便民热线咨询"
VALIDATION_FAILED = "请求参数有误：{problems}"
VALIDATION_MISSING = "缺少参数 {field}"
VALIDATION_TOO_SMALL = "参数 {field} 不能小于 {limit}"
VALIDATION_TOO_LARGE = "参数 {field} 不能大于 {limit}"
VALIDATION_NOT_INT = "参数 {field} 须为整数"
VALIDATION_BAD_JSON = "请求内容不是有效的 JSON"
VALIDATION_OTHER = "参数 {field} 不正确"
LIST_SEPARATOR = "；"

# --- the one-time notice (一次性告知) --------------------------------------------------------
NOTICE_HEADER = "【{item_name}】一次性告知（告知单号：{notice_no}）"
NOTICE_GREETING = "您好！以下是办理本事项需要了解的全部内容，请对照一次备齐材料，避免来回跑。"
NOTICE_ELSEWHERE = (
    "温馨提示：本事项不在本中心办理，由【{name}】负责。\n"
    "地址：{address}\n电话：{phone}\n办公时间：{hours}"
)
NOTICE_ELSEWHERE_NOTE = "\n说明：{note}"
NOTICE_ELSEWHERE_TAIL = "\n以下办事指南供您提前准备，如有疑问可先致电确认。"

SECTION_SITUATION = "【办理情形】{situation_name}"
SECTION_SITUATION_DESCRIPTION = "（{description}）"
SECTION_SITUATION_NONE = (
    "【办理情形】本事项分为以下情形，材料略有不同：{choices}。"
    "下列材料已标明适用情形，告诉我您属于哪种情形，可为您只列出需要的材料。"
)
SECTION_CONDITIONS = "一、办理条件"
SECTION_MATERIALS = "二、申请材料（共{count}项）"
SECTION_PROCESS = "三、办理流程"
SECTION_TIME_LIMIT = "四、办理时限"
SECTION_FEE = "五、收费标准"
SECTION_PLACE = "六、办理地点与时间"
SECTION_PHONES = "七、咨询与投诉电话"
SECTION_ONLINE = "八、网上办理与跑动次数"
SECTION_RELATED = "联办提示"

MATERIAL_LINE = "{no}. {name} {form}{count_text}（{media}）"
MATERIAL_COUNT = "{count}份"
MATERIAL_COUNT_BOTH = "各{count}份"
MARK_WAIVABLE = "【容缺】可先行受理，后补提交"
MARK_SHARED = "【免提交】通过数据共享获取，无需提交"
MARK_ISSUED = "【部门核发】"
MARK_SITUATIONS = "【仅限：{situations}】"
MARK_NOTE = "（{note}）"
MARK_SAMPLE = "【样表】{sample}"
SITUATION_JOIN = "、"

WAIVED_WAIVABLE = "容缺"
WAIVED_SHARED = "免提交"

NUMBERED_LINE = "{no}. {text}"
PROCESS_JOIN = " → "

TIME_LEGAL = "法定办结时限：{days}个工作日"
TIME_LEGAL_NONE = "法定办结时限：法律法规未作规定"
TIME_PROMISED = "承诺办结时限：自受理之日起{days}个工作日"
TIME_ON_THE_SPOT = "承诺办结时限：即办件，材料齐全当场办结"
TIME_NOTE = "说明：{note}"

FEE_AMOUNT = "收费标准：{amount}"
FEE_BASIS = "收费依据：{basis}"

PLACE_LINE = "办理地点：{place}"
HOURS_LINE = "办公时间：{hours}"
PHONE_LINE = "咨询电话：{phone}"
COMPLAINT_LINE = "监督投诉电话：{phone}"

ONLINE_YES = "网上办理：可以，办理入口：{where}"
ONLINE_NO = "网上办理：暂不支持，需到现场办理"
ONLINE_NOTE = "说明：{note}"
VISITS_ZERO = "到现场次数：0次（全程网办，一次都不用跑）"
VISITS_N = "到现场次数：最多{visits}次"

RELATED_INTRO = "办理本事项时，通常还需要按以下顺序办理："
RELATED_LINE = "{no}. {name}（{department}）"
RELATED_TAIL = "可以告诉我事项名称，为您提供对应的一次性告知。"

SECTION_JOIN = "\n\n"
LINE_JOIN = "\n"

# --- short answers to one aspect of an item (the bot's "多少钱？" "在哪办？") ----------------
ASPECT_CONDITIONS = "办理“{item_name}”需满足以下条件：\n{lines}"
ASPECT_FEE = "“{item_name}”{fee}"
ASPECT_FEE_BASIS = "（依据：{basis}）"
ASPECT_TIME_LIMIT = "“{item_name}”的办理时限——{lines}"
ASPECT_LOCATION = "“{item_name}”{lines}"
ASPECT_PROCESS = "“{item_name}”的办理流程：{steps}"
ASPECT_ONLINE = "“{item_name}”{lines}"
ASPECT_PART_JOIN = "；"
