#!/usr/bin/env python3
"""derive_required.py - derive tests/data/kb-required.txt, the list of codes
the knowledge base must cover, from the two reference files in
../shared/reference. Run by hand when the references change; the test
(tests/unit/test_kb.c) reads only the committed output, so CI needs no Python.

Usage: tools/derive_required.py ../shared/reference > tests/data/kb-required.txt
"""
import re
import sys

ref = sys.argv[1] if len(sys.argv) > 1 else "../shared/reference"
kb = open(f"{ref}/kb318380-iis-status-codes.txt", encoding="utf-8").read()
facts = open(f"{ref}/iis-codes-facts.md", encoding="utf-8").read()

out = []  # (origin, line)


def add(origin, line):
    if (origin, line) not in out:
        out.append((origin, line))


# --- KB 318380: "  403.14 - ...", "  200 - OK", "  500-100.ASP - ..."
for m in re.finditer(r"^\s*(\d{3})(?:[.-](\d+))?(?:\.ASP)?\s+[-\u2013]", kb, re.M):
    st, sub = m.group(1), m.group(2) or "0"
    add("kb318380", f"http {st}.{sub}")

# --- facts: split into sections by heading
sections = re.split(r"^(#{2,4} .*)$", facts, flags=re.M)
cur = ""
bodies = {}
for part in sections:
    if re.match(r"^#{2,4} ", part):
        cur = part
    else:
        bodies[cur] = bodies.get(cur, "") + part


def rows(body):
    for line in body.splitlines():
        if line.startswith("|") and not re.match(r"^\|\s*-", line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            yield cells


for head, body in bodies.items():
    h = head.lower()
    if re.match(r"#+ 1\.(1|2|3|4|5|6|7|8|9)\b", head) and "1.7a" not in head \
            and "1.7b" not in head:
        for c in rows(body):
            m = re.match(r"^(\d{3})(?:\.(\d+))?$", c[0])
            if m:
                add("facts " + head.split()[1], f"http {m.group(1)}.{m.group(2) or '0'}")
    if head.startswith("### 1.12"):
        for c in rows(body):
            for trip in re.findall(r"`(\d{3}) (\d+)(?: (\d+))?`", c[0]):
                st, sub, w = trip
                add("facts 1.12", f"combo http {st} {sub} {w or '*'}")
            m = re.match(r"`401 1 1326` / `1330` / `1331` / `1909`", c[0])
            if m:
                for w in ("1330", "1331", "1909"):
                    add("facts 1.12", f"combo http 401 1 {w}")
    if head.startswith("#### 1.7a") or head.startswith("#### 1.7b"):
        sub = "0" if "1.7a" in head else "19"
        for c in rows(body):
            m = re.match(r"^0x([0-9A-Fa-f]{8})$", c[0])
            if m:
                v = int(m.group(1), 16)
                add("facts " + head.split()[1], f"combo http 500 {sub} {v}")
                if v & 0xFFFF0000 == 0x80070000:
                    add("facts " + head.split()[1], f"combo http 500 {sub} {v & 0xFFFF}")
    if head.startswith("### 2.1"):
        for c in rows(body):
            if re.match(r"^\d{3}$", c[0]):
                add("facts 2.1", f"ftp {c[0]}")
    if head.startswith("### 2.2"):
        for c in rows(body):
            if re.match(r"^\d+$", c[0]):
                add("facts 2.2", f"ftp_sub {c[0]}")
    if head.startswith("### 3.1"):
        for c in rows(body):
            if re.match(r"^\d+$", c[0]):
                add("facts 3.1", f"win32 {c[0]}")
    if head.startswith("### 3.2"):
        for c in rows(body):
            if re.match(r"^\d+$", c[0]):
                v = int(c[0])
                if v & 0xFFFF0000 == 0x80070000:
                    v &= 0xFFFF
                add("facts 3.2", f"win32 {v}")
    if head.startswith("### 4.3"):
        for c in rows(body):
            if c[0] and c[0] != "Reason phrase":
                add("facts 4.3", f"httperr {c[0]}")

print("# Codes the knowledge base must cover, derived from ../shared/reference by")
print("# tools/derive_required.py. One per line: TABLE KEY  (# origin).")
print("# Tables: http status.sub | win32 value | ftp reply | ftp_sub n |")
print("#         httperr reason | combo http status sub win32 (* = any)")
for origin, line in out:
    print(f"{line}\t# {origin}")
