"""The visit form's widgets: every change is saved the moment it is made.

Each widget has an ``on_change`` callback that turns the widgets of its item
back into the stored value (``diagnose.visit.form``) and saves it. A save
that fails leaves the typed value where it is and says why next to it.
"""

from __future__ import annotations

import logging
from datetime import datetime

import streamlit as st

from diagnose import clock
from diagnose.excel import XLSX_TYPE
from diagnose.rule.questionnaire import Question, Questionnaire, Scene
from diagnose.services import assessments as visits
from diagnose.services.errors import Conflict, ServiceError, ValidationFailed
from diagnose.store import StoreError
from diagnose.ui.state import store
from diagnose.visit.form import (
    BY_PRACTICES,
    NOT_RATED,
    SCENE_CHOICES,
    SECTIONS,
    Incomplete,
    item_value,
    key,
    section_items,
    widget_state,
)

EVIDENCE_TYPES = ["jpg", "jpeg", "png", "pdf", "docx", "xlsx"]


def visit_at_address(actor, title: str | None, hint: str):
    """The visit named in the address (``?a=…``) as stored, for ``actor``; without one, ``hint``
    (under ``title``) and a link to 我的企业, and the page stops; a refusal is said and it stops."""
    assessment_id = st.query_params.get("a", "")
    if not assessment_id.isdigit():
        if title:
            st.title(title)
        st.info(hint)
        st.page_link("diagnose/ui/my_enterprises.py", label="前往我的企业", icon=":material/domain:")
        st.stop()
    try:
        return visits.load(store(), actor, int(assessment_id))
    except ServiceError as refused:
        st.error(str(refused))
        st.stop()


def visit() -> dict:
    """This session's visit: id, revision, questionnaire, actor, errors and unsaved values."""
    return st.session_state["_visit"]


def restore(file, actor) -> None:
    """Bring this session's bookkeeping to the stored visit, and work out what each widget
    shows when the browser draws it: the stored answer, or a value the database refused.

    The widgets get these as their defaults, never through ``st.session_state``. The browser
    draws a widget it has not drawn before from its default, and one it has drawn from what the
    consultant left in it; a value sent through the session state would be applied whenever it
    arrives. Streamlit drops the unsent part of a run when the next one starts, and a run sent
    late lands after the consultant's click: both lost answers (an empty box over a stored
    answer sends its emptiness back with the next change). A default has no such timing: every
    run carries it, and it is only read when a widget is first drawn.
    """
    state = st.session_state
    if state.get("_visit", {}).get("id") != file.row["id"]:
        for name in [k for k in state if isinstance(k, str) and k.startswith(("v:", "n:", "f:"))]:
            del state[name]
        state.pop("_visit_missing", None)
        state["_visit"] = {"id": file.row["id"], "revision": file.revision, "saved_at": file.last_saved,
                           "errors": {}, "unsaved": {}}  # fmt: skip
    current = visit()
    current["questionnaire"], current["actor"], current["evidence"] = file.questionnaire, actor, file.evidence
    current["carried"] = file.carried
    current["stored"], current["notes"] = file.values, file.notes
    defaults = {}
    for section in SECTIONS:
        for item in section_items(file.questionnaire, section.key):
            defaults |= widget_state(file.questionnaire, item, current["unsaved"].get(item, file.values.get(item)))
            defaults[f"n:{item}"] = file.notes.get(item, "")
    current["defaults"] = defaults


def default(name: str):
    """What the widget ``name`` shows when the browser first draws it (see ``restore``)."""
    return visit()["defaults"].get(name)


class Shown:
    """The value each widget shows, by widget key: what the browser sent for a widget drawn in
    this session, else its default. Read by the save callbacks and the live feedback."""

    def get(self, name: str, fallback=None):
        state = st.session_state
        if name in state:
            return state[name]
        found = default(name)
        return fallback if found is None else found


def save(item: str, changed: str | None = None) -> None:
    """The callback of every widget of ``item``."""
    current = visit()
    value = item_value(current["questionnaire"], item, Shown(), changed)
    if isinstance(value, Incomplete):
        current["errors"][item] = ("info", value.reason)
        return
    if _unchanged(item, value, current["stored"].get(item)):
        return
    _store(item, lambda revision: visits.save_item(store(), current["actor"], current["id"], item, value, revision),
           value)  # fmt: skip


def save_note(item: str) -> None:
    current = visit()
    note = Shown().get(f"n:{item}", "")
    if _unchanged(f"note:{item}", note or "", current["notes"].get(item) or ""):
        return

    def write(revision: int):
        return visits.save_note(store(), current["actor"], current["id"], item, note, revision)

    _store(f"note:{item}", write, None)


def _unchanged(slot: str, value, stored) -> bool:
    """Whether a callback brings what is stored already: Streamlit calls a widget's callback when
    the browser sends a value it does not hold as the widget's last one (after a page or tab the
    widget was not drawn in), so a save of the same value would only add a version and an audit
    line. An answer carried from the baseline is saved all the same: giving it confirms it."""
    current = visit()
    if value != stored or slot in current["carried"] or slot in current["unsaved"]:
        return False
    current["errors"].pop(slot, None)
    return True


def _store(slot: str, write, value) -> None:
    current = visit()
    try:
        saved = write(current["revision"])
    except Conflict as conflict:
        current["errors"][slot] = ("error", str(conflict))
        # the next edit overwrites knowingly: the consultant has now seen the other value
        current["revision"] = visits.load(store(), current["actor"], current["id"]).revision
        return
    except ValidationFailed as refused:  # each message names its question already
        current["errors"][slot] = ("error", "；".join(p.message for p in refused.problems))
        return
    except ServiceError as refused:
        current["errors"][slot] = ("error", str(refused))
        return
    except StoreError:
        current["errors"][slot] = ("error", "保存失败：暂时连不上数据库。填写的内容仍在表单中，请稍后点击“重试保存”。")
        _keep_unsaved(slot, value)
        return
    except Exception:  # a bug: said in Chinese beside the field, logged, and the value kept for a retry
        logging.getLogger(__name__).exception("saving %s of assessment %s failed", slot, current["id"])
        current["errors"][slot] = ("error", "保存时出现意外错误，已记录下来。填写的内容仍在表单中，可点击“重试保存”。")
        _keep_unsaved(slot, value)
        return
    current["revision"], current["saved_at"] = saved.revision, saved.saved_at
    current["errors"].pop(slot, None)
    current["unsaved"].pop(slot, None)


def _keep_unsaved(slot: str, value) -> None:
    """Remember a value or note the store did not take, for 重试保存 (a confirmation is simply
    clicked again: its button stays)."""
    if slot != "confirm":
        visit()["unsaved"][slot] = value


def confirm(items: list[str]) -> None:
    """The callback of 确认沿用: the carried answers of ``items`` are kept as the consultant's own."""
    from diagnose.services.after_visits import confirm_carried

    current = visit()
    _store("confirm", lambda revision: confirm_carried(store(), current["actor"], current["id"], items, revision),
           None)  # fmt: skip


def carried_mark(items: list[str], disabled: bool) -> None:
    """For an after-visit: say which answers are still the baseline's, with a button to keep them."""
    carried = [i for i in items if i in visit().get("carried", ())]
    if not carried or disabled:
        return
    text, button = st.columns([3, 1], vertical_alignment="center")
    text.caption(":orange[沿用改造前的答案：请现场核实后确认，或直接修改]")
    button.button("确认沿用", key=f"confirm:{carried[0]}", on_click=confirm, args=(carried,))


def retry_unsaved() -> None:
    """The callback of 重试保存: every value and note that could not be saved, again."""
    for slot in list(visit()["unsaved"]):
        if slot.startswith("note:"):
            save_note(slot.removeprefix("note:"))
        else:
            save(slot)


def saved_label() -> str:
    """``已保存 hh:mm:ss · 第 N 版``: when the visit was last saved (China's time; with the day when
    not today) and its revision; ``尚未填写`` before anything was saved."""
    current = visit()
    moment: datetime | None = current["saved_at"]
    if moment is None:
        return f"尚未填写 · 第 {current['revision']} 版"
    local = clock.local(moment)
    when = f"{local:%H:%M:%S}" if local.date() == clock.today() else f"{local:%m-%d %H:%M}"
    return f"已保存 {when} · 第 {current['revision']} 版"


def message(slot: str) -> None:
    """The last save problem of an item, next to it (shown as text, never as markup)."""
    found = visit()["errors"].get(slot)
    if found:
        kind, text = found
        (st.info if kind == "info" else st.error)(
            text, icon=":material/info:" if kind == "info" else ":material/error:"
        )


def question_input(question: Question, disabled: bool) -> None:
    label = f"{question.id} {question.item}：{question.text}（{question.max_points:g} 分）"
    if question.type == "multi":
        st.markdown(f"**{label}**（可多选）")
        _evidence_prompt(question)
        exclusive = next((o for o in question.options if o.exclusive), None)
        shown = Shown()
        others_ticked = any(shown.get(key(question.id, o.code)) for o in question.options if not o.exclusive)
        none_ticked = bool(exclusive) and shown.get(key(question.id, exclusive.code))
        for option in question.options:
            # 无 excludes every other option: the widgets never allow the invalid pair
            blocked = (option.exclusive and others_ticked) or (not option.exclusive and none_ticked)
            name = key(question.id, option.code)
            st.checkbox(f"{option.code}. {option.text}（{option.points:g} 分）", key=name, value=bool(default(name)),
                        on_change=save, args=(question.id,), disabled=disabled or blocked)  # fmt: skip
    elif question.trend is not None:
        _trend_input(question, label, disabled)
    elif question.type == "ratio":
        st.markdown(f"**{label}**")
        _evidence_prompt(question)
        left, right = st.columns(2)
        for column, figure in ((left, question.denominator), (right, question.numerator)):
            with column:
                _figure_input(question, figure.key, "", figure, disabled)
        _ratio_feedback(question)
        _option_fallback(question, label, "没有原始数据时，直接选择区间", disabled)
    else:
        codes = [o.code for o in question.options]
        # the bold title apart from the group: a label's markdown would be read out as "**"
        st.markdown(f"**{label}**")
        st.radio(label, codes, index=_index(codes, default(key(question.id))), key=key(question.id),
                 format_func=lambda c: f"{c}. {question.option(c).text}（{question.option(c).points:g} 分）",
                 on_change=save, args=(question.id,), disabled=disabled, label_visibility="collapsed")  # fmt: skip
        _evidence_prompt(question)
    message(question.id)
    carried_mark([question.id], disabled)
    notes_and_evidence(question.id, disabled)


def _trend_input(question: Question, label: str, disabled: bool) -> None:
    from diagnose.visit.form import trend_fields

    st.markdown(f"**{label}**")
    _evidence_prompt(question)
    columns = st.columns(2)
    for period, name, figure in trend_fields(question):
        with columns[0 if period == "before" else 1]:
            _figure_input(question, f"{period}:{figure.key}", name, figure, disabled)
    _trend_feedback(question)
    _option_fallback(question, label, "没有原始数据时，直接选择", disabled)


def _figure_input(question: Question, part: str, prefix: str, figure, disabled: bool) -> None:
    """One raw figure of a question; a count of things takes whole numbers only."""
    field = key(question.id, part)
    shown = default(field)
    # Streamlit refuses a default of another type than the bounds: 40.0 shows as 40 in a count,
    # and a count stored with a fraction (from an older import) is shown as it is, not cut
    whole = figure.whole and (shown is None or float(shown).is_integer())
    if shown is not None:
        shown = int(shown) if whole else float(shown)
    # no min_value: the browser would refuse a negative figure with an English tooltip (and keep
    # showing the feedback of the old one); the rule says why in Chinese beside the question
    options = {"step": 1} if whole else {"format": "%.2f"}
    st.number_input(f"{prefix}{figure.label}（{figure.unit}）", key=field, value=shown, on_change=save,
                    args=(question.id, field), disabled=disabled, **options)  # fmt: skip


def _index(options, shown) -> int | None:
    """The position of ``shown`` among a radio's options, None (nothing chosen) if it is not one."""
    return next((i for i, option in enumerate(options) if option == shown and type(option) is type(shown)), None)


def _option_fallback(question: Question, label: str, title: str, disabled: bool) -> None:
    """The option picked directly, for when the figures are not at hand."""
    with st.expander(title):
        band = key(question.id, "band")
        codes = [o.code for o in question.options]
        st.radio(label, codes, index=_index(codes, default(band)), key=band, label_visibility="collapsed",
                 format_func=lambda c: f"{c}. {question.option(c).text}（{question.option(c).points:g} 分）",
                 on_change=save, args=(question.id, band), disabled=disabled)  # fmt: skip


def _trend_feedback(question: Question) -> None:
    from diagnose.rule.answers import check_answer
    from diagnose.rule.figures import trend_change_percent
    from diagnose.visit.form import item_value

    value = item_value(visit()["questionnaire"], question.id, Shown())
    if not isinstance(value, dict):
        return
    checked = check_answer(question, value)
    if not isinstance(checked, str):
        option = question.option(checked[0][0])
        change = trend_change_percent(question, value["before"], value["after"])
        flat = f"±{question.trend.flat_within_percent:g}% 以内为持平"
        st.success(f"变化 {change:+.1f}% → {option.code}. {option.text}（{option.points:g} 分；{flat}）",
                   icon=":material/check_circle:")  # fmt: skip


def _evidence_prompt(question: Question) -> None:
    if question.evidence:
        st.caption(f"取证：{question.evidence}")


def _ratio_feedback(question: Question) -> None:
    from diagnose.rule.answers import check_answer

    total = Shown().get(key(question.id, question.denominator.key))
    part = Shown().get(key(question.id, question.numerator.key))
    if total is None or part is None:
        return
    checked = check_answer(question, {question.denominator.key: total, question.numerator.key: part})
    if not isinstance(checked, str):
        option = question.option(checked[0][0])
        st.success(f"比例 {100 * part / total:.1f}% → {option.code}. {option.text}（{option.points:g} 分）",
                   icon=":material/check_circle:")  # fmt: skip


def scene_input(questionnaire: Questionnaire, scene: Scene, disabled: bool) -> None:
    star = "★ " if scene.constrained else ""
    descriptors = "\n".join(f"- L{i}：{text}" for i, text in enumerate(scene.levels, start=1))
    st.markdown(f"**{star}{scene.name}**（{scene.group}）", help=descriptors)
    ticked = []
    for practice in questionnaire.practices_for(scene.name):
        item = f"practice:{practice.id}"
        if st.checkbox(f"{practice.text}（L{practice.level}）", key=key(item), value=bool(default(key(item))),
                       on_change=save, args=(item,),
                       help=practice.evidence or None, disabled=disabled):  # fmt: skip
            ticked.append(practice)
    proposed = max((p.level for p in ticked), default=0)
    names = questionnaire.scene_level_names
    item = f"scene:{scene.name}"
    # every option's label is fixed: the browser sends the label back, and a label that
    # changed since the page was drawn (a ticked practice) would not map to any option
    chosen = st.radio(f"{scene.name} 等级", SCENE_CHOICES, key=key(item), horizontal=True,
                      index=_index(SCENE_CHOICES, default(key(item))) or 0,
                      format_func=lambda v: BY_PRACTICES if v == NOT_RATED else names[v],
                      on_change=save, args=(item,), label_visibility="collapsed", disabled=disabled)  # fmt: skip
    if chosen == NOT_RATED:
        st.caption(f"按所勾实践计为 L{proposed}" if proposed else "尚未评级：勾选现场看到的实践，或直接选择等级")
    asks_reason = bool(ticked) and chosen not in (NOT_RATED, proposed)
    if asks_reason:  # the reason is the scene's note
        st.text_input(f"为什么评为 {names[chosen]}，而不是所勾实践的 L{proposed}？", key=f"n:{item}",
                      value=default(f"n:{item}") or "",
                      on_change=save_note, args=(item,), max_chars=200, disabled=disabled,
                      placeholder="简要说明理由")  # fmt: skip
        message(f"note:{item}")
    message(item)
    carried_mark([item] + [f"practice:{p.id}" for p in questionnaire.practices_for(scene.name)], disabled)
    notes_and_evidence(item, disabled, with_note=not asks_reason)


def notes_and_evidence(item: str, disabled: bool, with_note: bool = True) -> None:
    """A note (plain text) and photos or documents for one question or scene."""
    current = visit()
    with st.expander("备注与佐证材料"):
        if with_note:
            st.text_area("备注", key=f"n:{item}", value=default(f"n:{item}") or "", on_change=save_note,
                         args=(item,), max_chars=2000, disabled=disabled)  # fmt: skip
            message(f"note:{item}")
        files = [f for f in current.get("evidence", []) if f["item"] == item]
        for found in files:
            st.caption(f"已上传：{found['filename']}（{found['size'] / 1024:.0f} KB）")
        st.file_uploader("上传照片或文档（JPG、PNG、PDF、DOCX、XLSX，单个不超过 20 MB）", type=EVIDENCE_TYPES,
                         key=f"f:{item}", on_change=attach, args=(item,), disabled=disabled)  # fmt: skip
        message(f"file:{item}")


def attach(item: str) -> None:
    current = visit()
    uploaded = st.session_state.get(f"f:{item}")
    if uploaded is None:
        return
    try:
        visits.attach_evidence(store(), current["actor"], current["id"], item, uploaded.name, uploaded.getvalue())
    except ServiceError as refused:
        current["errors"][f"file:{item}"] = ("error", str(refused))
        return
    current["errors"].pop(f"file:{item}", None)


def text_item(item: str, label: str, disabled: bool) -> None:
    """A field of the visit information or the report: a date, a list of people, or text."""
    if item == "visit.date":
        st.date_input(label, key=key(item), value=default(key(item)), on_change=save, args=(item,), disabled=disabled,
                      format="YYYY-MM-DD")  # fmt: skip
    elif item in ("visit.consultants", "visit.staff"):
        st.text_input(f"{label}（多人用“、”分隔）", key=key(item), value=default(key(item)), on_change=save,
                      args=(item,), max_chars=600, disabled=disabled)  # fmt: skip
    else:
        st.text_area(label, key=key(item), value=default(key(item)), on_change=save, args=(item,), max_chars=2000,
                     disabled=disabled)  # fmt: skip
    message(item)
    carried_mark([item], disabled)


def result_card(file) -> None:
    """The submitted result: level, score, sub-scores, why and the gap (read-only)."""
    if not file.results:
        return
    detail = file.results[-1]["detail"]
    st.subheader("评测结果")
    st.markdown(f"### 等级：{detail['level_label']}")
    maxima = {d.id: d.max_points for d in file.questionnaire.dimensions}
    names = {d.id: d.name for d in file.questionnaire.dimensions}
    st.markdown(scores_line(detail["score"], {names[k]: (detail[k], maxima[k]) for k in maxima}))
    if detail["gap"]:
        st.info(f"距{detail['gap']['label']}：{detail['gap']['text']}")
    for check in reversed(detail["why"]):
        mark = ":green[✓ 满足]" if check["met"] else ":red[✗ 未满足]"
        lines = "\n".join(f"- {'✓' if c['met'] else '✗'} {c['text']}" for c in check["conditions"])
        st.markdown(f"**{check['label']}** {mark}\n{lines}")
    st.caption(f"计分问卷 {file.results[-1]['version']}", help="问卷内容哈希 "
               f"{file.results[-1]['questionnaire_hash'][:12]}：核对计分所用的问卷文件未被改动")  # fmt: skip


def scores_line(score: float, dimensions: dict[str, tuple[float, float]]) -> str:
    """``总分 **50.775**　数字化基础 **23.8** / 50 …`` as one wrapping line."""
    parts = [f"总分 **{score:g}** / 100"]
    parts += [f"{name} **{points:g}** / {maximum:g}" for name, (points, maximum) in dimensions.items()]
    return "　".join(parts)


def recommendation_card(file, actor) -> None:
    """The cheapest approved products to reach 二级 (or the next level), with the contract list;
    with a budget below that, the best the budget buys."""
    from diagnose.services.recommendations import for_assessment

    detail = file.results[-1]["detail"] if file.results else None
    target = max(2, (detail["level"] + 1) if detail else 2)
    if target > 4:
        return
    budget = st.number_input("预算（元，可不填）", min_value=0, step=10000, value=None, key="budget")
    found = for_assessment(store(), actor, file.row["id"], target, budget)
    st.subheader(f"达到{found.target_label}的推荐产品（示例清单）")
    if found.cheapest is None:
        st.warning("按目前的产品清单无法达到该等级：\n" + "\n".join(f"- {u}" for u in found.unmet))
    else:
        _bundle_card(found.cheapest, file.enterprise["name"], "contract_list")
    if found.within_budget is not None:
        st.subheader(f"预算 {found.budget:,} 元以内的最佳组合")
        _bundle_card(found.within_budget, file.enterprise["name"], "contract_list_budget")
    elif budget is not None and found.cheapest is not None and found.cheapest.total_price > budget:
        st.info("预算以内的产品组合不能提升等级。")
    st.caption("产品、服务商与价格均为示例数据，仅用于演示推荐方法。")


def _bundle_card(bundle, enterprise_name: str, key: str) -> None:
    from diagnose.services.recommendations import contract_list

    projected = bundle.projected
    total = f"合计 **{bundle.total_price:,} 元**"
    st.markdown(f"采用后预计：**{projected.level_label}**，总分 **{projected.score:g}**；{total}")
    for product in bundle.products:
        reasons = "\n".join(f"  - {r}" for r in bundle.reasons[product.id])
        st.markdown(f"- **{product.name}**（{product.provider}，{product.price:,} 元/{product.unit}）\n{reasons}")
    st.download_button("下载产品和服务清单（Excel）", data=lambda: contract_list(bundle, enterprise_name),
                       file_name="产品和服务清单.xlsx", key=key,
                       mime=XLSX_TYPE)  # fmt: skip


def missing_list(questionnaire: Questionnaire) -> None:
    """What stops the last submission, grouped by section, each section with a button that opens it."""
    from diagnose.visit.form import SECTIONS, section_of

    missing = st.session_state.get("_visit_missing")
    if not missing:
        return
    titles = {s.key: s.title for s in SECTIONS}
    grouped: dict[str, list[str]] = {}
    for item, text in missing:
        grouped.setdefault(titles[section_of(questionnaire, item)] if item else "其他", []).append(text)
    st.error("还不能提交，请补全以下内容：")
    for title, texts in grouped.items():
        if title in titles.values():
            st.button(f"前往「{title}」（{len(texts)} 项）", key=f"goto:{title}", on_click=_open_tab, args=(title,))
        st.markdown("\n".join(f"- {text}" for text in texts))


def _open_tab(title: str) -> None:
    st.session_state["visit_tab"] = title
