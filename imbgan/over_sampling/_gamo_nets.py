"""GAMO's convex generator (Mullick, Datta and Das, 2019, section 3): the networks only.

``G(z | i) = g_i(t(z | i))^T X_i`` (eq. 1): a shared conditional transient mapping unit ``t``
(:class:`ConditionalTransientMappingUnit`, the cTMU) and one instance generation unit ``g_i``
per oversampled class (:class:`InstanceGenerationUnit`, the IGU), assembled in
:class:`ConvexGenerator`. How they are trained is :mod:`imbgan.over_sampling._gamo`.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from ..nets import one_hot, scaled_width

#: Width of the cTMU's hidden layer and of its output (the intermediate space), as in the
#: authors' MNIST code.
TRANSIENT_WIDTHS = (256, 64)

#: Most entries of one (samples x class rows) weight matrix built at a time when generating
#: with every row as an anchor: 2**22 float32 values are 16 MiB, so generation memory stays
#: proportional to the class size even for classes of hundreds of thousands of rows.
MAX_MIXING_ENTRIES = 2**22


class ConditionalTransientMappingUnit(nn.Module):
    """The cTMU: ``[z, one_hot(i)] -> (Linear, ReLU, BatchNorm)* ->`` intermediate vector.

    Shared by all classes, so that the per-class part of the generator (the IGUs) stays a single
    linear layer each; this is how the paper limits the model's size.

    Parameters
    ----------
    latent_dim : int
        Size of ``z``.
    n_classes : int
        Number of classes (length of the one-hot condition).
    widths : tuple of int, default=TRANSIENT_WIDTHS
        Units of each layer; the last one is the size of the intermediate space.
    """

    def __init__(self, latent_dim, n_classes, widths=TRANSIENT_WIDTHS):
        super().__init__()
        self.n_classes = n_classes
        layers, width = [], latent_dim + n_classes
        for units in widths:
            # Dense -> ReLU -> BatchNorm, in the order of the authors' Keras model.
            layers += [nn.Linear(width, units), nn.ReLU(), nn.BatchNorm1d(units)]
            width = units
        self.body = nn.Sequential(*layers)
        self.out_features = width

    def forward(self, latent, labels):
        return self.body(torch.cat([latent, one_hot(labels, self.n_classes)], dim=1))


class InstanceGenerationUnit(nn.Module):
    """An IGU: intermediate vector -> softmax weights over real rows of one class.

    The paper's IGU is a linear layer with one output per real row of the class, followed by a
    softmax; a generated row is ``weights @ rows`` (eq. 1): non-negative weights summing to one,
    hence a convex combination of the class's rows. Here row ``j``'s output weights and bias
    are row ``j`` of an embedding table (``logits``), so that a step that mixes only some rows
    looks up, and gives sparse gradients to, only those rows.

    With ``n_anchors=None``, or a class of at most ``n_anchors`` rows, every row is mixed
    (eq. 1 exactly). Otherwise each group of at most ``group_size`` generated rows mixes
    ``n_anchors`` distinct rows of the class drawn uniformly (with torch's global generator),
    the softmax running over those anchors only: the result is still a convex combination of
    the class's rows, and the cost of a group no longer grows with the class. The class's rows
    are a constant buffer (moved and pickled with the module, never trained); no matrix of size
    (rows x rows) is ever built.

    Parameters
    ----------
    in_features : int
        Size of the intermediate vector.
    class_rows : torch.Tensor of shape (n_rows, n_features)
        The encoded real rows of the class.
    n_anchors : int or None, default=None
        Rows mixed per group; None mixes every row.
    group_size : int or None, default=None
        Generated rows that share one draw of anchors; None: all rows of a call share one.
    """

    def __init__(self, in_features, class_rows, n_anchors=None, group_size=None):
        super().__init__()
        n_rows = class_rows.shape[0]
        self.n_anchors = n_anchors
        self.group_size = group_size
        # Row j: the weights and the bias of the softmax input of row j, initialised as
        # torch.nn.Linear(in_features, n_rows) initialises its weights and biases.
        self.logits = nn.Embedding(n_rows, in_features + 1, sparse=True)
        bound = 1.0 / in_features**0.5
        nn.init.uniform_(self.logits.weight, -bound, bound)
        self.register_buffer("rows", class_rows.detach().clone())

    @property
    def draws_anchors(self):
        """Whether a group mixes a random subset of the rows rather than all of them."""
        return self.n_anchors is not None and self.rows.shape[0] > self.n_anchors

    def _anchors(self):
        """Indices of the rows one group mixes; None for all of them."""
        if not self.draws_anchors:
            return None
        return torch.randperm(self.rows.shape[0], device=self.rows.device)[: self.n_anchors]

    def _weights_over(self, transient, anchors):
        """Softmax weights of shape ``(batch, n_anchors)`` over the anchor rows."""
        index = anchors
        if index is None:
            index = torch.arange(self.rows.shape[0], device=self.rows.device)
        table = self.logits(index)
        return torch.softmax(F.linear(transient, table[:, :-1], table[:, -1]), dim=1)

    def _groups(self, transient):
        if self.draws_anchors:
            size = self.group_size or len(transient)
        elif torch.is_grad_enabled():
            # Training needs the whole batch's weights for the gradient anyway.
            size = len(transient)
        else:
            # Without autograd, mixing a chunk at a time bounds the memory of large batches.
            size = MAX_MIXING_ENTRIES // self.rows.shape[0]
        return torch.split(transient, max(1, size)) if len(transient) else ()

    def mixing_weights(self, transient):
        """Convex weights of shape ``(batch, n_rows)`` over all the class's rows: non-negative,
        each row summing to one, zero outside the anchors of the sample's group."""
        parts = []
        for part in self._groups(transient):
            anchors = self._anchors()
            weights = self._weights_over(part, anchors)
            if anchors is not None:
                weights = weights.new_zeros(len(part), self.rows.shape[0]).index_put_(
                    (torch.arange(len(part), device=part.device)[:, None], anchors[None, :]),
                    weights,
                )
            parts.append(weights)
        return torch.cat(parts) if parts else transient.new_zeros((0, self.rows.shape[0]))

    def forward(self, transient):
        pieces = []
        for part in self._groups(transient):
            anchors = self._anchors()
            rows = self.rows if anchors is None else self.rows[anchors]
            pieces.append(self._weights_over(part, anchors) @ rows)
        return torch.cat(pieces) if pieces else transient.new_zeros((0, self.rows.shape[1]))


class ConvexGenerator(nn.Module):
    """GAMO's generator ``G(z | i)``: a shared cTMU and one IGU per oversampled class.

    Parameters
    ----------
    latent_dim : int
        Size of ``z``.
    n_classes : int
        Number of classes.
    n_anchors : int or None, default=None
        Rows each IGU mixes per group of generated rows; None mixes every row of the class.
    group_size : int or None, default=None
        Generated rows of a class that share one draw of anchors.
    width : float, default=1.0
        Multiplies the units of the cTMU's layers (the ``network_width`` parameter).

    Attributes
    ----------
    transient : ConditionalTransientMappingUnit
        The shared cTMU.
    instance_units : torch.nn.ModuleDict
        The IGUs, keyed by the class index as a string; classes that receive no new samples
        have none.
    """

    def __init__(self, latent_dim, n_classes, n_anchors=None, group_size=None, width=1.0):
        super().__init__()
        widths = tuple(scaled_width(units, width) for units in TRANSIENT_WIDTHS)
        self.transient = ConditionalTransientMappingUnit(latent_dim, n_classes, widths)
        self.instance_units = nn.ModuleDict()
        self.n_anchors = n_anchors
        self.group_size = group_size

    def add_instance_unit(self, class_index, class_rows):
        """Create the IGU of a class from its encoded real rows and return it."""
        unit = InstanceGenerationUnit(
            self.transient.out_features, class_rows, self.n_anchors, self.group_size
        )
        self.instance_units[str(int(class_index))] = unit.to(class_rows.device)
        return unit

    @property
    def unit_classes(self):
        """Class indices that have an IGU, in increasing order."""
        return sorted(int(key) for key in self.instance_units)

    def mixing_weights(self, latent, class_index):
        """The convex weights, over all the class's rows, that the IGU of ``class_index`` gives
        for each latent vector (zero outside the anchors a group drew)."""
        labels = torch.full((len(latent),), int(class_index), device=latent.device)
        return self._unit(class_index).mixing_weights(self.transient(latent, labels))

    def _unit(self, class_index):
        key = str(int(class_index))
        if key not in self.instance_units:
            raise ValueError(
                f"GAMO has no instance generation unit for class index {int(class_index)}: it "
                "only generates for classes that sampling_strategy oversamples. Refit with a "
                "sampling_strategy that gives this class new samples."
            )
        return self.instance_units[key]

    def forward(self, latent, labels):
        transient = self.transient(latent, labels)
        present = torch.unique(labels).tolist()
        positions, pieces = [], []
        for class_index in present:
            unit = self._unit(class_index)
            where = torch.nonzero(labels == class_index).squeeze(1)
            positions.append(where)
            pieces.append(unit(transient[where]))
        if not pieces:
            return transient.new_empty((0, 0))
        # Put the per-class outputs back in the order of ``labels``.
        order = torch.argsort(torch.cat(positions))
        return torch.cat(pieces)[order]

    def forward_grouped(self, latent, counts):
        """Rows for ``counts[k]`` samples of the k-th class of :attr:`unit_classes`, grouped
        in that order, and their class indices.

        :meth:`forward` has to read its labels back from the device to group them by class;
        here the counts are already on the host, so a training step never waits for the
        device.
        """
        # Classes drawn no rows are left out: their IGUs then get no gradient (not a zero one,
        # which would still move their rows' logits by the optimiser's momentum).
        drawn = [(c, count) for c, count in zip(self.unit_classes, counts) if count > 0]
        labels = torch.cat(
            [
                torch.full((count,), class_index, dtype=torch.long, device=latent.device)
                for class_index, count in drawn
            ]
        )
        transient = self.transient(latent, labels)
        pieces = transient.split([count for _, count in drawn])
        rows = torch.cat([self._unit(c)(piece) for (c, _), piece in zip(drawn, pieces)])
        return rows, labels
