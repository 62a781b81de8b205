"""Event type / sub-type (ACLED scheme) and actors for one event clause.

Event types (see :data:`geomap.schema.EVENT_TYPES`)
----------------------------------------------------------
Cues are matched on the clause with quoted speech removed ("a 'terrorist attack'" is
rhetoric, not an event).  First matching rule wins:

* shot down / intercepted / defused / demined / cleared mines → Strategic developments,
  "Disrupted weapons use" (before the weapon cues these sentences name);
* riot / protesters threw … / Molotov → Riots, "Violent demonstration"; mob / lynching →
  "Mob violence";
* protest / demonstration / rally / picket → Protests: "Excessive force against
  protesters" (opened fire on, live ammunition, protesters killed), "Protest with
  intervention" (detained, dispersed, tear gas), else "Peaceful protest"; actor1
  "Protesters (<country>)", actor2 the police when they intervene;
* handed over / without a fight → "Non-violent transfer of territory"; set up a
  headquarters/base → "Headquarters or base established"; agreed / prisoner exchange →
  "Agreement"; arrested / detained → "Arrests" (actor1 the police, actor2 civilians);
* drone / air strike / air raid / glide bomb / bombing from the air →
  Explosions/Remote violence, "Air/drone strike";
* shelled / shelling / artillery / missile / rocket / MLRS / ballistic →
  Explosions/Remote violence, "Shelling/artillery/missile attack";
* landmine / mine / IED / explosive device → "Remote explosive/landmine/IED";
* retook / recaptured / liberated / regained control / captured the village … →
  Battles, "Government regains territory" when the gaining side is the government of
  the location's country, otherwise "Non-state actor overtakes territory" (ACLED
  codes takeovers by foreign state forces under that sub-type);
* deployed / deployment / stationed / sent troops / arrived →
  Strategic developments, "Change to group/activity" (troop movements without
  fighting);
* incursion / entered / crossed the border / offensive → Battles, "Armed clash".
  An incursion where forces "entered near the town of Sudzha" was a ground attack
  against defending forces; ACLED has no incursion sub-type, and "Non-violent
  transfer of territory" would hide the fighting, so it is coded Armed clash with a
  note;
* executed / shot dead civilians / massacre → Violence against civilians, "Attack";
  abducted / kidnapped / forcibly deported → "Abduction/forced disappearance";
* clash / fighting / battle / assault / attack / repelled, or casualties among
  soldiers without any weapon cue → Battles, "Armed clash";
* looted / set fire to / torched → Strategic developments, "Looting/property destruction";
* casualties among civilians with no weapon cue → Violence against civilians, "Attack";
* withdrew from / pulled out of (no fighting cue) → "Non-violent transfer of territory".

Actors (ACLED names)
--------------------
:data:`ACTORS` maps ACLED actor names to the phrases that denote them.  Possessive
anaphora ("its forces", "the country's forces", "our troops") resolve to the
claimant's side.  Order: for one-sided types (remote violence, violence against
civilians, strategic developments) actor1 is the agent and actor2 the target/victims;
for Battles ACLED gives actor order no meaning and geomap keeps the order in which
the sides are named in the clause.  When a battle names only one side, the other side
of the Russia–Ukraine war is filled in (:data:`OPPONENT`) with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# ACLED actor name -> regex of phrases (case-insensitive) that name it in English news.
ACTORS: dict[str, str] = {
    "Military Forces of North Korea (2011-)": (
        r"north\s+korean?(?:'s)?\s+(?:soldiers?|troops?|servicem[ae]n|forces|army|military|"
        r"units?|personnel|fighters?|assault\s+groups?)|north\s+korea(?:'s)?\s+(?:forces|army|"
        r"military|troops)|dprk\s+(?:forces|troops|soldiers|army)|pyongyang(?:'s)?\s+(?:troops|"
        r"soldiers|forces)|korean\s+people'?s\s+army"
    ),
    "Military Forces of Russia (2000-)": (
        r"russian\s+(?:soldiers?|troops?|servicem[ae]n|forces|army|military|units?|"
        r"personnel|fighters?|aircraft|jets?|drones?|missiles?|artillery|shelling|strikes?|"
        r"attacks?|assault\s+groups?|air\s+force|bombers?|positions?|glide\s+bombs?|bombs?|"
        r"shells?|rockets?|air\s*strikes?|offensive|assault|invasion|occupiers|occupying\s+forces|"
        r"ballistic\s+missiles?|cruise\s+missiles?|shahed\s+drones?)|russia(?:'s)?\s+(?:forces|"
        r"army|military|troops|defen[cs]e\s+ministry|armed\s+forces)|moscow(?:'s)?\s+(?:forces|"
        r"troops)|kremlin(?:'s)?\s+forces|russian\s+defen[cs]e\s+ministry"
    ),
    "Military Forces of Ukraine (2019-)": (
        r"ukrainian\s+(?:soldiers?|troops?|servicem[ae]n|forces|army|military|units?|"
        r"personnel|fighters?|drones?|missiles?|artillery|strikes?|attacks?|air\s+force|"
        r"positions?|brigades?|defenders?|shells?|rockets?|bombs?|offensive|incursion|assault|"
        r"counteroffensive|special\s+forces|marines|paratroopers|air\s+defen[cs]es?|sappers|"
        r"deminers|snipers?|armed\s+forces|military['’]s)|ukraine(?:['’]s)?\s+(?:forces|army|"
        r"military|troops|soldiers?|armed\s+forces|general\s+staff)|(?:pro-)?(?:kyiv|kiev)"
        r"(?:['’]s)?\s+(?:forces|troops|incursion|offensive|army|military|soldiers)"
    ),
    # the Donbas republics (2014–): ACLED's rebel-group names, UCDP's side_b
    "DPR: Donetsk People's Republic": (
        r"\bDPR\b|donetsk\s+people['’]?s\s+republic|donetsk\s+republic"
    ),
    "LPR: Luhansk People's Republic": (
        r"\bLPR\b|lu[hg]ansk\s+people['’]?s\s+republic|lu[hg]ansk\s+republic"
    ),
}
ACTOR_COUNTRY = {
    "Military Forces of North Korea (2011-)": "North Korea",
    "Military Forces of Russia (2000-)": "Russia",
    "Military Forces of Ukraine (2019-)": "Ukraine",
}
COUNTRY_FORCES = {v: k for k, v in ACTOR_COUNTRY.items()}
# the other side of the war, for battles that name one side only
OPPONENT = {
    "Military Forces of Russia (2000-)": "Military Forces of Ukraine (2019-)",
    "Military Forces of North Korea (2011-)": "Military Forces of Ukraine (2019-)",
    "Military Forces of Ukraine (2019-)": "Military Forces of Russia (2000-)",
    "DPR: Donetsk People's Republic": "Military Forces of Ukraine (2019-)",
    "LPR: Luhansk People's Republic": "Military Forces of Ukraine (2019-)",
}
ISO2_COUNTRY = {"UA": "Ukraine", "RU": "Russia", "BY": "Belarus", "KP": "North Korea",
                "MD": "Moldova", "PL": "Poland"}

# Who a claimant speaks for (used for "its forces" and for "the other side").
SIDE_PATTERNS = {
    "Ukraine": r"\bukrain|\bkyiv\b|\bkiev\b|zelensk|\bhur\b|syrskyi|syniehubov|general\s+staff",
    "Russia": r"\brussia|\bmoscow\b|\bkremlin\b|\bputin\b|\bpeskov\b|\btass\b|\bria\b",
    "North Korea": r"north\s+korea|pyongyang|\bdprk\b|\bkcna\b",
}

_ANAPHORA = re.compile(r"\b(?:its|their|our|the\s+country(?:'s|’s))\s+(?:own\s+)?(?:forces|troops|"
                       r"soldiers|army|military|units|defenders|fighters)\b", re.I)

_RULES: list[tuple[str, str, str]] = [
    # interceptions and defusal come before the weapon cues they mention
    (r"\b(?:shot\s+down|shoot\s+down|downed|intercept(?:ed|s|ing)?|neutrali[sz]ed\s+(?:\w+\s+){0,3}"
     r"(?:drones?|missiles?|UAVs?)|destroyed\s+(?:\d+|[a-z-]+)\s+(?:\w+\s+){0,2}(?:drones?|UAVs?)\s+"
     r"(?:over|in|above)|defus(?:ed|ing|al)|demin(?:ed|ing)|de-mined|mine\s+clearance|"
     r"clear(?:ed|ing)\s+(?:\w+\s+){0,3}(?:mines|explosives|ordnance)|bomb\s+disposal|"
     r"(?:disarmed|deactivated|neutrali[sz]ed|removed)\s+(?:an?\s+|the\s+|\w+\s+){0,3}"
     r"(?:explosive|IED|mine|bomb|shells?|ordnance))\b",
     "Strategic developments", "Disrupted weapons use"),
    (r"\b(?:riot(?:s|ers|ing|ed)?|violent\s+(?:protests?|demonstrations?)|"
     r"(?:protesters|demonstrators)\s+(?:\w+\s+){0,3}(?:threw|hurled|set\s+fire|torched|smashed|"
     r"clashed|attacked|stormed)|molotov)\b", "Riots", "Violent demonstration"),
    (r"\b(?:mob|lynch(?:ed|ing)?|vigilantes?)\b", "Riots", "Mob violence"),
    (r"\b(?:protest(?:s|ed|ers|ing)?|demonstrat(?:ion|ions|ors|ed)|rall(?:y|ies|ied)|picket\w*|"
     r"march(?:ed)?\s+(?:through|to|in)|sit-in|strike\s+action|went\s+on\s+strike)\b",
     "Protests", "PROTEST"),
    (r"\b(?:handed\s+over\s+(?:control|the)|without\s+(?:a\s+)?(?:fight|resistance)|"
     r"without\s+fighting)\b", "Strategic developments", "Non-violent transfer of territory"),
    (r"\b(?:(?:set\s+up|established|establish(?:es|ing)?|opened|built)\s+(?:\w+\s+){0,3}"
     r"(?:headquarters|HQ|base|command\s+post|outpost))\b",
     "Strategic developments", "Headquarters or base established"),
    (r"\b(?:agree(?:d|ment|ments)|ceasefire\s+deal|truce|signed\s+(?:an?\s+|the\s+)?(?:\w+\s+)?"
     r"(?:deal|accord|memorandum|treaty)|prisoner\s+(?:exchange|swap)|exchanged\s+(?:\w+\s+){0,2}"
     r"prisoners|swap\s+of\s+prisoners|peace\s+talks\s+(?:produced|led))\b",
     "Strategic developments", "Agreement"),
    (r"\b(?:arrest(?:ed|s|ing)?|detain(?:ed|s|ing)?|detention|taken\s+into\s+custody|"
     r"apprehended)\b(?![^.]{0,40}\b(?:protesters|demonstrators)\b)",
     "Strategic developments", "Arrests"),
    (r"\bdrones?\b|\bUAVs?\b|\bShaheds?\b|\bair\s*strikes?\b|\bair\s+raids?\b|\bglide\s+bombs?\b|"
     r"\bairstrikes?\b|\bbombers?\b|\baerial\s+bombs?\b|\bkamikaze\b",
     "Explosions/Remote violence", "Air/drone strike"),
    (r"\bshell(?:ed|ing|s)?\b|\bartillery\b|\bmissiles?\b|\brockets?\b|\bMLRS\b|\bballistic\b|"
     r"\bmortars?\b|\bHIMARS\b|\bGrad\b|\bIskander\b|\bcruise\b",
     "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    (r"\blandmines?\b|\bmines?\b(?!\s+(?:worker|shaft))|\bIEDs?\b|\bexplosive\s+devices?\b|"
     r"\bcar\s+bomb\b", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    (r"\bretook\b|\bretaken\b|\bretake\b|\brecaptur\w*|\bliberat\w*|\bregain\w*\s+control\b|"
     r"\bcaptur(?:ed|ing|e)\s+(?:the\s+)?(?:village|town|city|settlement)\b|\btook\s+control\b|"
     r"\bseiz(?:ed|ing)\s+(?:the\s+)?(?:village|town|city|settlement)\b|\btaken\s+control\b",
     "Battles", "TERRITORY"),
    (r"\bdeploy(?:ed|ment|ing|s)?\b|\bstationed\b|\bsent\s+(?:\w+\s+){0,3}troops\b|"
     r"\btransferred\s+(?:\w+\s+){0,3}troops\b|\bredeploy\w*",
     "Strategic developments", "Change to group/activity"),
    (r"\bincursion\b|\bentered\b|\bcrossed\s+(?:the|into)\b|\boffensive\b|\binvaded\b|\binvasion\b",
     "Battles", "INCURSION"),
    (r"\bexecut(?:ed|ion|ions)\b|\bmassacre\w*\b|\bshot\s+dead\b",
     "Violence against civilians", "Attack"),
    (r"\babduct\w*|\bkidnap\w*|\bforcibly\s+(?:deported|transferred|disappeared)\b",
     "Violence against civilians", "Abduction/forced disappearance"),
    (r"\b(?:loot(?:ed|ing|ers)?|plunder(?:ed|ing)?|pillag\w*|ransack\w*|vandali[sz]\w*|"
     r"set\s+fire\s+to|torched|burn(?:ed|t)\s+down|arson)\b",
     "Strategic developments", "Looting/property destruction"),
    (r"\bclash\w*|\bfight(?:ing|s)?\b|\bfought\b|\bbattles?\b|\bassaults?\b|\bstorm(?:ed|ing)\b|"
     r"\battack(?:ed|s|ing)?\b|\brepel(?:led|s)?\b|\brepuls\w+|\bcombat\b|\bskirmish\w*|"
     r"\binflicted\b|\bambush\w*|\bcounter-?attack\w*|\badvance[ds]?\b",
     "Battles", "Armed clash"),
    (r"\b(?:withdr(?:ew|awn|awal)\s+(?:\w+\s+){0,3}from|pulled\s+out\s+of|abandon(?:ed|s)\s+"
     r"(?:the\s+)?(?:village|town|city|positions?))\b",
     "Strategic developments", "Non-violent transfer of territory"),
]
_RULES_RE = [(re.compile(p, re.I), t, s) for p, t, s in _RULES]
# bounded: an unclosed quote must not make every later quote scan to the end
_QUOTED = re.compile(r"\"[^\"]{0,2000}\"|“[^”]{0,2000}”|'[^']{3,2000}'|‘[^’]{0,2000}’")


_EXCESSIVE_FORCE = re.compile(r"\b(?:opened\s+fire|fired\s+(?:live\s+)?(?:rounds|shots|bullets)?\s*"
                              r"(?:on|at|into)|live\s+ammunition|shot\s+(?:dead|and\s+killed)|"
                              r"beat(?:en|ing)?\s+(?:\w+\s+){0,2}(?:protesters|demonstrators)|"
                              r"(?:protesters|demonstrators)\s+(?:were\s+)?(?:killed|shot))\b", re.I)
_INTERVENTION = re.compile(r"\b(?:detain\w*|arrest\w*|dispers\w*|broke\s+up|tear\s*gas|"
                           r"water\s+cannon|rubber\s+bullets|stun\s+grenades|intervened|"
                           r"kettled|cordoned)\b", re.I)
_POLICE = re.compile(r"\b(?:police|riot\s+police|law\s+enforcement|OMON|Rosgvardia|"
                     r"National\s+Guard|security\s+forces|SBU|FSB)\b", re.I)
POLICE_FORCES = {"Ukraine": "Police Forces of Ukraine (2019-)",
                 "Russia": "Police Forces of Russia (2000-)",
                 "Belarus": "Police Forces of Belarus (1994-)"}
# ACLED associated actors of crowds and victims, by the words that name the group
_GROUPS = [(r"\b(?:workers?|miners?|employees|trade\s+unions?|labou?r)\b", "Labor Group"),
           (r"\b(?:students?|pupils)\b", "Students"), (r"\b(?:women|mothers|wives)\b", "Women"),
           (r"\b(?:farmers?)\b", "Farmers"), (r"\b(?:journalists?|reporters?)\b", "Journalists"),
           (r"\b(?:doctors?|medics?|nurses?|paramedics?)\b", "Health Workers"),
           (r"\b(?:pensioners?)\b", "Pensioners"), (r"\b(?:veterans?)\b", "Veterans")]


def _police(text: str, country: str) -> str:
    if not _POLICE.search(text):
        return ""
    return POLICE_FORCES.get(country, f"Police Forces of {country}" if country else "Police Forces")


def _crowd_group(text: str, country: str) -> str:
    for pattern, group in _GROUPS:
        if re.search(pattern, text, re.I):
            return f"{group} ({country})" if country else group
    return ""


@dataclass
class Classification:
    """Event type, actors and the cue/notes behind them."""

    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    actor2: str = ""
    assoc_actor_1: str = ""
    assoc_actor_2: str = ""
    cue: str = ""  # the word that decided the type
    notes: list[str] = field(default_factory=list)


def strip_quotes(text: str) -> str:
    """Blank out quoted speech, keeping offsets."""
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def side_of(text: str) -> str:
    """Which side a claimant phrase speaks for ("Ukraine's Defense Intelligence" → Ukraine)."""
    for side, pattern in SIDE_PATTERNS.items():
        if re.search(pattern, text or "", re.I):
            return side
    return ""


def find_actors(text: str, claimant_side: str = "") -> list[tuple[int, str, str]]:
    """(offset, ACLED actor, phrase) for every armed actor named in ``text``, in order."""
    found: list[tuple[int, str, str]] = []
    for actor, pattern in ACTORS.items():
        for m in re.finditer(pattern, text, re.I):
            found.append((m.start(), actor, m.group(0)))
    if claimant_side in COUNTRY_FORCES:
        for m in _ANAPHORA.finditer(text):
            found.append((m.start(), COUNTRY_FORCES[claimant_side], m.group(0)))
    found.sort()
    return found


def event_cue(text: str) -> tuple[str, str, str] | None:
    """(event_type, sub_event_type-or-placeholder, cue) of the first matching rule."""
    clean = strip_quotes(text)
    for pattern, etype, sub in _RULES_RE:
        m = pattern.search(clean)
        if m:
            return etype, sub, m.group(0)
    return None


def classify(text: str, victims: str = "", has_casualties: bool = False,
             claimant_side: str = "", location_country: str = "") -> Classification | None:
    """Classify one event clause; None when it describes no event.

    Parameters
    ----------
    text : str
        The clause.
    victims : {"civilian", "military", ""}
        Who the casualty claims count (from :mod:`geomap.events.casualties`).
    has_casualties : bool
        Whether the clause carries a casualty claim.
    claimant_side : str
        "Ukraine" / "Russia" / … – resolves "its forces".
    location_country : str
        Country name of the event location (for territory and civilian actors).
    """
    clean = strip_quotes(text)
    cue = event_cue(clean)
    if cue is None:
        if not has_casualties:
            return None
        if victims == "civilian":
            cue = ("Violence against civilians", "Attack", "casualties")
        else:
            cue = ("Battles", "Armed clash", "casualties")
    etype, sub, word = cue
    out = Classification(etype, sub, cue=word)
    actors = find_actors(clean, claimant_side)
    names: list[str] = []
    for _, actor, _ in actors:
        if actor not in names:
            names.append(actor)
    # agent: "by X", or the first-named actor
    agent = ""
    by = re.search(r"\bby\s+(?:the\s+)?(.{0,60})", clean, re.I)
    if by:  # the first actor named after "by"
        agent = next((actor for off, actor, _ in actors if by.start(1) <= off < by.end(1)), "")
    if sub == "INCURSION":
        out.sub_event_type = "Armed clash"
        out.notes.append("incursion coded as Battles/Armed clash (ground attack; ACLED has no "
                         "incursion sub-type)")
    if sub == "TERRITORY":
        gainer = agent or (names[0] if names else "")
        gainer_country = ACTOR_COUNTRY.get(gainer, "")
        if gainer_country and location_country and gainer_country != location_country:
            out.sub_event_type = "Non-state actor overtakes territory"
            out.notes.append("territory taken by foreign state forces: ACLED 'Non-state actor "
                             "overtakes territory'")
        else:
            out.sub_event_type = "Government regains territory"
    civilians = f"Civilians ({location_country})" if location_country else "Civilians"
    police = _police(clean, location_country)
    if sub == "PROTEST":
        if _EXCESSIVE_FORCE.search(clean) or (has_casualties and victims != "military"):
            out.sub_event_type = "Excessive force against protesters"
        elif _INTERVENTION.search(clean):
            out.sub_event_type = "Protest with intervention"
        else:
            out.sub_event_type = "Peaceful protest"
    if etype in ("Protests", "Riots"):
        crowd = "Protesters" if etype == "Protests" else "Rioters"
        out.actor1 = f"{crowd} ({location_country})" if location_country else crowd
        out.assoc_actor_1 = _crowd_group(clean, location_country)
        if out.sub_event_type != "Peaceful protest":
            out.actor2 = police or (names[0] if names else "")
        if out.sub_event_type == "Mob violence" and not out.actor2:
            out.actor2 = civilians
        return out
    if sub == "Arrests":
        out.actor1 = agent or police or (names[0] if names else "")
        out.actor2 = civilians
        return out
    if etype == "Battles":
        ordered = names[:]
        out.actor1 = ordered[0] if ordered else ""
        out.actor2 = ordered[1] if len(ordered) > 1 else ""
        if out.actor1 and not out.actor2 and out.actor1 in OPPONENT:
            out.actor2 = OPPONENT[out.actor1]
            out.notes.append("actor2 inferred: the opposing side is not named in the text")
    elif etype == "Strategic developments":
        out.actor1 = agent or (names[0] if names else "")
        others = [n for n in names if n != out.actor1]
        if others and out.sub_event_type in ("Disrupted weapons use", "Agreement"):
            out.actor2 = others[0]
        elif out.sub_event_type == "Looting/property destruction":
            out.actor2 = civilians
    else:
        # one-sided: agent first, victims second
        victim_actor = ""
        if victims == "civilian" or etype == "Violence against civilians":
            victim_actor = civilians
        others = [n for n in names if n != agent]
        out.actor1 = agent or (others.pop(0) if others else "")
        if victim_actor:
            out.actor2 = victim_actor
            out.assoc_actor_2 = _crowd_group(clean, location_country)
        elif others:
            out.actor2 = others[0]
    return out
