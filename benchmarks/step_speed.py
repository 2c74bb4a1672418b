"""Training step time, counted FLOPs and achieved GFLOP/s of every GAN sampler.

For each GAN sampler (every ``BaseGANSampler`` subclass exported by ``imbgan``, with its
default batch size, networks and loss) on four kinds of data, 8 x 8 and 28 x 28 one-channel
images, 32 x 32 RGB images and a 20-column table (random values: the content does not change
the cost of a step), this fits the sampler with the engine's own loop on ``--steps`` batches
per epoch and prints:

- ``ms/step``: wall time of one training step (one call of the method's ``_train_step``, one
  batch), the median over ``--epochs`` timed epochs after one warm-up epoch and one epoch of
  FLOP counting; read between the end-of-epoch callbacks, after ``torch.cuda.synchronize()``
  on a GPU, so the device's queued work is included;
- ``GFLOP/step``: the floating-point operations of one step (forward and backward passes of
  every update), counted over one epoch with the per-operator formulas of
  ``torch.utils.flop_counter`` (those of ``FlopCounterMode``: matrix products and
  convolutions; element-wise operations are not counted). ``FlopCounterMode`` itself also
  tracks modules, which breaks the gradient penalty's ``autograd.grad`` on a leaf, so a
  small dispatch mode applies its formulas;
- ``GFLOP/s`` and ``% of mm``: FLOPs per step over the step time, and that as a share of the
  machine's fp32 matrix-product rate measured in the same run (``torch.mm`` on square
  matrices, best of several runs), the practical roofline of these networks;
- on CUDA, ``syncs/epoch``: host synchronisations that ``torch.cuda.set_sync_debug_mode``
  reports during one epoch; 1 is the engine's end-of-epoch loss read-back, anything more is a
  stall inside the epoch.

Samplers with an autoencoder phase get ``autoencoder_epochs=1``; only the adversarial (or main)
phase is timed. On CUDA, fits run with deterministic kernels
(``imbgan.base.deterministic_torch``); ``--no-deterministic`` switches that off for this run, to
measure what it costs. Run with ``python benchmarks/step_speed.py`` (``--help`` for the
options; ``--device cuda`` on a GPU machine). It prints numbers; it is not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
import warnings

import numpy as np
import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.flop_counter import flop_registry

import imbgan

DATA_KINDS = {
    "8x8": (1, 8, 8),
    "28x28": (1, 28, 28),
    "32x32x3": (3, 32, 32),
    "table-20": None,
}


def gan_sampler_classes():
    return [
        getattr(imbgan, name)
        for name in sorted(imbgan.__all__)
        if isinstance(getattr(imbgan, name), type)
        and issubclass(getattr(imbgan, name), imbgan.BaseGANSampler)
        and not name.startswith("Base")
    ]


class FlopCounter(TorchDispatchMode):
    """Adds up the FLOPs of the operators run inside it, with ``FlopCounterMode``'s formulas."""

    def __init__(self):
        super().__init__()
        self.total = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        formula = flop_registry.get(func._overloadpacket)
        if formula is not None:
            self.total += formula(*args, **kwargs, out_val=out)
        return out


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def matmul_gflops(device, size, repeats=10):
    """Best fp32 ``torch.mm`` rate on ``size x size`` matrices, in GFLOP/s."""
    generator = torch.Generator(device=device).manual_seed(0)
    a = torch.randn(size, size, device=device, generator=generator)
    b = torch.randn(size, size, device=device, generator=generator)
    torch.mm(a, b)
    synchronize(device)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        torch.mm(a, b)
        synchronize(device)
        best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best / 1e9


def make_data(kind, n_rows, seed=0):
    """Random rows (flattened images with their ``image_shape``), classes 3 : 1."""
    rng = np.random.RandomState(seed)
    shape = DATA_KINDS[kind]
    n_features = 20 if shape is None else int(np.prod(shape))
    X = rng.uniform(0, 1, size=(n_rows, n_features)).astype(np.float32)
    y = (np.arange(n_rows) % 4 == 0).astype(int)  # class 1 is a quarter of the rows
    return X, y, shape


class StepClock:
    """Callback: epoch 1 warms up, epoch 2 counts FLOPs, the next ``n_timed`` are timed, and on
    CUDA one more counts host synchronisations. Training stops after the last of them."""

    def __init__(self, sampler, n_timed):
        self.sampler = sampler
        self.n_timed = n_timed
        self.counting = False
        self.flops = 0
        self.epoch_ends = []
        self.sync_warnings = None
        self._catcher = None
        self._original_step = sampler._train_step
        sampler._train_step = self._step  # the engine calls self._train_step

    def _step(self, real, labels):
        if not self.counting:
            return self._original_step(real, labels)
        with FlopCounter() as counter:
            losses = self._original_step(real, labels)
        self.flops += counter.total
        return losses

    def __call__(self, sampler, epoch, losses):
        device = sampler.device_
        synchronize(device)
        now = time.perf_counter()
        last_timed = 2 + self.n_timed
        if epoch == 1:
            self.counting = True
        elif epoch == 2:
            self.counting = False
            self.epoch_ends.append(now)
        elif epoch <= last_timed:
            self.epoch_ends.append(now)
            if epoch == last_timed:
                if device.type != "cuda":
                    return True
                self._catcher = warnings.catch_warnings(record=True)
                self.sync_warnings = self._catcher.__enter__()
                warnings.simplefilter("always")
                torch.cuda.set_sync_debug_mode("warn")
        else:
            torch.cuda.set_sync_debug_mode("default")
            self._catcher.__exit__(None, None, None)
            return True
        return False

    def n_syncs(self):
        if self.sync_warnings is None:
            return None
        return sum("synchroniz" in str(w.message).lower() for w in self.sync_warnings)


def measure(cls, kind, device, steps, n_timed):
    probe = cls(device=device)
    batch_size = probe.batch_size
    X, y, shape = make_data(kind, batch_size * steps)
    options = {
        "device": device,
        "epochs": 3 + n_timed,
        "random_state": 0,
        "sampling_strategy": {1: int((y == 1).sum()) + 1},  # generate a single row
        "image_shape": shape,
    }
    if "autoencoder_epochs" in probe.get_params():
        options["autoencoder_epochs"] = 1
    sampler = cls(**options)
    clock = StepClock(sampler, n_timed)
    sampler.set_params(callbacks=[clock])
    sampler.fit_resample(X, y)
    sampler.__dict__.pop("_train_step", None)
    epoch_times = np.diff(clock.epoch_ends)
    if len(epoch_times) == 0:
        return None
    step_seconds = statistics.median(epoch_times) / steps
    return {
        "batch": batch_size,
        "ms": 1e3 * step_seconds,
        "gflop": clock.flops / steps / 1e9,
        "gflops": clock.flops / steps / step_seconds / 1e9,
        "syncs": clock.n_syncs(),
    }


def run(args):
    device = imbgan.base.resolve_device(args.device)
    if args.no_deterministic:
        # seeded_torch looks the name up when it runs: a no-op here leaves torch's settings be.
        imbgan.base.deterministic_torch = lambda enabled=True: contextlib.nullcontext()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    roofline = matmul_gflops(device, args.matmul_size)
    print(
        f"torch {torch.__version__}, device {device}"
        + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else "")
        + f", {torch.get_num_threads()} CPU thread(s); fp32 mm {args.matmul_size}^2: "
        f"{roofline:.0f} GFLOP/s; {args.steps} steps/epoch, median of {args.epochs} epochs"
        + ("; deterministic kernels off" if args.no_deterministic else "")
        + "\n"
    )
    columns = "| sampler | data | batch | ms/step | GFLOP/step | GFLOP/s | % of mm |"
    rule = "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
    if device.type == "cuda":
        columns += " syncs/epoch |"
        rule += " ---: |"
    print(columns)
    print(rule)
    names = set(args.samplers or [])
    for cls in gan_sampler_classes():
        if names and cls.__name__ not in names:
            continue
        for kind in args.data:
            result = measure(cls, kind, device, args.steps, args.epochs)
            if result is None:
                print(f"| {cls.__name__} | {kind} | - | no epochs seen by callbacks | | | |")
                continue
            line = (
                f"| {cls.__name__} | {kind} | {result['batch']} | {result['ms']:.2f} | "
                f"{result['gflop']:.3f} | {result['gflops']:.1f} | "
                f"{100 * result['gflops'] / roofline:.0f}% |"
            )
            if device.type == "cuda":
                line += f" {result['syncs']} |"
            print(line, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="auto", help="'auto', 'cpu' or 'cuda'")
    parser.add_argument("--data", nargs="+", choices=list(DATA_KINDS), default=list(DATA_KINDS))
    parser.add_argument("--samplers", nargs="+", default=None, help="class names (default: all)")
    parser.add_argument("--steps", type=int, default=8, help="training steps per epoch")
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument(
        "--no-deterministic",
        action="store_true",
        help="on CUDA, fit without the deterministic settings (to measure their cost)",
    )
    parser.add_argument("--matmul-size", type=int, default=None, help="default 1024 CPU, 8192 GPU")
    args = parser.parse_args()
    if args.matmul_size is None:
        args.matmul_size = 8192 if imbgan.base.resolve_device(args.device).type == "cuda" else 1024
    run(args)


if __name__ == "__main__":
    main()
