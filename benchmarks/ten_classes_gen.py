"""Writes a ten-class MNIST network spec (the architecture of examples/mnist_10class_N.yaml) to stdout
from a few numbers, for the parameter search recorded in docs/ten_classes.md."""
import sys, argparse
p = argparse.ArgumentParser()
p.add_argument("--n", type=int, required=True)
p.add_argument("--vth", type=float, default=13)
p.add_argument("--winh", type=float, default=5.0)
p.add_argument("--wei", type=float, default=2.0)
p.add_argument("--tp", type=float, default=0.05)
p.add_argument("--tt", type=float, default=4096, help="tau_theta_ms; 0: no decay (null)")
p.add_argument("--rate", type=float, default=63.75)
p.add_argument("--a", type=float, default=0.01)
p.add_argument("--ap", type=float, default=None)
p.add_argument("--wmax", type=float, default=0.25)
p.add_argument("--lo", type=float, default=0.05)
p.add_argument("--hi", type=float, default=0.12)
p.add_argument("--pres", type=int, default=350)
p.add_argument("--rest", type=int, default=150)
p.add_argument("--taum", type=float, default=100)
p.add_argument("--header", default="")
p.add_argument("--wd", type=float, default=0.0, help="w_decay")
p.add_argument("--freeze", action="store_true", help="theta_fixed_after_learning")
p.add_argument("--wd-labelled", action="store_true", help="w_decay_labelled_only")
p.add_argument("--teacher", type=float, default=0.0, help="teacher: the labelled group's bias holds v at this × v_th")
p.add_argument("--ltd-scale", type=float, default=1.0, help="ltd_scale: the other groups' all-LTD as a fraction of a_pre")
p.add_argument("--name", default=None)
p.add_argument("--re-present", type=int, default=0, help="readout.re_present.min_spikes (0: none)")
p.add_argument("--readout", choices=("class_groups", "class_profiles"), default="class_groups", help="readout.kind")
p.add_argument("--re-present-learning", action="store_true", help="readout.re_present.while_learning")
a = p.parse_args()
rp = (f", re_present: {{min_spikes: {a.re_present}"
      + (", while_learning: true" if a.re_present_learning else "") + "}" if a.re_present else "")
ap = a.a if a.ap is None else a.ap
tt = "null" if a.tt == 0 else f"{a.tt:g}"
freeze = ", theta_fixed_after_learning: true" if a.freeze else ""
wd = ((f", w_decay: {a.wd:g}" if a.wd else "") + (", w_decay_labelled_only: true" if a.wd_labelled else "")
      + (f", teacher: {a.teacher:g}" if a.teacher else "") + (f", ltd_scale: {a.ltd_scale:g}" if a.ltd_scale != 1 else ""))
print(f"""{a.header}schema_version: 1
name: {a.name or f"mnist_10class_{a.n}"}
dt_ms: 1.0
seed: 0
metadata:
  reference: "Diehl & Cook 2015, Front. Comput. Neurosci. 9:99"
  classes: 10
populations:
  - name: input
    kind: input
    size: 784
    shape: [28, 28]
    encoder: {{kind: poisson, max_rate_hz: {a.rate:g}, presentation_ms: {a.pres}, rest_ms: {a.rest}}}
  - name: exc
    size: {a.n}
    neuron: {{kind: adaptive_lif, tau_m_ms: {a.taum:g}, tau_syn_ms: 1, v_th: {a.vth:g}, refractory_ms: 5,
             theta_plus: {a.tp:g}, tau_theta_ms: {tt}{freeze}}}
  - name: inh
    size: {a.n}
    neuron: {{kind: lif, tau_m_ms: 10, tau_syn_ms: 0, v_th: 1, refractory_ms: 2}}
connections:
  - name: S1
    source: input
    target: exc
    kind: dense
    init: {{kind: uniform, low: {a.lo:g}, high: {a.hi:g}}}
    learning: {{kind: stdp_all_ltd, a_pre: {ap:g}, a_post: {-a.a:g}, tau_pre_ms: 20, tau_post_ms: 20,
               w_min: 0.0, w_max: {a.wmax:g}{wd}}}
  - name: S2
    source: exc
    target: inh
    kind: one_to_one
    weight: {a.wei:g}
  - name: S3
    source: inh
    target: exc
    kind: all_to_all_except_self
    sign: inhibitory
    weight: {a.winh:g}
readout: {{kind: {a.readout}, population: exc{rp}}}""")
