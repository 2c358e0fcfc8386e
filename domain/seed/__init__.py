"""Studios made up for demonstration and measurement.

* `demo` — the realistic studio of `spotter demo`, built through the ordinary
  commands so credits, prices and the audit log are real.
* `bulk` — the benchmark's large generated studio, loaded straight into
  PostgreSQL with COPY (no commands: it measures reads, not writes).
* `rows` — direct row builders shared by the two and by query tests that
  need a session in a given state without walking it through commands.
"""
