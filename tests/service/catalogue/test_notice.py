"""The one-time notice: contents per situation (fixture) and completeness on the real seed."""

import re

from sqlalchemy import select

from service.catalogue.models import Item, MaterialSource, Necessity
from service.catalogue.notice import checklist_for
from service.catalogue.service import get_item, item_notice


def _notice(client, code, situation=None):
    params = {"situation": situation} if situation else {}
    response = client.get(f"/api/catalogue/items/{code}/notice", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_situation_notice_lists_only_its_materials(client):
    minor = _notice(client, "GA-SFZ-002", "minor")
    assert minor["situation"] == {"id": "minor", "name": "未满十六周岁由监护人陪同", "description": "监护人须到场"}
    assert [m["name"] for m in minor["materials"]] == ["居民户口簿", "监护人居民身份证", "本人签字的遗失声明"]
    assert "二、申请材料（共3项）" in minor["text"]
    assert "1. 居民户口簿 原件1份（纸质） 【免提交】" in minor["text"]
    assert minor["checklist"] == ["监护人居民身份证", "本人签字的遗失声明"]  # to bring: 免提交 left out
    assert "2. 监护人居民身份证 原件及复印件各1份（纸质）" in minor["text"]
    assert "成年人补领承诺书" not in minor["text"]
    assert minor["sections"][1] == "【办理情形】未满十六周岁由监护人陪同（监护人须到场）"


def test_notice_without_situation_lists_all_with_their_situations(client):
    notice = _notice(client, "GA-SFZ-002")
    assert notice["situation"] is None
    assert len(notice["materials"]) == 4
    assert notice["materials"][3]["situations"] == ["年满十六周岁本人办理"]
    assert "【仅限：未满十六周岁由监护人陪同】" in notice["text"]
    assert "本事项分为以下情形" in notice["sections"][1]


def test_waived_materials_are_listed(client):
    waived = _notice(client, "GA-SFZ-002", "adult")["waived"]
    assert waived == [
        {"name": "本人签字的遗失声明", "kind": "容缺", "note": "可在领证时补交"},
        {"name": "居民户口簿", "kind": "免提交", "note": "通过户籍系统核验，无需提交"},
    ]


def test_header_times_fee_place_and_related(client):
    notice = _notice(client, "SC-GT-001")
    assert notice["sections"][0].startswith(f"【个体工商户设立登记】一次性告知（告知单号：{notice['notice_no']}）")
    assert notice["time_limit"]["on_the_spot"] is True and "即办件" in notice["text"]
    assert notice["fee"]["amount"] == "不收费" and "收费标准：不收费" in notice["text"]
    assert notice["place"] == "政务服务中心二楼 3 号窗口"
    assert "到现场次数：0次" in notice["text"]
    assert notice["related"] == [{"code": "SC-SP-001", "name": "食品经营许可（新办）", "department": "测试市市场监督管理局"}]
    assert notice["sections"][-1].startswith("联办提示")
    assert notice["text"] == "\n\n".join(notice["sections"])


def test_handled_elsewhere_says_who_handles_it_first(client):
    notice = _notice(client, "GA-CRJ-001")
    assert notice["handled_here"] is False
    head = notice["sections"][0]
    for part in ("测试市出入境接待大厅", "测试市江边路 9 号", "0571-80000200", "周一至周六 9:00-17:00"):
        assert part in head
    assert "一、办理条件" in notice["text"]  # the guide is still given


def test_aspects_answer_one_question_each(client):
    aspects = _notice(client, "GA-SFZ-002")["aspects"]
    assert set(aspects) == {"conditions", "fee", "time_limit", "location", "process", "online"}
    assert "20元" in aspects["fee"]
    assert "20个工作日" in aspects["time_limit"]
    assert "政务服务中心一楼公安综合窗口" in aspects["location"] and "0571-80000110" in aspects["location"]
    assert "申请 → 受理" in aspects["process"]
    assert "测试政务服务网" in aspects["online"]


def test_notice_number_is_stable_and_depends_on_content(client):
    first = _notice(client, "GA-SFZ-002", "minor")
    assert _notice(client, "GA-SFZ-002", "minor")["notice_no"] == first["notice_no"]
    assert re.fullmatch(r"GA-SFZ-002-MINOR-[0-9A-F]{6}", first["notice_no"])
    assert _notice(client, "GA-SFZ-002", "adult")["notice_no"] != first["notice_no"]
    assert _notice(client, "GA-SFZ-002")["notice_no"].startswith("GA-SFZ-002-ALL-")


def _cases(session):
    items = session.scalars(select(Item).order_by(Item.code)).all()
    return [(i.code, None) for i in items] + [(i.code, s.key) for i in items for s in i.situations]


def test_every_real_notice_is_complete(real_session):
    cases = _cases(real_session)
    assert cases
    problems = []
    for code, situation in cases:
        item = get_item(real_session, code=code)
        notice = item_notice(real_session, code=code, situation=situation)
        names = [m.name for m in notice.materials]
        where = f"{code}/{situation}"
        for m in item.materials:
            applies = m.necessity is not Necessity.SITUATIONAL or situation is None or situation in {
                s.key for s in m.situations
            }
            if applies != (m.name in names):
                problems.append(f"{where}: material {m.name} applies={applies} listed={m.name in names}")
        if not notice.fee.amount.strip():
            problems.append(f"{where}: blank fee")
        if not notice.place or not notice.hours or not notice.phone:
            problems.append(f"{where}: place/hours/phone missing")
        for heading in ("一、办理条件", "二、申请材料", "四、办理时限", "五、收费标准", "六、办理地点与时间"):
            if heading not in notice.text:
                problems.append(f"{where}: no {heading}")
        if "法定办结时限" not in notice.text or "承诺办结时限" not in notice.text:
            problems.append(f"{where}: time limit missing")
        for no, material in enumerate(notice.materials, 1):
            if f"\n{no}. {material.name} " not in notice.text:
                problems.append(f"{where}: material line {no} missing")
        shared = [m.name for m in notice.materials if m.source is MaterialSource.SHARED]
        if any(f"{n} " in notice.text and "【免提交】" not in notice.text for n in shared):
            problems.append(f"{where}: 免提交 not marked")
        again = item_notice(real_session, code=code, situation=situation)
        if again.notice_no != notice.notice_no or again.text != notice.text:
            problems.append(f"{where}: notice not stable")
    assert not problems, "\n".join(problems[:30])


def test_every_real_checklist_is_what_the_notice_says_to_bring(real_session):
    """The checklist the bot shows and a booking accepts is the notice's list less its 【免提交】 lines."""
    problems = []
    for code, situation in _cases(real_session):
        notice = item_notice(real_session, code=code, situation=situation)
        lines = notice.text.split("\n")
        to_bring = [
            m.name
            for no, m in enumerate(notice.materials, 1)
            if "【免提交】" not in next(line for line in lines if line.startswith(f"{no}. {m.name} "))
        ]
        shared = {w.name for w in notice.waived if w.kind == "免提交"}
        bookable = {m.name for m in checklist_for(get_item(real_session, code=code), None)}
        where = f"{code}/{situation}"
        if notice.checklist != to_bring:
            problems.append(f"{where}: checklist {notice.checklist} but the notice says {to_bring}")
        if shared & set(notice.checklist) or shared & bookable:
            problems.append(f"{where}: 免提交 {sorted(shared)} on the checklist or accepted by a booking")
        if not set(notice.checklist) <= bookable:
            problems.append(f"{where}: a booking refuses {sorted(set(notice.checklist) - bookable)}")
    assert not problems, "\n".join(problems[:30])
