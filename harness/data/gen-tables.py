#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the TSV tables of harness/data/ into C (tables.c).

    gen-tables.py [--data DIR] [--add-cores FILE]... -o tables.c

Every row is checked: field count, numbers, roles, kinds, that a core's
event table and default events exist, that no two cores share a match,
and that each stated latency (latency.tsv) names a core, is more than 1
and says where it is stated.  A bad row stops the build with file:line and what is wrong.
--add-cores appends rows in cores.tsv's format (the tests use it to show
that a new core needs no C change).
"""
import argparse
import os
import sys

ROLES = ["-", "cycles", "instructions", "branches", "mispredicts",
         "retired_mispredicts", "l1i_refill", "frontend_stall"]
ROLE_C = ["TB_ROLE_NONE", "TB_ROLE_CYCLES", "TB_ROLE_INSTRUCTIONS",
          "TB_ROLE_BRANCHES", "TB_ROLE_MISPREDICTS",
          "TB_ROLE_RETIRED_MISPREDICTS", "TB_ROLE_L1I_REFILL",
          "TB_ROLE_FRONTEND_STALL"]
KINDS = {"generic": "TB_PMU_GENERIC", "armv8": "TB_PMU_ARMV8",
         "apple": "TB_PMU_APPLE"}
# tables whose events every core of a kind also sees
BASE = {"armv8": "armv8_pmuv3", "apple": None, "generic": "perf"}


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


def cstr(s):
    if s is None or s == "-":
        return "NULL"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.dirname(os.path.abspath(
        __file__)))
    ap.add_argument("--add-cores", action="append", default=[])
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    d = a.data

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
        if role not in ROLES:
            raise Bad(f"{where}: role '{role}' (valid: {', '.join(ROLES)})")
        if status not in ("ok", "avoid"):
            raise Bad(f"{where}: status '{status}' (valid: ok, avoid)")
        events.append((table, name, None if code == "-" else
                       num(where, code), role, status, instead, notes))
    tables = {e[0] for e in events}

    cores = []
    seen = {}
    files = [os.path.join(d, "cores.tsv")] + a.add_cores
    for path in files:
        for where, c in rows(path, 10):
            arch, match, name, ctype, found, pfm, table, kind, rank, dflt = c
            if arch not in ("arm64", "x86"):
                raise Bad(f"{where}: arch '{arch}' (valid: arm64, x86)")
            if kind not in KINDS:
                raise Bad(f"{where}: kind '{kind}' (valid: "
                          f"{', '.join(KINDS)})")
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
            row = {"name": name, "ctype": ctype, "found": found,
                   "pfm": pfm, "table": table, "kind": KINDS[kind],
                   "rank": int(rank), "dflt": evlist, "x86": arch == "x86",
                   "base": BASE[kind]}
            if match == "*":
                row["fallback"] = True
            elif arch == "arm64":
                imp, _, part = match.partition(":")
                row["imp"], row["part"] = num(where, imp), num(where, part)
            else:
                m, _, pmu = match.partition("@")
                parts = m.split(":")
                if len(parts) != 3 or "-" not in parts[2]:
                    raise Bad(f"{where}: x86 match is vendor:family:lo-hi"
                              f"[@pmu], not '{match}'")
                lo, _, hi = parts[2].partition("-")
                row.update(vendor=parts[0], family=num(where, parts[1]),
                           lo=num(where, lo), hi=num(where, hi),
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
        lats.append((arch, core, value, src))

    metrics = []
    for where, (name, n, dn, scale) in rows(os.path.join(d, "metrics.tsv"),
                                            4):
        for r in (n, dn):
            if r not in ROLES[1:]:
                raise Bad(f"{where}: role '{r}'")
        metrics.append((name, n, dn, float(scale)))

    out = ["/* Generated by harness/data/gen-tables.py from the TSV files "
           "of harness/data/: edit those. */",
           '#include "data/tables.h"', "",
           "const struct tb_core_row tb_core_rows[] = {"]
    for r in cores:
        if r.get("fallback"):
            ident = f'.x86 = {"true" if r["x86"] else "false"}, .fallback = true,'
        elif r["x86"]:
            ident = (f'.x86 = true, .vendor = {cstr(r["vendor"])}, '
                     f'.family = 0x{r["family"]:x}, .model_lo = '
                     f'0x{r["lo"]:x}, .model_hi = 0x{r["hi"]:x}, '
                     f'.pmu = {cstr(r["pmu"])},')
        else:
            ident = (f'.implementer = 0x{r["imp"]:x}, '
                     f'.part = 0x{r["part"]:x},')
        out.append(f'\t{{ {ident}\n\t  .name = {cstr(r["name"])}, '
                   f'.core_type = {cstr(r["ctype"])},\n\t  .found_in = '
                   f'{cstr(r["found"]) if r["found"] != "-" else chr(34)*2}'
                   f', .pfm_pmu = {cstr(r["pfm"])},\n\t  .table = '
                   f'{cstr(r["table"])}, .base = {cstr(r["base"])},\n\t  '
                   f'.kind = {r["kind"]}, .rank = '
                   f'{r["rank"]},\n\t  .defaults = {cstr(r["dflt"])} }},')
    out += ["};", "const size_t tb_nr_core_rows = "
            f"{len(cores)};", "", "const struct tb_event_row tb_event_rows[] = {"]
    for t, n, code, role, status, instead, notes in events:
        out.append(f'\t{{ {cstr(t)}, {cstr(n)}, '
                   f'{"true" if code is not None else "false"}, '
                   f'0x{code or 0:x}, {ROLE_C[ROLES.index(role)]}, '
                   f'{"true" if status == "avoid" else "false"},\n\t  '
                   f'{cstr(instead)}, {cstr(notes)} }},')
    out += ["};", f"const size_t tb_nr_event_rows = {len(events)};", "",
            "const struct tb_metric_row tb_metric_rows[] = {"]
    for name, n, dn, scale in metrics:
        out.append(f'\t{{ {cstr(name)}, {ROLE_C[ROLES.index(n)]}, '
                   f'{ROLE_C[ROLES.index(dn)]}, {scale!r} }},')
    out += ["};", f"const size_t tb_nr_metric_rows = {len(metrics)};", "",
            "const struct tb_latency_row tb_latency_rows[] = {"]
    for arch, core, value, src in lats:
        out.append(f'\t{{ {cstr(arch)}, {cstr(core)}, {value!r},\n\t  '
                   f'{cstr(src)} }},')
    out += ["};", f"const size_t tb_nr_latency_rows = {len(lats)};", "",
            "const char *tb_role_name(enum tb_role role)", "{",
            "\tstatic const char *const names[] = {"]
    for r, c in zip(ROLES, ROLE_C):
        out.append(f'\t\t[{c}] = "{r}",')
    out += ["\t};", "", "\treturn (unsigned int)role < TB_NR_ROLES ? "
            'names[role] : "-";', "}", ""]
    with open(a.output, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    try:
        main()
    except Bad as e:
        sys.exit(f"gen-tables.py: {e}")
