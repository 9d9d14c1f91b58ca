"""A run summary as text for the terminal, JSON for scripts and Markdown for the Prefect UI.

All three render the same ``RunSummary`` read back from the warehouse, so what a person sees
is what was committed, not what the flow believed it wrote.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from pipeline.warehouse import RunSummary


def _sections(summary: RunSummary) -> list[tuple[str, dict[str, int] | dict[str, float]]]:
    counts = summary.counts
    return [
        (
            "articles",
            {
                "inserted": counts.inserted,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "failed": counts.failures,
            },
        ),
        ("by language", summary.by_language),
        ("by source", summary.by_source),
        ("lines removed by reason", summary.removed_by_reason),
        ("failures by reason", summary.failures_by_reason),
        ("seconds by stage", summary.stage_seconds),
    ]


def _number(value: float) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def render_text(summary: RunSummary) -> str:
    lines = [f"run {summary.run_id}: {summary.status}, {summary.documents_seen} documents read"]
    for heading, values in _sections(summary):
        if not values:
            continue
        lines.append(f"  {heading}:")
        width = max(len(key) for key in values)
        lines.extend(f"    {key:<{width}}  {_number(v):>8}" for key, v in values.items())
    return "\n".join(lines)


def render_json(summary: RunSummary) -> str:
    return json.dumps(asdict(summary), default=str, indent=2, ensure_ascii=False)


def render_markdown(summary: RunSummary) -> str:
    lines = [
        f"# presswash run `{summary.run_id}`",
        "",
        f"Status **{summary.status}**, {summary.documents_seen} documents read. "
        f"Query it: `SELECT * FROM runs WHERE run_id = '{summary.run_id}'`",
    ]
    for heading, values in _sections(summary):
        lines += ["", f"## {heading.capitalize()}", ""]
        if not values:
            lines.append("(none)")
            continue
        lines += ["| | |", "|---|---:|"]
        lines += [f"| `{key}` | {_number(value)} |" for key, value in values.items()]
    return "\n".join(lines)
