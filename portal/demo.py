"""Demo data: features register loaders here, and `flask demo load` runs them in order.

A loader must be idempotent (running it twice changes nothing the second time) and
return the number of rows it created. A feature that adds demo accounts also registers
a function listing them, for `flask demo accounts --json` and the README.
"""

from __future__ import annotations

from typing import Callable, TypedDict


class DemoAccount(TypedDict):
    """One demo sign-in, as `flask demo accounts --json` prints it."""

    login: str
    password: str
    role: str
    name: str
    cases: list[str]


_loaders: list[tuple[str, Callable[[], int]]] = []
_account_listers: list[Callable[[], list[DemoAccount]]] = []


def demo_loader(name: str) -> Callable[[Callable[[], int]], Callable[[], int]]:
    """Register a function that loads one feature's demo data and returns how many rows it created."""

    def register(fn: Callable[[], int]) -> Callable[[], int]:
        if all(existing != name for existing, _ in _loaders):
            _loaders.append((name, fn))
        return fn

    return register


def demo_accounts_lister(fn: Callable[[], list[DemoAccount]]) -> Callable[[], list[DemoAccount]]:
    """Register a function that lists a feature's demo accounts."""
    if fn not in _account_listers:
        _account_listers.append(fn)
    return fn


def load_all() -> list[tuple[str, int]]:
    """Run every registered loader; return (name, rows created) for each."""
    return [(name, fn()) for name, fn in _loaders]


def all_accounts() -> list[DemoAccount]:
    """Every demo account of every feature."""
    accounts: list[DemoAccount] = []
    for lister in _account_listers:
        accounts.extend(lister())
    return accounts
