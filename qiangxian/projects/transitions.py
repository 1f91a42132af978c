"""Stage transitions of a project: which moves are allowed, and the dates they set.

Pure functions over plain values so the rules can be tested without a database. A project moves
forward through the pipeline, may skip stages that carry no milestone (a lead may be signed
without a recorded negotiation), but never breaks ground before signing or produces before
breaking ground; moving backwards or terminating needs a reason.
"""

from __future__ import annotations

import datetime as dt

from .choices import STAGE_ORDER, Stage

# The date field each milestone stage sets on the project.
MILESTONE_FIELDS: dict[str, str] = {
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.COMPLETED: "completed_on",
    Stage.PRODUCING: "producing_on",
    Stage.AT_CAPACITY: "at_capacity_on",
    Stage.TERMINATED: "terminated_on",
}

# The milestone that must already be reached before entering a stage.
REQUIRES: dict[str, str] = {
    Stage.STARTED: Stage.SIGNED,
    Stage.BUILDING: Stage.STARTED,
    Stage.COMPLETED: Stage.STARTED,
    Stage.PRODUCING: Stage.STARTED,
    Stage.AT_CAPACITY: Stage.PRODUCING,
}

_MISSING_MESSAGES: dict[str, str] = {
    Stage.SIGNED: "项目尚未签约，不能登记{target}。请先登记签约。",
    Stage.STARTED: "项目尚未开工，不能登记{target}。请先登记开工。",
    Stage.PRODUCING: "项目尚未投产，不能登记{target}。请先登记投产。",
}


def stage_index(stage: str) -> int:
    """Position in the pipeline; terminated ranks after everything."""
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER)


def check_transition(
    *,
    current: str,
    target: str,
    on: dt.date,
    today: dt.date,
    last_change_on: dt.date | None,
    dates: dict[str, dt.date | None],
    reason: str = "",
) -> list[str]:
    """Every reason (in Chinese) why the move is refused; an empty list when it is allowed."""
    errors: list[str] = []
    target_label = Stage(target).label
    reason = (reason or "").strip()
    if target not in Stage.values:
        return [f"未知的项目阶段“{target}”。"]
    if target == current:
        return [f"项目已处于“{target_label}”阶段。"]
    if on > today:
        errors.append("阶段变更日期不能晚于今天。")
    if last_change_on is not None and on < last_change_on:
        errors.append(f"阶段变更日期不能早于上一次阶段变更日期（{last_change_on:%Y-%m-%d}）。")
    if target == Stage.TERMINATED:
        if not reason:
            errors.append("终止项目须填写终止原因。")
        return errors
    backwards = current == Stage.TERMINATED or stage_index(target) < stage_index(current)
    if backwards and not reason:
        errors.append(
            "恢复已终止的项目须填写原因。"
            if current == Stage.TERMINATED
            else f"阶段从“{Stage(current).label}”退回“{target_label}”须填写原因。"
        )
    required = REQUIRES.get(target)
    if required is not None:
        required_on = dates.get(MILESTONE_FIELDS[required])
        # Going backwards clears later milestones, so the requirement is judged on what stays.
        reached = required_on is not None and (not backwards or stage_index(required) <= stage_index(target))
        if not reached:
            errors.append(_MISSING_MESSAGES[required].format(target=target_label))
        elif on < required_on:
            errors.append(
                f"{target_label}日期（{on:%Y-%m-%d}）不能早于{Stage(required).label}日期（{required_on:%Y-%m-%d}）。"
            )
    return errors


def dates_after(*, current: str, target: str, on: dt.date, dates: dict[str, dt.date | None]) -> dict:
    """The milestone dates once the move is made: the target's set, later ones cleared when going back."""
    result = dict(dates)
    if target == Stage.TERMINATED:
        result["terminated_on"] = on
        return result
    result["terminated_on"] = None
    for stage, field in MILESTONE_FIELDS.items():
        if stage != Stage.TERMINATED and stage_index(stage) > stage_index(target):
            result[field] = None
    backwards = current == Stage.TERMINATED or stage_index(target) < stage_index(current)
    # Going back to a milestone already reached keeps its original date.
    if target in MILESTONE_FIELDS and not (backwards and result.get(MILESTONE_FIELDS[target])):
        result[MILESTONE_FIELDS[target]] = on
    return result
