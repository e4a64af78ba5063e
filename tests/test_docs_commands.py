"""Docs that hold (issue 16): every command in README.md, docs/*.md and examples/**/*.md.

Synopses (NET, DIR, `[...]`, `a|b`, …) are checked against the real argument parser; concrete
commands run as subprocesses from the repository root, scaled down, every output in tmp_path.
A failure names the doc file and line."""
import argparse
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import NEUROKIT, REPO

SHARED = REPO.parent / "shared"
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), *sorted((REPO / "examples").glob("**/*.md"))]
PROGRAM = re.compile(r"^(?:\.venv/bin/)?(neurokit|python)(?=\s|$)")

# Example file names the docs use for "a file of yours", and the real files that play them.
STAND_INS = {"model.net": "examples/slayer_mnist/mnist_dense.net",           # the SLAYER classifier
             "graph.nir": str(SHARED / "fixtures" / "nir-paper" / "lif_norse.nir")}  # NIR paper's LIF
ROOT = "../shared/data/mnist-subset"  # the docs' `mnist:ROOT`; commands run from the repository root
OUTPUT_FLAGS = ("--out", "--plot", "--raster", "--record-out")
# Scaled-down values (the smaller of the doc's and this); --step = --max-train keeps one curve point.
SCALE = {"--samples": 10, "--train-samples": 20, "--test-samples": 10, "--step": 10, "--max-train": 10,
         "--train-per-task": 20, "--test-per-task": 10}
# Scripts that train with SLAYER or run a whole benchmark: `--help` only, their flags checked in it.
HELP_ONLY = {"examples/slayer_mnist/train_slayer.py": "SLAYER training (12 epochs, about 3 minutes)",
             "benchmarks/bench_inference.py": "whole benchmark, Lava on hundreds of images",
             "benchmarks/bench_peers.py": "whole benchmark, Brian 2's C++ builds and Lava",
             "benchmarks/slayer_mnist.py": "whole benchmark, Lava on 2,000 digits at 1.5 images/s",
             "benchmarks/generative_samplers.py": "trains three VAEs for 60 epochs (about 4 minutes)",
             "benchmarks/generative_latents.py": "trains a VAE for 60 epochs (30 s to 3 minutes)"}
# Commands not run at all, with why (matched against the start of the command).
SKIPPED = {".venv/bin/python -m pytest": "the test-suite itself: CI runs it, from here it would recurse"}
# Figures a doc states beside a cheap, deterministic command: (doc, command start, doc text, CLI output).
FIGURES = [("docs/interop.md", ".venv/bin/neurokit evaluate runs/mnist_dense.yaml",
            "the accuracy is SLAYER's, 0.932", "accuracy 0.932 on 2000 samples"),
           ("docs/interop.md", ".venv/bin/neurokit compile runs/mnist_dense.yaml",
            "2 cores: 2 + 1 + 1 = 4", "fits in 4 of 128 cores")]


@dataclass(frozen=True)
class Command:
    doc: str      # path relative to the repository
    line: int
    text: str     # continuations joined, comment stripped
    comment: str
    s_is_seed: bool  # this or an earlier command of the doc has `--seed S`: S is that seed

    def __str__(self):
        return f"{self.doc}:{self.line}: {self.text}"


def _commands_in(path: Path) -> list[Command]:
    """Lines of fenced bash/sh/unlabeled blocks (and indented code blocks) that start a command;
    `\\` continuations and indented `[--…`/`--…` synopsis wraps are joined; `a && b` gives b."""
    lines, found, fence, seeded = path.read_text().splitlines(), [], None, False
    i = 0
    while i < len(lines):
        raw = lines[i]
        if m := re.match(r"\s*```(\w*)", raw):
            fence = None if fence is not None else m.group(1)
            i += 1
            continue
        in_code = fence in ("bash", "sh", "") or (fence is None and raw.startswith("    "))
        start, text = i, raw.strip()
        while in_code and i + 1 < len(lines) and (text.endswith("\\") or re.match(r"\s+\[?--", lines[i + 1])):
            i += 1
            text = text.rstrip("\\").rstrip() + " " + lines[i].strip()
        i += 1
        if not in_code:
            continue
        text, _, comment = text.partition(" #")
        for part in text.split("&&"):
            if PROGRAM.match(part.strip()):
                seeded = seeded or bool(re.search(r"--seed S\b", part))
                found.append(Command(str(path.relative_to(REPO)), start + 1, part.strip(), comment.strip(), seeded))
    return found


def _runnable(cmd: Command, outputs: dict[str, str]) -> list[str] | None:
    """The command as it runs here (ROOT and the seed S filled in, optional groups dropped, outputs
    redirected via `outputs`, scaled down), or None if a placeholder is left: then it is a synopsis."""
    text = re.sub(r"\[[^\]]*\]", " ", cmd.text.replace("ROOT", ROOT))
    if cmd.s_is_seed:
        text = re.sub(r"(?<![A-Za-z0-9])S(?![A-Za-z0-9])", "0", text)
    words = text.split()
    for k, word in enumerate(words[:-1]):
        if word in OUTPUT_FLAGS:
            outputs.setdefault(words[k + 1], words[k + 1])  # the caller maps it into tmp_path
    if "…" in text or "|" in text or any(re.search(r"(?<![A-Za-z])[A-Z][A-Z_]*(?![A-Za-z])", w)
                                         for w in words if w not in outputs):
        return None
    return [outputs.get(w, w) for w in words]


# the regression experiment trains one network per encoder x decoder: one pair, a few steps
REGRESSION = {"--encoders": "periodic", "--decoders": "membrane", "--iterations": "3", "--hidden": "8"}
# the generative experiment trains three VAEs and a judge: small ones, one epoch, on a few digits
GENERATIVE = {"--epochs": "1", "--latent": "8", "--hidden": "32", "--components": "3", "--samples": "20",
              "--lava-samples": "2", "--train-samples": "200", "--test-samples": "40"}


def _scaled(words: list[str]) -> list[str]:
    out = list(words)
    for k, word in enumerate(out[:-1]):
        if word in SCALE:
            out[k + 1] = str(min(int(out[k + 1]), SCALE[word]))
        elif word in ("--seeds", "--encoders", "--decoders"):
            out[k + 1] = out[k + 1].split(",")[0]
    if out[1:3] == ["experiment", "continual"]:  # every sample of each task by default: a few here
        out += [x for flag in ("--train-per-task", "--test-per-task") if flag not in out
                for x in (flag, str(SCALE[flag]))]
    if out[1:3] == ["experiment", "generative"]:
        for flag, value in GENERATIVE.items():
            if flag in out:
                out[out.index(flag) + 1] = value
            else:
                out += [flag, value]
    if out[1:3] == ["experiment", "regression"]:
        out += [x for flag, value in REGRESSION.items() if flag not in out for x in (flag, value)]
        out += [] if "--no-energy" in out else ["--no-energy"]
    return out


def _argv(words: list[str]) -> list[str]:
    program = PROGRAM.match(words[0]).group(1)
    return [*NEUROKIT, *words[1:]] if program == "neurokit" else [sys.executable, *words[1:]]


def _run(argv: list[str], timeout=300) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=timeout, env=env,
                          stdin=subprocess.DEVNULL)


def _classify(commands: list[Command]) -> dict[Command, str]:
    """skipped, help, synopsis or run; a command reading what an earlier synopsis wrote
    (`train NET … --out runs/theta_S`, then `evaluate runs/theta_S`) is a synopsis too."""
    kinds, unmade = {}, set()
    for cmd in commands:
        outputs = {}
        words = _runnable(cmd, outputs)
        if any(cmd.text.startswith(prefix) for prefix in SKIPPED):
            kinds[cmd] = "skipped"
        elif any(script in cmd.text.split() for script in HELP_ONLY):
            kinds[cmd] = "help"
        elif words is None or unmade & set(words):
            kinds[cmd] = "synopsis"
            unmade |= outputs.keys()
        else:
            kinds[cmd] = "run"
    return kinds


ALL = [cmd for doc in DOCS for cmd in _commands_in(doc)]
KIND = {cmd: kind for doc in DOCS for cmd, kind in _classify(_commands_in(doc)).items()}


# --------------------------------------------------------------------------- the parser
@lru_cache(maxsize=None)
def _parser() -> argparse.ArgumentParser:
    from neurokit.cli.main import build_parser
    return build_parser()


def _subparser(parser, words: list[str], where: str):
    """Walk `neurokit experiment learning-curve …` down to its own parser."""
    words = [w for w in words if not w.startswith(("-", "["))]
    while subs := [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]:
        assert words and words[0] in subs[0].choices, f"{where}: no subcommand {words[:1]} (choices: " \
                                                      f"{', '.join(subs[0].choices)})"
        parser, words = subs[0].choices[words[0]], words[1:]
    return parser


def _profiles() -> set[str]:
    return {p.stem for p in (REPO / "neurokit" / "hw_profiles").glob("*.yaml")} | {"all"}


@pytest.mark.parametrize("cmd", [c for c in ALL if c.text.split()[0].endswith("neurokit")], ids=str)
def test_flags_and_choices_are_the_parsers(cmd):
    """Every `--flag` written (in brackets or not) exists; every value or `a|b` alternative written
    after a flag with choices is one of them (and --profile names a shipped profile)."""
    words = cmd.text.split()
    parser = _subparser(_parser(), words[1:], str(cmd))
    options = {o: a for a in parser._actions for o in a.option_strings}
    for m in re.finditer(r"(?<![\w-])(--[a-z][a-z0-9-]*)(?:\s+\[?([^\s\[\]]+))?", cmd.text):
        flag, value = m.groups()
        assert flag in options, f"{cmd}\n  {flag} is not an option of `{parser.prog}`"
        allowed = options[flag].choices or (_profiles() if flag == "--profile" else None)
        if allowed and value and not value.startswith("-") and value != "…":
            for choice in value.split("|"):
                if not re.fullmatch(r"[A-Z][A-Z_]*(\.\w+)?", choice):  # FILE.yaml etc.: a placeholder
                    assert choice in allowed, f"{cmd}\n  {flag} {choice}: not one of {sorted(allowed)}"


# --------------------------------------------------------------------------- the runs
@pytest.mark.parametrize("doc", sorted({c.doc for c in ALL if KIND[c] == "run"}))
def test_concrete_commands_run_scaled_down(doc, tmp_path):
    """The doc's concrete commands, in order, each exit 0; one's output is the next one's input."""
    outputs = {name: real for name, real in STAND_INS.items()}
    if doc == "README.md":  # README's "A network file" block is the tiny.yaml its commands train
        spec = re.search(r"## A network file.*?```yaml\n(.*?)```", (REPO / doc).read_text(), re.S).group(1)
        (tmp_path / "tiny.yaml").write_text(spec)
        outputs["tiny.yaml"] = str(tmp_path / "tiny.yaml")
    existed = {}
    for cmd in [c for c in ALL if c.doc == doc and KIND[c] == "run"]:
        named = {}
        _runnable(cmd, named)
        for name in named.keys() - outputs.keys():
            existed[name] = (REPO / name).exists()
            outputs[name] = str(tmp_path / name.strip("/").replace("/", "_"))
        words = _scaled(_runnable(cmd, outputs))
        figures = [(in_doc, printed) for fig_doc, prefix, in_doc, printed in FIGURES
                   if fig_doc == doc and cmd.text.startswith(prefix)]
        if words[1] == "evaluate" and "--samples" not in words and not figures:  # default: every test digit
            words += ["--samples", str(SCALE["--samples"])]
        start = time.perf_counter()
        proc = _run(_argv(words))
        print(f"{cmd}\n  ran ({time.perf_counter() - start:.1f} s): {' '.join(words)}")
        assert proc.returncode == 0, f"{cmd}\n  exit {proc.returncode}: {proc.stderr[-2000:]}"
        for in_doc, printed in figures:
            assert in_doc in (REPO / doc).read_text(), f"{doc}: no longer says {in_doc!r}"
            assert printed in proc.stdout, f"{cmd}\n  the doc says {in_doc!r}; it printed:\n{proc.stdout}"
    written = [name for name, was in existed.items() if (REPO / name).exists() and not was]
    assert not written, f"{doc}: wrote into the repository: {written}"


@pytest.mark.parametrize("cmd", [c for c in ALL if KIND[c] == "help"], ids=str)
def test_benchmark_scripts_take_the_doc_flags(cmd):
    """Too long to run here (HELP_ONLY says why): `--help` works and names every flag the doc
    writes; a comment "writes X" is what the command's --out says."""
    words = cmd.text.split()
    proc = _run([sys.executable, words[1], "--help"], timeout=120)
    assert proc.returncode == 0, f"{cmd}\n  --help: exit {proc.returncode}: {proc.stderr[-2000:]}"
    for flag in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", cmd.text):
        assert flag in proc.stdout, f"{cmd}\n  {flag} is not an option of {words[1]}"
    if m := re.match(r"writes (\S+)", cmd.comment):
        assert f"--out {m.group(1)}" in cmd.text, f"{cmd}\n  says it writes {m.group(1)} but has no --out for it"


def test_every_command_is_classified():
    """The collection finds the docs' commands; SKIPPED and HELP_ONLY name only commands still there."""
    kinds = [KIND[c] for c in ALL]
    print("\n".join(f"{k:8} {c}" for k, c in zip(kinds, ALL)))
    assert len(ALL) >= 40 and {"synopsis", "run", "help", "skipped"} <= set(kinds)
    for prefix in SKIPPED:
        assert any(c.text.startswith(prefix) for c in ALL), f"SKIPPED names a command no doc has: {prefix}"
    for script in HELP_ONLY:
        assert any(script in c.text.split() for c in ALL), f"HELP_ONLY names a script no doc runs: {script}"
