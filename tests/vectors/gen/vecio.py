"""Tiny helpers shared by the generator scripts: write and read the .vec format.

Format (see ../README.md): '#' comment lines, "[Section]" lines, records made of consecutive
"Name = value" lines, records separated by blank lines. Values are lowercase hex unless stated.
"""
from pathlib import Path

VEC_DIR = Path(__file__).resolve().parent.parent

FORMAT_NOTE = [
    "Comment lines start with '#'. Records are separated by one or more blank lines.",
    'A line "[Section]" sets a section name applying to following records until the next one.',
]


def write_vec(name, title, source, verified, sections, notes=()):
    """sections: list of (section_name, [record, ...]); record = list of (field, value) pairs."""
    lines = [f"# {title}", f"# Source: {source}", f"# Verified: {verified}"]
    lines += [f"# {n}" for n in FORMAT_NOTE]
    lines += [f"# {n}" for n in notes]
    for section, records in sections:
        lines += ["", f"[{section}]"]
        for i, rec in enumerate(records):
            if i:
                lines.append("")
            for field, value in rec:
                lines.append(f"{field} = {value}".rstrip())
    path = VEC_DIR / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    print(f"wrote {path.relative_to(VEC_DIR)}: {sum(len(r) for _, r in sections)} records")


def read_vec(name):
    """Return a list of (section, {field: value}) in file order."""
    records, section, cur = [], None, None
    for line in (VEC_DIR / name).read_text().splitlines():
        s = line.strip()
        if not s:
            cur = None
        elif s.startswith("#"):
            continue
        elif s.startswith("[") and s.endswith("]"):
            section, cur = s[1:-1], None
        else:
            k, _, v = s.partition("=")
            if cur is None:
                cur = {}
                records.append((section, cur))
            cur[k.strip()] = v.strip()
    return records
