"""Local learning rules and pruning timers attached to a plastic connection (Δt = t_post − t_pre).

STDP:     Δw =  A_pre · exp(−Δt/τ_pre)   for Δt > 0;   Δw = A_post · exp(Δt/τ_post)  for Δt < 0
all-LTD:  Δw = −A_pre · exp(−Δt/τ_pre)   for Δt > 0;   Δw = A_post · exp(Δt/τ_post)  for Δt < 0
(A_pre > 0, A_post < 0.) With `w_decay` = λ > 0, every spike of the post neuron also removes the
fraction λ of each of its weights (heterosynaptic depression, Δw = −λ·w on all its synapses,
silent inputs included): with potentiation A_pre·x1 at the same spikes the weights settle at
w ≈ (A_pre/λ)·E[x1 | post spike], a scaled average of the inputs the neuron answers (Oja's
normalisation, which Diehl & Cook get by rescaling the weights off-chip); with
`w_decay_labelled_only` only the neurons of the sample's class group decay.

`stdp_all_ltd` is the supervised combination: the target population is split into one equal
group per class; while a sample of class c is shown, synapses into group c learn by STDP and
synapses into every other neuron learn by all-LTD (a silent neuron has no post spikes, so only
neurons that fire change); `ltd_scale` s scales that all-LTD: Δw = −s·A_pre·exp(−Δt/τ_pre).
With `teacher` = f > 0 the host also writes, before each training sample, a bias into the
neurons of the sample's class group that alone would hold their voltage at f·v_th
(b = f·v_th·δv, δv the voltage decay per step): they reach threshold first, so their inhibition
keeps the other groups (and their all-LTD) quiet, while within the group the input still picks
the winner.

Pruning ("use it or lose it"): w(t) = w(t_s) · exp(−k_p · ((t − t_s)/τ_prun)²), t_s the last
spike of the presynaptic neuron.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from neurokit.ir.base import IRModel


class LearningRule(IRModel):
    kind: Literal["stdp", "all_ltd", "stdp_all_ltd"]
    a_pre: float = Field(gt=0, description="amplitude for pre-before-post pairs")
    a_post: float = Field(lt=0, description="amplitude for post-before-pre pairs (negative)")
    tau_pre_ms: float = Field(gt=0)
    tau_post_ms: float = Field(gt=0)
    w_min: float = Field(0.0, ge=0)
    w_max: float = Field(gt=0)
    epoch_steps: int = Field(1, ge=1, description="learning epoch t_epoch, in time steps")
    w_decay: float = Field(0.0, ge=0, lt=1, description="fraction λ of every weight onto a neuron removed at each "
                                                        "of its spikes (Δw = −λ·w); 0: off")
    w_decay_labelled_only: bool = Field(False, description="stdp_all_ltd: only neurons of the sample's class "
                                                           "group decay (the class gate multiplies the product)")
    ltd_scale: float = Field(1.0, ge=0, le=1, description="stdp_all_ltd: the all-LTD amplitude (neurons outside the "
                                                         "labelled group) as a fraction of a_pre; fixed point: a "
                                                         "multiple of 1/8 (0: the other groups do not learn "
                                                         "pre-before-post pairs)")
    teacher: float = Field(0.0, ge=0, lt=1, description="stdp_all_ltd: while learning, the sample's class group "
                                                        "gets a bias that alone holds v at this fraction of v_th "
                                                        "(a teacher signal; 0: off)")

    @model_validator(mode="after")
    def _teacher(self):
        if self.teacher and self.kind != "stdp_all_ltd":
            raise ValueError("teacher needs kind stdp_all_ltd (the class groups say whom to teach)")
        return self

    @model_validator(mode="after")
    def _ltd_scale(self):
        if self.ltd_scale != 1 and self.kind != "stdp_all_ltd":
            raise ValueError("ltd_scale needs kind stdp_all_ltd (it scales the all-LTD of the other class groups)")
        if self.ltd_scale != 1 and self.w_decay_labelled_only:
            raise ValueError("ltd_scale < 1 cannot go with w_decay_labelled_only (both read the class gate: the "
                             "other groups' gate would no longer keep their weights from decaying)")
        return self

    @model_validator(mode="after")
    def _labelled_decay(self):
        if self.w_decay_labelled_only and (self.kind != "stdp_all_ltd" or self.w_decay == 0):
            raise ValueError("w_decay_labelled_only needs kind stdp_all_ltd and a w_decay > 0")
        return self

    @model_validator(mode="after")
    def _bounds(self):
        if self.w_min >= self.w_max:
            raise ValueError(f"w_min ({self.w_min}) must be below w_max ({self.w_max})")
        return self


class Pruning(IRModel):
    tau_prun_ms: float = Field(gt=0, description="characteristic pruning time τ_prun, ms")
    k_p: float = Field(1.0, ge=0, description="pruning coefficient (0: off)")
