"""Summarise benchmark records into tables, and write them (CSV, JSON, Markdown, PNG)."""

from __future__ import annotations

import datetime
import json
import math
import numbers
import os
import platform
import sys
from pathlib import Path

import numpy as np

from ..plotting import _fit_figure, plot_samples_per_class

SUMMARY_COLUMNS = (
    "sampler",
    "setting",
    "classifier",
    "status",
    "n_ok",
    "n_cells",
    "acsa_mean",
    "acsa_std",
    "gm_mean",
    "gm_std",
    "minority_recall_mean",
    "minority_recall_std",
    "fit_time_mean",
    "note",
)

CELL_COLUMNS = (
    "cell",
    "sampler",
    "setting",
    "classifier",
    "seed",
    "fold",
    "minority_class",
    "drop_fraction",
    "status",
    "acsa",
    "gm",
    "minority_recall",
    "fit_time",
    "n_train",
    "n_generated",
    "notes",
    "error",
)

QUALITY_METRICS = (
    "accuracy",
    "diversity_generated",
    "diversity_real",
    "novelty_generated",
    "novelty_real",
)


def _mean_std(values):
    """Mean and population standard deviation of the finite values; NaN when there are none."""
    values = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if len(values) == 0:
        return float("nan"), float("nan")
    return float(values.mean()), float(values.std())


def _unique(items):
    seen = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


def _classifiers(result):
    """The run's classifier names as a tuple (a plain string in older configurations)."""
    names = result.config.classifier
    return (names,) if isinstance(names, str) else tuple(names)


def _population_std(values):
    return values.std(ddof=0)


def _group_note(group):
    """Failures first (how many, the first error), then the distinct notes of the cells."""
    notes = _unique(note for notes in group["notes"] for note in notes)
    failed = group[group["status"] != "ok"]
    if len(failed):
        first_error = _unique(failed["error"])[0]
        notes = [f"{len(failed)} of {len(group)} cells failed: {first_error}", *notes]
    return "; ".join(notes)


def summarize(result):
    """One row per (sampler, setting, classifier): mean and std over cells, or why there are none.

    The records are grouped with pandas (``groupby(...).agg``) in the order they first appear.

    Parameters
    ----------
    result : BenchmarkResult
        From :func:`imbgan.benchmark.run_benchmark`.

    Returns
    -------
    rows : list of dict
        Keys :data:`SUMMARY_COLUMNS`. ``status`` is "ok", "partial" (some cells failed),
        "failed" (all did; ``note`` holds the first error) or "skipped" (``note`` says why).
        Scores are mean and population standard deviation (``ddof=0``) over the cells with a
        finite score: failed cells score ``error_score`` (NaN by default, left out). The fit
        time is the mean over successful cells.
    """
    import pandas as pd

    if not result.records:
        return [_skipped_row(result, sampler, []) for sampler in result.samplers]
    keys = ["sampler", "setting", "classifier"]
    frame = pd.DataFrame(result.records, columns=[*keys, "status", "error", "notes", *_SCORES])
    frame["classifier"] = frame["classifier"].fillna(_classifiers(result)[0])
    frame["ok_fit_time"] = frame["fit_time"].where(frame["status"] == "ok")
    aggregations = {"n_ok": ("status", lambda s: int((s == "ok").sum()))}
    aggregations["n_cells"] = ("status", "size")
    for metric in ("acsa", "gm", "minority_recall"):
        aggregations[f"{metric}_mean"] = (metric, "mean")
        aggregations[f"{metric}_std"] = (metric, _population_std)
    aggregations["fit_time_mean"] = ("ok_fit_time", "mean")
    grouped = frame.groupby(keys, sort=False)
    table = grouped.agg(**aggregations)
    table["note"] = grouped[["status", "error", "notes"]].apply(_group_note)
    table["status"] = np.where(
        table["n_ok"] == table["n_cells"], "ok", np.where(table["n_ok"] == 0, "failed", "partial")
    )
    measured = table.reset_index().to_dict("records")
    settings = _unique(record["setting"] for record in result.records)
    rows = []
    for sampler in result.samplers:
        if sampler in result.skipped:
            rows.append(_skipped_row(result, sampler, settings))
        rows += [
            {column: row[column] for column in SUMMARY_COLUMNS}
            for row in measured
            if row["sampler"] == sampler
        ]
    return rows


_SCORES = ("acsa", "gm", "minority_recall", "fit_time")


def _skipped_row(result, sampler, settings):
    return {
        **dict.fromkeys(SUMMARY_COLUMNS, float("nan")),
        "sampler": sampler,
        "setting": ", ".join(settings) or "-",
        "classifier": ", ".join(_classifiers(result)),
        "status": "skipped",
        "n_ok": 0,
        "n_cells": 0,
        "note": result.skipped.get(sampler, "skipped"),
    }


def summarize_quality(result):
    """Per (sampler, setting, class): the quality measures averaged over cells.

    Returns
    -------
    rows : list of dict
        Keys ``sampler``, ``setting``, ``class``, ``n_cells``, ``n_real``, ``n_generated`` (means
        over cells) and :data:`QUALITY_METRICS`. Empty when no cell measured quality.
    """
    import pandas as pd

    rows = [
        {"sampler": record["sampler"], "setting": record["setting"], **row}
        for record in result.records
        for row in record.get("quality") or []
    ]
    if not rows:
        return []
    frame = pd.DataFrame(rows)
    aggregations = {"n_cells": ("n_real", "size"), "n_real": ("n_real", "mean")}
    aggregations["n_generated"] = ("n_generated", "mean")
    aggregations.update({metric: (metric, "mean") for metric in QUALITY_METRICS})
    table = frame.groupby(["sampler", "setting", "class"], sort=False).agg(**aggregations)
    order = {name: index for index, name in enumerate(result.samplers)}

    def label_order(label):
        # Numbers in numeric order (2 before 10), then any text labels.
        return (0, label, "") if isinstance(label, numbers.Real) else (1, 0, str(label))

    summary = table.reset_index().to_dict("records")
    for entry in summary:
        entry["n_cells"] = int(entry["n_cells"])
        entry["class"] = _plain(entry["class"])
        for key in ("n_real", "n_generated", *QUALITY_METRICS):
            entry[key] = float(entry[key])
    return sorted(
        summary,
        key=lambda e: (order.get(e["sampler"], 0), e["setting"], label_order(e["class"])),
    )


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


# --------------------------------------------------------------------------------------------------
# Text tables
# --------------------------------------------------------------------------------------------------


def _pm(mean, std, plus_minus):
    if mean is None or not np.isfinite(mean):
        return "-"
    return f"{mean:.3f} {plus_minus} {std:.3f}"


def _number(value, digits=3):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return f"{value:.{digits}f}"


def _table_cells(rows, plus_minus):
    header = ["sampler", "setting", "classifier", "ACSA", "GM", "minority recall"]
    header += ["fit time (s)", "cells"]
    header += ["status", "note"]
    body = [
        [
            row["sampler"],
            row["setting"],
            row["classifier"],
            _pm(row["acsa_mean"], row["acsa_std"], plus_minus),
            _pm(row["gm_mean"], row["gm_std"], plus_minus),
            _pm(row["minority_recall_mean"], row["minority_recall_std"], plus_minus),
            _number(row["fit_time_mean"], 2),
            f"{row['n_ok']}/{row['n_cells']}",
            row["status"],
            row["note"],
        ]
        for row in rows
    ]
    return header, body


def _quality_cells(rows):
    header = ["sampler", "setting", "class", "accuracy", "diversity gen", "diversity real"]
    header += ["novelty gen", "novelty real"]
    body = [
        [
            row["sampler"],
            row["setting"],
            str(row["class"]),
            *(_number(row[metric]) for metric in QUALITY_METRICS),
        ]
        for row in rows
    ]
    return header, body


def _plain_text(header, body):
    widths = [max(len(str(x)) for x in column) for column in zip(header, *body)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip() for line in body]
    return "\n".join(lines)


def _markdown(header, body):
    def escape(text):
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(escape(x) for x in line) + " |" for line in body]
    return "\n".join(lines)


def format_table(rows, markdown=False):
    """The summary as aligned plain text (for the terminal) or as a Markdown table."""
    if markdown:
        return _markdown(*_table_cells(rows, "±"))
    # Plain ASCII in the terminal: some consoles cannot print "±".
    return _plain_text(*_table_cells(rows, "+-"))


def format_quality_table(rows, markdown=False):
    """The per-class quality summary as plain text or Markdown."""
    header, body = _quality_cells(rows)
    return _markdown(header, body) if markdown else _plain_text(header, body)


# --------------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------------


def _json_safe(value):
    """NaN and infinities become null, numpy values plain Python, so the JSON is standard."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return _json_safe(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _write_csv(path, rows, columns):
    """Rows as CSV with pandas: NaN as an empty field, lists joined by "; "."""
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=list(columns))
    for column in frame.columns:
        if frame[column].map(lambda value: isinstance(value, list)).any():
            frame[column] = frame[column].map(
                lambda value: "; ".join(map(str, value)) if isinstance(value, list) else value
            )
    frame.to_csv(path, index=False, na_rep="")


def environment():
    """Where the numbers came from: versions, machine, date."""
    import imblearn
    import sklearn
    import torch

    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "torch": torch.__version__,
        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "scikit-learn": sklearn.__version__,
        "imbalanced-learn": imblearn.__version__,
    }


def _summary_markdown(result, summary, env, command):
    """The lines of ``summary.md`` before the quality section: command, setting, table."""
    lines = ["# imbgan benchmark", ""]
    if command:
        lines += ["```", command, "```", ""]
    lines += [
        f"Data set `{result.config.dataset}`, protocol `{result.config.protocol}`, "
        f"classifier{'s' if len(_classifiers(result)) > 1 else ''} "
        f"{', '.join(f'`{name}`' for name in _classifiers(result))}, "
        f"seeds {list(result.config.seeds)}; {env['date']}, "
        f"{env['platform']}, {env['cpu_count']} CPUs, torch {env['torch']}; "
        f"wall time {result.wall_time:.0f} s.",
        "",
        "ACSA, GM and minority recall: mean ± std over cells; fit time: mean seconds of "
        "`fit_resample`.",
        "",
        format_table(summary, markdown=True),
        "",
    ]
    return lines


def write_results(result, out_dir, command=None):
    """Write the summary (CSV, JSON, Markdown, PNG), the per-cell records and, when measured,
    the quality tables and sample grids.

    Parameters
    ----------
    result : BenchmarkResult
        From :func:`imbgan.benchmark.run_benchmark`.
    out_dir : str or path-like
        Created if needed.
    command : str, optional
        The command line that produced the run, recorded in the JSON and Markdown.

    Returns
    -------
    paths : dict of str to Path
        What was written, by kind (``summary_csv``, ``summary_md``, ``results_json``,
        ``cells_csv``, and when available ``summary_png``, ``quality_csv``, ``quality_md``,
        ``grid_<sampler>``).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = summarize(result)
    quality = summarize_quality(result)
    env = environment()
    paths = {
        "summary_csv": out_dir / "summary.csv",
        "summary_md": out_dir / "summary.md",
        "results_json": out_dir / "results.json",
        "cells_csv": out_dir / "cells.csv",
    }
    _write_csv(paths["summary_csv"], summary, SUMMARY_COLUMNS)
    _write_csv(paths["cells_csv"], result.records, CELL_COLUMNS)

    config = {key: _json_safe(value) for key, value in vars(result.config).items()}
    cells = [
        {key: value for key, value in record.items() if key != "examples"}
        for record in result.records
    ]
    with open(paths["results_json"], "w") as handle:
        json.dump(
            _json_safe(
                {
                    "command": command,
                    "config": config,
                    "environment": env,
                    "wall_time_s": result.wall_time,
                    "summary": summary,
                    "quality": quality,
                    "cells": cells,
                }
            ),
            handle,
            indent=2,
            allow_nan=False,
        )

    lines = _summary_markdown(result, summary, env, command)
    if quality:
        paths["quality_csv"] = out_dir / "quality.csv"
        paths["quality_md"] = out_dir / "quality.md"
        _write_csv(paths["quality_csv"], quality, list(quality[0]))
        quality_md = format_quality_table(quality, markdown=True)
        paths["quality_md"].write_text(quality_md + "\n")
        lines += ["## Generated-sample quality (per class, mean over cells)", "", quality_md, ""]
    paths["summary_md"].write_text("\n".join(lines))

    paths.update(_write_plots(result, summary, out_dir))
    return paths


# --------------------------------------------------------------------------------------------------
# Plots (only when matplotlib is installed)
# --------------------------------------------------------------------------------------------------


def _figure(**kwargs):
    """A matplotlib Figure that never touches pyplot's global backend, or None."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return None
    return Figure(**kwargs)


def _write_plots(result, summary, out_dir):
    paths = {}
    plotted = [row for row in summary if row["n_ok"] > 0]
    panels = _unique((row["setting"], row["classifier"]) for row in plotted)
    if plotted:
        figure = _figure(figsize=(max(6.0, 0.9 * len(result.samplers) + 2), 3.2 * len(panels)))
        if figure is not None:
            axes = figure.subplots(len(panels), 1, squeeze=False)[:, 0]
            for axis, (setting, classifier) in zip(axes, panels):
                rows = [
                    row
                    for row in plotted
                    if row["setting"] == setting and row["classifier"] == classifier
                ]
                positions = np.arange(len(rows))
                for offset, metric in ((-0.2, "acsa"), (0.2, "gm")):
                    axis.bar(
                        positions + offset,
                        [row[f"{metric}_mean"] for row in rows],
                        width=0.4,
                        yerr=[row[f"{metric}_std"] for row in rows],
                        capsize=3,
                        label=metric.upper(),
                    )
                axis.set_xticks(positions, [row["sampler"] for row in rows], rotation=30)
                axis.set_ylim(0, 1)
                axis.set_title(f"{result.config.dataset}, {setting}, {classifier}")
                axis.legend(loc="lower right")
            figure.tight_layout()
            paths["summary_png"] = out_dir / "summary.png"
            figure.savefig(paths["summary_png"], dpi=120)

    if result.image_shape is None:
        return paths
    for sampler in result.samplers:
        record = next(
            (r for r in result.records if r["sampler"] == sampler and r.get("examples")), None
        )
        if record is None:
            continue
        path = out_dir / f"samples_{sampler}.png"
        if _write_grid(record["examples"], result.image_shape, f"{sampler}", path):
            paths[f"grid_{sampler}"] = path
    return paths


def _write_grid(examples, image_shape, title, path):
    """One row per class, generated examples side by side; False without matplotlib.

    Drawn by :func:`imbgan.plotting.plot_samples_per_class` on a figure that never touches
    pyplot; the examples were scaled to [0, 1].
    """
    figure = _figure()
    if figure is None:
        return False
    labels = list(examples)
    counts = [len(examples[label]) for label in labels]
    axis = plot_samples_per_class(
        np.concatenate([np.asarray(examples[label]) for label in labels]),
        np.repeat(np.asarray(labels), counts),
        image_shape=image_shape,
        value_range=(0, 1),
        title=f"{title}: generated samples per class",
        ax=figure.add_subplot(),
    )
    _fit_figure(axis, image_shape)
    figure.savefig(path, dpi=100, bbox_inches="tight")
    return True
