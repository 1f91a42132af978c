"""Drafting targets and tasks from a document's text (pure functions, no database)."""

from .engine import Draft, TargetDraft, TaskDraft, draft, to_yuan

__all__ = ["Draft", "TargetDraft", "TaskDraft", "draft", "to_yuan"]
