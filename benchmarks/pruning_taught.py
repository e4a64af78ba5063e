"""Summarise a pruning-timer sweep (benchmarks/pruning_taught.sweep.yaml): per setting, each
seed's known-class accuracy with the timer and its noise spikes (white or blurred, the larger)
as a fraction of the unpruned network's, and how many seeds meet the issue's floor (noise ≤ 1 %, accuracy ≥ 0.886).

    .venv/bin/python benchmarks/pruning_taught.py runs/pruning_taught
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

NOISE_MAX, ACC_MIN = 0.01, 0.886


def main(out_dir: str) -> None:
    rows = [json.loads(line) for line in (Path(out_dir) / "results.jsonl").read_text().splitlines() if line.strip()]
    by_setting = defaultdict(list)
    for row in rows:
        params = {k: v for k, v in row["params"].items() if k != "arg:--seed"}
        by_setting[json.dumps(params, sort_keys=True)].append(row)
    print("| setting | seeds: accuracy / noise % | seeds meeting both | mean accuracy |")
    print("|---|---|---|---|")
    for key, group in sorted(by_setting.items()):
        cells, ok, accs = [], 0, []
        for row in sorted(group, key=lambda r: r["params"]["arg:--seed"]):
            r = row["result"]
            acc = r["accuracy"]["with"]
            noise = max(r["table"][k]["with"] / max(1, r["table"][k]["without"]) for k in ("white_noise", "blurred_noise"))
            ok += acc >= ACC_MIN and noise <= NOISE_MAX
            accs.append(acc)
            cells.append(f"{acc:.3f} / {100 * noise:.1f}")
        setting = ", ".join(f"{k.split(':', 1)[1].split('.')[-1].lstrip('-')} {v}" for k, v in json.loads(key).items())
        print(f"| {setting} | {'; '.join(cells)} | {ok} of {len(group)} | {sum(accs) / len(accs):.3f} |")


if __name__ == "__main__":
    main(sys.argv[1])
