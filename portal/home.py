"""The family's home page is a task list; each feature contributes its own tasks.

A provider is a function (user, case, conference) -> list[Task], registered with
@task_provider. A new feature adds its tasks without editing the home page (DESIGN.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

# GOV.UK task list statuses.
COMPLETED = "completed"
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
CANNOT_START = "cannot_start"


@dataclass(frozen=True)
class Task:
    """One line of the task list."""

    order: float
    title: str
    status: str
    href: str | None = None
    hint: str | None = None
    # A status of the feature's own (GOV.UK task list "status" parameters), instead of the four above.
    own_status: dict | None = None


_providers: list[Callable] = []


def task_provider(fn: Callable) -> Callable:
    """Register a function that returns a feature's tasks for a person's case."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def tasks_for(user, case, conference) -> list[Task]:
    """Every feature's tasks, in their order."""
    tasks: list[Task] = []
    for provider in _providers:
        tasks.extend(provider(user, case, conference))
    return sorted(tasks, key=lambda task: task.order)
