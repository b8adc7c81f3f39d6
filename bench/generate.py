"""Synthetic portfolios for the benchmark, shaped like the real one.

The bundled portfolio has, per 34 entity files, 19 initiatives, 5 budget lines,
5 events, 2 news items, 2 questions and 1 meeting, with references from budget
lines, events, news and questions to initiatives and events. The generator keeps
those proportions and kinds of references at any size, deterministically. Its
budget lines also have funders, and the decided ones monthly spending entries
(which the bundled portfolio, holding only what its sources state, has not).

    python bench/generate.py 1000 /tmp/portfolio-1000
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

PROPORTIONS = {
    "initiatives": 19,
    "budget": 5,
    "events": 5,
    "news": 2,
    "questions": 2,
    "meetings": 1,
}
STATUSES = ["ongoing", "upcoming", "idea", None]
KINDS = ["pilot", "testbed", "research", "education", "capacity", "policy", None]
WORDS = [
    "måltider",
    "möten",
    "piloter",
    "trygghet",
    "larm",
    "civilsamhälle",
    "testbädd",
    "äldreboende",
    "hälsa",
    "forskning",
    "utbildning",
    "innovation",
    "digital",
    "samverkan",
    "kommun",
    "region",
    "stad",
    "verkstad",
]


def settings(periods: list[int]) -> str:
    frames = "".join(
        f"  - category: {category}\n    period: {period}\n    amount: {amount}\n"
        for period in periods
        for category, amount in (("ordinarie", 1_310_000_000), ("pilot", 797_500_000))
    )
    return (
        "name: Syntetisk portfölj\nmission: Välmående och självständiga äldre\nlanguage: sv\n"
        "organisations:\n  mdu: Mälardalens universitet\n  eskilstuna: Eskilstuna kommun\n"
        "  vasteras: Västerås stad\n"
        "vocabularies:\n"
        "  kinds:\n"
        + "".join(f"    {k}: {k.capitalize()}\n" for k in KINDS if k)
        + "  categories:\n    ordinarie: Ordinarie budget\n    pilot: Pilotbudget\n"
        "  purposes:\n    konsult: Konsult\n    extern-processledare: Extern processledare\n"
        "  phases:\n    pagaende: Pågående\n    uppstart: Uppstart\n"
        "  event_kinds:\n    oppen-verkstad: Öppen verkstad\n    forumtraff: Forumträff\n"
        "  meeting_kinds:\n    core-team: Core team-möte\n"
        "  relations:\n    relaterad: Relaterad\n"
        f"frames:\n{frames}"
    )


ORGANISATIONS = ["mdu", "eskilstuna", "vasteras"]


def money(rng: random.Random, amount: int, decided: bool) -> list[str]:
    """Funders (shares adding up to 100 %, or one organisation's amount and an
    external funder's rest, sometimes hours in kind) and, on a decided line, a few
    monthly spending entries within its amount: what a secretary keeps."""
    lines = ["funders:"]
    if rng.random() < 0.5:
        first = rng.choice([25, 50, 60, 75])
        payers = rng.sample(ORGANISATIONS, 2)
        lines.append(f"  - {{organisation: {payers[0]}, share: {first}}}")
        lines.append(f"  - {{organisation: {payers[1]}, share: {100 - first}, hours: 40}}")
    else:
        part = amount // 5 * rng.randint(1, 4)
        lines.append(f"  - {{organisation: {rng.choice(ORGANISATIONS)}, amount: {part}}}")
        lines.append(f"  - {{name: Vinnova, amount: {amount - part}}}")
    if decided:
        left = amount
        lines.append("spent:")
        for month in range(1, rng.randint(2, 7)):
            spent = rng.randint(0, left // 3)
            left -= spent
            lines.append(f"  - {{date: 2024-{month:02d}-25, amount: {spent}, voucher: V-{month}}}")
    return lines


def title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))).capitalize()


def generate(total: int, root: Path, seed: int = 2024) -> dict[str, int]:
    """Write a portfolio of `total` entity files (plus kontrakt.yaml) into `root`."""
    rng = random.Random(seed)
    # Spending and funders from a generator of their own: the rest of the portfolio
    # is the same as before they were added.
    money_rng = random.Random(seed + 17)
    if root.exists():
        shutil.rmtree(root)
    weight = sum(PROPORTIONS.values())
    counts = {kind: max(1, total * share // weight) for kind, share in PROPORTIONS.items()}
    counts["initiatives"] += total - sum(counts.values())
    periods = [2024, 2025]
    root.mkdir(parents=True)
    (root / "kontrakt.yaml").write_text(settings(periods), encoding="utf-8")
    initiatives = [f"initiativ-{n}" for n in range(counts["initiatives"])]
    events = [f"handelse-{n}" for n in range(counts["events"])]
    for folder in PROPORTIONS:
        (root / folder).mkdir()
    for key in initiatives:
        lines = [f"title: {title(rng)}"]
        status = rng.choice(STATUSES)
        if status:
            lines.append(f"status: {status}")
        kind = rng.choice(KINDS)
        if kind:
            lines.append(f"kind: {kind}")
        if rng.random() < 0.3:
            lines.append(f"organisations: [{rng.choice(['mdu', 'eskilstuna', 'vasteras'])}]")
        if rng.random() < 0.3:
            lines.append(f"notes:\n  - {title(rng)}")
        if rng.random() < 0.2:
            other = rng.choice(initiatives)
            if other != key:
                lines.append(f"related:\n  - initiative: {other}\n    type: relaterad")
        if rng.random() < 0.2:
            lines.append(
                f"milestones:\n  - date: 2024-{rng.randint(1, 12):02d}-15\n    title: {title(rng)}"
            )
        (root / "initiatives" / f"{key}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    for n in range(counts["budget"]):
        funded = rng.sample(initiatives, k=min(len(initiatives), rng.choice([1, 1, 1, 2])))
        line_title, amount = title(rng), rng.randint(1, 60) * 5000
        category, period = rng.choice(["ordinarie", "pilot"]), rng.choice(periods)
        phase = rng.choice(["pagaende", "uppstart"])
        decision = rng.choice(["proposed", "proposed", "decided"])
        decided = decision == "decided"
        lines = [
            f"title: {line_title}",
            f"amount: {amount}",
            f"category: {category}",
            f"period: {period}",
            f"phase: {phase}",
            f"decision: {decision}",
            f"initiatives: [{', '.join(funded)}]",
        ]
        if rng.random() < 0.3:
            lines.append("parts:\n  - amount: 5000\n    purpose: konsult")
        lines += money(money_rng, amount, decided)
        (root / "budget" / f"rad-{n}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    for key in events:
        day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines = [
            f"title: {title(rng)}",
            f"kind: {rng.choice(['oppen-verkstad', 'forumtraff'])}",
            f"date: {day}",
            "start: '08:30'",
            "end: '14:00'",
            f"venue: {title(rng)}",
            f"city: {rng.choice(['Eskilstuna', 'Västerås'])}",
            f"initiatives: [{rng.choice(initiatives)}]",
        ]
        (root / "events" / f"{key}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    for n in range(counts["news"]):
        day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        text = f"date: {day}\ntitle: {title(rng)}\nevents: [{rng.choice(events)}]\n"
        (root / "news" / f"nyhet-{n}.yaml").write_text(text, "utf-8")
    for n in range(counts["questions"]):
        text = (
            f"title: {title(rng)}\npoints:\n  - {title(rng)}?\n"
            f"initiatives: [{rng.choice(initiatives)}]\nraised: 2024-02-{rng.randint(1, 28):02d}\n"
        )
        (root / "questions" / f"fraga-{n}.yaml").write_text(text, "utf-8")
    for n in range(counts["meetings"]):
        day = f"20{24 + n // 336}-{n // 28 % 12 + 1:02d}-{n % 28 + 1:02d}"
        text = f"date: {day}\nkind: core-team\ncommunication:\n  - Vad har vi gjort?\n"
        (root / "meetings" / f"{day}-core-team.yaml").write_text(text, "utf-8")
    return counts


if __name__ == "__main__":
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))
