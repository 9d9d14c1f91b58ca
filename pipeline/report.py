"""A run summary as text for the terminal and as Markdown for the Prefect UI.

Both render the same ``RunSummary`` read back from the warehouse, so what a person sees is
what was committed, not what the flow believed it wrote.
"""

from __future__ import annotations

from pipeline.warehouse import RunSummary


def _sections(summary: RunSummary) -> list[tuple[str, dict[str, int]]]:
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
        ("articles written by language", summary.by_language),
        ("lines removed by reason", summary.removed_by_reason),
        ("failures by reason", summary.failures_by_reason),
    ]


def render_text(summary: RunSummary) -> str:
    lines = [f"run {summary.run_id}: {summary.status}, {summary.documents_seen} documents read"]
    for heading, values in _sections(summary):
        lines.append(f"  {heading}:")
        if not values:
            lines.append("    (none)")
        width = max((len(key) for key in values), default=0)
        lines.extend(f"    {key:<{width}}  {value:>6}" for key, value in values.items())
    return "\n".join(lines)


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
        lines += ["| | count |", "|---|---:|"]
        lines += [f"| `{key}` | {value} |" for key, value in values.items()]
    return "\n".join(lines)
