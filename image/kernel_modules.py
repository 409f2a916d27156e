"""Which of the kernel's modules the image keeps (image build, stage 40 step 06).

Debian's arm64 kernel carries modules for every arm64 machine; `dropped.txt` names the
families a Raspberry Pi-class totem cannot use. A module some kept module needs — listed by
depmod in modules.dep, or named by a softdep/weakdep — stays whatever the rules say, so a
rule can never take away a dependency of what the totem loads.

    python3 image/kernel_modules.py ROOT/usr/lib/modules/KVER RULES   (then depmod)
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterable
from pathlib import Path


def parse_rules(text: str) -> list[tuple[str, bool]]:
    """(pattern, drops) pairs in file order: `pattern` drops, `!pattern` keeps."""
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("!"):
            rules.append((line[1:].strip(), False))
        else:
            rules.append((line, True))
    return rules


def matched(path: str, rules: list[tuple[str, bool]]) -> bool:
    """Whether the rules drop `path` (relative to kernel/): the last matching rule decides."""
    drops = False
    for pattern, rule_drops in rules:
        if fnmatch.fnmatchcase(path, pattern):
            drops = rule_drops
    return drops


def module_name(path: str) -> str:
    """`kernel/drivers/scsi/sd_mod.ko.xz` → `sd_mod` (dashes and underscores are one)."""
    return path.rsplit("/", 1)[-1].split(".ko", 1)[0].replace("-", "_")


def parse_dependencies(modules_dep: str) -> dict[str, list[str]]:
    """modules.dep: each module's path → the paths it needs (depmod lists them all)."""
    needs = {}
    for line in modules_dep.splitlines():
        if ":" not in line:
            continue
        module, _, deps = line.partition(":")
        needs[module.strip()] = deps.split()
    return needs


def parse_named_dependencies(*texts: str) -> dict[str, list[str]]:
    """modules.softdep (`softdep A pre: B post: C`) and modules.weakdep (`weakdep A B`):
    each module's name → the names it asks for."""
    named: dict[str, list[str]] = {}
    for text in texts:
        for line in text.splitlines():
            words = line.split()
            if len(words) < 3 or words[0] not in ("softdep", "weakdep"):
                continue
            wanted = [w for w in words[2:] if not w.endswith(":")]
            named.setdefault(words[1].replace("-", "_"), []).extend(
                w.replace("-", "_") for w in wanted
            )
    return named


def to_drop(
    modules: Iterable[str],
    rules: list[tuple[str, bool]],
    needs: dict[str, list[str]],
    named: dict[str, list[str]],
) -> set[str]:
    """The module paths (relative to the modules directory) that leave the image."""
    modules = sorted(modules)
    by_name = {module_name(m): m for m in modules}
    kept = [m for m in modules if not matched(m.removeprefix("kernel/"), rules)]
    keep = set()
    while kept:
        module = kept.pop()
        if module in keep:
            continue
        keep.add(module)
        kept += needs.get(module, [])
        kept += [by_name[n] for n in named.get(module_name(module), []) if n in by_name]
    return set(modules) - keep


def prune(directory: Path, rules_file: Path) -> tuple[int, int, int]:
    """Delete the dropped modules under `directory`; (dropped, kept, bytes freed)."""
    modules = [
        str(p.relative_to(directory)) for p in directory.glob("kernel/**/*.ko*") if p.is_file()
    ]
    needs = parse_dependencies((directory / "modules.dep").read_text())
    named = parse_named_dependencies(
        *(
            (directory / name).read_text()
            for name in ("modules.softdep", "modules.weakdep")
            if (directory / name).exists()
        )
    )
    dropped = to_drop(modules, parse_rules(rules_file.read_text()), needs, named)
    freed = 0
    for module in dropped:
        path = directory / module
        freed += path.stat().st_size
        path.unlink()
    for folder in sorted(directory.glob("kernel/**/"), key=lambda p: -len(p.parts)):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return len(dropped), len(modules) - len(dropped), freed


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    dropped, kept, freed = prune(Path(argv[1]), Path(argv[2]))
    print(f"kernel modules: {kept} kept, {dropped} dropped ({freed / 1e6:.1f} MB compressed)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
