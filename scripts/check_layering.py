#!/usr/bin/env python3
"""Checks the layering of DESIGN.md §2 on the sources: a library under src/ may include only its
own headers and those of the libraries it is allowed to depend on, and only src/crypto may
include OpenSSL headers. Exits 1 with one line per violation."""
import pathlib
import re
import sys

# Libraries allowed to include OpenSSL headers: crypto (all cryptography) and net (the TLS
# transport: Boost.Asio SSL streams are OpenSSL objects).
OPENSSL_USERS = {"crypto", "net"}

# Direct dependencies per library (DESIGN.md §2); the check uses their transitive closure.
DEPS = {
    "base": [],
    "tlv": ["base"],
    "crypto": ["base", "tlv"],
    "milenage": ["crypto"],
    "gp": ["tlv"],
    "pki": ["crypto", "tlv"],
    "scp": ["crypto", "gp", "pki"],
    "saip": ["tlv"],
    "euicc": ["scp", "saip", "pki", "milenage", "gp"],
    "net": ["crypto"],
    "soap": ["tlv"],
    "es": ["soap"],
    "binding": ["es", "net"],
    "store": ["base"],
    "app": ["base", "tlv", "crypto", "milenage", "gp", "pki", "scp", "saip", "euicc", "net", "soap",
            "es", "binding", "store"],
}

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def closure(lib, seen=None):
    seen = set() if seen is None else seen
    for dep in DEPS.get(lib, []):
        if dep not in seen:
            seen.add(dep)
            closure(dep, seen)
    return seen


def main():
    root = pathlib.Path(__file__).resolve().parent.parent / "src"
    problems = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".h", ".cc"):
            continue
        lib = path.relative_to(root).parts[0]
        if lib not in DEPS:
            problems.append(f"{path}: library '{lib}' is missing from scripts/check_layering.py")
            continue
        allowed = closure(lib) | {lib}
        for n, line in enumerate(path.read_text().splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            top = target.split("/")[0]
            if top == "openssl" and lib not in OPENSSL_USERS:
                problems.append(f"{path}:{n}: OpenSSL header outside src/crypto and src/net: {target}")
            elif "/" in target and top in DEPS and top not in allowed:
                problems.append(f"{path}:{n}: '{lib}' may not include '{target}'")
    for p in problems:
        print(p)
    print(f"layering: {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
