"""Which services are in HelpMap's scope, from their taxonomy terms (HSDS) or, when a service
has none, from the words of its name and description.

HelpMap lists substance use treatment, recovery support and harm reduction. A 211 directory
lists everything (food banks, youth clubs, legal aid), so a service comes in only when one of
its terms means one of those; everything else is counted as outside HelpMap's scope.

Rules are tried in order on "code name" of each term; the first that matches decides that
term. The AIRS/211 LA taxonomy (used by most 211s) files substance use services under codes
starting "RX-" and addiction support groups under "PN-8100.0500". A site adds its own terms
in the config (`[sources.taxonomy]`, term code prefix or name -> "kind;service;..." or "out").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OUT = "out"
KIND_ORDER = ("treatment", "harm_reduction", "support_group")  # when terms disagree, the first wins


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    kind: str  # a kind, or OUT
    services: tuple[str, ...] = ()
    why: str = ""


def _rule(pattern: str, kind: str, *services: str, why: str = "") -> Rule:
    return Rule(re.compile(pattern, re.IGNORECASE), kind, services, why)


RULES = (
    # AIRS target populations (Y...): who a service is for, not what it is
    _rule(r"^Y[A-Z]-\d{4}", OUT, why="a target population, not a service"),
    # mention drugs but are not help for a person's own substance use
    _rule(r"smoking|tobacco|nicotine|vaping", OUT, why="tobacco"),
    _rule(r"gambling|sexual/love addiction|sex addiction|weight related|overeat|food addiction|internet addiction|"
          r"shopping addiction", OUT, why="other addictions"),  # fmt: skip
    _rule(r"drug/alcohol testing|self evaluation tools", OUT, why="testing, not help"),
    _rule(r"education/prevention|prevention (program|education)|drug courts?\b|prescription drug|drug testing|"
          r"drug (abuse )?education", OUT, why="prevention, courts or prescriptions"),  # fmt: skip
    # harm reduction
    _rule(r"harm reduction|needle|syringe|naloxone|narcan|drug checking|overdose prevention|"
          r"(safe|supervised) (consumption|injection)", "harm_reduction", why="harm reduction"),  # fmt: skip
    # recovery support groups (addiction-specific only: not every support group)
    _rule(r"^PN-8100\.0500-23|families/friends of individuals with an? (alcohol|drug)", "support_group",
          "peer_support", "family", why="recovery support groups for families"),  # fmt: skip
    _rule(r"^PN-8100\.0500|((addiction|substance|alcohol|drug|narcotic)[^|]*(support group|mutual aid|self.help|"
          r"12.step|peer support))|alcoholics anonymous|narcotics anonymous|smart recovery|al-anon|nar-anon|"
          r"cocaine anonymous|crystal meth anonymous|marijuana anonymous|heroin anonymous|pills anonymous",
          "support_group", "peer_support", why="recovery support groups"),  # fmt: skip
    # treatment
    _rule(r"detox|withdrawal management", "treatment", "detox"),
    _rule(r"methadone|buprenorphine|suboxone|naltrexone|opioid (treatment|substitution|agonist)|"
          r"medication.assisted", "treatment", "medication", "moud"),  # fmt: skip
    _rule(r"(recovery|sober) (home|house|living)|halfway house", "treatment", "residential", "aftercare"),
    _rule(r"(substance|drug|alcohol|addiction)[^|]*inpatient|inpatient[^|]*(substance|drug|alcohol|addiction)",
          "treatment", "inpatient"),  # fmt: skip
    _rule(r"(substance|drug|alcohol|addiction)[^|]*residential|residential[^|]*(substance|drug|alcohol|addiction)",
          "treatment", "residential"),  # fmt: skip
    _rule(r"(substance|drug|alcohol|addiction)[^|]*outpatient|outpatient[^|]*(substance|drug|alcohol|addiction)",
          "treatment", "outpatient"),  # fmt: skip
    _rule(r"(substance|drug|alcohol|addiction)[^|]*counsel|counsel[^|]*(substance|drug|alcohol|addiction)",
          "treatment", "counselling"),  # fmt: skip
    _rule(r"dual diagnosis|co-?occurring", "treatment", "dual_diagnosis"),
    _rule(r"^RX-|substance use|substance abuse|drug use disorder|alcohol use disorder|addiction|"
          r"chemical dependency|alcoholism|drug (abuse|dependency|treatment)", "treatment",
          why="substance use treatment"),  # fmt: skip
)


@dataclass(frozen=True)
class Decision:
    kind: str  # a kind or OUT
    services: tuple[str, ...]
    rule: str  # what decided it, for the report


def site_rules(mapping: dict | None) -> list[tuple[str, str, tuple[str, ...]]]:
    """A site's `[sources.taxonomy]` table -> (key, kind, services); keys lower-cased."""
    rules = []
    for key, value in (mapping or {}).items():
        words = [w.strip() for w in str(value).split(";") if w.strip()]
        if words:
            rules.append((str(key).strip().lower(), words[0], tuple(words[1:])))
    return rules


def decide_term(
    code: str, name: str, site: list[tuple[str, str, tuple[str, ...]]], *, positive_only: bool = False
) -> Decision:
    """One taxonomy term -> what it means for HelpMap. `positive_only` skips the rules that
    exclude (for free text, where "smoking" may be a house rule, not the service)."""
    code_l, name_l = code.strip().lower(), name.strip().lower()
    for key, kind, services in site:  # the site's own mapping comes first
        if key and (key == name_l or (code_l and code_l.startswith(key))):
            return Decision(kind, services, f"site config '{key}'")
    text = f"{code.strip()} | {name.strip()}" if code.strip() else name.strip()
    for rule in RULES:
        if positive_only and rule.kind == OUT:
            continue
        if rule.pattern.search(text):
            return Decision(rule.kind, rule.services, rule.why or rule.kind)
    return Decision(OUT, (), "no rule")


def decide_service(decisions: list[Decision]) -> tuple[str, tuple[str, ...]]:
    """All of a service's terms -> (kind or OUT, services)."""
    kinds = {d.kind for d in decisions} - {OUT}
    if not kinds:
        return OUT, ()
    kind = next(k for k in KIND_ORDER if k in kinds) if kinds & set(KIND_ORDER) else sorted(kinds)[0]
    services = tuple(dict.fromkeys(s for d in decisions if d.kind != OUT for s in d.services))
    return kind, services


def decide_words(text: str, site: list[tuple[str, str, tuple[str, ...]]]) -> tuple[str, tuple[str, ...]]:
    """A service with no taxonomy terms: the same rules on its name and description, and the
    site's "default" entry (if any) for the rest."""
    decision = decide_term("", text, [], positive_only=True)
    if decision.kind == OUT:
        default = next(((kind, services) for key, kind, services in site if key == "default"), None)
        if default:
            return default
    return decide_service([decision])
