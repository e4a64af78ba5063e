"""Float reference of the pair-based rules, straight from the equations (Δt = t_post − t_pre):

STDP:     Δw =  A_pre · exp(−Δt/τ_pre)  (Δt > 0),   Δw = A_post · exp(Δt/τ_post)  (Δt < 0)
all-LTD:  Δw = −A_pre · exp(−Δt/τ_pre)  (Δt > 0),   Δw = A_post · exp(Δt/τ_post)  (Δt < 0)

Tests drive spike pairs through Lava and compare with these values.
"""
from __future__ import annotations

import math

from neurokit.ir import LearningRule


def pair_delta_w(rule: LearningRule, dt_ms: float, *, potentiate: bool | None = None) -> float:
    """Weight change of one pre/post pair `dt_ms` = t_post − t_pre apart, in IR weight units.
    For the supervised rule, `potentiate` says whether the post neuron is in the labelled group
    (STDP) or not (all-LTD)."""
    if dt_ms == 0:
        return 0.0
    if dt_ms < 0:
        return rule.a_post * math.exp(dt_ms / rule.tau_post_ms)
    stdp = rule.kind == "stdp" or (rule.kind == "stdp_all_ltd" and potentiate)
    sign = 1.0 if stdp else -1.0
    return sign * rule.a_pre * math.exp(-dt_ms / rule.tau_pre_ms)
