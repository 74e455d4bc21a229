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

# --- pre-registration (预约) ---------------------------------------------------------------
PHONE_INVALID = "手机号码格式不正确，请填写 11 位手机号码，例如 13812345678"
ID_NUMBER_LENGTH = "身份证号码应为 18 位，请核对"
ID_NUMBER_FORMAT = "身份证号码格式不正确：前 17 位应为数字，最后一位为数字或 X"
ID_NUMBER_BIRTH_DATE = "身份证号码中的出生日期不正确，请核对"
ID_NUMBER_CHECKSUM = "身份证号码校验位不正确，请核对是否有输错的数字"
NAME_INVALID = "请填写办事人姓名（1-30 个字）"
BODY_TOO_LARGE = "请求内容过大，上限为 {limit} 字节"
IDEMPOTENCY_KEY_INVALID = "请求头 Idempotency-Key 须为 8-128 个字母、数字或 -_:. 字符"
IDEMPOTENCY_KEY_REUSED = "该 Idempotency-Key 已用于另一份预约内容，请为新的预约生成新的 Idempotency-Key"

BOOKING_HALL_NOT_FOUND = "未找到办事大厅 {hall}"
ITEM_NOT_AT_HALL = "“{item_name}”不在{hall_name}办理，请预约：{halls}"
ITEM_NOT_BOOKABLE = "“{item_name}”暂不支持预约，请按办事指南前往办理地点"
DATE_PAST = "{date} 已经过去，请选择今天或以后的日期"
DATE_TOO_FAR = "只能预约 {days} 天以内的时段（最晚 {last}）"
DAY_CLOSED = "{date}（星期{weekday}）不是工作日，大厅不对外办公"
SLOT_UNKNOWN = "没有 {slot} 这个时段，{date} 可选时段：{slots}"
SLOT_WINDOW_CLOSED = "{window}在 {slot} 不办理此类事项，可选时段：{slots}"
SLOT_STARTED = "{date} {slot} 时段已经开始或结束，请选择之后的时段"
SLOT_FULL = "{date} {slot} 已约满，请选择其他时段"
DUPLICATE_BOOKING = "您在 {date} 已有一个“{item_name}”的有效预约，同一事项同一天只能预约一次；如需改时间，请改约原预约"
SITUATION_UNKNOWN = "“{item_name}”没有办理情形 {situation}，可选：{choices}"
MATERIAL_UNKNOWN = "“{item_name}”的申请材料中没有：{names}"
MATERIAL_SHARED = "“{item_name}”的{names}通过数据共享获取，无需提交，不在材料清单中"
MATERIAL_BOTH = "材料不能同时标为已备齐和未备齐：{names}"
APPOINTMENT_NOT_FOUND = "未找到预约号 {code}，或手机号与预约时填写的不一致"
PROOF_GUESSES_LOCKED = "该编号的手机号核对错误次数过多，为保护您的信息，请 {minutes} 分钟后再试；如需帮助，请拨打 12345 政务服务便民热线"
APPOINTMENT_NOT_CHANGEABLE = "预约 {code} 当前状态为“{status}”，不能再{action}"
ACTION_CANCEL = "取消"
ACTION_RESCHEDULE = "改约"
RESCHEDULE_SAME_SLOT = "新时段与原预约时段相同，无需改约"
APPOINTMENT_STARTED = "预约 {code} 的时段（{date} {slot}）已经开始，不能再{action}；如有变动请致电大厅 {phone}"
RESCHEDULE_LIMIT = "预约 {code} 已改约 {count} 次，按本大厅规定每个预约最多改约 {limit} 次；如需换时间，请先取消再重新预约，或致电大厅 {phone}"
BOOKING_SUSPENDED = (
    "您近 {window_days} 天内有 {count} 次预约未到场（爽约），按{hall_name}的规定，网上预约暂停至 {until}（含）。"
    "期间仍可到大厅现场取号办理；如有疑问请致电 {phone}"
)
BOOKING_REMINDER = (
    "温馨提醒：您预约了明天（{date}，星期{weekday}）{slot} 在{hall_name}办理“{item_name}”，预约码 {code}。"
    "地点：{address}，{window}。请带齐材料、提前 10 分钟到达，凭预约码到窗口办理。"
    "如需取消或改约，请在导办助手中说“取消预约”或“改约”，或致电 {phone}。"
)
CONVERSATION_PROOF_BOT_ONLY = "按会话查找预约只对导办助手开放；请提供预约时填写的手机号"
PROOF_MISSING = "请提供预约时填写的手机号"
STATUS_CHANGE_INVALID = "预约 {code} 当前状态为“{status}”，不能改为“{target}”"
STAFF_UNAUTHORIZED = "请先输入正确的工作人员令牌"
STATUS_LABELS = {
    "booked": "已预约",
    "cancelled": "已取消",
    "arrived": "已到场",
    "done": "已办结",
    "no_show": "未到场",
}
# The window staff's buttons: what marking a booking with each target status is called.
BOOKING_MOVE_LABELS = {"arrived": "到场", "done": "办结", "no_show": "未到"}
WEEKDAYS = "一二三四五六日"

# Why the time a citizen asked for has no free slot (POST /api/halls/{code}/availability).
WHEN_NOT_UNDERSTOOD = "没有听懂您想预约的时间，可以说“明天上午”“下周三下午”或具体日期；以下是最近可约的时段"
REQUESTED_PAST = "您说的时间已经过去，以下是最近可约的时段"
REQUESTED_TOO_FAR = "只能预约 {days} 天以内的时段，以下是最近可约的时段"
REQUESTED_CLOSED = "您想约的日期大厅不办公（非工作日），以下是最近可约的时段"
REQUESTED_FULL = "您想约的时间已约满，以下是最近可约的时段"
NO_FREE_SLOTS = "{days} 天内的时段都已约满，请过几天再来预约，或拨打 {phone} 咨询"

# --- WeChat Official Account (公众号, service/wechat/) ------------------------------------
WECHAT_WELCOME = (
    "您好，欢迎关注！我是清江市政务服务中心的导办助手，可以：\n"
    "1. 告诉您办事要带哪些材料、去哪办、要多久、收不收费（一次性告知）\n"
    "2. 帮您预约到大厅窗口办理\n"
    "3. 告诉您进度查询和 12345 热线的联系方式\n"
    "直接用一句话问我就行，例如“身份证丢了补办要带啥”“开个小吃店要办什么证”，"
    "也可以点下方菜单。"
)
WECHAT_OPTIONS_HEADER = "回复序号选择："
WECHAT_OPTION_LINE = "{no}. {title}"
WECHAT_IMAGE_LINE = "图片：{url}"
WECHAT_TEXT_ONLY = "目前只能识别文字消息，请用文字描述您要办理的事项，例如“身份证丢了补办要带啥”。"
WECHAT_BOT_UNAVAILABLE = (
    "抱歉，导办助手暂时无法回答，请稍后再试，或拨打 12345 政务服务便民热线咨询。"
)
WECHAT_TOO_SLOW = "抱歉，这次查询用时较长，未能及时答复，请稍后再问一次，或拨打 12345 政务服务便民热线咨询。"
WECHAT_NOT_CONFIGURED = "未配置微信公众号接入（WECHAT_TOKEN）"
WECHAT_BAD_SIGNATURE = "签名校验失败"
WECHAT_BAD_MESSAGE = "消息格式不正确"

# --- 12345 work orders (工单, service/tickets/) ----------------------------------------------
TICKET_NOT_FOUND = "未找到工单 {number}"
# Before an agent's line on WeChat, where the citizen cannot tell it from the bot's otherwise.
WECHAT_AGENT_LABEL = "【12345话务员】"
OUTBOX_MESSAGE_NOT_FOUND = "未找到待发消息 {id}"
OUTBOX_NOT_PARKED = "消息 {id} 状态为 {status}，只有发送失败而搁置的消息才能重发"
# What an outbox message that did not arrive means for the citizen's chat, by its `kind`.
OUTBOX_KIND_LABELS = {
    "pause": "暂停机器人未生效",
    "resume": "恢复机器人应答未生效",
    "agent_line": "工作人员消息未写入机器人对话",
    "ticket_closed": "办结后的满意度评价邀请未发出",
    "text": "消息未送达微信用户",
}
# Why a message is parked (its status).
OUTBOX_STATUS_LABELS = {"dead": "多次重试失败", "undeliverable": "无法送达"}
TICKET_NOT_FOUND_FOR_PHONE = "未找到工单 {number}，或手机号与提交时填写的不一致"
TICKET_ITEM_UNKNOWN = "没有事项编码为 {code} 的办事事项"
TICKET_TOPIC_L2_WITHOUT_L1 = "填写二级分类时请同时填写一级分类"
TICKET_NOTHING_TO_CORRECT = "请至少修改类型、分类或摘要中的一项"
TICKET_CORRECTION_UNCHANGED = "工单 {number} 的内容与修改后相同，无需更正"
TICKET_ALREADY_CLAIMED = "工单 {number} 已由{assignee}受理，请处理其他工单"
TICKET_NOT_YOURS = "工单 {number} 由{assignee}受理，只有受理人可以{action}"
TICKET_WRONG_STATE = "工单 {number} 当前状态为“{status}”，不能{action}"
TICKET_ALREADY_RATED = "工单 {number} 已经评价过了，每件诉求只能评价一次"
TICKET_NOT_YET_REPLIED = "工单 {number} 还没有答复，答复后才能评价"
TICKET_REASSIGN_NOTE = "改派至{department}：{note}"
TICKET_IDEMPOTENCY_REUSED = "这个 Idempotency-Key 已用于另一张工单，请为新的工单换一个"
TICKET_NO_CONVERSATION = "工单 {number} 不是从在线对话提交的，请按登记的电话联系市民"
TICKET_MESSAGE_NOT_OWNER = "工单 {number} 当前由{assignee}处理，只有受理人可以给市民发消息"
TICKET_MESSAGE_NOT_CLAIMED = "工单 {number} 当前状态为“{status}”，受理后才能给市民发消息"
CONVERSATION_NO_AGENT = "这个对话现在没有话务员接管"
CONVERSATION_TICKET_NOT_FOUND = "这个对话里没有工单 {number}"
CONVERSATION_OUTBOX_WECHAT = "微信对话的消息由公众号推送，这里不提供"
TICKET_REPLY_MESSAGE = "关于您反映的问题（工单 {number}），答复如下：\n{reply}"
BOT_UNAUTHORIZED = "缺少或错误的机器人令牌（BOT_TOKEN）"
TICKET_EXPORT_COLUMNS = (
    "工单编号", "渠道", "类型", "一级分类", "二级分类", "摘要", "地点", "联系电话", "承办单位", "状态",
    "受理人", "创建时间", "答复期限", "是否超期", "答复", "满意度",
)
TICKET_EXPORT_OVERDUE = {True: "是", False: "否"}
# What is done to a work order: the event log's `action`, and the agent's `allowed_actions`.
TICKET_ACTIONS = {
    "create": "建单",
    "claim": "受理",
    "reply": "答复",
    "return": "退回",
    "reassign": "改派",
    "close": "办结",
    "rate": "评价",
    "correct": "更正",
    "message": "发消息",
}
TICKET_CHANNEL_LABELS = {
    "web": "网站",
    "wechat": "微信",
    "hotline": "热线电话",
}
TICKET_STATUS_LABELS = {
    "new": "待受理",
    "claimed": "办理中",
    "replied": "已答复",
    "closed": "已办结",
    "returned": "已退回",
    "reassigned": "已改派",
}

# --- 办件进度 (cases, service/cases/) --------------------------------------------------------
CASE_NOT_FOUND = "未找到办件 {number}"
CASE_NOT_FOUND_FOR_PHONE = "未找到办件 {number}，或手机号与受理时登记的不一致"
CASE_WALK_IN_NEEDS_PERSON = "现场受理（无预约）请填写事项编码、申请人姓名、手机号码和身份证号码"
CASE_FROM_BOOKING_ONLY_CODE = "按预约受理时，事项和申请人信息取自预约，只需填写预约号"
CASE_PROMISED_DAYS_NEEDED = "“{item_name}”的办事指南未公布承诺时限：请填写承诺办结时限（工作日）{legal}"
CASE_LEGAL_DAYS_HINT = "，法定时限为 {days} 个工作日"
CASE_PROMISED_DAYS_PUBLISHED = "该事项已公布承诺时限 {days} 个工作日，无需填写"
CASE_APPOINTMENT_NOT_FOUND = "未找到预约号 {code}"
CASE_APPOINTMENT_CANCELLED = "预约 {code} 已取消，请按现场受理办理"
CASE_APPOINTMENT_TAKEN = "预约 {code} 已受理为办件 {number}，无需重复受理"
CASE_IDEMPOTENCY_REUSED = "这个 Idempotency-Key 已用于另一件受理，请为新的受理换一个"
CASE_WRONG_STATE = "办件 {number} 当前状态为“{status}”，不能{action}"
CASE_REASON_REQUIRED = "{action}须填写理由，理由会告知申请人"
CASE_MATERIALS_REQUIRED = "要求补正时请列出需补齐的全部材料（一次性告知），至少一项"
CASE_MATERIALS_ONLY_FOR_SUPPLEMENT = "只有要求补正时才填写材料清单"
CASE_OVERDUE_NOTE = "已超过承诺时限（{due_on}），超时默认，责任由{department}承担"
CASE_DEEMED_NOTE = "超时默认：承诺时限内未作出决定，按规定视为准予"
SYSTEM_ACTOR_LABEL = "系统"
CASE_STATUS_LABELS = {
    "accepted": "已受理",
    "reviewing": "审查中",
    "supplement": "待补正材料",
    "approved": "已决定：准予",
    "rejected": "已决定：不予",
    "completed": "已办结",
    "delivered": "已送达（领取）",
    "returned": "已退回",
}
# What is done to a case: the event log's `action`, the staff's buttons and `allowed_actions`.
CASE_ACTIONS = {
    "accept": "受理",
    "review": "开始审查",
    "supplement": "要求补正",
    "resume": "材料已补齐",
    "approve": "准予",
    "reject": "不予",
    "complete": "办结",
    "deliver": "送达/领取",
    "return": "退回",
    "overdue": "超时默认",
    "deem": "视为准予",
}
CASE_WARNING_LABELS = {
    "normal": "正常",
    "yellow": "临近时限（黄灯）",
    "red": "已超期（红灯）",
    "paused": "补正中，暂停计时",
    "none": "已结束计时",
}
# What happens next, told to the applicant with the state (the status answer and the pushes).
CASE_NEXT_STEPS = {
    "accepted": "窗口已受理您的申请，工作人员将尽快开始审查，承诺在 {due_on} 前办结。",
    "reviewing": "工作人员正在审查您的申请材料，承诺在 {due_on} 前办结，有结果会第一时间告诉您。",
    "supplement": (
        "请补齐以下材料：{materials}。请一次备齐后交到{department}窗口，材料收到后继续审查；"
        "补正期间暂停计时。"
    ),
    "approved": "您的申请已准予，正在办理办结手续，办结后会通知您领取或寄送结果。",
    "rejected": (
        "经审查，您的申请不予批准，理由：{reason}。书面决定书会送达给您；"
        "如有异议，可依法申请行政复议或提起行政诉讼。"
    ),
    "completed": "已办结，请按通知到{department}窗口领取结果，或留意寄送。",
    "delivered": "办理结果已送达（领取），本件办理完毕，感谢您的耐心。",
    "returned": "您的申请已退回，原因：{reason}。如需继续办理，请按说明准备后重新申请，欢迎随时咨询。",
}
CASE_MATERIAL_JOIN = "、"
CASE_DATE = "{d.year}年{d.month}月{d.day}日"
# A change pushed to the applicant's chat (web chat history, WeChat customer-service message).
CASE_PUSH = "【办件进度】您的“{item_name}”（办件编号 {number}）{status_label}。{next_step}"
# --- 高效办成一件事: the merged notice of a life-event bundle ------------------------------
BUNDLE_NOT_FOUND = "未找到“一件事”编码 {code}"
BUNDLE_NO_ONE_BOOKING = "“{bundle_name}”暂无可一次预约的综合窗口，请按告知单的顺序分别预约各事项"
BUNDLE_BOOKING_ITEM = "预约“{bundle_name}”请在{hall_name}预约“{item_name}”（{item_code}），其余事项在同一窗口一并受理"
BUNDLE_SITUATION_NOT_FOUND = "“{bundle_name}”没有情形 {situation}，可选情形：{choices}"
BUNDLE_GREETING = (
    "您好！办“{bundle_name}”共涉及{count}个事项，下面按办理先后列出，"
    "几个事项都要的材料只列一次，带一套即可。"
)
BUNDLE_SITUATION = "【办理情形】{situation_name}"
BUNDLE_SITUATION_NONE = "【办理情形】可选：{choices}。告诉我您属于哪种，可只列出需要的材料。"
BUNDLE_SECTION_STEPS = "一、办理顺序（共{count}项）"
BUNDLE_STEP_LINE = "{no}. {name}（{where}）{timing}"
BUNDLE_STEP_OUTSIDE = "本目录外，由{handled_by}办理"
BUNDLE_STEP_AFTER = "——先办{before}，再办此项"
BUNDLE_STEP_WHEN = "【按需】{when}"
BUNDLE_STEP_NOTE = "（{note}）"
BUNDLE_STEP_ON_THE_SPOT = "，即办"
BUNDLE_STEP_DAYS = "，{days}个工作日"
BUNDLE_SECTION_VISITS = "二、可以同一次办的"
BUNDLE_VISIT_LINE = "第{no}次到{place}：{names}"
BUNDLE_VISIT_WAIT = "（等{names}办结后）"
BUNDLE_VISIT_ELSEWHERE = "另需到{place}：{names}"
BUNDLE_VISIT_ONLINE = "其中{names}也可网上办理，不用跑。"
BUNDLE_SECTION_MATERIALS = "三、合并材料清单（需带{count}项）"
BUNDLE_MATERIAL_LINE = "{no}. {name} {form}{count}份——用于：{users}"
BUNDLE_MATERIAL_SITUATIONS = "【仅限：{situations}】"
BUNDLE_MATERIALS_SHARED = "以下材料由部门数据共享核验，免提交：{names}"
BUNDLE_MATERIAL_USERS = "{name}（{users}）"
BUNDLE_SECTION_COST = "四、费用和时间"
BUNDLE_FEE_FREE = "费用：全部事项均不收费。"
BUNDLE_FEE_TOTAL = "费用：合计{total}元（{parts}），其余事项不收费。"
BUNDLE_FEE_PART = "{name}{amount}"
BUNDLE_FEE_BY_STANDARD = "另按标准收费：{parts}。"
BUNDLE_TIME = (
    "时间：按先后关系，最长的一条路径为{path}，共约{days}个工作日（各项法定时限相加为{legal_days}个工作日）。"
)
BUNDLE_TIME_ALL_ON_THE_SPOT = "时间：人人要办的事项均为即办件，材料齐全可当场办结。"
BUNDLE_TIME_WITH_CONDITIONAL = "如需办理按需事项，最长约{days}个工作日（{path}）。"
BUNDLE_TIME_METHOD = (
    "（计算方法：每项按承诺办结时限计，即办件计 0 天；一项须等前置事项办结才能开始，"
    "没有先后关系的事项同时进行，取耗时最长的一条；本目录外事项时限未公布的不计入：{names}。）"
)
BUNDLE_TIME_METHOD_ALL_KNOWN = (
    "（计算方法：每项按承诺办结时限计，即办件计 0 天；一项须等前置事项办结才能开始，"
    "没有先后关系的事项同时进行，取耗时最长的一条。）"
)
BUNDLE_PATH_STEP = "{name}{days}天"
BUNDLE_PATH_JOIN = " → "
BUNDLE_SECTION_WINDOW = "五、综合窗口与预约"
BUNDLE_WINDOW = "{hall_name}{window_name}可一窗受理本事的大厅事项。"
BUNDLE_WINDOW_NOTE = "{note}。"
BUNDLE_WINDOW_BOOKING = "预约一次即可：预约时选择“{item_name}”，到窗口说明办理“{bundle_name}”，其余事项一并受理。"
BUNDLE_WINDOW_NONE = "本事暂未设综合窗口，请按上面的顺序到各窗口办理。"
BUNDLE_ITEM_NOTICES = "各事项的详细告知单号：{numbers}。想看某一项的完整告知，直接问我事项名称即可。"
TURN_NOT_FOUND = "没有找到这一轮对话的记录"
# --- 好差评 follow-up (整改) of a 差评 (service/tickets/followups.py) --------------------------
FOLLOW_UP_NOT_FOUND = "未找到整改任务 {id}"
FOLLOW_UP_ALREADY_CLOSED = "整改任务 {id}（工单 {number}）已于 {closed_on} 办结，无需重复办结"
FOLLOW_UP_ACTION_REQUIRED = "请填写整改情况，办结后会告知市民"
FOLLOW_UP_ACTION_TOO_LONG = "整改情况请控制在{max_chars}字以内"
# Told to the citizen through the order's channel when staff close the task.
FOLLOW_UP_NOTICE = (
    "【好差评回访】您好！您对工单 {number} 的评价为“{rating}”，我们已认真核查并整改：{action}。"
    "感谢您的监督，如仍有不满意的地方，欢迎拨打 12345 政务服务便民热线反映。"
)
# --- the operators' dashboard (service/dashboard/) --------------------------------------------
DASHBOARD_RANGE_REVERSED = "开始日期（{start}）不能晚于结束日期（{end}），请重新选择"
DASHBOARD_RANGE_TOO_LONG = "查询范围最长 {max_days} 天，请缩短日期范围"
NOT_LABELLED = "（未标注）"
DASHBOARD_NO_ITEM = "（未关联事项）"
DASHBOARD_CHARTS = {
    "conversations": "每日对话与轮次",
    "outcomes": "每日应答结果与未理解占比",
    "top-items": "咨询最多的事项",
    "missing-items": "目录外诉求（转介）",
    "handoffs": "各主题转人工率",
    "ticket-deadlines": "12345 工单期限情况",
    "bookings": "各大厅预约与爽约",
    "ratings-by-channel": "好差评（按渠道）",
    "ratings-by-item": "好差评（按事项/分类）",
    "follow-ups": "差评整改任务",
}
TURN_OUTCOME_LABELS = {
    "notice": "一次性告知",
    "offered": "推荐事项",
    "referral": "转介（目录外）",
    "handoff": "转人工",
    "declined": "非政务婉拒",
    "not_understood": "未理解",
    "other": "其他",
}
TICKET_DEADLINE_STATE_LABELS = {
    "answered_on_time": "按期答复",
    "answered_late": "超期答复",
    "open_on_time": "办理中（期限内）",
    "warning": "临近期限（24小时内）",
    "overdue": "已超期未答复",
}
DASHBOARD_COLUMNS = {
    "day": "日期",
    "conversations": "对话数",
    "turns": "轮次",
    "not_understood_share": "未理解占比（%）",
    "item_code": "事项编码",
    "item_name": "事项名称",
    "topic": "主题",
    "example": "最近一次提问（已脱敏）",
    "handoffs": "转人工",
    "handoff_rate": "转人工率（%）",
    "state": "期限状态",
    "tickets": "工单数",
    "hall": "大厅",
    "bookings": "预约数",
    "attended": "到场/办结",
    "no_shows": "爽约",
    "cancelled": "已取消",
    "no_show_rate": "爽约率（%）",
    "channel": "渠道",
    "subject": "事项/分类",
    "ratings": "评价数",
    "poor_rate": "差评率（%）",
    "number": "工单编号",
    "rating": "评价",
    "rated_at": "评价时间",
    "due_at": "整改期限",
    "overdue": "是否超期",
}


# --- what a guide's source does not publish (an imported provincial export) ----------------
UNPUBLISHED = "未公布，请以窗口答复为准"
UNPUBLISHED_LINE = "来源办事指南未公布，请以窗口答复为准"
SITUATIONS_UNPUBLISHED = "【办理情形】来源办事指南未列出办理情形，不同情形所需材料请以窗口答复为准。"
MATERIALS_UNPUBLISHED = "来源办事指南未列出申请材料，请先致电咨询或以窗口答复为准"
MATERIAL_LINE_DETAILS_UNPUBLISHED = "{no}. {name}（份数、原件或复印件等要求未公布，请以窗口答复为准）"
TIME_LEGAL_UNPUBLISHED = "法定办结时限：未公布，请以窗口答复为准"
TIME_PROMISED_UNPUBLISHED = "承诺办结时限：未公布，请以窗口答复为准"
TIME_CALENDAR_DAYS = "{kind}办结时限为{days}个自然日"
TIME_KIND_LEGAL = "法定"
TIME_KIND_PROMISED = "承诺"
VISITS_UNPUBLISHED = "到现场次数：未公布，请以窗口答复为准"
BOOKING_ONLINE = "网上预约：{where}"
COURIER_YES = "结果送达：支持快递送达"
COURIER_NO = "结果送达：不提供快递送达，请到窗口领取"
AUDIENCE_LINE = "服务对象：{audience}"
AUDIENCE_JOIN = "、"
JOINT_DEPARTMENTS_LINE = "联办部门：{departments}"
SECTION_SOURCE = "九、信息来源"
SOURCE_LINE = "本告知根据{department}公布的办事指南整理，以官方最新公布为准：{url}"
SOURCE_LINE_NO_URL = "本告知根据{department}公布的办事指南整理，以官方最新公布为准。"

# --- importing a provincial catalogue export (python -m service.cli import-guides) ----------
IMPORT_BAD_JSON = "不是有效的 JSON（{error}），整行未导入"
IMPORT_NOT_OBJECT = "不是一个 JSON 对象，整行未导入"
IMPORT_NO_CODE = "缺少事项编码 TASK_CODE，整行未导入"
IMPORT_BAD_CODE = "事项编码“{code}”只能由大写字母和数字组成、不超过 40 位，整行未导入"
IMPORT_DUPLICATE_CODE = "事项编码与第 {line} 行重复，整行未导入"
IMPORT_NO_NAME = "缺少事项名称（TASK_NAME、matter_name 均为空），整行未导入"
IMPORT_NAME_TOO_LONG = "事项名称超过 {limit} 字，整行未导入"
IMPORT_NO_DEPARTMENT = "缺少实施部门（DEPT_NAME 或 ORGCODE 为空），整行未导入"
IMPORT_UNKNOWN_TYPE = "事项类型“{value}”不在目录的类型中（{known}），整行未导入"
IMPORT_UNKNOWN_LEVEL = "事项层级“{value}”无法识别（应为 省级 或 市级），整行未导入"
IMPORT_NEWS = "是新闻标题（{url}），不是办事事项，整行未导入"
IMPORT_SEED_CODE = "事项编码与手工维护的目录事项“{name}”相同，为免覆盖，整行未导入"
IMPORT_SEED_DEPARTMENT = "部门编码 {code} 已被手工维护的目录使用，整行未导入"
IMPORT_BAD_DAYS = "时限“{value}”无法识别（应为“30(工作日)”这样的写法），按未公布处理"
IMPORT_BAD_VISITS = "跑动次数“{value}”无法识别（应为 0 到 9 的整数），按未公布处理"
IMPORT_BAD_MATERIAL = "第 {no} 项材料不是文字，已略过"
IMPORT_BAD_MATERIALS = "材料清单不是列表，按未公布处理"
IMPORT_FIELD_TOO_LONG = "超过 {limit} 字，按未公布处理"
IMPORT_UNKNOWN_FIELD = "是导入程序不认识的字段，其内容未导入（以后各行同样）"
IMPORT_FILE_MISSING = "找不到文件 {path}"
IMPORT_FILE_UNREADABLE = "无法读取 {path}：{error}"
IMPORT_LINE_NOT_UTF8 = "不是 UTF-8 编码的文字，整行未导入"
ROLLBACK_UNKNOWN_VERSION = "没有版本 {version}（现有版本：{known}）"
IMPORT_REPORT_READ = "读取 {source}（sha256 {sha256}）：共 {rows} 行，可导入 {items} 项，未导入 {rejected} 行，字段问题 {fields} 处。"
IMPORT_REPORT_PROBLEMS = "校验报告（每一处未能对应到目录的行或字段）："
IMPORT_REPORT_NO_PROBLEMS = "校验报告：每一行都已对应到目录。"
IMPORT_REPORT_IGNORED = "以下字段不进入目录：{fields}"
IMPORT_REPORT_IGNORED_FIELD = "{name}（{why}）"
IMPORT_REPORT_UNPUBLISHED = "来源未公布、告知单中标为“未公布，请以窗口答复为准”的内容：{counts}"
IMPORT_REPORT_UNPUBLISHED_COUNT = "{fact} {count} 项"
IMPORT_REPORT_DRY_RUN = "试运行（--dry-run），数据库未写入任何内容。若正式执行："
IMPORT_REPORT_CHANGES = "新增 {added} 项，变更 {changed} 项，移除 {removed} 项，不变 {unchanged} 项；新增或变更部门 {departments} 个。"
IMPORT_REPORT_SAMPLE = "  {label}：{code} {name}"
IMPORT_REPORT_SAMPLE_MORE = "  {label}：……另有 {count} 项"
IMPORT_REPORT_LABELS = {"added": "新增", "changed": "变更", "removed": "移除"}
IMPORT_REPORT_NOTHING = "目录没有变化，未生成新版本（当前版本 {version}）。"
IMPORT_REPORT_VERSION = "已发布为目录版本 {version}（{by}，{when}）。如需撤回：python -m service.cli rollback-catalogue {previous}"
IMPORT_REPORT_NEXT = (
    "后续：正在运行的服务进程会在下一次查询目录时发现新版本，自动按新目录重建检索索引和告知单缓存，无需重启；"
    "导入事项的名称和别名由检索在建索引时加入 jieba 词典，无需运行 export-nlu。"
    "Rasa 的查找表 (data/nlu/lookups/service_item.yml) 和 bot/jieba/userdict.txt 只来自手工维护的 YAML，导入不改变它们，不必重新训练。"
)
VERSIONS_HEADER = "版本  发布时间(UTC)          发布人        事项数  新增  变更  移除  未导入  来源"
VERSIONS_LINE = "{mark}{id:<4} {when:<22} {by:<12} {items:>6} {added:>5} {changed:>5} {removed:>5} {rejected:>6}  {source}"
VERSIONS_NONE = "还没有导入过目录版本（版本 0：只有手工维护的 YAML 事项）。"
VERSIONS_CURRENT = "* 为当前版本。"
ROLLBACK_DONE = "已将版本 {restores} 的内容重新发布为版本 {version}。"
UNPUBLISHED_LABELS = {
    "basis": "设定依据", "conditions": "受理条件", "situations": "办理情形", "materials": "申请材料",
    "material_details": "材料份数与形式", "process": "办理流程", "legal_days": "法定时限",
    "promised_days": "承诺时限", "fee": "收费标准", "hours": "办公时间", "visits": "跑动次数",
}

# --- review of turns (service/review/) -----------------------------------------------------
# The intents a reviewer may give a message, as the review page names them (domain.yml's intents
# but the fallback and the payload-only ones: tests/service/review checks they stay in step).
REVIEW_INTENTS = {
    "ask_materials": "问材料（一次性告知）",
    "ask_conditions": "问办理条件",
    "ask_fee": "问收费",
    "ask_time_limit": "问办理时限",
    "ask_location": "问办理地点",
    "ask_process": "问办理流程",
    "ask_online": "问网上办理",
    "ask_life_event": "一件事（多个事项）",
    "book_appointment": "预约办理",
    "query_appointment": "查询预约",
    "cancel_appointment": "取消预约",
    "reschedule_appointment": "改约",
    "check_progress": "查办件进度",
    "query_ticket": "查工单",
    "rate_service": "评价",
    "complain": "投诉",
    "report": "举报",
    "suggest": "建议",
    "seek_help": "求助",
    "request_human": "转人工",
    "inform": "回答提问（选择、补充信息）",
    "greet": "问候",
    "goodbye": "告别",
    "thank": "感谢",
    "affirm": "肯定",
    "deny": "否定",
    "bot_challenge": "问是不是机器人",
    "out_of_scope": "超出服务范围",
}
# The review page's queues.
REVIEW_QUEUES = {
    "not_understood": "未理解",
    "low_confidence": "低置信度",
    "disputed": "市民否认或转人工",
    "agent_corrected": "坐席改过工单",
}
REVIEW_LABEL_KINDS = {"label": "标注意图和事项", "alias": "新别名", "missing": "目录缺项"}
REVIEW_UNKNOWN_INTENT = "意图“{intent}”不在可选范围内，请从列表中选择"
REVIEW_UNKNOWN_ITEM = "事项编码 {code} 不在目录中，请从建议中选择或核对编码"
REVIEW_ALIAS_NEEDS_ITEM = "新别名要指明是哪个事项的别名"
REVIEW_ALIAS_NEEDS_PHRASE = "请填写要加入的别名"
REVIEW_ALIAS_TOO_LONG = "别名是市民对事项的叫法，请控制在 {limit} 个字以内"
REVIEW_ALIAS_MASKED = "别名里不能有打码的部分（*），请只保留事项的叫法"
REVIEW_MISSING_HAS_ITEM = "目录缺项不能同时指定事项，请去掉事项或改为普通标注"
REVIEW_TURN_NOT_FOUND = "没有找到第 {turn_id} 条对话记录"
REVIEW_LABELLED_MEANWHILE = "这条消息刚被其他审核人标注，请刷新后再看"
REVIEW_OUTCOMES = {
    "notice": "给出告知", "offered": "列出候选事项", "referral": "告知承办部门", "handoff": "转 12345",
    "declined": "超出范围", "not_understood": "请市民换个说法", "other": "其他",
}
# Intents the bot may read but a reviewer does not give.
REVIEW_READ_ONLY_INTENTS = {"nlu_fallback": "未能识别", "request_consultation": "点了“转人工咨询”"}
REVIEW_DISPUTES = {"denied": "市民说不对", "asked_person": "市民要求转人工", "agent_corrected": "坐席改过工单"}
