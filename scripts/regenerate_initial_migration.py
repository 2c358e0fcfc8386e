"""Regenerate migration 0001 from the models (development only, before the first release).

Until Spotter's first release the schema lives in one initial revision. After
changing a model, run `python scripts/regenerate_initial_migration.py`; it
autogenerates against an empty SQLite database and appends the database-level
guarantees from `domain/migrations/guarantees.py`. After the first release,
write ordinary incremental revisions instead.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from alembic import command

from domain.db import make_engine
from domain.migrate import alembic_config

VERSIONS = Path(__file__).resolve().parent.parent / "domain" / "migrations" / "versions"
TARGET = VERSIONS / "0001_initial.py"


def main() -> None:
    TARGET.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/empty.db")
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
        engine.dispose()
    generated = next(VERSIONS.glob("0001_*.py"))
    text = generated.read_text()
    text = text.replace(
        "from alembic import op\n",
        "from alembic import op\n\nimport domain.model.types\nfrom domain.migrations import guarantees\n",
    )
    text = re.sub(
        r"(def upgrade\(\) -> None:\n(?:.*\n)*?)(\n\ndef downgrade)",
        lambda m: m.group(1) + "    guarantees.install(op.get_bind())\n" + m.group(2),
        text,
        count=1,
    )
    text = text.replace(
        "def downgrade() -> None:\n", "def downgrade() -> None:\n    guarantees.remove(op.get_bind())\n", 1
    )
    if generated != TARGET:
        generated.unlink()
    TARGET.write_text(text)
    subprocess.run(["ruff", "format", "-q", str(TARGET)], check=False)
    subprocess.run(["ruff", "check", "-q", "--fix", str(TARGET)], check=False)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
