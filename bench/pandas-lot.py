#!/usr/bin/python3
"""The same lot's work in pandas, as a quality engineer would script it: the yardstick for `lotqa run`.

    /usr/bin/python3 bench/pandas-lot.py <lot folder>      (Debian's python3-pandas)

Reads every station file of a lot written by `lotqa generate` in a wide profile with a key=value
preamble (wide-eu-preamble: decimal commas, `;`), converts mW to dBm (and mW to W, mA to A), orders the
units by test time and computes per chart (parameter x corner x lane): n, mean, sd, Cpk against the
product's numeric limits, and individuals-chart limits (mean +/- 2.66 MR-bar). It stores nothing, checks
nothing beyond what pandas does and decides nothing: less work than lotqa does, on purpose the least a
script would do. Prints one JSON line (files, measurements, charts, seconds).
"""
import io
import json
import math
import os
import sys
import time

import numpy as np
import pandas as pd

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(lot_dir):
    started = time.perf_counter()
    manifest = load_json(os.path.join(lot_dir, "manifest.json"))
    product = load_json(os.path.join(ROOT, "schemas", "products", manifest["product"] + ".json"))
    profile = load_json(os.path.join(ROOT, "schemas", "profiles", manifest["profile"] + ".json"))
    specs = {p["id"]: p for p in product["parameters"]}
    columns = {}  # header -> (parameter, unit)
    for c in profile["wide"]["columns"]:
        for h in c["header"]:
            columns[h] = (c["parameter"], c.get("unit"))
    corner_col = profile["identity"]["corner"]["column"][0]
    lane_col = profile["identity"]["lane"]["column"][0]
    corners = profile.get("cornerAliases", {})

    frames = []
    files = 0
    for name in sorted(os.listdir(lot_dir)):
        if not name.endswith(".csv"):
            continue
        with open(os.path.join(lot_dir, name), encoding="utf-8") as f:
            text = f.read()
        head = {}
        lines = text.splitlines(keepends=True)
        i = 0
        while i < len(lines) and "=" in lines[i] and profile["delimiter"] not in lines[i]:
            k, v = lines[i].rstrip("\n").split("=", 1)
            head[k.strip()] = v.strip()
            i += 1
        df = pd.read_csv(io.StringIO("".join(lines[i:])), sep=profile["delimiter"], decimal=profile["decimal"])
        df["serial"] = head.get("Serial")
        df["time"] = head.get("Date")
        frames.append(df)
        files += 1
    wide = pd.concat(frames, ignore_index=True)
    wide["time"] = pd.to_datetime(wide["time"], format="%d.%m.%Y %H:%M:%S")
    wide = wide.sort_values(["time", "serial"], kind="stable")
    long = wide.melt(id_vars=["serial", "time", corner_col, lane_col], var_name="column", value_name="value")
    long = long.dropna(subset=["value"])
    long["parameter"] = long["column"].map(lambda h: columns.get(h, (None, None))[0])
    units = long["column"].map(lambda h: columns.get(h, (None, None))[1])
    long = long[long["parameter"].notna()].copy()
    units = units[long.index]
    v = pd.to_numeric(long["value"], errors="coerce")
    canonical = long["parameter"].map(lambda p: specs[p]["unit"])
    mw_dbm = (units == "mW") & (canonical == "dBm")
    v = v.where(~mw_dbm, 10 * np.log10(v.where(v > 0)))
    v = v.where(~((units == "mW") & (canonical == "W")), v / 1000)
    v = v.where(~((units == "mA") & (canonical == "A")), v / 1000)
    long["value"] = v
    long["corner"] = long[corner_col].map(lambda c: corners.get(c, c))
    # Per-module values (power, Icc) repeat on every lane row of a corner: one chart per corner, not per lane.
    module = long["parameter"].map(lambda p: specs[p].get("scope") == "module")
    long.loc[module, lane_col] = 0
    long = long[~(module & long.duplicated(subset=["serial", "time", "corner", "parameter"]))]
    measurements = int(long["value"].notna().sum())

    def chart(g):
        x = g["value"].to_numpy(dtype=float)
        x = x[~np.isnan(x)]
        n = len(x)
        mean = x.mean() if n else math.nan
        sd = x.std(ddof=1) if n > 1 else math.nan
        spec = specs[g.name[0]]
        lsl = spec.get("lsl") if isinstance(spec.get("lsl"), (int, float)) else None
        usl = spec.get("usl") if isinstance(spec.get("usl"), (int, float)) else None
        sides = [(usl - mean) / (3 * sd)] if usl is not None else []
        sides += [(mean - lsl) / (3 * sd)] if lsl is not None else []
        mr = np.abs(np.diff(x)).mean() if n > 1 else math.nan
        return pd.Series(
            {"n": n, "mean": mean, "sd": sd, "cpk": min(sides) if sides else math.nan, "ucl": mean + 2.66 * mr, "lcl": mean - 2.66 * mr}
        )

    stats = long.groupby(["parameter", "corner", lane_col], sort=True).apply(chart)
    print(
        json.dumps(
            {
                "files": files,
                "measurements": measurements,
                "charts": int(len(stats)),
                "worstCpk": float(np.nanmin(stats["cpk"].to_numpy(dtype=float))),
                "seconds": round(time.perf_counter() - started, 3),
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: /usr/bin/python3 bench/pandas-lot.py <lot folder>")
    main(sys.argv[1])
