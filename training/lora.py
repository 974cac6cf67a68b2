"""Low-rank adapters (LoRA, Hu et al. 2021) for the encoder's linear layers.

Why our own ~80 lines and not ``peft``: the repository ships only what training
changed (the adapters and the classification head), and the run-time model is the
base with the adapters *merged* into its weights, so the one operation that matters
after training is ``W + (alpha / r) * B @ A``.  Owning it keeps the saved names,
the merge and the checkpoint format under our control, with no extra dependency.

Targets are the attention projections (``q``, ``k``, ``v``, ``o`` in MPNet; ``query``,
``key``, ``value`` and the attention ``dense`` in BERT-likes) and the feed-forward
``dense`` layers, inside the encoder's layers only; everything else is frozen except
the classifier, which is trained in full.
"""
from __future__ import annotations

import math
from typing import Iterable

import torch
from torch import nn

DEFAULT_TARGETS: tuple[str, ...] = ("q", "k", "v", "o", "query", "key", "value", "dense")
LORA_KEYS: tuple[str, ...] = ("lora_a", "lora_b")


class LoRALinear(nn.Module):
    """``base(x) + scale * dropout(x) @ A^T @ B^T`` with ``base`` frozen.

    B starts at zero, so an adapted model begins exactly as the base model.
    """

    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float = 0.0) -> None:
        super().__init__()
        self.base = base
        for p in self.base.parameters():
            p.requires_grad_(False)
        self.r, self.alpha, self.scale = r, alpha, alpha / r
        self.lora_a = nn.Parameter(torch.empty(r, base.in_features))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, r))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (self.dropout(x) @ self.lora_a.t() @ self.lora_b.t()) * self.scale

    def delta(self) -> torch.Tensor:
        """What the adapter adds to the base weight (out x in)."""
        return (self.lora_b @ self.lora_a) * self.scale


def _is_target(name: str, targets: Iterable[str]) -> bool:
    """A linear layer inside ``encoder.layer.N`` whose last name part is a target."""
    return ".layer." in f".{name}" and name.rsplit(".", 1)[-1] in set(targets)


def apply_lora(model: nn.Module, r: int, alpha: float, dropout: float = 0.0,
               targets: Iterable[str] = DEFAULT_TARGETS, trainable: Iterable[str] = ("classifier",)) -> list[str]:
    """Wrap the target linears in place, freeze the rest but ``trainable``; return the wrapped names."""
    targets = tuple(targets)
    for p in model.parameters():
        p.requires_grad_(False)
    wrapped: list[str] = []
    for name, module in list(model.named_modules()):
        if isinstance(module, nn.Linear) and _is_target(name, targets):
            parent_name, _, child = name.rpartition(".")
            setattr(model.get_submodule(parent_name), child, LoRALinear(module, r, alpha, dropout))
            wrapped.append(name)
    if not wrapped:
        raise ValueError(f"no linear layer named {targets} inside the encoder's layers")
    for name, p in model.named_parameters():
        if any(name.startswith(t + ".") for t in trainable):
            p.requires_grad_(True)
    return wrapped


def trainable_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """The parameters training changes (adapters and head), by their names in the adapted model."""
    return {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}


def load_trainable_state(model: nn.Module, state: dict[str, torch.Tensor]) -> None:
    """Put saved adapters and head back; every trainable name must be present."""
    params = dict(model.named_parameters())
    missing = [n for n, p in params.items() if p.requires_grad and n not in state]
    unknown = [n for n in state if n not in params]
    if missing or unknown:
        raise ValueError(f"adapter state does not fit the model: missing {missing[:3]}, unknown {unknown[:3]}")
    with torch.no_grad():
        for n, t in state.items():
            params[n].copy_(t.to(params[n].dtype))


def merged_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """A plain state dict of the model with every adapter folded into its base weight."""
    merged: dict[str, torch.Tensor] = {}
    adapters = {n: m for n, m in model.named_modules() if isinstance(m, LoRALinear)}
    for name, tensor in model.state_dict().items():
        prefix, _, leaf = name.rpartition(".")
        if leaf in LORA_KEYS:
            continue
        owner = prefix.removesuffix(".base")
        if prefix.endswith(".base") and owner in adapters:
            name = f"{owner}.{leaf}"
            if leaf == "weight":
                tensor = tensor + adapters[owner].delta().detach()
        merged[name] = tensor.detach().clone()
    return merged
