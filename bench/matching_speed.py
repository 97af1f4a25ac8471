"""Speed and memory of the matching engine on 100,000 profiles (30,000 cinema).

Measures the index build, `cast()` and `match_profiles()` latency (p50/p95) for the labelled
role and job descriptions plus long ones (50-80 words), single and batched upserts, the
searches right after changes (delta segment and tombstones in play), and a compaction.
`BENCH_MATCHING_PROFILES` sets the population (default 100,000); `BENCH_MATCHING_ROUNDS`
how many times each query runs (default 5). Goal (issue 4): both searches p95 < 150 ms.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import time
from dataclasses import replace

from webapp.matching import evaluation

DESCRIPTION = "AI casting / AI search speed on 100,000 profiles: build, p50/p95 of cast() and match_profiles(), upserts"
GOAL_MS = 150.0

LONG_ROLES = [
    "Pour notre long métrage historique tourné entre Ouarzazate et Marrakech, nous recherchons une actrice de "
    "25 à 35 ans pour le rôle principal : une cavalière au caractère fort, à l'aise avec les scènes d'action et "
    "de combat, parlant arabe et français, cheveux bouclés de préférence, au moins 1m65, disponible trois mois.",
    "We are casting a male supporting actor aged 40-55 for a television drama shot in Casablanca: a warm, "
    "experienced performer who can sing and play the guitar, speaks English and Arabic fluently, has a "
    "muscular build and some stage combat or martial arts training, and is available for six weeks of filming.",
]
LONG_JOBS = [
    "Nous recrutons un développeur full-stack confirmé pour rejoindre notre équipe produit à Casablanca. Vous "
    "maîtrisez JavaScript (React, Node.js) et Python (Django), vous avez au moins 5 ans d'expérience, vous êtes à "
    "l'aise avec Docker, Kubernetes et l'intégration continue, et vous parlez anglais couramment. Une expérience "
    "en apprentissage automatique ou en analyse de données est un plus. Télétravail partiel possible, temps plein.",
    "Our data team is hiring a data scientist with strong machine learning, SQL and Python skills, experience "
    "with dashboards in Power BI or Excel, and the ability to present results to non-technical stakeholders. "
    "You have 3+ years of experience, you are fluent in French and English, and project management or agile "
    "experience would be a plus. The role is hybrid, based in Dakar, with occasional travel to Abidjan.",
]


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(p95 * 1000, 2), "max_ms": round(ordered[-1] * 1000, 2)}


def _time(fn, rounds: int, texts: list[str]) -> list[float]:
    samples = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            fn(text)
            samples.append(time.perf_counter() - started)
    return samples


def main(ctx=None) -> dict:
    size = int(os.environ.get("BENCH_MATCHING_PROFILES", "100000"))
    rounds = int(os.environ.get("BENCH_MATCHING_ROUNDS", "5"))
    print(f"\nMatching speed: {size:,} profiles (30% cinema), each query {rounds} times")
    started = time.perf_counter()
    people = evaluation.generate_population(size)
    generated = time.perf_counter() - started

    gc.collect()
    rss_before = _rss_mb()
    started = time.perf_counter()
    engine = evaluation.build_engine(people)
    build = time.perf_counter() - started
    gc.collect()
    rss_growth = _rss_mb() - rss_before
    engine_mb = engine.memory_bytes() / 1e6

    roles = [q.text for q in evaluation.QUERIES if q.kind == "cast"] + LONG_ROLES
    jobs = [q.text for q in evaluation.QUERIES if q.kind == "profiles"] + LONG_JOBS
    for text in roles[:2] + jobs[:2]:  # warm caches (stems, regexes) as a running server would be
        engine.cast(text)
        engine.match_profiles(text)
    cast = _percentiles(_time(engine.cast, rounds, roles))
    match = _percentiles(_time(engine.match_profiles, rounds, jobs))
    long_query = " ".join(LONG_JOBS[0].split()[:50])
    fifty_words = _percentiles(_time(engine.match_profiles, rounds * 4, [long_query]))

    rng = random.Random(1)
    changed = [replace(p.profile, bio=p.profile.bio + " Disponible immédiatement.", city=p.profile.city)
               for p in rng.sample(people, 1000)]
    single = []
    for profile in changed:
        started = time.perf_counter()
        engine.apply(upserts=[profile])
        single.append(time.perf_counter() - started)
    batch = [replace(p.profile, headline=p.profile.headline + " (mis à jour)") for p in rng.sample(people, 500)]
    started = time.perf_counter()
    engine.apply(upserts=batch, removals=[p.profile.id for p in rng.sample(people, 200)])
    batch_seconds = time.perf_counter() - started
    after_changes = _percentiles(_time(engine.cast, 1, roles) + _time(engine.match_profiles, 1, jobs))
    started = time.perf_counter()
    engine.compact()
    compaction = time.perf_counter() - started

    figures = {
        "profiles": size, "population_seconds": round(generated, 1), "build_seconds": round(build, 1),
        "rss_growth_mb": round(rss_growth, 1), "engine_arrays_mb": round(engine_mb, 1),
        "cast": cast, "match_profiles": match, "match_profiles_50_words": fifty_words,
        "upsert_single": _percentiles(single), "upsert_batch_500_remove_200_seconds": round(batch_seconds, 3),
        "search_after_changes": after_changes, "compaction_seconds": round(compaction, 2),
    }
    figures["goal_met"] = cast["p95_ms"] < GOAL_MS and match["p95_ms"] < GOAL_MS
    _print(figures)
    return figures


def _print(f: dict) -> None:
    print(f"population generated in {f['population_seconds']} s (not part of the engine)")
    print(f"index build: {f['build_seconds']} s; memory: {f['rss_growth_mb']} MB process growth, "
          f"{f['engine_arrays_mb']} MB in the engine's arrays")
    print(f"{'operation':<34}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for label, key in (("cast()", "cast"), ("match_profiles()", "match_profiles"),
                       ("match_profiles(), 50 words", "match_profiles_50_words"),
                       ("upsert one profile (apply)", "upsert_single"),
                       ("searches after 1,700 changes", "search_after_changes")):
        row = f[key]
        print(f"{label:<34}{row['n']:>6}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['max_ms']:>10}")
    print(f"one batch of 500 upserts + 200 removals: {f['upsert_batch_500_remove_200_seconds']} s; "
          f"compaction: {f['compaction_seconds']} s")
    print(f"goal: cast() and match_profiles() p95 < {GOAL_MS:.0f} ms: {'met' if f['goal_met'] else 'NOT MET'}")


if __name__ == "__main__":
    main(None)
