"""Every kind of reason triage gives (`triage.signals`), as the engine really writes it, reads as a
plain sentence on the page ("Why this priority?", `explainSignal` in Public/js/tickets-common.js).

`triage_signal_tickets.json` holds 76 tickets of the outside test set chosen so that together the
engine's signals for them take every form it gave on the first 4,200 outside tickets: each life-safety
hazard by name, each outage rule, the scope rules, the model, danger-model and decision-model lines,
the unknown-words lines. Each ticket lists the rule lines it was chosen for (`rules`, numbers as `#`):
rules read the words alone, so those must still come; the model's lines move with every training,
so only their sentences are checked. To choose them again after the rules change: `campus triage
eval --outside-only --predictions p.jsonl`, then one ticket per new form. Since a place on a campus
is no longer the campus, no outside ticket gives "campus-wide → stays P1": "generator not start"
says "servers for the whole campus" where its writer had "servers".
"""
from __future__ import annotations

import json
import re
from pathlib import Path

TICKETS = json.loads((Path(__file__).parent / "triage_signal_tickets.json").read_text(encoding="utf-8"))

# What a person should never have to read: a hazard's kind as a code word ("energy: …"), the danger
# model's pairs, underscores, arrows, raw probabilities, a level without its name, the rule prefixes.
JARGON = re.compile(r"\b(biological|chemical|energy|entrapment|essential|falling|heat|protection|response|sharp|structural|water): "
                    r"|×|_|→|\d\.\d\d|life-safety|'|\bP\d\b(?!\))|^(Decision|Danger|Model|Rule|Category)\b")


def form(signal: str) -> str:
    """A signal without its numbers, an ignored word's evidence or the danger model's pairs."""
    text = re.sub(r"\d+(\.\d+)?", "#", signal)
    text = re.sub(r"ignored, ([a-z ]+) \('.*'\)$", r"ignored, \1 ('…')", text)
    return re.sub(r"^danger model: .*? \(P#", "danger model: … (P#", text)


def test_every_kind_of_signal_the_engine_gives_reads_as_a_plain_sentence(browser, campus):
    token = campus.token("student")
    signals: list[str] = []
    missing = []
    for ticket in TICKETS:
        response = campus.post("gateway", "/api/triage", token, json={k: ticket[k] for k in ("title", "description", "location")})
        assert response.status_code == 200, response.text
        produced = response.json()["signals"]
        signals += produced
        missing += [(ticket["title"], rule) for rule in ticket["rules"] if rule not in {form(s) for s in produced}]
    assert not missing, f"rules no longer given for their tickets (choose the tickets again, see the docstring): {missing}"
    distinct = sorted(set(signals))
    assert len({form(s) for s in distinct}) >= 100, "the tickets no longer give the engine's signal forms"

    browser.login("student")
    sentences = browser.driver.execute_async_script(
        "const [signals, done] = [arguments[0], arguments[arguments.length - 1]];"
        "import('/js/tickets-common.js').then((m) => done(signals.map(m.explainSignal))).catch((e) => done('ERROR ' + e));", distinct)
    assert isinstance(sentences, list), sentences
    problems = [(signal, sentence) for signal, sentence in zip(distinct, sentences)
                if not sentence or JARGON.search(sentence) or not (sentence[0].isupper() and sentence.endswith("."))]
    assert not problems, "signals the page does not put in plain words:\n" + "\n".join(f"{s!r}\n  -> {t!r}" for s, t in problems)
    # The hazard rules say what was found, by the hazard's own words.
    by_signal = dict(zip(distinct, sentences))
    cable = next(s for s in distinct if s == "rule: life-safety 'energy: damaged live cable' → at least P0")
    assert by_signal[cable] == "It mentions a damaged live cable, so it is treated as Critical (P0).", by_signal[cable]
    # A hazard read in the glossary's English of a ticket in another language names what it read.
    glossed = next(s for s in distinct if s == "rule: life-safety 'energy: damaged live cable (in English: snapped cable)' → at least P0")
    assert by_signal[glossed] == "It mentions a damaged live cable (read in English as “snapped cable”), so it is treated as Critical (P0).", by_signal[glossed]
    evacuated = next(s for s in distinct if s == "rule: life-safety 'response: people evacuated' → at least P0")
    assert by_signal[evacuated] == "It says people were evacuated, a sign of danger now, so it is treated as Critical (P0).", by_signal[evacuated]
