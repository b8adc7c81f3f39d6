"""Every rule of `kontrakt check`: a small failing portfolio, the exact diagnostic.

Each case adds files to a minimal valid portfolio and lists every line the check
must print for it (path:line:col: severity: message [rule]), nothing more.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check, write

CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    "unknown key with a did-you-mean and a missing key": (
        {"initiatives/beta.yaml": "titel: Beta\n"},
        [
            "initiatives/beta.yaml:1:1: error: missing required key 'title' [missing-key]",
            "initiatives/beta.yaml:1:1: error: unknown key 'titel'; did you mean 'title'? "
            "[unknown-key]",
        ],
    ),
    "unknown status with a did-you-mean": (
        {"initiatives/beta.yaml": "title: Beta\nstatus: ongoin\n"},
        [
            "initiatives/beta.yaml:2:9: error: 'ongoin' is not allowed here; did you mean "
            "'ongoing'? (one of 'idea', 'upcoming', 'ongoing', 'completed', 'paused' or "
            "'stopped') [invalid-value]",
        ],
    ),
    "a display label where the value belongs": (
        {
            "initiatives/beta.yaml": "title: Beta\nstatus: Pågående\n",
            "initiatives/gamma.yaml": (
                "title: Gamma\nkind: Pilot\norganisations: [Mälardalens universitet]\n"
            ),
            "budget/a.yaml": "title: A\namount: 100\nperiod: 2024\ncategory: pilotbudget\n",
        },
        [
            "budget/a.yaml:4:11: error: 'pilotbudget' is the label of the budget category "
            "'pilot'; write pilot [unknown-vocabulary]",
            "initiatives/beta.yaml:2:9: error: 'Pågående' is the label of 'ongoing'; write "
            "ongoing [invalid-value]",
            "initiatives/gamma.yaml:2:7: error: 'Pilot' is the label of 'pilot'; write pilot "
            "[invalid-value]",
            "initiatives/gamma.yaml:3:17: error: 'Mälardalens universitet' is the label of "
            "'mdu'; write mdu [invalid-value]",
        ],
    ),
    "every problem of invalid files at once; a file with errors is not unknown": (
        {
            "budget/ny.yaml": "title: Ny pilot\namount: 150 000,50 kr\nperiod: 2024\n"
            "category: Pilotbudget\ninitiatives: [alfaa, beta]\npurpose: konslut\n",
            "initiatives/beta.yaml": "title: Beta\nstatus: Pågående\nrelated: [alfa, gama]\n",
            "questions/q.yaml": "title: Q\nraised: 2024-02-27\ninitiatives: [betta]\n",
            "events/e.yaml": "title: E\nkind: oppen-verkstad\n"
            "initiatives: [Beta, beta, delta]\ndate: 2024-02-30\n",
        },
        [
            "budget/ny.yaml:2:9: error: '150 000,50 kr' has decimals; write whole kronor as an "
            "integer, e.g. 1300000 instead of 1,3 mnkr [invalid-value]",
            "budget/ny.yaml:4:11: error: 'Pilotbudget' is the label of 'pilot'; write pilot "
            "[invalid-value]",
            "budget/ny.yaml:5:15: error: unknown initiative 'alfaa'; did you mean 'alfa'? "
            "(there is no initiatives/alfaa.yaml) [unknown-reference]",
            "budget/ny.yaml:6:10: error: unknown purpose 'konslut'; did you mean 'konsult'? "
            "(known: konsult; add new ones under vocabularies.purposes in kontrakt.yaml) "
            "[unknown-vocabulary]",
            "events/e.yaml:3:15: error: 'Beta' is not a valid id: use lowercase a-z, digits "
            "and single hyphens (å, ä, ö become a, a, o); use 'beta' [invalid-value]",
            "events/e.yaml:3:27: error: unknown initiative 'delta'; did you mean 'beta'? (there "
            "is no initiatives/delta.yaml) [unknown-reference]",
            "events/e.yaml:4:7: error: 2024-02-30 is not a date in the calendar [invalid-value]",
            "initiatives/beta.yaml:2:9: error: 'Pågående' is the label of 'ongoing'; write "
            "ongoing [invalid-value]",
            "initiatives/beta.yaml:3:17: error: unknown initiative 'gama' (there is no "
            "initiatives/gama.yaml) [unknown-reference]",
            "kontrakt.yaml:23:13: warning: pilotbudget 2024: decided + proposed 0\u00a0kr is "
            "within the frame 797\u00a0500\u00a0kr, but 1 budget line has errors and is not "
            "counted; fix it to know whether the frame holds [frame-incomplete]",
            "questions/q.yaml:3:15: error: unknown initiative 'betta'; did you mean 'beta'? "
            "(there is no initiatives/betta.yaml) [unknown-reference]",
        ],
    ),
    "a key that is one of a field's choices": (
        {
            "budget/a.yaml": "title: A\namount: 1\nperiod: 2025\ndecided: yes\n",
            "initiatives/beta.yaml": "title: Beta\nongoing: true\n",
        },
        [
            "budget/a.yaml:4:1: error: unknown key 'decided'; to say it is decided, write "
            "decision: decided [unknown-key]",
            "initiatives/beta.yaml:2:1: error: unknown key 'ongoing'; to say it is ongoing, "
            "write status: ongoing [unknown-key]",
        ],
    ),
    "a YAML 1.1 boolean": (
        {
            "initiatives/beta.yaml": "title: Beta\nmilestones:\n  - date: 2024-03-01\n"
            "    title: Start\n    done: yes\n"
        },
        [
            "initiatives/beta.yaml:5:11: error: expected true or false, found 'yes', which only "
            "YAML 1.1 reads as a boolean; write true [invalid-value]"
        ],
    ),
    "a date that is not in the calendar": (
        {"initiatives/beta.yaml": "title: Beta\nstart: 2024-02-30\n"},
        [
            "initiatives/beta.yaml:2:8: error: 2024-02-30 is not a date in the calendar "
            "[invalid-value]"
        ],
    ),
    "a date in the wrong form": (
        {"news/n.yaml": "date: 27/2 2024\ntitle: Nytt\n"},
        [
            "news/n.yaml:1:7: error: expected a date as YYYY-MM-DD (e.g. 2024-02-27), found "
            "'27/2 2024' [invalid-value]"
        ],
    ),
    "a time written as in the deck": (
        {"events/e.yaml": "title: E\nkind: oppen-verkstad\nstart: 8.30\n"},
        [
            # The number as written: 8.30 (YAML's float is 8.3).
            "events/e.yaml:3:8: error: expected a time as HH:MM (e.g. 08:30), found the number "
            "8.30 [invalid-value]"
        ],
    ),
    "a number where text belongs": (
        {"initiatives/beta.yaml": "title: 2024\n"},
        [
            "initiatives/beta.yaml:1:8: error: expected text, found the number 2024; put it in "
            "quotes to keep it as text [invalid-value]"
        ],
    ),
    "a text where a list belongs": (
        {"initiatives/beta.yaml": "title: Beta\norganisations: mdu\n"},
        [
            "initiatives/beta.yaml:2:16: error: expected a list (lines starting with '- '), "
            "found 'mdu' [invalid-value]"
        ],
    ),
    "an id listed twice": (
        {"initiatives/beta.yaml": "title: Beta\norganisations: [mdu, mdu]\n"},
        ["initiatives/beta.yaml:2:16: error: 'mdu' is listed twice; keep one [invalid-value]"],
    ),
    "a reference that is not an id": (
        {"initiatives/beta.yaml": "title: Beta\nrelated: [Alfa Projekt]\n"},
        [
            "initiatives/beta.yaml:2:11: error: 'Alfa Projekt' is not a valid id: use lowercase "
            "a-z, digits and single hyphens (å, ä, ö become a, a, o); use 'alfa-projekt' "
            "[invalid-value]"
        ],
    ),
    "money as a float, with decimals, negative": (
        {
            "budget/a.yaml": "title: A\namount: 1500.5\nperiod: 2024\n",
            "budget/b.yaml": "title: B\namount: 1,3 mnkr\nperiod: 2024\n",
            "budget/c.yaml": "title: C\namount: -100\nperiod: 2024\n",
        },
        [
            "budget/a.yaml:2:9: error: amounts are whole kronor: write an integer such as "
            "285000, not a decimal number [invalid-value]",
            "budget/b.yaml:2:9: error: '1,3 mnkr' has decimals; write whole kronor as an "
            "integer, e.g. 1300000 instead of 1,3 mnkr [invalid-value]",
            "budget/c.yaml:2:9: error: amount -100 is negative; amounts are kronor of 0 or "
            "more [invalid-value]",
        ],
    ),
    "a year that is not a year": (
        {"budget/a.yaml": "title: A\namount: 100\nperiod: HT24\n"},
        ["budget/a.yaml:3:9: error: expected a year such as 2024, found 'HT24' [invalid-value]"],
    ),
    "a mapping where a list item belongs is fine, a list where a mapping belongs is not": (
        {"events/e.yaml": "title: E\nkind: oppen-verkstad\nseries: [a, b]\n"},
        [
            "events/e.yaml:3:9: error: expected a mapping (key: value lines), found a list "
            "[invalid-value]"
        ],
    ),
    "unknown vocabulary values": (
        {
            "initiatives/beta.yaml": "title: Beta\nkind: pilott\n",
            "budget/a.yaml": "title: A\namount: 100\nperiod: 2024\ncategory: drift\n",
        },
        [
            "budget/a.yaml:4:11: error: unknown budget category 'drift' (known: ordinarie, "
            "pilot; add new ones under vocabularies.categories in kontrakt.yaml) "
            "[unknown-vocabulary]",
            "initiatives/beta.yaml:2:7: error: unknown initiative kind 'pilott'; did you mean "
            "'pilot'? (known: pilot; add new ones under vocabularies.kinds in kontrakt.yaml) "
            "[unknown-vocabulary]",
        ],
    ),
    "a vocabulary that is not defined at all": (
        {"budget/a.yaml": "title: A\namount: 100\nperiod: 2024\nphase: uppstart\n"},
        [
            "budget/a.yaml:4:8: error: unknown budget phase 'uppstart' (none are defined yet; add "
            "new ones under vocabularies.phases in kontrakt.yaml) [unknown-vocabulary]"
        ],
    ),
    "unknown references": (
        {
            "initiatives/beta.yaml": "title: Beta\nrelated:\n  - alfaa\norganisations: [kth]\n",
            "news/n.yaml": "date: 2024-02-27\ntitle: N\nevents: [verkstad]\n",
            "meetings/m.yaml": (
                "date: 2024-02-27\nkind: core-team\ndecisions:\n"
                "  - text: Beslut\n    budget: [rad]\n"
            ),
        },
        [
            "initiatives/beta.yaml:3:5: error: unknown initiative 'alfaa'; did you mean "
            "'alfa'? (there is no initiatives/alfaa.yaml) [unknown-reference]",
            "initiatives/beta.yaml:4:17: error: unknown organisation 'kth' (organisations are "
            "listed under organisations in kontrakt.yaml) [unknown-reference]",
            "meetings/m.yaml:5:14: error: unknown budget 'rad' (there is no budget/rad.yaml) "
            "[unknown-reference]",
            "news/n.yaml:3:10: error: unknown event 'verkstad' (there is no "
            "events/verkstad.yaml) [unknown-reference]",
        ],
    ),
    "an initiative related to itself": (
        {"initiatives/beta.yaml": "title: Beta\nrelated:\n  - initiative: beta\n"},
        [
            "initiatives/beta.yaml:3:17: error: an initiative cannot relate to itself "
            "[self-reference]"
        ],
    ),
    "an id that does not match its file name": (
        {"initiatives/beta.yaml": "id: gamma\ntitle: Beta\n"},
        [
            "initiatives/beta.yaml:1:5: error: id 'gamma' does not match the file name "
            "'beta.yaml'; write id: beta, or remove the id line (the file name is the id) "
            "[id-mismatch]"
        ],
    ),
    "the same id in two folders of one kind": (
        {"initiatives/arkiv/alfa.yaml": "title: Alfa igen\n"},
        [
            "initiatives/arkiv/alfa.yaml:1:1: error: id 'alfa' is already used by "
            "initiatives/alfa.yaml; rename one of the files [duplicate-id]"
        ],
    ),
    "a file name that is not an id, and a .yml file": (
        {"initiatives/Beta Test.yaml": "title: B\n", "initiatives/gamma.yml": "title: G\n"},
        [
            "initiatives/Beta Test.yaml:1:1: error: file name: 'Beta Test' is not a valid id: "
            "use lowercase a-z, digits and single hyphens (å, ä, ö become a, a, o); use "
            "'beta-test' [invalid-id]",
            "initiatives/gamma.yml:1:1: error: rename gamma.yml to gamma.yaml [file-name]",
        ],
    ),
    "files in unknown places": (
        {"initiativ/beta.yaml": "title: B\n", "beta.yaml": "title: B\n"},
        [
            "beta.yaml:1:1: error: beta.yaml is not part of any kind; move it into one of "
            "initiatives/, budget/, events/, meetings/, news/, questions/, actions/, "
            "indicators/ "
            "(only kontrakt.yaml lives at the top) [unknown-folder]",
            "initiativ/beta.yaml:1:1: error: unknown folder initiativ/: did you mean "
            "initiatives/? portfolio files live in initiatives/, budget/, events/, meetings/, "
            "news/, questions/, actions/, indicators/ (or list the folder under `ignore:` in "
            "kontrakt.yaml) "
            "[unknown-folder]",
        ],
    ),
    "dates out of order": (
        {
            "initiatives/beta.yaml": (
                "title: Beta\nstart: 2024-05-01\nend: 2024-01-01\nstatus: ongoing\nhistory:\n"
                "  - {date: 2024-03-01, status: upcoming}\n"
                "  - {date: 2024-02-01, status: ongoing}\n"
            ),
            "events/e.yaml": (
                "title: E\nkind: oppen-verkstad\ndate: 2024-03-15\nend_date: 2024-03-14\n"
            ),
            "events/f.yaml": (
                "title: F\nkind: oppen-verkstad\ndate: 2024-03-15\nstart: 14:00\nend: 08:30\n"
            ),
            "questions/q.yaml": (
                "title: Q\nraised: 2024-02-27\nanswer: Ja\nanswered: 2024-02-01\n"
            ),
        },
        [
            "events/e.yaml:4:11: error: end_date 2024-03-14 is before date 2024-03-15 [date-order]",
            "events/f.yaml:5:6: error: end 08:30 is before start 14:00 [date-order]",
            "initiatives/beta.yaml:3:6: error: end 2024-01-01 is before start 2024-05-01 "
            "[date-order]",
            "initiatives/beta.yaml:7:12: error: status history must be in date order: "
            "2024-02-01 comes after 2024-03-01; sort the entries oldest first, one per date "
            "[date-order]",
            "questions/q.yaml:4:11: error: answered 2024-02-01 is before raised 2024-02-27 "
            "[date-order]",
        ],
    ),
    "a status that disagrees with its history": (
        {
            "initiatives/beta.yaml": (
                "title: Beta\nstatus: ongoing\nhistory:\n"
                "  - date: 2024-01-15\n    status: upcoming\n"
            )
        },
        [
            "initiatives/beta.yaml:2:9: warning: status is ongoing but the latest history entry "
            "(2024-01-15) says upcoming; record the change: kontrakt set-status beta ongoing "
            "--on DAY [status-history]"
        ],
    ),
    "a meeting, news item or question names what entered the portfolio later": (
        {
            "initiatives/beta.yaml": (
                "title: Beta\nstatus: ongoing\nhistory:\n"
                "  - date: 2024-03-26\n    status: ongoing\n"
            ),
            "budget/b.yaml": (
                "title: B\namount: 1\nperiod: 2024\nproposed_on: 2024-03-01\n"
                "decision: decided\ndecided_on: 2024-02-01\n"
            ),
            "meetings/2024-02-27-core-team.yaml": (
                "date: 2024-02-27\nkind: core-team\ndecisions:\n"
                "  - text: Ja\n    initiatives: [beta]\n    budget: [b]\n"
            ),
            "news/n.yaml": "title: N\ndate: 2024-02-01\ninitiatives: [beta]\n",
            "questions/q.yaml": "title: Q\nraised: 2024-03-27\ninitiatives: [beta]\n",
        },
        [
            "budget/b.yaml:4:14: warning: meetings/2024-02-27-core-team.yaml names this on "
            "2024-02-27, before 2024-03-01, when it entered the portfolio; write 2024-02-27 or "
            "earlier here [entered-later]",
            "budget/b.yaml:6:13: error: decided_on 2024-02-01 is before proposed_on 2024-03-01 "
            "[date-order]",
            "initiatives/beta.yaml:4:11: warning: news/n.yaml names this on 2024-02-01, before "
            "2024-03-26, when it entered the portfolio; write 2024-02-01 or earlier here "
            "[entered-later]",
            # The meeting's decision is the line's: its own day disagrees.
            "meetings/2024-02-27-core-team.yaml:6:14: error: budget/b.yaml says decided_on: "
            "2024-02-01, but this meeting decided it on 2024-02-27; write decided_on: "
            "2024-02-27 there, or remove the line from this decision [decision]",
        ],
    ),
    "an answer without its date": (
        {"questions/q.yaml": "title: Q\nraised: 2024-02-27\nanswer: Ja\n"},
        [
            "questions/q.yaml:3:9: error: answer is given without its pair; add answered: "
            "YYYY-MM-DD [answer]"
        ],
    ),
    "parts larger than their line, a part with neither category nor purpose": (
        {
            "budget/a.yaml": (
                "title: A\namount: 285000\nperiod: 2024\ncategory: ordinarie\nparts:\n"
                "  - amount: 200000\n    category: pilot\n"
                "  - amount: 100000\n"
            )
        },
        [
            "budget/a.yaml:5:1: error: the 'of which' parts add up to "
            "300\u00a0000\u00a0kr, more than "
            "the line's amount 285\u00a0000\u00a0kr; lower a part or "
            "raise the amount [parts-exceed-line]",
            "budget/a.yaml:8:5: error: an 'of which' part needs either a category (varav 100´ "
            "pilotbudget) or a purpose (varav 100´ konsult), not both and not neither [part]",
        ],
    ),
    "shares that do not add up, an initiative funded twice, decided_on on a proposal": (
        {
            "initiatives/beta.yaml": "title: Beta\n",
            "budget/a.yaml": (
                "title: A\namount: 1000\nperiod: 2024\ndecided_on: 2024-01-10\ninitiatives:\n"
                "  - initiative: alfa\n    share: 600\n  - beta\n  - alfa\n"
            ),
        },
        [
            "budget/a.yaml:4:13: error: decided_on is given but the line is not decided; write "
            "decision: decided, or remove decided_on [decision]",
            "budget/a.yaml:5:1: error: shares must be given for every initiative and add up to "
            "the line's amount 1\u00a0000\u00a0kr (they add up to "
            "600\u00a0kr over 1 of 3 initiatives); or "
            "give no shares to split the line evenly [shares]",
            "budget/a.yaml:9:5: error: initiative 'alfa' is listed twice; keep one "
            "[duplicate-item]",
        ],
    ),
    "a budget frame given twice": (
        {
            "kontrakt.yaml": None,  # appended below
        },
        [
            "kontrakt.yaml:24:5: error: a frame for pilot 2024 is already given on line 21; keep "
            "one frame per category and period [duplicate-frame]"
        ],
    ),
    "an event series that does not agree": (
        {
            "events/f1.yaml": (
                "title: F1\nkind: oppen-verkstad\nseries: {name: Forum, number: 4, count: 3}\n"
            ),
            "events/f2.yaml": (
                "title: F2\nkind: oppen-verkstad\nseries: {name: Forum, number: 4, count: 5}\n"
            ),
        },
        [
            "events/f1.yaml:3:31: error: number 4 is larger than the series' count 3 [series]",
            "events/f1.yaml:3:41: error: events of the series 'Forum' disagree on its count "
            "(3, 5); give them all the same count [series]",
            "events/f2.yaml:3:31: error: event f1 already has number 4 in the series 'Forum' "
            "[series]",
            "events/f2.yaml:3:41: error: events of the series 'Forum' disagree on its count "
            "(3, 5); give them all the same count [series]",
        ],
    ),
    "two meetings of one kind on one date": (
        {
            "meetings/a.yaml": "date: 2024-02-27\nkind: core-team\n",
            "meetings/b.yaml": "date: 2024-02-27\nkind: core-team\n",
        },
        [
            "meetings/b.yaml:1:7: error: meeting a is already a core-team meeting on 2024-02-27; "
            "keep one file per meeting [duplicate-meeting]"
        ],
    ),
    "an empty file and a list file": (
        {"news/a.yaml": "", "news/b.yaml": "- a\n- b\n"},
        [
            "news/a.yaml:1:1: error: expected a mapping of keys for a news item (e.g. `title: "
            "...`), found nothing (the file is empty) [not-a-mapping]",
            "news/b.yaml:1:1: error: expected a mapping of keys for a news item (e.g. `title: "
            "...`), found a list [not-a-mapping]",
        ],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_rule(minimal: Path, name: str) -> None:
    files, expected = CASES[name]
    for relative, text in files.items():
        if text is None:
            with (minimal / relative).open("a", encoding="utf-8") as handle:
                handle.write("  - category: pilot\n    period: 2024\n    amount: 1\n")
        else:
            write(minimal, relative, text)
    assert check(minimal) == expected


def test_minimal_portfolio_is_clean(minimal: Path) -> None:
    assert check(minimal) == []


def test_problems_in_settings_and_entities_are_reported_together(minimal: Path) -> None:
    write(minimal, "kontrakt.yaml", "name: Test\nmision: x\n")
    write(minimal, "initiatives/beta.yaml", "title: [\n")
    assert check(minimal) == [
        "initiatives/beta.yaml:2:1: error: YAML syntax error: did not find expected node "
        "content (while parsing a flow node started on line 2) [yaml-syntax]",
        "kontrakt.yaml:1:1: error: missing required key 'mission' [missing-key]",
        "kontrakt.yaml:2:1: error: unknown key 'mision'; did you mean 'mission'? [unknown-key]",
    ]


def test_a_label_hint_comes_from_the_vocabulary_of_the_key(minimal: Path) -> None:
    """'Pågående' labels both a status and a budget phase here: each key gets its own."""
    settings = minimal / "kontrakt.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("  relations:\n", "  phases:\n    pagaende: Pågående\n  relations:\n"),
        encoding="utf-8",
    )
    write(minimal, "initiatives/beta.yaml", "title: Beta\nstatus: Pågående\n")
    write(minimal, "budget/a.yaml", "title: A\namount: 1\nperiod: 2025\nphase: Pågående\n")
    assert check(minimal) == [
        "budget/a.yaml:4:8: error: 'Pågående' is the label of 'pagaende'; write pagaende "
        "[invalid-value]",
        "initiatives/beta.yaml:2:9: error: 'Pågående' is the label of 'ongoing'; write "
        "ongoing [invalid-value]",
    ]


def test_no_choice_hint_for_a_mapping_keyed_by_choices(minimal: Path) -> None:
    """vocabularies.statuses is keyed by statuses; 'ongoing' is not a value to write there."""
    settings = minimal / "kontrakt.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("vocabularies:\n", "vocabularies:\n  ongoing: x\n"), "utf-8")
    assert check(minimal) == [
        "kontrakt.yaml:7:3: error: unknown key 'ongoing'; allowed keys: statuses, kinds, "
        "categories, purposes, phases, event_kinds, meeting_kinds, relations, alerts, gates "
        "[unknown-key]"
    ]


def test_a_references_values_are_those_it_finds_with_their_places(tmp_path: Path) -> None:
    """Ref.values_in (the quick look of names_exist) gives what found_in gives, in
    the same order, for every reference of every valid file: the bundled portfolio
    and a generated one with every kind."""
    import sys

    from conftest import BUNDLED, REPO
    from kontrakt.load import load_portfolio
    from kontrakt.models import KINDS
    from kontrakt.references import REFERENCES

    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "bench"))
    generate(300, tmp_path / "generated")
    looked = 0
    for root in (BUNDLED, tmp_path / "generated"):
        portfolio = load_portfolio(root).portfolio
        assert portfolio is not None
        for kind in KINDS:
            for model in portfolio.of_kind(kind.name).values():
                for ref in REFERENCES[kind.name]:
                    found = [value for _loc, value in ref.found_in(model)]
                    assert list(ref.values_in(model)) == found, (kind.name, ref)
                    looked += len(found)
    assert looked > 500
