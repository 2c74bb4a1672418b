"""The shared engine behind every imbgan sampler.

:class:`BaseImbganSampler` is what every sampler (GAN or not) shares: image arrays of 3 or 4
dimensions, input checks, label bookkeeping, ``generate(y)``, and "original rows first, then the
generated ones".

:class:`BaseGANSampler` adds what every GAN sampler shares: the [-1, 1] data codec, device
resolution, seeding, batching, the epoch loop with its progress bar, loss history and divergence
check, sample generation, and persistence across devices. A method only says which networks it
has (:meth:`BaseGANSampler._build_networks`), what one training step does
(:meth:`BaseGANSampler._train_step`) and, where it differs from ``G(z, c)``, how a sample of a class
is drawn (:meth:`BaseGANSampler._generate_batch`).
"""

from __future__ import annotations

import copy
import math
import os
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from scipy import sparse
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from tqdm.auto import tqdm

from ._data import (
    DataCodec,
    ImageLayout,
    TableLayout,
    check_dense_size,
    check_feature_ranges,
    check_image_shape_matches,
    normalize_image_shape,
    resampled_index,
)
from ._selection import ConfidenceSelector, nearest_neighbour_selection_classifier
from ._torch import bake_parametrizations
from .nets import DataSpec

MAX_SEED = 2**31 - 1
GENERATION_CHUNK = 1024

#: Largest dense copy (in MiB) of a sparse ``X`` that the samplers make: they train on dense
#: rows, and a larger sparse ``X`` is refused up front with a ``ValueError`` naming the fix.
#: Raise it (``imbgan.base.MAX_DENSE_MEGABYTES = 1024``) if the memory is there.
MAX_DENSE_MEGABYTES = 256


class TrainingDivergedError(RuntimeError):
    """A loss became NaN or infinite during training."""


def resolve_device(device):
    """Turn the ``device`` parameter into a :class:`torch.device`.

    ``"auto"`` picks CUDA when available, else the CPU.
    """
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device={device!r} is not a torch device; use 'auto', 'cpu' or 'cuda'."
        ) from exc
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but CUDA is not available on this machine; "
            "use device='auto' or device='cpu'."
        )
    return resolved


#: cuBLAS workspace settings under which PyTorch accepts cuBLAS calls as deterministic.
DETERMINISTIC_CUBLAS_CONFIGS = (":4096:8", ":16:8")


@contextmanager
def deterministic_torch(enabled=True):
    """Run a block with PyTorch's deterministic-algorithm settings, restoring the caller's after.

    Inside the block: :func:`torch.use_deterministic_algorithms` is on (``warn_only=True``
    unless the caller had already switched it on strictly: an operation without a
    deterministic implementation warns rather than stopping a fit), cuDNN picks deterministic
    algorithms without benchmarking (``torch.backends.cudnn.deterministic = True``,
    ``benchmark = False``), and ``CUBLAS_WORKSPACE_CONFIG`` is ``":4096:8"`` unless it already
    holds a deterministic value. These are process-wide settings: another thread running
    PyTorch at the same time sees them too.

    Parameters
    ----------
    enabled : bool, default=True
        False runs the block with the settings untouched.
    """
    if not enabled:
        yield
        return
    cudnn = torch.backends.cudnn
    was_on = torch.are_deterministic_algorithms_enabled()
    was_warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
    saved_cudnn = (cudnn.deterministic, cudnn.benchmark)
    saved_cublas = os.environ.get("CUBLAS_WORKSPACE_CONFIG")
    try:
        torch.use_deterministic_algorithms(True, warn_only=was_warn_only if was_on else True)
        cudnn.deterministic, cudnn.benchmark = True, False
        if saved_cublas not in DETERMINISTIC_CUBLAS_CONFIGS:
            os.environ["CUBLAS_WORKSPACE_CONFIG"] = DETERMINISTIC_CUBLAS_CONFIGS[0]
        yield
    finally:
        torch.use_deterministic_algorithms(was_on, warn_only=was_warn_only)
        cudnn.deterministic, cudnn.benchmark = saved_cudnn
        if saved_cublas is None:
            os.environ.pop("CUBLAS_WORKSPACE_CONFIG", None)
        else:
            os.environ["CUBLAS_WORKSPACE_CONFIG"] = saved_cublas


@contextmanager
def seeded_torch(seed, device):
    """Run a block with torch's global generators seeded, restoring the caller's state after.

    Forking keeps a sampler from disturbing the random stream of the user's own torch code. On
    a CUDA device the block also runs under :func:`deterministic_torch`, so that the same seed
    gives the same result on the same GPU (the CPU is deterministic for a given thread count
    without it).
    """
    cuda_devices = [device] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=cuda_devices), deterministic_torch(bool(cuda_devices)):
        torch.manual_seed(seed)
        yield


class EpochOrder:
    """The row order of one training epoch: ``len(labels)`` row indices, cut into batches by
    the training loop.

    ``"shuffle"`` is a random permutation, every row once, so a class fills batches in
    proportion to its rows. ``"balanced"`` draws as many rows with replacement, each from a
    class chosen uniformly at random: a class of 4 rows among 1,000 then fills a tenth of
    every batch of ten classes instead of turning up about once in four batches of 64.
    """

    def __init__(self, labels, batch_sampling="shuffle"):
        self.batch_sampling = batch_sampling
        self.n_samples = len(labels)
        self.device = labels.device
        if batch_sampling == "balanced":
            # Rows grouped by class: a class's rows are by_class[starts[c] : starts[c] + counts[c]].
            # Every class index has rows (the indices come from the classes of y).
            self.by_class = torch.argsort(labels, stable=True)
            self.counts = torch.bincount(labels)
            self.starts = torch.cumsum(self.counts, 0) - self.counts

    def draw(self):
        """One epoch's row indices (a tensor of ``len(labels)`` on the labels' device)."""
        if self.batch_sampling == "shuffle":
            return torch.randperm(self.n_samples, device=self.device)
        classes = torch.randint(len(self.counts), (self.n_samples,), device=self.device)
        sizes = self.counts[classes]
        offsets = (torch.rand(self.n_samples, device=self.device) * sizes).long()
        # rand() < 1, but float rounding can still reach the class size.
        offsets = torch.minimum(offsets, sizes - 1)
        return self.by_class[self.starts[classes] + offsets]


def _integer_columns(X):
    """Which columns of a DataFrame hold integers (imblearn casts them back, truncating)."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(dtypes, "__iter__"):
        return None
    flags = []
    for dtype in dtypes:
        try:
            flags.append(np.issubdtype(np.dtype(dtype), np.integer))
        except TypeError:
            flags.append(False)
    return np.asarray(flags, dtype=bool)


class BaseImbganSampler(BaseOverSampler):
    """Base class of every imbgan sampler; not to be used directly.

    Subclasses implement :meth:`_fit_model` (learn from the validated rows) and
    :meth:`_generate_rows` (draw new rows for class indices).
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "image_shape": [tuple, list, None],
    }

    #: Whether the method only makes sense for images.
    _requires_images = False

    def fit_resample(self, X, y, **params):
        """Resample the dataset.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features) or image array
            Rows to resample. Images are either flattened rows (give ``image_shape``) or an array
            of shape ``(n, H, W)``, ``(n, H, W, C)`` or ``(n, C, H, W)``.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        X_resampled : same container and layout as ``X``
            The original rows, unchanged and first, followed by the generated rows.
        y_resampled : array-like of shape (n_samples_new,)
            The labels of ``X_resampled``.
        """
        self._input_layout = None
        if isinstance(X, np.ndarray) and X.ndim > 2:
            self._input_layout = ImageLayout.infer(X.shape, self.image_shape)
            X = self._input_layout.to_rows(X)
        self._integer_features = _integer_columns(X)
        X_user, self._table_layout = X, None
        categorical_features = getattr(self, "categorical_features", None)
        if self._input_layout is None and TableLayout.needed(X, categorical_features):
            # Mixed-type table: the engine works on numeric rows where a discrete column holds
            # category indices; the codec one-hot encodes them.
            if self.image_shape is not None:
                raise ValueError(
                    "image_shape is for images, but X has text, categorical or boolean "
                    "columns; use image_shape=None for tables."
                )
            self._table_layout = TableLayout(categorical_features).fit(X)
            self._integer_features = self._table_layout.integer_features
            X = self._table_layout.to_rows(X)
            if hasattr(X_user, "columns"):
                X = type(X_user)(X, columns=X_user.columns)
        X_resampled, y_resampled = super().fit_resample(X, y, **params)
        if self._input_layout is not None:
            X_resampled = self._input_layout.from_rows(X_resampled)
        if self._table_layout is not None:
            X_resampled = self._table_layout.append_generated(
                X_user, np.asarray(X_resampled)[len(X_user) :]
            )
        if hasattr(X_user, "columns") and hasattr(X_user, "iloc"):
            # Original rows keep their index; generated rows continue it.
            X_resampled.index = resampled_index(X_user.index, len(X_resampled) - len(X_user))
            if hasattr(y_resampled, "iloc"):  # a Series or DataFrame, not a list
                y_resampled.index = X_resampled.index
        return X_resampled, y_resampled

    def _check_X_y(self, X, y):
        X, y, binarize_y = super()._check_X_y(X, y)
        self._sparse_input = sparse.issparse(X)
        if self._sparse_input:
            check_dense_size(X.shape, X.dtype.itemsize, MAX_DENSE_MEGABYTES)
        check_feature_ranges(X, getattr(self, "feature_names_in_", None))
        return X, y, binarize_y

    def _resolve_image_shape(self, n_features):
        if self._input_layout is not None:
            return self._input_layout.image_shape
        if self.image_shape is None:
            return None
        shape = normalize_image_shape(self.image_shape)
        check_image_shape_matches(shape, n_features)
        return shape

    def _fit_resample(self, X, y):
        X_dense = X.toarray() if sparse.issparse(X) else np.asarray(X)
        if not hasattr(self, "_input_layout"):
            # Called without our fit_resample (e.g. by a subclass or a test of the private API).
            self._input_layout, self._integer_features = None, None
        self.image_shape_ = self._resolve_image_shape(X_dense.shape[1])
        if self._requires_images and self.image_shape_ is None:
            raise ValueError(
                f"{type(self).__name__} works on images only: pass image_shape=(C, H, W) for "
                "flattened image rows, or an image array (n, H, W), (n, H, W, C) or (n, C, H, W)."
            )
        self.classes_, y_index = np.unique(y, return_inverse=True)
        self.class_counts_ = np.bincount(y_index, minlength=len(self.classes_))
        random_state = check_random_state(self.random_state)

        self._fit_model(X_dense, y_index, random_state)

        new_index = self._new_class_index()
        X_new = self._new_rows(X_dense, y_index, new_index, random_state)
        X_new = X_new.astype(X_dense.dtype, copy=False)
        y_new = np.asarray(self.classes_[new_index], dtype=np.asarray(y).dtype)

        if sparse.issparse(X):
            X_resampled = sparse.vstack([X, sparse.csr_matrix(X_new)]).asformat(X.format)
        else:
            X_resampled = np.vstack([X_dense, X_new])
        return X_resampled, np.hstack([y, y_new])

    def _new_class_index(self):
        """The class index of each row ``fit_resample`` adds, class by class in the order of
        ``sampling_strategy_``."""
        class_index = {label: i for i, label in enumerate(self.classes_)}
        return np.concatenate(
            [np.full(count, class_index[label]) for label, count in self.sampling_strategy_.items()]
            + [np.empty(0, dtype=np.intp)]
        ).astype(np.intp)

    def generate(self, y, random_state=None):
        """Generate one new sample per entry of ``y``.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Class labels (as seen in ``fit_resample``) of the samples to generate. The result has
            exactly this many samples of each class.
        random_state : int, RandomState instance or None, default=None
            Seed of this draw; an int gives the same samples every call.

        Returns
        -------
        X_new : ndarray
            New samples in the feature space, dtype and layout of the training ``X``
            (2-D rows, or an image array of the same layout).
        """
        check_is_fitted(self, "classes_")
        labels = np.asarray(y).ravel()
        known = np.isin(labels, self.classes_)
        if not known.all():
            unknown = np.unique(labels[~known])[:5]
            raise ValueError(
                f"generate() got labels {unknown.tolist()} that were not seen in fit_resample; "
                f"the known classes are {self.classes_.tolist()}."
            )
        index = np.searchsorted(self.classes_, labels)
        rows = self._generate_rows(index, check_random_state(random_state))
        if self._input_layout is not None:
            return self._input_layout.from_rows(rows)
        if getattr(self, "_table_layout", None) is not None:
            return self._table_layout.from_rows(rows)
        return rows

    def _fit_model(self, X, y_index, random_state):
        raise NotImplementedError

    def _new_rows(self, X, y_index, class_index, random_state):
        """The rows ``fit_resample`` adds: one of each class index in ``class_index``, in that
        order; ``X`` and ``y_index`` are the validated training rows and their class indices."""
        return self._generate_rows(class_index, random_state)

    def _generate_rows(self, class_index, random_state):
        raise NotImplementedError


class BaseGANSampler(BaseImbganSampler):
    """Base class of the GAN samplers; not to be used directly.

    A subclass implements:

    - ``_build_networks(spec, data, labels)``: create the networks as fitted attributes
      (``generator_``, ...) from the data shape (and, where a method needs them, the encoded
      training rows and class indices already on the device) and return a dict
      ``{optimizer name: module}``; with a ``learning_rate`` pair the ``"generator"`` and
      ``"autoencoder"`` optimisers use the first rate, every other one the second.
    - ``_train_step(real, labels)``: one update on a batch of encoded real rows and their class
      indices (tensors on ``device_``); returns a dict of detached scalar loss tensors.
    - optionally ``_generate_batch(labels)``: encoded rows for class indices (default
      ``generator_(z, labels)`` with ``z ~ N(0, I)``), and ``_before_adversarial_training``
      (e.g. autoencoder pretraining).

    and declares ``_network_attributes``, the fitted attributes that hold its networks. Steps
    that some methods share (an autoencoder phase, several critic steps per generator step)
    are mixins in ``imbgan.over_sampling._steps``.
    """

    _parameter_constraints: dict = {
        **BaseImbganSampler._parameter_constraints,
        "latent_dim": [Interval(Integral, 1, None, closed="left")],
        "network_width": [Interval(Real, 0, None, closed="neither")],
        "epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "batch_size": [Interval(Integral, 2, None, closed="left")],
        "batch_sampling": [StrOptions({"shuffle", "balanced"})],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), tuple, list],
        "device": [str, torch.device],
        "verbose": ["verbose"],
        "callbacks": [list, None],
        "generated_share": [Interval(Real, 0, 1, closed="both")],
        "selection": [StrOptions({"confidence"}), None],
        "selection_candidates": [Interval(Real, 1, None, closed="left")],
        "selection_classifier": [HasMethods(["fit", "predict_proba"]), None],
        "near_copy_ratio": [Interval(Real, 0, None, closed="left")],
        "generator_ema": [Interval(Real, 0, 1, closed="left"), None],
    }

    #: Adam's (beta1, beta2); beta1 = 0.5 as recommended for GANs by Radford et al. (DCGAN).
    _adam_betas = (0.5, 0.999)

    #: Training steps (batches) that ``epochs="auto"`` aims for with up to
    #: ``_auto_reference_classes`` classes: about what the conditional GANs need on the digits
    #: (measured: 800 steps give 95-98% generated-image accuracy).
    _auto_training_steps = 800

    #: The number of classes ``_auto_training_steps`` was measured with (the ten digits). Every
    #: batch is shared between the classes, so with more classes ``epochs="auto"`` adds steps
    #: in proportion: each class gets as many updates as one of the ten digits. On the digits
    #: the steps a conditional GAN needed grew with the classes (about 200 for 2, 400-800 for 5,
    #: 800-1600 for 10; ``benchmarks/auto_steps_classes.py``).
    _auto_reference_classes = 10

    #: Attributes a method sets for training only; the engine drops them after training.
    _training_only_attributes = ()

    #: Fitted attributes that hold the method's torch modules (an attribute may be None): the
    #: engine moves them between devices, switches them between training and evaluation mode
    #: and pickles them on the CPU. ``None`` (a subclass that declares nothing) takes every
    #: torch module among the sampler's attributes.
    _network_attributes = None

    #: Build the judge of ``selection`` when ``selection_classifier`` is None, for tables and
    #: for images: the plain 1-NN classifier (accepted candidates in the order drawn). A method
    #: may judge images with :class:`NearestRowClassifier` (the most typical accepted
    #: candidates first); tables keep the plain one, since on German credit cGAN's most typical
    #: rows moved the class boundary less than its others.
    _table_judge = staticmethod(nearest_neighbour_selection_classifier)
    _image_judge = staticmethod(nearest_neighbour_selection_classifier)

    #: Optimisers that take the first rate of a ``learning_rate`` pair; all others the second.
    _generator_side_optimizers = ("generator", "autoencoder")

    # ------------------------------------------------------------------ fitting

    def _fit_model(self, X, y_index, random_state):
        self.device_ = resolve_device(self.device)
        table = getattr(self, "_table_layout", None)
        self.codec_ = DataCodec(
            per_feature=self.image_shape_ is None,
            integer_features=self._integer_features,
            discrete_features=None if table is None else table.discrete_sizes,
            snap_zeros=getattr(self, "_sparse_input", False),
            mode_specific=getattr(self, "continuous_encoding", "min-max") == "mode-specific",
        ).fit(X)
        self.spec_ = DataSpec(
            self.codec_.n_codes_,
            len(self.classes_),
            self.image_shape_,
            discrete_groups=self.codec_.discrete_groups_,
        )
        self.n_epochs_ = self._resolve_epochs(len(X))
        callbacks = self._checked_callbacks()
        seed = int(random_state.randint(MAX_SEED))
        with seeded_torch(seed, self.device_):
            data = torch.as_tensor(self.codec_.encode(X), device=self.device_)
            labels = torch.as_tensor(y_index, dtype=torch.long, device=self.device_)
            modules = self._build_networks(self.spec_, data, labels)
            for module in modules.values():
                module.to(self.device_)
            self._optimizers = {
                name: self._make_optimizer(name, module) for name, module in modules.items()
            }
            self.history_ = {}
            try:
                self._before_adversarial_training(data, labels)
                self._start_generator_average(modules.get("generator"))
                self._set_train_mode(True)
                self._run_epochs(
                    self._train_step,
                    data,
                    labels,
                    self.n_epochs_,
                    "GAN",
                    callbacks,
                    batch_sampling=self.batch_sampling,
                )
                self._finish_generator_average(modules.get("generator"))
            finally:
                # Optimiser state and training-only tensors are not part of the fitted model
                # (and a GPU tensor in a pickle would not load on a CPU-only machine).
                for name in (
                    "_optimizers",
                    "_generator_average",
                    "_generator_average_steps",
                    *self._training_only_attributes,
                ):
                    self.__dict__.pop(name, None)
                self._set_train_mode(False)
                for module in self._modules().values():
                    bake_parametrizations(module)

    def _make_optimizer(self, name, module):
        """Adam for the parameters of ``module`` (a method may override, e.g. for sparse ones).

        On CUDA the fused implementation updates every parameter of the module in a few
        kernels, with its step counts on the device, so an update needs no host round trip. On
        the CPU the multi-tensor ("foreach") one: it gives the same numbers, bit for bit, as the
        default per-parameter loop, in fewer operations (fused differs in the last bits).
        """
        options = {"fused": True} if self.device_.type == "cuda" else {"foreach": True}
        return torch.optim.Adam(
            module.parameters(), lr=self._learning_rate_for(name), betas=self._adam_betas, **options
        )

    def _learning_rate_for(self, optimizer_name):
        rate = self.learning_rate
        if isinstance(rate, (tuple, list)):
            if len(rate) != 2 or not all(isinstance(r, Real) and r > 0 for r in rate):
                raise ValueError(
                    "learning_rate must be a positive float or a pair (generator_rate, "
                    f"discriminator_rate) of positive floats, got {rate!r}."
                )
            return float(rate[0] if optimizer_name in self._generator_side_optimizers else rate[1])
        return float(rate)

    def _batches_per_epoch(self, n_samples):
        # Floor division keeps every batch at least batch_size long (or the whole data), so
        # batch normalisation never sees a batch of one.
        return max(1, n_samples // self.batch_size)

    def _resolve_epochs(self, n_samples):
        """``epochs``, or for ``"auto"`` enough passes for about :meth:`_auto_steps` batches: a
        GAN needs a number of updates, which small data sets reach only with more passes."""
        if self.epochs != "auto":
            return int(self.epochs)
        return math.ceil(self._auto_steps() / self._batches_per_epoch(n_samples))

    def _auto_steps(self):
        """The training steps of ``epochs="auto"``: ``_auto_training_steps``, times the number
        of classes over ``_auto_reference_classes`` when there are more classes than that.

        Fewer classes keep ``_auto_training_steps``, the setting every recorded benchmark was
        measured with. The image size does not enter: on 28 x 28 digits 1.5 and 2 times the
        steps of the 8 x 8 digits did not help (benchmarks/README.md).
        """
        extra_classes = max(1.0, self.spec_.n_classes / self._auto_reference_classes)
        return math.ceil(self._auto_training_steps * extra_classes)

    def _checked_callbacks(self):
        callbacks = list(self.callbacks or ())
        for callback in callbacks:
            if not callable(callback):
                raise TypeError(
                    f"callbacks must be a list of callables callback(sampler, epoch, losses); "
                    f"got {callback!r}."
                )
        return callbacks

    def _run_epochs(
        self, step, data, labels, n_epochs, phase, callbacks=(), batch_sampling="shuffle"
    ):
        """Run ``n_epochs`` passes of ``step(batch, batch_labels)`` over batches drawn by
        ``batch_sampling`` (see :class:`EpochOrder`).

        Losses stay on the device during an epoch and are read once at its end, which keeps the
        loop free of per-step host synchronisation. Each epoch's mean losses are appended to
        ``history_``; a NaN or infinite loss stops training with :class:`TrainingDivergedError`.
        Then each of ``callbacks`` sees the epoch; one that returns True ends the phase.
        """
        n_samples = data.shape[0]
        n_batches = self._batches_per_epoch(n_samples)
        epoch_order = EpochOrder(labels, batch_sampling)
        progress = tqdm(
            range(n_epochs),
            desc=f"{type(self).__name__} {phase}",
            disable=not self.verbose,
            leave=False,
        )
        for epoch in progress:
            order = epoch_order.draw()
            totals, counts = {}, {}
            for batch in torch.tensor_split(order, n_batches):
                for name, value in step(data[batch], labels[batch]).items():
                    totals[name] = totals.get(name, 0.0) + value.detach()
                    counts[name] = counts.get(name, 0) + 1
            if not totals:
                continue
            means = torch.stack([totals[name] / counts[name] for name in totals]).tolist()
            epoch_losses = dict(zip(totals, means))
            for name, value in epoch_losses.items():
                self.history_.setdefault(name, []).append(value)
            bad = {name: value for name, value in epoch_losses.items() if not math.isfinite(value)}
            if bad:
                raise TrainingDivergedError(
                    f"{type(self).__name__} diverged in {phase} epoch {epoch + 1}: losses {bad}. "
                    f"Try a lower learning_rate (now {self.learning_rate!r}), a larger batch_size, "
                    "or a more stable loss (loss='lsgan' or 'wgan-gp' where available)."
                )
            if self.verbose:
                progress.set_postfix({name: f"{value:.3f}" for name, value in epoch_losses.items()})
            if callbacks and self._callbacks_stop(callbacks, epoch + 1, epoch_losses):
                break

    def _callbacks_stop(self, callbacks, epoch, losses):
        """Call every callback (all of them, even after one asks to stop); True to stop."""
        stop = False
        for callback in callbacks:
            stop = bool(callback(self, epoch, dict(losses))) or stop
        # generate() inside a callback switches the networks to evaluation mode.
        self._set_train_mode(True)
        return stop

    def _update(self, optimizer_name, loss):
        """One optimiser step of ``optimizer_name`` on ``loss``; after a generator step the
        moving average of the generator's weights follows (``generator_ema``)."""
        optimizer = self._optimizers[optimizer_name]
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if optimizer_name == "generator" and "_generator_average" in self.__dict__:
            self._update_generator_average()

    def _start_generator_average(self, generator):
        """With ``generator_ema``, start an exponential moving average of the weights (and
        floating-point batch-norm statistics) of the module the ``"generator"`` optimiser trains
        (Yazici et al., 2019: the average of a GAN's iterates draws better samples than the last
        one). Written with foreach ops rather than torch's ``AveragedModel``, whose update reads
        a step counter on the host: that would be a device-to-host sync in every step on CUDA."""
        if self.generator_ema is None or generator is None:
            return
        live = [*generator.parameters(), *(b for b in generator.buffers() if b.is_floating_point())]
        self._generator_average = (live, [t.detach().clone() for t in live])
        self._generator_average_steps = 0

    def _update_generator_average(self):
        """One step of the average. The decay warms up as ``min(generator_ema, (1 + t) / (10 +
        t))`` after ``t`` updates (the schedule of TensorFlow's ``ExponentialMovingAverage``):
        without it a fit of a few hundred steps at a decay of 0.999 would keep about half of the
        untrained initial weights in the average. The step count is a host integer, so the
        update needs no device sync."""
        live, average = self._generator_average
        self._generator_average_steps += 1
        steps = self._generator_average_steps
        decay = min(self.generator_ema, (1.0 + steps) / (10.0 + steps))
        with torch.no_grad():
            torch._foreach_lerp_(average, [t.detach() for t in live], 1.0 - decay)

    def _finish_generator_average(self, generator):
        """Put the averaged weights into the generator that draws the samples."""
        averaged = self.__dict__.get("_generator_average")
        if averaged is not None:
            live, average = averaged
            with torch.no_grad():
                for tensor, mean in zip(live, average):
                    tensor.copy_(mean)

    def _set_train_mode(self, training):
        for module in self._modules().values():
            module.train(training)

    def _modules(self):
        """The sampler's torch modules by attribute name (see ``_network_attributes``)."""
        names = self._network_attributes
        if names is None:
            names = list(vars(self))
        modules = {name: self.__dict__.get(name) for name in names}
        return {name: m for name, m in modules.items() if isinstance(m, torch.nn.Module)}

    # ------------------------------------------------------------ sampling helpers

    def _sample_latent(self, n_samples):
        return torch.randn(n_samples, self.latent_dim, device=self.device_)

    def _sample_labels(self, n_samples):
        """Balanced class indices for generated batches: uniform over all classes, so that
        minority classes get as many generator updates as the majority (Mariani et al.)."""
        return torch.randint(len(self.classes_), (n_samples,), device=self.device_)

    # ------------------------------------------------------------------ generation

    def _generate_batch(self, labels):
        return self.generator_(self._sample_latent(len(labels)), labels)

    def _generate_codes(self, class_index, random_state):
        """Encoded rows (the networks' [-1, 1] space) for class indices, drawn in chunks."""
        seed = int(random_state.randint(MAX_SEED))
        chunks = []
        self._set_train_mode(False)
        with seeded_torch(seed, self.device_), torch.no_grad():
            labels = torch.as_tensor(class_index, dtype=torch.long, device=self.device_)
            for start in range(0, len(labels), GENERATION_CHUNK):
                batch = self._generate_batch(labels[start : start + GENERATION_CHUNK])
                chunks.append(batch.float().cpu().numpy())
        return (
            np.concatenate(chunks)
            if chunks
            else np.empty((0, self.spec_.n_features), dtype=np.float32)
        )

    def _generate_rows(self, class_index, random_state):
        return self.codec_.decode(self._generate_codes(class_index, random_state))

    def _new_rows(self, X, y_index, class_index, random_state):
        """Generated rows (selected when ``selection`` is set) and, for ``generated_share`` < 1
        or candidates that fail selection, copies of real rows of the same class.

        Each class's block holds its generated rows first, then its copies; blocks come in the
        order of ``class_index``.
        """
        if len(class_index) == 0 or (self.generated_share == 1.0 and self.selection is None):
            self.copied_from_ = np.full(len(class_index), -1, dtype=np.intp)
            return self._generate_rows(class_index, random_state)
        labels, first = np.unique(class_index, return_index=True)
        labels = labels[np.argsort(first)]
        n_new = {label: int((class_index == label).sum()) for label in labels}
        n_generated = {label: round(self.generated_share * n_new[label]) for label in labels}
        generated = self._generated_rows_by_class(X, y_index, n_generated, random_state)
        blocks, sources = [], []
        for label in labels:
            n_copies = n_new[label] - len(generated[label])
            copies = random_state.choice(np.flatnonzero(y_index == label), n_copies)
            blocks += [generated[label].astype(X.dtype, copy=False), X[copies]]
            sources += [np.full(len(generated[label]), -1, dtype=np.intp), copies]
        self.copied_from_ = np.concatenate(sources).astype(np.intp)
        return np.concatenate(blocks)

    def _generated_rows_by_class(self, X, y_index, n_generated, random_state):
        """Decoded generated rows per class: ``n_generated[c]`` draws, or with ``selection``
        the best of ``selection_candidates`` times as many (possibly fewer than asked)."""
        labels = list(n_generated)
        if self.selection is None:
            index = np.repeat(labels, [n_generated[label] for label in labels])
            rows = self._generate_rows(index, random_state)
            return {label: rows[index == label] for label in labels}
        n_candidates = [math.ceil(self.selection_candidates * n_generated[c]) for c in labels]
        index = np.repeat(labels, n_candidates)
        candidates = self._generate_codes(index, random_state)
        judge = self.selection_classifier
        if judge is None:
            judge = self._default_selection_classifier()
        selector = ConfidenceSelector(judge, self.near_copy_ratio)
        selector.fit(self.codec_.encode(X), y_index)
        kept, counts = selector.select(candidates, index, n_generated)
        self.selection_counts_ = {
            name: {np.asarray(self.classes_[c]).item(): n for c, n in per_class.items()}
            for name, per_class in counts.items()
        }
        return {label: self.codec_.decode(candidates[kept[label]]) for label in labels}

    def _default_selection_classifier(self):
        """The judge of ``selection`` when ``selection_classifier`` is None."""
        return self._table_judge() if self.image_shape_ is None else self._image_judge()

    # ------------------------------------------------------------------ hooks

    def _build_networks(self, spec, data, labels):
        raise NotImplementedError

    def _train_step(self, real, labels):
        raise NotImplementedError

    def _before_adversarial_training(self, data, labels):
        """Hook run once before the adversarial epochs (BAGAN's autoencoder, for example)."""

    # ------------------------------------------------------------------ persistence

    def __getstate__(self):
        # Networks are pickled on the CPU so that a sampler fitted on a GPU loads anywhere.
        state = super().__getstate__()
        for name, value in self._modules().items():
            # Buffers too: BAGAN's latent sampler holds only buffers, no parameters.
            tensors = [*value.parameters(), *value.buffers()]
            on_cpu = all(t.device.type == "cpu" for t in tensors)
            state[name] = value if on_cpu else copy.deepcopy(value).cpu()
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        device = getattr(self, "device_", None)
        if device is None:
            return
        if device.type == "cuda" and not torch.cuda.is_available():
            self.device_ = torch.device("cpu")
        for module in self._modules().values():
            module.to(self.device_)
