"""Command-line pieces shared by the benchmark scripts (run as ``python benchmarks/NAME.py``,
which puts this folder on ``sys.path``)."""

import ast


def parse_assignments(items):
    """``["a=1", "b=x"]`` -> ``{"a": 1, "b": "x"}``: values read as Python literals where they
    parse, else kept as strings (the ``--set NAME=VALUE`` options)."""
    params = {}
    for item in items:
        name, value = item.split("=", 1)
        try:
            params[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            params[name] = value
    return params
