"""Run the benchmark harness with other defaults for some sampler classes.

The harness builds every sampler with its defaults. To measure what a parameter changes in the
harness's own protocol, this script changes the classes' defaults for this process only, then
runs ``imbgan.benchmark`` with the remaining arguments (run with ``--n-jobs 1``: parallel cells
run in fresh processes that would not see the change).

Usage::

    python benchmarks/harness_with.py DeepSMOTESampler --set latent_sampling=mixed -- \\
        --classifier mlp --n-jobs 1 --no-progress --samplers deepsmote --out /tmp/digits-mixed
    python benchmarks/harness_with.py CGANSampler ACGANSampler --set network_width=0.5 -- \\
        --classifier mlp --n-jobs 1 --no-progress --samplers cgan acgan --out /tmp/digits-w05
"""

import argparse
import sys

from _cli import parse_assignments

import imbgan
from imbgan.benchmark.__main__ import main as harness_main


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ours, harness_args = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samplers", nargs="+", help="imbgan sampler classes, e.g. CGANSampler")
    parser.add_argument("--set", nargs="+", required=True, metavar="NAME=VALUE")
    args = parser.parse_args(ours)
    settings = parse_assignments(args.set)
    for name in args.samplers:
        defaults = getattr(imbgan, name).__init__.__kwdefaults__
        for parameter, value in settings.items():
            if parameter not in defaults:
                parser.error(f"{name} has no parameter {parameter!r}")
            defaults[parameter] = value
    print(f"{' '.join(args.samplers)}: defaults changed: {args.set}", flush=True)
    return harness_main(harness_args)


if __name__ == "__main__":
    sys.exit(main())
