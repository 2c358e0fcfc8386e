"""The README stays true: its authorization table is the domain's matrix."""

from __future__ import annotations

from pathlib import Path

from domain.authz import MATRIX
from domain.model import Role

README = Path(__file__).resolve().parent.parent / "README.md"
WORDS = {
    "studio": "whole studio",
    "own_sessions": "own sessions",
    "own_clients": "own clients",
    "self": "self",
}


def test_readme_matrix_matches_the_domain() -> None:
    text = README.read_text()
    for action, rules in MATRIX.items():
        cells = [
            WORDS[rules[r]] if r in rules else "—"
            for r in (Role.ADMIN, Role.MANAGER, Role.TRAINER, Role.CLIENT)
        ]
        row = f"| `{action}` | " + " | ".join(cells) + " |"
        assert row in text, f"README's 'Who may do what' lacks or misstates: {row}"


def test_readme_names_both_setup_commands() -> None:
    text = README.read_text()
    assert "pip install -e . && spotter demo" in text
    assert 'pip install -e ".[dev,postgres,voice,voice-test-model]" && pytest -q' in text
