#!/usr/bin/env python3
"""The work of `crates/svatlas-areas/benches/areas.rs`, done in DuckDB, for BENCHMARKS.md.

Loads the same shipped file the Rust engine reads for IoD2019
(data/iod2019_england_lsoa11/iod2019_lsoa11_combined.csv.gz: Files 1-3 ranks, deciles and
IMD/Income/Employment scores, plus the File 6 population denominators) into a DuckDB table once,
then times, in process with time.perf_counter:

  * lad_summaries: all 317 IoD2019 LAD summaries with the official method (average rank, average
    score, proportion of LSOAs in decile 1, extent, local concentration with the partial last
    LSOA, scale) for the 10 domains, and the competition ranks of every measure across LADs;
  * correlation: Pearson corr() plus Spearman (corr() of average ranks from rank windows) of
    Income vs Employment score over all 32,844 LSOAs, with the Fisher-z 95% CI and the p-value.

Checks Plymouth (E06000026) against the official File 10 figures and prints JSON.
Usage: python3 bench/duckdb_lad_summaries.py [--runs 30] [--threads N]
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMBINED = os.path.join(ROOT, "data/iod2019_england_lsoa11/iod2019_lsoa11_combined.csv.gz")
N = 32844

# domain id -> (File 7 header prefix, has score, weight column)
DOMAINS = {
    "imd": ("Index of Multiple Deprivation (IMD)", "Index of Multiple Deprivation (IMD) Score", "w_total"),
    "income": ("Income", "Income Score (rate)", "w_total"),
    "employment": ("Employment", "Employment Score (rate)", "w_working"),
    "education": ("Education, Skills and Training", None, "w_total"),
    "health": ("Health Deprivation and Disability", None, "w_total"),
    "crime": ("Crime", None, "w_total"),
    "barriers": ("Barriers to Housing and Services", None, "w_total"),
    "living_environment": ("Living Environment", None, "w_total"),
    "idaci": ("Income Deprivation Affecting Children Index (IDACI)", None, "w_children"),
    "idaopi": ("Income Deprivation Affecting Older People (IDAOPI)", None, "w_older"),
}
WEIGHTS = {
    "w_total": "Total population: mid 2015 (excluding prisoners)",
    "w_children": "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
    "w_older": "Older population aged 60 and over: mid 2015 (excluding prisoners)",
    "w_working": "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)",
}


def q(name):
    return '"' + name.replace('"', '""') + '"'


def load(con):
    cols = [f'{q("LSOA code (2011)")} AS lsoa', f'{q("Local Authority District code (2019)")} AS lad',
            f'{q("Local Authority District name (2019)")} AS lad_name']
    for d, (prefix, score, _) in DOMAINS.items():
        cols.append(f'CAST({q(prefix + " Rank (where 1 is most deprived)")} AS DOUBLE) AS {d}_rank')
        cols.append(f'CAST({q(prefix + " Decile (where 1 is most deprived 10% of LSOAs)")} AS INTEGER) AS {d}_decile')
        if score:
            cols.append(f"CAST({q(score)} AS DOUBLE) AS {d}_score")
    for w, header in WEIGHTS.items():
        cols.append(f"CAST({q(header)} AS DOUBLE) AS {w}")
    con.execute(
        f"CREATE TABLE lsoa AS SELECT {', '.join(cols)} "
        f"FROM read_csv('{COMBINED}', header = true, all_varchar = true) ORDER BY lsoa"
    )


def lad_summaries_sql():
    agg = ["lad", "any_value(lad_name) AS lad_name", "count(*) AS lsoa_count", "sum(w_total) AS population"]
    measures = []  # columns ranked across LADs (descending)
    for d, (_, score, w) in DOMAINS.items():
        agg.append(f"sum({w} * ({N} + 1 - {d}_rank)) / sum({w}) AS {d}_average_rank")
        measures.append(f"{d}_average_rank")
        if score:
            agg.append(f"sum({w} * {d}_score) / sum({w}) AS {d}_average_score")
            measures.append(f"{d}_average_score")
        agg.append(f"count(*) FILTER (WHERE {d}_decile = 1) / count(*) AS {d}_proportion_most_deprived_10pc")
        measures.append(f"{d}_proportion_most_deprived_10pc")
        if d in ("income", "employment"):
            agg.append(f"sum({d}_score * {w}) AS {d}_scale")
            measures.append(f"{d}_scale")
    # Extent: sliding weight by national percentile ceil(100 * rank / N).
    agg.append(
        f"sum(w_total * CASE WHEN ceil(100 * imd_rank / {N}) <= 10 THEN 1.0 "
        f"WHEN ceil(100 * imd_rank / {N}) <= 30 THEN 0.95 - (ceil(100 * imd_rank / {N}) - 11) * 0.9 / 19 "
        f"ELSE 0 END) / sum(w_total) AS imd_extent"
    )
    measures += ["imd_extent", "imd_local_concentration"]
    ranks = ", ".join(f"rank() OVER (ORDER BY {m} DESC) AS rank_of_{m}" for m in measures)
    return f"""
WITH agg AS (SELECT {', '.join(agg)} FROM lsoa GROUP BY lad),
ordered AS (
  SELECT lad, imd_rank, w_total,
         0.1 * sum(w_total) OVER (PARTITION BY lad) AS target,
         coalesce(sum(w_total) OVER (PARTITION BY lad ORDER BY imd_rank, lsoa
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
  FROM lsoa),
lc AS (
  SELECT lad, sum(least(w_total, target - before) * ({N} + 1 - imd_rank))
              / sum(least(w_total, target - before)) AS imd_local_concentration
  FROM ordered WHERE before < target GROUP BY lad)
SELECT agg.*, lc.imd_local_concentration, {ranks}
FROM agg JOIN lc USING (lad) ORDER BY lad
"""


CORRELATION_SQL = """
WITH pairs AS (SELECT income_score AS x, employment_score AS y FROM lsoa
               WHERE isfinite(income_score) AND isfinite(employment_score)),
ranked AS (
  SELECT x, y,
         rank() OVER (ORDER BY x) + (count(*) OVER (PARTITION BY x) - 1) / 2.0 AS rx,
         rank() OVER (ORDER BY y) + (count(*) OVER (PARTITION BY y) - 1) / 2.0 AS ry
  FROM pairs)
SELECT corr(x, y) AS pearson, corr(rx, ry) AS spearman, count(*) AS n FROM ranked
"""


def finish(r, n, spearman):
    """Fisher-z 95% CI and two-sided p (normal approximation of t with n - 2 df: n is 32,844)."""
    var = (1.06 if spearman else 1.0) / (n - 3)
    z = math.atanh(max(min(r, 0.999999999), -0.999999999))
    half = 1.959963984540054 * math.sqrt(var)
    t = r * math.sqrt((n - 2) / (1 - r * r))
    return {"r": r, "n": n, "ci_low": math.tanh(z - half), "ci_high": math.tanh(z + half),
            "p_value": math.erfc(abs(t) / math.sqrt(2))}


def correlation(con):
    pearson, spearman, n = con.execute(CORRELATION_SQL).fetchone()
    return {"pearson": finish(pearson, n, False), "spearman": finish(spearman, n, True)}


def timed(f, runs):
    f()  # warm-up
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        samples.append(time.perf_counter() - t)
    return {"median_ms": statistics.median(samples) * 1e3, "min_ms": min(samples) * 1e3,
            "max_ms": max(samples) * 1e3, "runs": runs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: DuckDB's own, all cores)")
    args = ap.parse_args()
    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    t = time.perf_counter()
    load(con)
    load_ms = (time.perf_counter() - t) * 1e3
    rows = con.execute("SELECT count(*), count(DISTINCT lad) FROM lsoa").fetchone()

    sql = lad_summaries_sql()
    cur = con.execute(sql)
    names = [c[0] for c in cur.description]
    lads = [dict(zip(names, r)) for r in cur.fetchall()]
    plymouth = next(l for l in lads if l["lad"] == "E06000026")
    official = {"imd_average_score": (26.619, 0.0005), "imd_average_rank": (19859.59, 0.005),
                "imd_proportion_most_deprived_10pc": (0.1739, 0.00005), "imd_extent": (0.306, 0.0005),
                "imd_local_concentration": (31468.47, 0.005), "rank_of_imd_average_score": (64, 0),
                "rank_of_imd_average_rank": (72, 0), "rank_of_imd_proportion_most_deprived_10pc": (50, 0),
                "rank_of_imd_extent": (56, 0), "rank_of_imd_local_concentration": (63, 0)}
    mismatches = {k: (plymouth[k], v) for k, (v, tol) in official.items() if abs(plymouth[k] - v) > tol}

    out = {
        "duckdb_version": duckdb.__version__,
        "python": sys.version.split()[0],
        "threads": threads,
        "load_ms": load_ms,
        "lsoas": rows[0],
        "lads": len(lads),
        "plymouth": {k: plymouth[k] for k in official} | {"lsoa_count": plymouth["lsoa_count"],
                                                          "population": plymouth["population"]},
        "plymouth_matches_official": not mismatches,
        "mismatches": mismatches,
        "correlation": correlation(con),
        "lad_summaries": timed(lambda: con.execute(sql).fetchall(), args.runs),
        "correlation_time": timed(lambda: correlation(con), args.runs),
    }
    print(json.dumps(out, indent=2))
    if mismatches or len(lads) != 317:
        sys.exit(1)


if __name__ == "__main__":
    main()
