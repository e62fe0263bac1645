#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the TSV tables of harness/data/ into C: the tables and their header.

    gen-tables.py [--data DIR] [--add-cores FILE]... -o tables.c
    gen-tables.py --header -o tables.h

The schema below (roles, PMU kinds, each table's row type) is written
once, here: --header emits it as data/tables.h, and -o the tables in it,
as perf's pmu-events/jevents.py emits both sides of its event tables.
Every row is checked: field count, numbers, roles, kinds, that a core's
event table and default events exist, that no two cores share a match,
and that each stated latency (latency.tsv) names a core, is more than 1
and says where it is stated.  A bad row stops the build with file:line
and what is wrong.  --add-cores appends rows in cores.tsv's format (the
tests use it to show that a new core needs no C change).
"""
import argparse
import os
import sys

# ---- the schema: the one place the C side's types are written ------------
# The header (--header) and the tables (-o) are both emitted from here, so
# no C file restates a role, a kind or a field.

# events.tsv's roles: (spelling, enum tb_role member, comment)
ROLES = [
    ("-", "TB_ROLE_NONE", None),
    ("cycles", "TB_ROLE_CYCLES", None),
    ("instructions", "TB_ROLE_INSTRUCTIONS", None),
    ("branches", "TB_ROLE_BRANCHES", None),
    ("mispredicts", "TB_ROLE_MISPREDICTS", "speculative"),
    ("retired_mispredicts", "TB_ROLE_RETIRED_MISPREDICTS", None),
    ("l1i_refill", "TB_ROLE_L1I_REFILL", None),
    ("frontend_stall", "TB_ROLE_FRONTEND_STALL", None),
]
# cores.tsv's kinds: (spelling, enum tb_pmu_kind member, the event table
# every core of the kind also sees, comment)
KINDS = [
    ("generic", "TB_PMU_GENERIC", "perf",
     "x86: generic perf hardware events"),
    ("armv8", "TB_PMU_ARMV8", "armv8_pmuv3", "Arm PMUv3: raw event numbers"),
    ("apple", "TB_PMU_APPLE", None,
     "Apple M1/M2: raw codes on the PMU's own type"),
]
ROLE_C = {r: c for r, c, _ in ROLES}
KIND_C = {k: c for k, c, _, _ in KINDS}
BASE = {k: b for k, _, b, _ in KINDS}
# The table of perf's generic names: what a core without tables sees.
GENERIC_TABLE = BASE["generic"]

# Each table: its C row type, array, count, what it is, and its fields as
# (C type, name, comment).
STRUCTS = [
    ("tb_core_row", "tb_core_rows", "tb_nr_core_rows",
     "A core (cores.tsv): how a CPU is matched, and what it counts.", [
         ("bool", "x86", None),
         ("bool", "fallback", "the row of a core no other matches"),
         ("unsigned int", "implementer", "arm64: MIDR implementer"),
         ("unsigned int", "part", "arm64: MIDR part number"),
         ("const char *", "vendor", "x86: vendor_id"),
         ("unsigned int", "family", "x86"),
         ("unsigned int", "model_lo", "x86: models model_lo..model_hi"),
         ("unsigned int", "model_hi", None),
         ("const char *", "pmu",
          "x86: the row holds only on CPUs of this perf PMU, or NULL"),
         ("const char *", "name", None),
         ("const char *", "core_type", None),
         ("const char *", "found_in", None),
         ("const char *", "pfm_pmu", "libpfm4 model, or NULL"),
         ("const char *", "table", "event table of events.tsv"),
         ("const char *", "base", "table it extends, or NULL"),
         ("enum tb_pmu_kind", "kind", None),
         ("int", "rank", "larger is faster, within a machine"),
         ("const char *", "defaults", "comma list of event names"),
     ]),
    ("tb_event_row", "tb_event_rows", "tb_nr_event_rows",
     "An event of a table (events.tsv).", [
         ("const char *", "table", None),
         ("const char *", "name", None),
         ("bool", "has_code", "false: one of perf's generic names"),
         ("uint64_t", "code", None),
         ("enum tb_role", "role", None),
         ("bool", "avoid", "known not to count right"),
         ("const char *", "instead", "what to count where it is missing"),
         ("const char *", "notes", None),
     ]),
    ("tb_metric_row", "tb_metric_rows", "tb_nr_metric_rows",
     "A derived metric (metrics.tsv): num / den x scale.", [
         ("const char *", "name", None),
         ("enum tb_role", "num", None),
         ("enum tb_role", "den", None),
         ("double", "scale", None),
     ]),
    ("tb_latency_row", "tb_latency_rows", "tb_nr_latency_rows",
     "What one item of calibration/mul_chain (a dependent 64-bit multiply)\n"
     "costs on a core, as its vendor or compiler model states it\n"
     "(latency.tsv): the row of every core named @core on @arch.", [
         ("const char *", "arch", "\"arm64\" or \"x86\""),
         ("const char *", "core", "a tb_core_row name"),
         ("double", "cycles", "0: none stated (source says why)"),
         ("const char *", "source", "where it is stated"),
     ]),
]


def cstr(s):
    if s is None or s == "-":
        return "NULL"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def comment(text, indent=""):
    """A C block comment of @text's lines."""
    lines = text.split("\n")
    if len(lines) == 1 and len(indent) + len(text) < 72:
        return [f"{indent}/* {text} */"]
    return ([f"{indent}/*"] + [f"{indent} * {t}" for t in lines] +
            [f"{indent} */"])


def member(decl, note):
    """A struct or enum member, its comment after it at column 40 (tabs)
    or, where that is too long, above it."""
    if not note:
        return [f"\t{decl}"]
    col = 8 + len(decl)
    tabs = max(1, (40 - col + 7) // 8) if col < 40 else 1
    if (col + 7) // 8 * 8 + 8 * (tabs - 1) + len(note) + 6 <= 80:
        return [f"\t{decl}" + "\t" * tabs + f"/* {note} */"]
    return [f"\t/* {note} */", f"\t{decl}"]


def header():
    """tables.h: the enums, the row types and the tables, from the schema."""
    out = ["/* Generated by harness/data/gen-tables.py --header: edit that. */",
           "/*",
           " * What trampbench knows about cores and their events, as data: the",
           " * TSV files of harness/data/, turned into tables.c at build time.",
           " * Code asks these tables for a role (\"the cycles event of this",
           " * core\"), never for a spelling.",
           " */",
           "#ifndef TB_DATA_TABLES_H", "#define TB_DATA_TABLES_H", "",
           "#include <stdbool.h>", "#include <stddef.h>",
           "#include <stdint.h>", "",
           "/* What an event is used for; see events.tsv. */",
           "enum tb_role {"]
    for _, c, note in ROLES:
        out += member(f"{c},", note)
    out += ["\tTB_NR_ROLES,", "};", "",
            "/* How the core's own (non-generic) events are encoded. */",
            "enum tb_pmu_kind {"]
    for _, c, _, note in KINDS:
        out += member(f"{c},", note)
    out += ["};", "", "/* The table of perf's generic names (events.tsv). */",
            f"#define TB_GENERIC_TABLE {cstr(GENERIC_TABLE)}", ""]
    for name, _, _, about, fields in STRUCTS:
        out += comment(about)
        out.append(f"struct {name} {{")
        for ctype, field, note in fields:
            sep = "" if ctype.endswith("*") else " "
            out += member(f"{ctype}{sep}{field};", note)
        out += ["};", ""]
    for name, array, count, _, _ in STRUCTS:
        out += [f"extern const struct {name} {array}[];",
                f"extern const size_t {count};"]
    out += ["", '/* "cycles", "retired_mispredicts", ...; "-" for none */',
            "const char *tb_role_name(enum tb_role role);", "",
            "#endif /* TB_DATA_TABLES_H */", ""]
    return "\n".join(out)


def cvalue(ctype, v):
    if ctype == "bool":
        return "true" if v else "false"
    if ctype == "const char *":
        return cstr(v) if v != "" else '""'
    if ctype in ("unsigned int", "uint64_t"):
        return f"0x{v:x}"
    if ctype == "double":
        return repr(v)
    return str(v)       # int, and enums given as their C member


def c_array(name, rows):
    """The array of struct @name: each row a dict of schema fields (those
    left out are zero), emitted as designated initializers."""
    st = next(s for s in STRUCTS if s[0] == name)
    types = {f: t for t, f, _ in st[4]}
    out = [f"const struct {name} {st[1]}[] = {{"]
    for row in rows:
        unknown = set(row) - set(types)
        assert not unknown, f"{name}: no field {unknown} in the schema"
        parts = [f".{f} = {cvalue(types[f], row[f])}"
                 for _, f, _ in st[4] if f in row]
        line, lines = "\t{ ", []
        for i, p in enumerate(parts):
            p += " }," if i == len(parts) - 1 else ","
            if len(line) > 3 and len(line) + len(p) > 72:
                lines.append(line.rstrip())
                line = "\t  "
            line += p + " "
        lines.append(line.rstrip())
        out += lines
    out += ["};", f"const size_t {st[2]} = {len(rows)};", ""]
    return out


class Bad(Exception):
    pass


def rows(path, ncols):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != ncols:
                raise Bad(f"{path}:{n}: {len(cols)} tab-separated fields, "
                          f"want {ncols}")
            yield f"{path}:{n}", [c.strip() for c in cols]


def num(where, s):
    try:
        return int(s, 16)
    except ValueError:
        raise Bad(f"{where}: '{s}' is not a hex number") from None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.dirname(os.path.abspath(
        __file__)))
    ap.add_argument("--add-cores", action="append", default=[])
    ap.add_argument("--header", action="store_true",
                    help="write tables.h, the schema, instead of the tables")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    d = a.data
    if a.header:
        write(a.output, header())
        return

    sets = {}
    for where, (name, events) in rows(os.path.join(d, "eventsets.tsv"), 2):
        if name in sets:
            raise Bad(f"{where}: event set '{name}' defined twice")
        sets[name] = events

    events = []
    names = set()
    for where, c in rows(os.path.join(d, "events.tsv"), 7):
        table, name, code, role, status, instead, notes = c
        if (table, name.lower()) in names:
            raise Bad(f"{where}: {table} has {name} twice")
        names.add((table, name.lower()))
        if role not in ROLE_C:
            raise Bad(f"{where}: role '{role}' (valid: {', '.join(ROLE_C)})")
        if status not in ("ok", "avoid"):
            raise Bad(f"{where}: status '{status}' (valid: ok, avoid)")
        events.append({"table": table, "name": name,
                       "has_code": code != "-",
                       "code": 0 if code == "-" else num(where, code),
                       "role": ROLE_C[role], "avoid": status == "avoid",
                       "instead": instead, "notes": notes})
    tables = {e["table"] for e in events}

    cores = []
    seen = {}
    files = [os.path.join(d, "cores.tsv")] + a.add_cores
    for path in files:
        for where, c in rows(path, 10):
            arch, match, name, ctype, found, pfm, table, kind, rank, dflt = c
            if arch not in ("arm64", "x86"):
                raise Bad(f"{where}: arch '{arch}' (valid: arm64, x86)")
            if kind not in KIND_C:
                raise Bad(f"{where}: kind '{kind}' (valid: "
                          f"{', '.join(KIND_C)})")
            if table not in tables:
                raise Bad(f"{where}: no event table '{table}' in events.tsv")
            if not dflt.startswith("@") or dflt[1:] not in sets:
                raise Bad(f"{where}: defaults '{dflt}' is not an @set of "
                          "eventsets.tsv")
            evlist = sets[dflt[1:]]
            known = {n for t, n in names
                     if t in (table, BASE[kind])}
            for ev in evlist.split(","):
                ev = ev.rstrip("?")
                if ev.lower() not in known:
                    raise Bad(f"{where}: default event {ev} is in neither "
                              f"{table} nor {BASE[kind]}")
            key = (arch, match)
            if key in seen:
                raise Bad(f"{where}: {arch} {match} is already in {seen[key]}")
            seen[key] = where
            row = {"x86": arch == "x86", "name": name, "core_type": ctype,
                   "found_in": "" if found == "-" else found,
                   "pfm_pmu": pfm, "table": table, "base": BASE[kind],
                   "kind": KIND_C[kind], "rank": int(rank),
                   "defaults": evlist}
            if match == "*":
                row["fallback"] = True
            elif arch == "arm64":
                imp, _, part = match.partition(":")
                row["implementer"] = num(where, imp)
                row["part"] = num(where, part)
            else:
                m, _, pmu = match.partition("@")
                parts = m.split(":")
                if len(parts) != 3 or "-" not in parts[2]:
                    raise Bad(f"{where}: x86 match is vendor:family:lo-hi"
                              f"[@pmu], not '{match}'")
                lo, _, hi = parts[2].partition("-")
                row.update(vendor=parts[0], family=num(where, parts[1]),
                           model_lo=num(where, lo), model_hi=num(where, hi),
                           pmu=pmu or None)
            cores.append(row)

    for arch in ("arm64", "x86"):
        if sum(1 for r in cores if r.get("fallback") and
               r["x86"] == (arch == "x86")) != 1:
            raise Bad(f"cores.tsv: want exactly one '*' row for {arch}")

    # the latency of calibration/mul_chain's item, per core name
    core_names = {(r["x86"], r["name"]) for r in cores}
    lats = []
    lseen = {}
    for where, (arch, core, cyc, src) in rows(os.path.join(d, "latency.tsv"),
                                              4):
        if arch not in ("arm64", "x86"):
            raise Bad(f"{where}: arch '{arch}' (valid: arm64, x86)")
        if (arch == "x86", core) not in core_names:
            raise Bad(f"{where}: no {arch} core named '{core}' in cores.tsv: "
                      "use a name of its rows, or add the core there first")
        if (arch, core) in lseen:
            raise Bad(f"{where}: {arch} '{core}' is already in "
                      f"{lseen[arch, core]}")
        lseen[arch, core] = where
        if cyc == "-":
            value = 0.0
        else:
            try:
                value = float(cyc)
            except ValueError:
                raise Bad(f"{where}: cycles '{cyc}' is not a number "
                          "(or '-' for none stated)") from None
            # 1 is the add chain's own cost: no check on the clock
            if not 1 < value < float("inf"):
                raise Bad(f"{where}: cycles {cyc}: a stated latency must "
                          "be more than 1 (1 is the add chain's, the clock's "
                          "definition in timer mode); '-' for none")
        if src == "-" or not src:
            raise Bad(f"{where}: no source: say where the latency is "
                      "stated, or why there is none")
        lats.append({"arch": arch, "core": core, "cycles": value,
                     "source": src})

    metrics = []
    for where, (name, n, dn, scale) in rows(os.path.join(d, "metrics.tsv"),
                                            4):
        for r in (n, dn):
            if r not in ROLE_C or r == "-":
                raise Bad(f"{where}: role '{r}'")
        metrics.append({"name": name, "num": ROLE_C[n], "den": ROLE_C[dn],
                        "scale": float(scale)})

    out = ["/* Generated by harness/data/gen-tables.py from the TSV files "
           "of harness/data/: edit those. */",
           '#include "data/tables.h"', ""]
    out += c_array("tb_core_row", cores)
    out += c_array("tb_event_row", events)
    out += c_array("tb_metric_row", metrics)
    out += c_array("tb_latency_row", lats)
    out += ["const char *tb_role_name(enum tb_role role)", "{",
            "\tstatic const char *const names[] = {"]
    for r, c, _ in ROLES:
        out.append(f'\t\t[{c}] = "{r}",')
    out += ["\t};", "", "\treturn (unsigned int)role < TB_NR_ROLES ? "
            'names[role] : "-";', "}", ""]
    write(a.output, "\n".join(out))


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    try:
        main()
    except Bad as e:
        sys.exit(f"gen-tables.py: {e}")
