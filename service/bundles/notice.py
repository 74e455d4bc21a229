"""The merged notice of a life-event bundle: every step in order, the shared materials once with
the items that use them, what can be done in one visit, and what the whole costs and takes.

Built from each item's own one-time notice (catalogue.notice, for the situation the bundle
means) and the bundle's steps; pure: no database access, so the same catalogue always gives
the same notice and the same notice number.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from service.bundles.models import Bundle, BundleStep
from service.bundles.schemas import (
    BundleNotice,
    BundleStepOut,
    FeePart,
    FeeSummary,
    ItemNoticeRef,
    MaterialUse,
    MergedMaterial,
    OneWindowOut,
    TimeSummary,
    Visit,
)
from service.catalogue.models import MaterialSource, Necessity
from service.catalogue.notice import notice_number
from service.catalogue.schemas import Notice, SituationOut
from service.core import templates as t

FREE = "不收费"
# A fee that is one plain amount ("20元", "10 元") is added up; a scale is quoted as it is.
_PLAIN_FEE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*元\s*$")


def bundle_situations(bundle: Bundle) -> list[SituationOut]:
    return [SituationOut(id=s["id"], name=s["name"]) for s in bundle.situations]


def step_situation(step: BundleStep, bundle_situation: dict | None) -> str | None:
    """The item situation a step takes: the bundle situation's choice, else the step's own."""
    if bundle_situation and step.key in bundle_situation["steps"]:
        return bundle_situation["steps"][step.key]
    return step.situation_key


def step_out(no: int, step: BundleStep, notice: Notice | None) -> BundleStepOut:
    """One step as the API shows it; `notice` is the item's notice (None outside the catalogue)."""
    if notice is None:
        outside = step.outside or {}
        return BundleStepOut(
            no=no, key=step.key, name=outside["name"], in_catalogue=False, item_code=None,
            department=None, handled_by=outside["handled_by"], phone=outside.get("phone"),
            situation=None, after=list(step.after), when=step.when,
            note=step.note or outside.get("note"),
        )
    return BundleStepOut(
        no=no, key=step.key, name=notice.item.name, in_catalogue=True, item_code=notice.item.code,
        department=notice.department.short_name,
        handled_by=notice.handled_by.name if notice.handled_by else None, phone=notice.phone,
        situation=notice.situation, after=list(step.after), when=step.when, note=step.note,
    )


# --- time: the critical path ---------------------------------------------------------------


def critical_path(steps: list[BundleStep], days: Callable[[BundleStep], int]) -> tuple[int, list[str]]:
    """Working days until the last step is done, and the chain of steps that decides it.

    A step starts when all the steps in its `after` are finished (steps left out of `steps`
    count as finished); steps without an order between them run side by side. The seed lists
    every step after the steps it waits for, so one pass in order is enough."""
    finish: dict[str, int] = {}
    waits_for: dict[str, str | None] = {}
    for step in steps:
        before = [key for key in step.after if key in finish]
        last = max(before, key=lambda key: finish[key], default=None)
        waits_for[step.key] = last
        finish[step.key] = (finish[last] if last else 0) + days(step)
    if not finish:
        return 0, []
    end = max(finish, key=lambda key: finish[key])
    path = [end]
    while waits_for[path[-1]]:
        path.append(waits_for[path[-1]])  # type: ignore[arg-type]
    return finish[end], path[::-1]


@dataclass(frozen=True)
class _Timing:
    promised: Callable[[BundleStep], int]
    legal: Callable[[BundleStep], int]
    not_counted: list[str]


def _timing(steps: list[BundleStep], notices: dict[str, Notice]) -> _Timing:
    def promised(step: BundleStep) -> int:
        if step.key in notices:
            return notices[step.key].time_limit.promised_days
        return (step.outside or {}).get("days") or 0

    def legal(step: BundleStep) -> int:
        # 0 legal days means no legal limit is set: the promise is then the limit.
        if step.key in notices:
            limit = notices[step.key].time_limit
            return max(limit.legal_days, limit.promised_days)
        return promised(step)

    unknown = [s.outside["name"] for s in steps if s.outside and s.outside.get("days") is None]
    return _Timing(promised=promised, legal=legal, not_counted=unknown)


def time_summary(steps: list[BundleStep], notices: dict[str, Notice]) -> TimeSummary:
    timing = _timing(steps, notices)
    everyone = [step for step in steps if not step.when]
    days, path = critical_path(everyone, timing.promised)
    legal_days, _ = critical_path([s for s in everyone if s.key in path], timing.legal)
    all_days, all_path = critical_path(steps, timing.promised)
    return TimeSummary(
        promised_days=days,
        legal_days=legal_days,
        critical_path=path,
        promised_days_with_conditional=all_days,
        critical_path_with_conditional=all_path,
        not_counted=timing.not_counted,
    )


# --- fees -------------------------------------------------------------------------------------


def fee_summary(item_notices: list[Notice]) -> FeeSummary:
    fixed, by_standard = [], []
    for notice in item_notices:
        amount = notice.fee.amount.strip()
        if amount == FREE:
            continue
        part = FeePart(item_code=notice.item.code, item_name=notice.item.name, amount=amount)
        (fixed if _PLAIN_FEE.match(amount) else by_standard).append(part)
    total = sum(float(_PLAIN_FEE.match(p.amount).group(1)) for p in fixed)  # type: ignore[union-attr]
    return FeeSummary(total_yuan=total, fixed=fixed, by_standard=by_standard)


# --- materials --------------------------------------------------------------------------------


def merge_materials(
    item_notices: list[Notice], same_materials: dict[str, list[str]]
) -> tuple[list[MergedMaterial], list[MergedMaterial]]:
    """Each document once, with the items that use it: (to bring, 免提交 everywhere).

    Materials are one document when their names are equal, or listed together in the bundle's
    `same_materials` (one document under different names in different items)."""
    merged_name = {form: name for name, forms in same_materials.items() for form in forms}
    uses: dict[str, list[MaterialUse]] = {}
    brought: dict[str, bool] = {}
    for notice in item_notices:
        for material in notice.materials:
            name = merged_name.get(material.name, material.name)
            uses.setdefault(name, []).append(
                MaterialUse(
                    item_code=notice.item.code, item_name=notice.item.name, name=material.name,
                    form=material.form.value, count=material.count,
                    necessity=material.necessity.value, situations=list(material.situations),
                )
            )
            brought[name] = brought.get(name, False) or material.source is not MaterialSource.SHARED
    to_bring = [n for n in uses if brought[n]]
    shared = [n for n in uses if not brought[n]]
    return (
        [MergedMaterial(no=no, name=n, bring=True, used_by=uses[n]) for no, n in enumerate(to_bring, 1)],
        [MergedMaterial(no=no, name=n, bring=False, used_by=uses[n]) for no, n in enumerate(shared, 1)],
    )


# --- visits -----------------------------------------------------------------------------------


def plan_visits(steps: list[BundleStep], notices: dict[str, Notice], hall_name: str) -> list[Visit]:
    """Which catalogue items can be done in the same visit to the same place.

    A step joins the visit of the steps it waits for when those are done on the spot (即办);
    after a step that takes days, the next one needs another visit. Places: this hall for the
    items handled here, the handling office for the others."""
    trip: dict[str, int] = {}
    for step in steps:
        trip[step.key] = max(
            (trip[key] + (notices[key].time_limit.promised_days > 0 if key in notices else 0)
             for key in step.after if key in trip),
            default=0,
        )
    groups: dict[tuple[int, str], list[str]] = {}
    for step in steps:
        notice = notices.get(step.key)
        if notice is None:
            continue
        place = notice.handled_by.name if notice.handled_by else hall_name
        groups.setdefault((trip[step.key], place), []).append(step.key)
    visits = []
    # By trip, then in the order of the steps (sorted is stable).
    ordered = sorted(groups.items(), key=lambda group: group[0][0])
    for no, ((number, place), keys) in enumerate(ordered, start=1):
        waits = sorted({
            key for step in steps if step.key in keys for key in step.after
            if key in notices and notices[key].time_limit.promised_days > 0 and trip[key] < number
        })
        visits.append(Visit(
            no=no, place=place, steps=keys, waits_for=waits,
            online=[key for key in keys if notices[key].online.available],
        ))
    return visits


# --- the notice -------------------------------------------------------------------------------


def build_bundle_notice(
    bundle: Bundle,
    *,
    situation: dict | None,
    notices: dict[str, Notice],
    window: OneWindowOut | None,
    hall_name: str,
) -> BundleNotice:
    """The merged notice; `notices` holds each item step's notice (by item code) for the item
    situation the step takes (step_situation)."""
    steps = list(bundle.steps)
    item_notices = [notices[s.key] for s in steps if s.key in notices]
    steps_out = [step_out(no, s, notices.get(s.key)) for no, s in enumerate(steps, 1)]
    names = {s.key: s.name for s in steps_out}
    materials, shared = merge_materials(item_notices, bundle.same_materials)
    visits = plan_visits(steps, notices, hall_name)
    fee = fee_summary(item_notices)
    time = time_summary(steps, notices)
    timing = _timing(steps, notices)

    body = [
        _steps_section(steps, steps_out, timing),
        _visits_section(visits, steps_out, names),
        _materials_section(materials, shared),
        _cost_section(fee, time, timing, steps, names),
        _window_section(window, bundle.name),
        t.BUNDLE_ITEM_NOTICES.format(
            numbers=t.SITUATION_JOIN.join(n.notice_no for n in item_notices)
        ),
    ]
    situations = bundle_situations(bundle)
    chosen = next((s for s in situations if situation and s.id == situation["id"]), None)
    content = dict(
        code=bundle.code,
        name=bundle.name,
        summary=bundle.summary,
        situation=chosen,
        situations=situations,
        steps=steps_out,
        item_notices=[
            ItemNoticeRef(item_code=n.item.code, item_name=n.item.name, notice_no=n.notice_no)
            for n in item_notices
        ],
        materials=materials,
        shared=shared,
        visits=visits,
        fee=fee,
        time=time,
        window=window,
    )
    notice_no = notice_number(bundle.code.upper(), chosen.id if chosen else None, content, body)
    head = [
        t.NOTICE_HEADER.format(item_name=bundle.name, notice_no=notice_no),
        t.BUNDLE_GREETING.format(bundle_name=bundle.name, count=len(steps)),
    ]
    if chosen:
        head.append(t.BUNDLE_SITUATION.format(situation_name=chosen.name))
    elif situations:
        head.append(t.BUNDLE_SITUATION_NONE.format(
            choices=t.SITUATION_JOIN.join(s.name for s in situations)
        ))
    sections = [t.LINE_JOIN.join(head), *body]
    return BundleNotice(
        notice_no=notice_no, sections=sections, text=t.SECTION_JOIN.join(sections), **content
    )


def _steps_section(steps: list[BundleStep], shown: list[BundleStepOut], timing: _Timing) -> str:
    names = {s.key: s.name for s in shown}
    lines = [t.BUNDLE_SECTION_STEPS.format(count=len(shown))]
    for row, step in zip(steps, shown, strict=True):
        if step.in_catalogue:
            where = step.handled_by or step.department or ""
            days = timing.promised(row)
            timing_text = t.BUNDLE_STEP_DAYS.format(days=days) if days else t.BUNDLE_STEP_ON_THE_SPOT
        else:
            where = t.BUNDLE_STEP_OUTSIDE.format(handled_by=step.handled_by)
            timing_text = ""
        line = t.BUNDLE_STEP_LINE.format(no=step.no, name=step.name, where=where, timing=timing_text)
        if step.after:
            line += t.BUNDLE_STEP_AFTER.format(before=t.SITUATION_JOIN.join(names[k] for k in step.after))
        if step.when:
            line += " " + t.BUNDLE_STEP_WHEN.format(when=step.when)
        if step.note:
            line += t.BUNDLE_STEP_NOTE.format(note=step.note)
        lines.append(line)
    return t.LINE_JOIN.join(lines)


def _visits_section(visits: list[Visit], steps: list[BundleStepOut], names: dict[str, str]) -> str:
    lines = [t.BUNDLE_SECTION_VISITS]
    for visit in visits:
        line = t.BUNDLE_VISIT_LINE.format(
            no=visit.no, place=visit.place, names=t.SITUATION_JOIN.join(names[k] for k in visit.steps)
        )
        if visit.waits_for:
            line += t.BUNDLE_VISIT_WAIT.format(names=t.SITUATION_JOIN.join(names[k] for k in visit.waits_for))
        lines.append(line)
    outside: dict[str, list[str]] = {}
    for step in steps:
        if not step.in_catalogue:
            outside.setdefault(step.handled_by or "", []).append(step.name)
    lines += [
        t.BUNDLE_VISIT_ELSEWHERE.format(place=place, names=t.SITUATION_JOIN.join(step_names))
        for place, step_names in outside.items()
    ]
    online = [names[k] for visit in visits for k in visit.online]
    if online:
        lines.append(t.BUNDLE_VISIT_ONLINE.format(names=t.SITUATION_JOIN.join(online)))
    return t.LINE_JOIN.join(lines)


def _materials_section(materials: list[MergedMaterial], shared: list[MergedMaterial]) -> str:
    lines = [t.BUNDLE_SECTION_MATERIALS.format(count=len(materials))]
    for material in materials:
        first = material.used_by[0]
        line = t.BUNDLE_MATERIAL_LINE.format(
            no=material.no, name=material.name, form=first.form, count=first.count,
            users=t.SITUATION_JOIN.join(dict.fromkeys(u.item_name for u in material.used_by)),
        )
        if all(u.situations for u in material.used_by):
            situations = dict.fromkeys(s for u in material.used_by for s in u.situations)
            line += " " + t.BUNDLE_MATERIAL_SITUATIONS.format(situations=t.SITUATION_JOIN.join(situations))
        if all(u.necessity == Necessity.WAIVABLE.value for u in material.used_by):
            line += " " + t.MARK_WAIVABLE
        lines.append(line)
    if shared:
        lines.append(t.BUNDLE_MATERIALS_SHARED.format(names=t.LIST_SEPARATOR.join(
            t.BUNDLE_MATERIAL_USERS.format(
                name=m.name, users=t.SITUATION_JOIN.join(dict.fromkeys(u.item_name for u in m.used_by))
            )
            for m in shared
        )))
    return t.LINE_JOIN.join(lines)


def _cost_section(
    fee: FeeSummary, time: TimeSummary, timing: _Timing, steps: list[BundleStep], names: dict[str, str]
) -> str:
    lines = [t.BUNDLE_SECTION_COST]
    if not fee.fixed and not fee.by_standard:
        lines.append(t.BUNDLE_FEE_FREE)
    else:
        if fee.fixed:
            lines.append(t.BUNDLE_FEE_TOTAL.format(
                total=f"{fee.total_yuan:g}",
                parts=t.SITUATION_JOIN.join(
                    t.BUNDLE_FEE_PART.format(name=p.item_name, amount=p.amount) for p in fee.fixed
                ),
            ))
        if fee.by_standard:
            lines.append(t.BUNDLE_FEE_BY_STANDARD.format(parts=t.LIST_SEPARATOR.join(
                t.BUNDLE_FEE_PART.format(name=p.item_name, amount=p.amount) for p in fee.by_standard
            )))
    by_key = {s.key: s for s in steps}

    def path_text(path: list[str]) -> str:
        return t.BUNDLE_PATH_JOIN.join(
            t.BUNDLE_PATH_STEP.format(name=names[k], days=timing.promised(by_key[k])) for k in path
        )

    if time.promised_days == 0:
        lines.append(t.BUNDLE_TIME_ALL_ON_THE_SPOT)
    else:
        lines.append(t.BUNDLE_TIME.format(
            path=path_text(time.critical_path), days=time.promised_days, legal_days=time.legal_days
        ))
    if time.promised_days_with_conditional > time.promised_days:
        lines.append(t.BUNDLE_TIME_WITH_CONDITIONAL.format(
            days=time.promised_days_with_conditional,
            path=path_text(time.critical_path_with_conditional),
        ))
    lines.append(
        t.BUNDLE_TIME_METHOD.format(names=t.SITUATION_JOIN.join(time.not_counted))
        if time.not_counted else t.BUNDLE_TIME_METHOD_ALL_KNOWN
    )
    return t.LINE_JOIN.join(lines)


def _window_section(window: OneWindowOut | None, bundle_name: str) -> str:
    if window is None:
        return t.LINE_JOIN.join([t.BUNDLE_SECTION_WINDOW, t.BUNDLE_WINDOW_NONE])
    lines = [
        t.BUNDLE_SECTION_WINDOW,
        t.BUNDLE_WINDOW.format(hall_name=window.hall_name, window_name=window.window_name)
        + (t.BUNDLE_WINDOW_NOTE.format(note=window.note) if window.note else ""),
    ]
    if window.booking_item_name:
        lines.append(t.BUNDLE_WINDOW_BOOKING.format(
            item_name=window.booking_item_name, bundle_name=bundle_name
        ))
    return t.LINE_JOIN.join(lines)
