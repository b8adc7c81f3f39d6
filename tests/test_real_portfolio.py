"""The bundled portfolio: it checks clean and holds what the two documents say."""

from __future__ import annotations

from datetime import date

from conftest import BUNDLED
from kontrakt.load import load_portfolio
from kontrakt.models.budget import Decision
from kontrakt.models.common import Status


def test_bundled_portfolio_has_no_errors_and_one_true_warning() -> None:
    result = load_portfolio(BUNDLED)
    assert [
        (d.path.name, d.line, d.column, d.severity.value, d.rule, d.message)
        for d in result.diagnostics
    ] == [
        (
            "kontrakt.yaml",
            62,
            13,
            "warning",
            "frame-exceeded",
            "pilotbudget 2024: decided + proposed 900\u00a0000\u00a0kr "
            "exceeds the frame 797\u00a0500\u00a0kr "
            "by 102\u00a0500\u00a0kr",
        )
    ]
    assert result.files == 35


def test_holds_every_initiative_of_the_deck_by_status() -> None:
    portfolio = load_portfolio(BUNDLED).portfolio
    assert portfolio is not None
    by_status: dict[Status | None, list[str]] = {}
    for initiative in portfolio.initiatives.values():
        by_status.setdefault(initiative.status, []).append(initiative.title)
    assert sorted(by_status[Status.ONGOING]) == sorted(
        [
            "Måltider och möten – tre piloter",
            "Ängsgärdet – konkreta idéer snart redo för utvärdering",
            "Salus mea – trygghetslarm med civilsamhället",
            "Utbildning Systematisk innovationsledning",
            'Utvecklingsprogram "Future impact champions"',
            "Project management i Innovationsmaster",
        ]
    )
    assert sorted(by_status[Status.UPCOMING]) == sorted(
        [
            "Servicetjänster – kommunens nya roll i servicelandskapet",
            "Utvecklat samarbete med civilsamhället",
            "Framtidens äldreboende – förvaltningsövergripande uppdrag och workshop med KPR",
        ]
    )
    assert sorted(by_status[Status.IDEA]) == sorted(
        [
            "Policy för äldre – kraftsamling Västerås",
            "KUG självständigt liv",
            "Existentiell hälsa eller psykosocial hälsa",
            "Hälsoekonomi?",
            "Datadrivet arbete och AI?",
        ]
    )
    research = sorted(i.title for i in portfolio.initiatives.values() if i.kind == "research")
    assert research == [
        "Samtal om forskning kring livslångt lärande",
        "Tvärvetenskapligt forskningsinitiativ kopplat till tryggt och självständigt liv "
        "i hemmet - HVV+IDT",
        "Öppen verkstad om existentiell hälsa",
    ]


def test_budget_lines_frames_and_decisions_match_the_deck() -> None:
    portfolio = load_portfolio(BUNDLED).portfolio
    assert portfolio is not None
    lines = {
        line.title: (line.amount, line.category, line.phase, line.decision)
        for line in portfolio.budget.values()
    }
    assert lines == {
        "Måltider och möten, 3 piloter": (285_000, "ordinarie", "pagaende", Decision.PROPOSED),
        "Framtidens äldreboende och Ängsgärdet": (
            375_000,
            "ordinarie",
            "pagaende",
            Decision.PROPOSED,
        ),
        "Trygghetslösning": (260_000, "pilot", "pagaende", Decision.DECIDED),
        "Civilsamhället som partner": (540_000, "pilot", "uppstart", Decision.PROPOSED),
        "Servicetjänster": (200_000, None, "uppstart", Decision.PROPOSED),
    }
    parts = {
        line.title: [(p.amount, p.category, p.purpose) for p in line.parts]
        for line in portfolio.budget.values()
        if line.parts
    }
    assert parts == {
        "Måltider och möten, 3 piloter": [(100_000, "pilot", None)],
        "Servicetjänster": [(100_000, None, "konsult")],
    }
    shared = portfolio.budget["framtidens-aldreboende-och-angsgardet"]
    assert [f.initiative for f in shared.initiatives] == ["framtidens-aldreboende", "angsgardet"]
    frames = {(f.category, f.period): f.amount for f in portfolio.settings.frames}
    assert frames == {("ordinarie", 2024): 1_310_000, ("pilot", 2024): 797_500}


def test_events_news_questions_and_meeting() -> None:
    portfolio = load_portfolio(BUNDLED).portfolio
    assert portfolio is not None
    workshops = sorted(
        (e.date, e.start, e.end, e.venue, e.city)
        for e in portfolio.events.values()
        if e.kind == "oppen-verkstad"
    )
    assert workshops == [
        (date(2024, 3, 15), "08:30", "14:00", "Elite Stadshotell", "Eskilstuna"),
        (date(2024, 4, 19), "08:30", "14:00", "Plaza hotell", "Västerås"),
    ]
    forum = sorted(
        (e.series.number, e.theme, e.date)
        for e in portfolio.events.values()
        if e.series is not None
    )
    assert forum == [
        (1, "Digital stad för välmående och självständiga äldre", None),
        (2, "Volontärskap och engagemang för välmående och självständiga äldre", None),
        (3, "Hälsofrämjande insatser för välmående och självständiga äldre", date(2023, 4, 5)),
    ]
    third = portfolio.events["forumtraff-halsoframjande-insatser"]
    assert (third.venue, third.city, third.start, third.end, third.contact) == (
        "Valvet",
        "Eskilstuna",
        "07:30",
        "12:00",
        "asa.oberg@mdu.se",
    )
    assert sorted(n.title for n in portfolio.news.values()) == [
        "Blerim stöttar kring kommunikation i sociala medier",
        "Öppen verkstad, två tillfällen med fokus Välmående självständiga äldre",
    ]
    questions = {q.title: q.points for q in portfolio.questions.values()}
    assert questions == {
        "Ofrivillig ensamhet statsbidrag": [
            "Ska ni söka?",
            "Potential att växla upp något som ändå är planerat i våra initiativ?",
        ],
        "Salus mea trygghetslarm": [
            "Test tänkt att starta i maj KPR möte först i april?",
            "Kan ni skicka ut info på kontaktlista?",
        ],
    }
    meeting = portfolio.meetings["2024-02-27-core-team"]
    assert meeting.date == date(2024, 2, 27)
    assert meeting.communication == [
        "Vad har vi gjort?",
        "Vad behöver vi fokusera på nu?",
        "Vad behöver andra veta?",
    ]
