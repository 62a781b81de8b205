"""Event claims from English conflict news: text → :class:`EventClaim` → :class:`EventRecord`.

Pipeline
--------
1. :func:`segment` splits the article into lines (paragraphs) with a role –
   ``headline`` (first line without final punctuation, or equal to the title),
   ``caption`` (photo captions "… / Photo: AFP", bare credits "AFP"), ``related``
   (titles after a "Read More" marker), ``heading`` (short lines without final
   punctuation), ``duplicate`` (a repeat of an earlier line) and ``body`` – and the
   lines into sentences with offsets into the original text.  Captions, related
   titles, headings and duplicates never create events; headlines do, with the
   lowest priority, so the body sentence wins when both report the same event.
2. Sentences are cut at ", where" / ", when" into clauses: a *where* clause
   ("Kursk, where Kiev launched an incursion back in August") is its own event, at
   its antecedent's place, with its own date; the main clause never takes the
   date of its *where* clause.  A *when* clause shares the main clause's date.
3. Each clause with an event cue (:mod:`geomap.events.classify`) or a casualty claim
   (:mod:`geomap.events.casualties`) and at least one sub-national place or casualty
   number becomes an :class:`EventClaim`.  Hypothetical cues ("might", "to protect
   against …") are ignored.
4. Dates: the clause's non-statement dates (:mod:`geomap.events.dates`; several
   day dates within a week of each other become one range, precision 2); a
   clause without one that continues the previous event ("also", "further", "the
   same day") takes that event's date; otherwise the publication date with
   precision 2 and ``needs_review``.
5. Places: geoparser mentions (role "location", not countries) inside the clause.
   When a clause names settlements, region mentions are context and are dropped;
   a *where* clause without its own place uses the last place of its main clause.
6. Duplicates: claims are ranked (body over headline, day dates over months,
   settlements over regions) and a lower-ranked claim is merged into a higher one
   when they are compatible: same event type, overlapping (or missing) dates,
   compatible places (same name, or one is the region containing the other), shared
   actors, and – if the lower one has casualty numbers – the same category within
   20 %.  The merged claim's quote is kept in ``notes``.
7. Rows: one :class:`EventRecord` per place; all rows of one reported event share a
   ``report_id``.

Casualties across locations
---------------------------
When the text gives numbers place by place ("1 killed in A and 2 injured in B", "In A,
3 were killed, and in B, 4 were injured"), each place's row carries its own numbers
(:func:`per_location_casualties`; notes say "numbers of this location only").
Otherwise numbers are **not split** across the places of one report: the casualty
columns (killed … captured) and fatalities_low/best/high are filled on the **first row
only**; every other row keeps them empty and says so in ``notes`` ("shared across 3
locations of report R (numbers on R-1)") and in ``casualties_text``.  Summing any
numeric column over rows therefore never double counts a report.

A clause whose only facts are an explicit zero or an update ("No one was killed.", "The
toll rose to 55.") and no place of its own adds them to the event just reported instead
of making a new one; an update replaces the earlier figure of its category, which stays
in ``notes`` (:func:`geomap.events.casualties.latest`).

Untrusted text
--------------
Sentences longer than ``MAX_SENTENCE_CHARS`` are cut at whitespace, mentions are looked
up by bisection, duplicates and verification cues are weighed within
``MERGE_WINDOW_CHARS``, so extraction costs linear time in the text length
(bench/bench_text_scaling.py); texts over ``MAX_TEXT_CHARS`` are refused with an error.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from geomap.errors import InputError
from geomap.events.casualties import (
    CasualtyClaim,
    fatalities,
    find_casualties,
    latest,
    totals,
)
from geomap.events.claims import (
    Claimant,
    VerificationCue,
    find_claimant,
    find_verification,
    resolve_verification,
)
from geomap.events.classify import ISO2_COUNTRY, classify, find_actors
from geomap.events.coding import (
    civilian_targeting,
    disorder_type,
    inter_code,
    interaction,
    iso_numeric,
    type_of_violence,
)
from geomap.events.dates import DateMention, as_date, find_dates
from geomap.geoparse import geoparse
from geomap.geoparse.textnorm import normalise_text
from geomap.schema import EventRecord

# --------------------------------------------------------------------------- segmenting

_CREDIT = re.compile(r"^(?:AFP|AP|Reuters|EPA|Getty(?:\s+Images)?|AA|Anadolu(?:\s+Agency)?|"
                     r"Photo|File|Xinhua|TASS|RIA\s+Novosti|UNIAN|Ukrinform)(?:[/ ,]+\w+)*$", re.I)
_CAPTION = re.compile(r"/\s*Photo\s*:|\(Photo\s*:|\bPhoto\s*:\s*\w+\s*$|\bPhoto\s+credit\b", re.I)
_READ_MORE = re.compile(r"^\s*(?:Read\s+More|Read\s+also|Also\s+read|Related(?:\s+articles?)?|"
                        r"More\s+on\s+this|See\s+also)\s*:?\s*$", re.I)
_TERMINAL = re.compile(r"[.!?][\"'”’)]*\s*$|[\"”’]\s*$")
_ABBREV = re.compile(r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|Gen|"
                     r"Lt|Col|Maj|Capt|Sgt|St|No|vs|approx|Gov|Sen|Rep|Jr|Sr|Prof|Inc|Co|Corp|"
                     r"Ltd|e\.g|i\.e|U\.S|U\.K|U\.N)\.|\b[A-Z]\.)$")


@dataclass
class Sentence:
    """One sentence of the article with its offsets and the role of its line."""

    text: str
    start: int
    end: int
    role: str  # body | headline
    line: int  # 0-based line index


@dataclass
class Line:
    text: str
    start: int
    end: int
    role: str


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


def segment(text: str, title: str | None = None) -> list[Line]:
    """Article lines with their roles (see module docstring)."""
    lines: list[Line] = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group(0)
        if not raw.strip():
            continue
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        lines.append(Line(body, m.start() + lead, m.start() + lead + len(body), "body"))
    seen: set[str] = set()
    after_read_more = False
    first = True
    for ln in lines:
        t = ln.text
        key = _norm(_CAPTION.split(t)[0])
        terminal = bool(_TERMINAL.search(t))
        if _READ_MORE.match(t):
            ln.role, after_read_more = "marker", True
            continue
        if first:
            first = False
            if (title and _norm(title) == _norm(t)) or not terminal:
                ln.role = "headline"
                seen.add(key)
                continue
        if after_read_more and not terminal:
            ln.role = "related"
            continue
        after_read_more = False
        if _CAPTION.search(t):
            ln.role = "caption"
        elif _CREDIT.match(t):
            ln.role = "caption"
        elif key in seen:
            ln.role = "duplicate"
        elif not terminal and len(t.split()) < 15:
            ln.role = "heading"
        if ln.role == "body":
            seen.add(key)
    return lines


MAX_SENTENCE_CHARS = 2000  # a longer "sentence" is cut at whitespace (bounds every regex)
MAX_TEXT_CHARS = 20_000_000  # extract_events refuses longer texts with a clear error


def _bounded(spans: list[tuple[int, int]], text: str, start: int) -> list[tuple[int, int]]:
    """Cut spans longer than MAX_SENTENCE_CHARS at the last whitespace before the limit."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while e - s > MAX_SENTENCE_CHARS:
            limit = s + MAX_SENTENCE_CHARS
            cut = max(text.rfind(" ", s - start + MAX_SENTENCE_CHARS // 2, limit - start),
                      text.rfind("\t", s - start + MAX_SENTENCE_CHARS // 2, limit - start))
            cut = cut + start + 1 if cut >= 0 else limit
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return out


def split_sentences(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (document offsets) of one line; none longer than MAX_SENTENCE_CHARS."""
    spans: list[tuple[int, int]] = []
    cur = 0
    for m in re.finditer(r"[.!?][\"'”’)]*\s+(?=[\"“‘'(]?[A-Z0-9])", text):
        # an abbreviation ends within the last few characters: look only there
        if _ABBREV.search(text, max(cur, m.start() - 12), m.start() + 1):
            continue
        spans.append((start + cur, start + m.end() - len(m.group(0)) + len(m.group(0).rstrip())))
        cur = m.end()
    if cur < len(text):
        spans.append((start + cur, start + len(text.rstrip())))
    return _bounded(spans, text, start)


def sentences(text: str, title: str | None = None) -> list[Sentence]:
    """Body and headline sentences (captions, related titles, duplicates removed)."""
    out: list[Sentence] = []
    for i, ln in enumerate(segment(text, title)):
        if ln.role not in ("body", "headline"):
            continue
        for s, e in split_sentences(ln.text, ln.start):
            out.append(Sentence(text[s:e], s, e, ln.role, i))
    return out


# --------------------------------------------------------------------------- clauses

_SUBCLAUSE = re.compile(r",\s+(where|when)\s+", re.I)
_CONTINUATION = re.compile(r"\b(?:also|further|furthermore|additionally|the\s+same\s+day|"
                           r"at\s+the\s+same\s+time|in\s+addition|another)\b", re.I)
_HYPOTHETICAL = re.compile(r"\b(?:might|could|would|may|will|plans?\s+to|threaten\w*|"
                           r"protect\s+against|prevent|aim\s+was|intend\w*|warn\w*|fear\w*)\b"
                           r"[^.]{0,40}$", re.I)


@dataclass
class Clause:
    text: str
    start: int
    end: int
    kind: str  # main | where | when
    sentence: Sentence


def clauses(sent: Sentence) -> list[Clause]:
    """Main clause plus any ", where …" / ", when …" clauses of one sentence."""
    cuts = list(_SUBCLAUSE.finditer(sent.text))
    if not cuts:
        return [Clause(sent.text, sent.start, sent.end, "main", sent)]
    out = [Clause(sent.text[:cuts[0].start()], sent.start, sent.start + cuts[0].start(), "main", sent)]
    for k, m in enumerate(cuts):
        end = cuts[k + 1].start() if k + 1 < len(cuts) else len(sent.text)
        out.append(Clause(sent.text[m.start() + 1:end], sent.start + m.start() + 1,
                          sent.start + end, m.group(1).lower(), sent))
    return out


# --------------------------------------------------------------------------- claims


@dataclass
class EventClaim:
    """One reported event, before it is split into one row per place."""

    report_id: str
    text: str  # the clause
    start: int
    end: int
    role: str  # body | headline
    event_type: str
    sub_event_type: str
    actor1: str = ""
    actor2: str = ""
    assoc_actor_1: str = ""
    assoc_actor_2: str = ""
    date_from: date | None = None
    date_to: date | None = None
    date_precision: int | None = None
    date_text: str = ""
    date_source: str = ""  # text | continuation | main clause | publication
    casualties: list[CasualtyClaim] = field(default_factory=list)
    claimant: Claimant | None = None
    verification: str = ""
    locations: list = field(default_factory=list)  # PlaceMention
    notes: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # quotes of duplicates merged into this

    @property
    def claimed_by(self) -> str:
        return self.claimant.claimed_by if self.claimant else ""

    def rank(self) -> tuple:
        """Higher is more specific (see module docstring, step 6)."""
        date_score = {1: 3, 2: 3, 3: 1}.get(self.date_precision or 0, 0)
        if self.date_source == "publication":
            date_score = 0
        elif self.date_source == "continuation":
            date_score -= 0.5
        loc_score = 0
        if self.locations:
            loc_score = 2 if any(_is_settlement(m) for m in self.locations) else 1
        return (self.role == "body", date_score + loc_score + 0.5 * bool(self.casualties),
                len(self.locations), -self.start)


_ADMIN_WORDS = re.compile(r"\b(?:oblast|region|district|raion|rayon|krai|province|republic|"
                          r"municipality|hromada|community|county|city|town|village)\b")


def _core(name: str) -> str:
    return _ADMIN_WORDS.sub("", _norm(name)).strip()


def _is_country(m) -> bool:
    place = m.place
    return m.kind == "country" or (place is not None and place.admin_level == 0)


def _is_fallback(m) -> bool:
    """The mention names a settlement placed at its district/region, or read as another
    spelling: the row keeps the name the report wrote."""
    place = m.place
    if place is not None and m.read_as:
        return True
    return (place is not None and place.is_admin and m.kind != "admin"
            and _core(place.name) != _core(m.text))


def _is_settlement(m) -> bool:
    place = m.place
    if m.kind in ("admin", "country", "adjectival"):
        return False
    if place is None:
        return True
    return not place.is_admin or _is_fallback(m)


def _is_location(m) -> bool:
    return (m.role == "location"
            and m.kind != "adjectival" and not _is_country(m))


def _mention_country(m) -> str:
    place = m.place
    code = (place.country if place else "") or ""
    return ISO2_COUNTRY.get(code.upper(), code)


def _pick_locations(mentions: list, start: int, end: int, starts: list[int] | None = None) -> list:
    """Location mentions starting in [start, end); ``starts`` (sorted mention starts, with
    ``mentions`` sorted the same way) makes the lookup a bisection."""
    if starts is not None:
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        window = mentions[lo:hi]
    else:
        window = mentions
    inside = [m for m in window if start <= m.start < end and _is_location(m)]
    if any(_is_settlement(m) for m in inside):
        inside = [m for m in inside if _is_settlement(m)]
    out, keys = [], set()
    for m in inside:
        place = m.place
        key = (place.id if place else None) or _norm(m.text)
        if key not in keys:
            keys.add(key)
            out.append(m)
    return out


def _doc_id(text: str, source_url: str) -> str:
    # surrogatepass: untrusted text may hold lone surrogates ("\ud800"), still hashable
    return "R" + hashlib.sha1((source_url or text).encode("utf-8", "surrogatepass")).hexdigest()[:8]


def extract_claims(text: str, published=None, source: str = "", source_url: str = "",
                   mentions: list | None = None, title: str | None = None) -> list[EventClaim]:
    """Reported events in an article, each with its quotes, after de-duplication.

    Parameters
    ----------
    text : str
        The article (headline, captions and "Read More" blocks may be included).
    published : date or ISO str, optional
        Publication date; relative dates resolve against it.
    source, source_url : str
        Outlet and address, copied to the records.
    mentions : list of PlaceMention, optional
        Geoparser output for ``text``; computed with :func:`geomap.geoparse.geoparse`
        when None.
    title : str, optional
        The article title (marks the headline line).

    Returns
    -------
    list of EventClaim, in text order.
    """
    pub = as_date(published)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"text of {len(text):,} characters is longer than the limit of "
                         f"{MAX_TEXT_CHARS:,}; split it into articles", field="text")
    if mentions is None:  # cues, dates and numbers are read from the normalised text too

        text = normalise_text(text).text

        mentions = geoparse(text, published=pub.isoformat() if pub else None)
    mentions = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    sents = sentences(text, title)
    # verification cues come from every body sentence (captions repeat the body)
    cues: list[VerificationCue] = []
    for s in sents:
        if s.role == "body":
            cues.extend(find_verification(s.text, s.start))
    cues.sort(key=lambda c: c.start)
    cue_starts = [c.start for c in cues]  # an event weighs the cues of its own article part
    doc = _doc_id(text, source_url)
    candidates: list[EventClaim] = []
    previous_claimant: Claimant | None = None
    previous_dated: EventClaim | None = None
    for sent in sents:
        claimant = find_claimant(sent.text, previous_claimant)
        if claimant is not None and sent.role == "body":
            previous_claimant = claimant
        # place names inside the claimant ("Governor Oleh Kiper", "Ukraine's General Staff")
        # are not event locations
        claimant_spans = []
        if claimant is not None and claimant.who and not claimant.anaphoric:
            k = sent.text.find(claimant.who)
            if k >= 0:
                claimant_spans.append((sent.start + k, sent.start + k + len(claimant.who)))
        main_date: DateMention | None = None
        main_locations: list = []
        for cl in clauses(sent):
            dates = [d for d in find_dates(cl.text, pub, cl.start) if d.role == "event"]
            cas = find_casualties(cl.text, cl.start)
            locs = [m for m in _pick_locations(mentions, cl.start, cl.end, starts)
                    if not any(a <= m.start < b for a, b in claimant_spans)]
            if cl.kind == "main":
                main_date = dates[0] if dates else None
                main_locations = locs
            elif cl.kind == "where" and not locs and main_locations:
                locs = [main_locations[-1]]
            victims = next((c.victims for c in cas if c.victims), "")
            country = _mention_country(locs[0]) if locs else ""
            cls = classify(cl.text, victims, bool(cas), claimant.side if claimant else "", country)
            if cls is None:
                continue
            cue_at = cl.text.lower().find(cls.cue.lower()) if cls.cue != "casualties" else -1
            if cue_at >= 0 and not cas and _HYPOTHETICAL.search(cl.text[:cue_at]):
                continue
            if not cas and not locs:
                continue
            if (cas and not locs and candidates and cl.kind == "main"
                    and all(c.kind in ("zero", "update") for c in cas)):
                # "No one was injured." / "The toll rose to 55.": a fact about the event
                # just reported, not a new event
                prev = candidates[-1]
                prev.casualties.extend(cas)
                prev.notes.append(f'casualty figure from the next sentence: "{cl.text.strip()}"')
                continue
            # a "where" clause is the outlet's background, not part of the claim
            who = None if cl.kind == "where" else claimant
            lead = len(cl.text) - len(cl.text.lstrip())
            ev = EventClaim(f"{doc}-e{len(candidates) + 1}", cl.text.strip(), cl.start + lead, cl.end,
                            sent.role, cls.event_type, cls.sub_event_type, cls.actor1, cls.actor2,
                            casualties=cas, claimant=who, locations=locs,
                            notes=list(cls.notes), assoc_actor_1=cls.assoc_actor_1,
                            assoc_actor_2=cls.assoc_actor_2)
            if dates:
                d = dates[0]
                ev.date_from, ev.date_to, ev.date_precision = d.date_from, d.date_to, d.precision
                ev.date_text, ev.date_source = d.text, "text"
                close = [x for x in dates[1:] if x.precision <= 2
                         and abs((x.date_from - d.date_from).days) <= 7]
                if close and d.precision <= 2:
                    # "on Dec. 14 and on Dec. 16": one event over the span of its dates
                    ev.date_from = min([d.date_from] + [x.date_from for x in close])
                    ev.date_to = max([d.date_to] + [x.date_to for x in close])
                    ev.date_precision = 2
                    ev.date_text = " / ".join([d.text] + [x.text for x in close])
            elif cl.kind == "when" and main_date is not None:
                d = main_date
                ev.date_from, ev.date_to, ev.date_precision = d.date_from, d.date_to, d.precision
                ev.date_text, ev.date_source = d.text, "main clause"
            elif _CONTINUATION.search(cl.text) and previous_dated is not None:
                p = previous_dated
                ev.date_from, ev.date_to, ev.date_precision = p.date_from, p.date_to, p.date_precision
                ev.date_text, ev.date_source = p.date_text, "continuation"
                ev.notes.append(f"date from the previous event ('{p.date_text}'): the text continues "
                                f"it ('{_CONTINUATION.search(cl.text).group(0)}')")
            if ev.date_from is not None and ev.date_source == "text":
                previous_dated = ev
            has_claimant = bool(who and who.who)
            lo = bisect.bisect_left(cue_starts, ev.start - MERGE_WINDOW_CHARS)
            hi = bisect.bisect_right(cue_starts, ev.start + MERGE_WINDOW_CHARS)
            ev.verification, vnotes = resolve_verification(
                who.side if who else "", has_claimant, cues[lo:hi])
            ev.notes.extend(vnotes)
            if not has_claimant:
                ev.notes.append("no attribution in the text: reported by the outlet")
            candidates.append(ev)
    events = _merge(candidates)
    for ev in events:
        if ev.date_from is None:
            ev.date_source = "publication"
            if pub is not None:
                ev.date_from = ev.date_to = pub
                ev.date_precision = 2
                ev.notes.append("no event date in the text: publication date used")
            else:
                ev.notes.append("no event date resolved (no publication date given for "
                                "relative or year-less dates)")
    events.sort(key=lambda e: e.start)
    for k, ev in enumerate(events, 1):
        ev.report_id = f"{doc}-e{k}"
    return events


# --------------------------------------------------------------------------- merging


def _dates_compatible(a: EventClaim, b: EventClaim) -> bool:
    if a.date_from is None or b.date_from is None:
        return True
    return a.date_from <= b.date_to and b.date_from <= a.date_to


def _loc_names(m) -> set[str]:
    place = m.place
    names = {_norm(m.text)}
    if place is not None:
        names.add(_norm(place.name))
    return {re.sub(r"\b(?:oblast|region|district|raion|krai|province|city|town|village)\b", "", n)
            .strip() for n in names} - {""}


def _container_names(m) -> set[str]:
    place = m.place
    if place is None:
        return set()
    return {re.sub(r"\b(?:oblast|region|district|raion|krai|province)\b", "", _norm(x)).strip()
            for x in (place.admin1, place.admin2, place.admin3) if x} - {""}


def _locations_compatible(a: EventClaim, b: EventClaim) -> bool:
    if not a.locations or not b.locations:
        return True
    for x in a.locations:
        for y in b.locations:
            nx, ny = _loc_names(x), _loc_names(y)
            if nx & ny:
                return True
            if not _is_settlement(x) and nx & _container_names(y):
                return True
            if not _is_settlement(y) and ny & _container_names(x):
                return True
            if not _is_settlement(x) and not _is_settlement(y):
                # two regions: compatible only when they are the same
                continue
    return False


def _casualties_compatible(low: EventClaim, high: EventClaim) -> bool:
    if not low.casualties:
        return True
    if not high.casualties:
        return False
    for c in low.casualties:
        for d in high.casualties:
            if c.category != d.category or c.best is None or d.best is None:
                continue
            if abs(c.best - d.best) <= max(1, 0.2 * max(c.best, d.best)):
                return True
    return False


def _actors_compatible(a: EventClaim, b: EventClaim) -> bool:
    sa = {x for x in (a.actor1, a.actor2) if x and not x.startswith("Civilians")}
    sb = {x for x in (b.actor1, b.actor2) if x and not x.startswith("Civilians")}
    return not sa or not sb or bool(sa & sb)


MERGE_WINDOW_CHARS = 20_000  # duplicates are looked for this far apart (one long article)


def _merge(candidates: list[EventClaim]) -> list[EventClaim]:
    """Fold lower-ranked duplicates into higher-ranked claims (module docstring, step 6).

    Candidates are compared only with kept claims of the same type within
    MERGE_WINDOW_CHARS (found by bisection), so long texts cost n·log n, not n².
    """
    kept: list[EventClaim] = []
    kept_order: dict[int, int] = {}  # id(claim) -> position in ``kept`` (rank order)
    by_type: dict[str, tuple[list[int], list[EventClaim]]] = {}
    for ev in sorted(candidates, key=lambda e: e.rank(), reverse=True):
        starts, claims = by_type.setdefault(ev.event_type, ([], []))
        lo = bisect.bisect_left(starts, ev.start - MERGE_WINDOW_CHARS)
        hi = bisect.bisect_right(starts, ev.start + MERGE_WINDOW_CHARS)
        near = sorted(claims[lo:hi], key=lambda k: kept_order[id(k)]) if hi > lo else []
        target = next((k for k in near
                       if _dates_compatible(ev, k) and _locations_compatible(ev, k)
                       and _casualties_compatible(ev, k) and _actors_compatible(ev, k)), None)
        if target is None:
            kept_order[id(ev)] = len(kept)
            kept.append(ev)
            k = bisect.bisect_right(starts, ev.start)
            starts.insert(k, ev.start)
            claims.insert(k, ev)
            continue
        where = "headline" if ev.role == "headline" else "elsewhere in the article"
        target.merged.append(f'also reported {where}: "{ev.text}"')
        if target.date_from is None and ev.date_from is not None:
            target.date_from, target.date_to = ev.date_from, ev.date_to
            target.date_precision, target.date_text = ev.date_precision, ev.date_text
            target.date_source = ev.date_source
        if not target.claimant and ev.claimant:
            target.claimant = ev.claimant
        if not target.actor1 and ev.actor1:
            target.actor1, target.actor2 = ev.actor1, target.actor2 or ev.actor2
    return kept


# --------------------------------------------------------------------------- records


def _confidence(ev: EventClaim, m) -> float:
    base = float(m.confidence or 0.0) if m is not None else 0.3
    if m is not None and not m.resolved:
        base = min(base, 0.3)
    factor = {"text": 1.0, "main clause": 0.95, "continuation": 0.9}.get(ev.date_source, 0.7)
    if ev.role == "headline":
        factor *= 0.8
    return round(base * factor, 3)


# "near the villages of Plekhovo, Vorozhba, and " – a "near" governing a list of names
_NEAR = re.compile(r"\b(?:[Nn]ear|[Oo]utside|[Aa]round|[Cc]lose\s+to|outskirts\s+of|vicinity\s+of|"
                   r"direction|area\s+of)\b(?:\s+the)?(?:\s+(?:villages?|towns?|settlements?|"
                   r"cities|city|areas?|hamlets?)\s+of)?(?:\s*(?:,|and|[A-Z][\w'’-]*))*\s*$")


def _geo_precision(m, before: str) -> int:
    """ACLED geo_precision: the geoparser's, raised to 2 for "near <place>"."""
    p = m.precision or (1 if _is_settlement(m) else 3)
    if p == 1 and _NEAR.search(before):
        p = 2
    return p


def _code(value: int | None) -> str:
    return "" if value is None else str(value)


def _casualties_text(row_claims: list[CasualtyClaim], report_claims: list[CasualtyClaim],
                     first: bool, n: int, report_id: str) -> str:
    """The numbers as written for one row; other rows of a shared report name the total."""
    if first:
        return "; ".join(c.phrase() for c in row_claims)
    if not report_claims:
        return ""
    total = "; ".join(c.phrase() for c in report_claims)
    return f"{total} across {n} locations of the report, counted on {report_id}-1"


def per_location_casualties(ev: EventClaim) -> dict[int, list[CasualtyClaim]] | None:
    """Casualty claims per location when the text gives numbers place by place.

    "1 killed in A and 2 injured in B": each claim is followed (or, "In A, 1 was killed; in
    B, …", preceded) by exactly one place of its own.  Returns ``{id(mention): claims}``,
    or None when the numbers belong to the report as a whole (the default: first row).
    """
    locs = [m for m in ev.locations if m is not None]
    claims = sorted((c for c in ev.casualties if c.kind != "update"), key=lambda c: c.start)
    if len(locs) < 2 or len(claims) < 2:
        return None
    for order in ("after", "before"):
        out: dict[int, list[CasualtyClaim]] = {}
        ok = True
        for k, c in enumerate(claims):
            if order == "after":
                lo, hi = c.start, claims[k + 1].start if k + 1 < len(claims) else ev.end
            else:
                lo, hi = claims[k - 1].end if k else ev.start, c.start
            inside = [m for m in locs if lo <= m.start < hi]
            if len(inside) != 1:
                ok = False
                break
            out.setdefault(id(inside[0]), []).append(c)
        if ok and len(out) == len(locs):
            return out
    return None


def claim_to_records(ev: EventClaim, published=None, source: str = "",
                     source_url: str = "") -> list[EventRecord]:
    """One :class:`EventRecord` per place of a reported event (numbers on the first row)."""
    pub = as_date(published)
    locs = ev.locations or [None]
    n = len(locs)
    per_place = per_location_casualties(ev)
    tot = totals(ev.casualties)
    flow, fbest, fhigh = fatalities(ev.casualties)
    counted, superseded = latest(ev.casualties)
    claim_notes = [c.summary() for c in counted] + superseded
    base_notes: list[str] = []
    if ev.date_text:
        base_notes.append(f"date: '{ev.date_text}' ({ev.date_source})")
    base_notes += ev.notes + ev.merged
    base_notes.append(f'source text: "{ev.text}"')
    rows: list[EventRecord] = []
    text_before = {id(m): ev.text[:max(0, m.start - ev.start)][-120:] for m in locs if m is not None}
    for j, m in enumerate(locs, 1):
        place = m.place if m is not None else None
        own = per_place.get(id(m)) if per_place else None
        notes = ([c.summary() for c in own or []] if per_place else list(claim_notes)) + base_notes
        review = ev.date_source == "publication" or ev.role == "headline"
        if per_place:
            notes.insert(0, f"numbers of this location only ({j} of {n} locations of report "
                            f"{ev.report_id}, each with its own figures)")
        elif n > 1:
            notes.insert(0, f"shared across {n} locations of report {ev.report_id} (numbers on "
                            f"{ev.report_id}-1" + (", this row)" if j == 1 else ")"))
        if m is None:
            notes.append("no location in the text")
            review = True
        elif place is None or not m.resolved:
            notes.append(f"location '{m.text}' not resolved: {m.reason}".rstrip(": "))
            review = True
        elif m.read_as:
            notes.append(f"'{m.text}' read as {place.name} ({place.hierarchy()})")
            review = True
        elif _is_fallback(m):
            notes.append(f"'{m.text}' placed at {place.name} ({place.hierarchy()}): the "
                         f"gazetteer lacks the settlement")
            review = True
        if m is not None and m.needs_review:
            review = True
            if m.reason:
                notes.append(f"location review: {m.reason}")
        first = j == 1
        row_claims = counted if first else []
        if per_place:
            first = True
            row_claims = latest(own or [])[0]
            tot = totals(own or [])
            flow, fbest, fhigh = fatalities(own or [])
        country = ISO2_COUNTRY.get((place.country or "").upper(), place.country) if place else ""
        inter1 = inter_code(ev.actor1, country)
        inter2 = inter_code(ev.actor2, country)
        rec = EventRecord(
            event_id=f"{ev.report_id}-{j}",
            report_id=ev.report_id,
            event_date=ev.date_from.isoformat() if ev.date_from else "",
            end_date=ev.date_to.isoformat() if ev.date_to else "",
            date_precision=ev.date_precision or 3,
            event_type=ev.event_type,
            sub_event_type=ev.sub_event_type,
            actor1=ev.actor1,
            actor2=ev.actor2,
            country=country,
            admin1=place.admin1 if place else "",
            admin2=place.admin2 if place else "",
            location=(m.text if _is_fallback(m) else place.name) if place
            else (m.text if m is not None else ""),
            latitude=place.lat if place else None,
            longitude=place.lon if place else None,
            geo_precision=_geo_precision(m, text_before.get(id(m), "")) if m is not None else None,
            geonameid=str(place.geonameid) if place and place.geonameid else "",
            killed=tot["killed"] if first else None,
            wounded=tot["wounded"] if first else None,
            killed_or_wounded=tot["killed_or_wounded"] if first else None,
            missing=tot["missing"] if first else None,
            captured=tot["captured"] if first else None,
            fatalities_low=flow if first else None,
            fatalities_best=fbest if first else None,
            fatalities_high=fhigh if first else None,
            claimed_by=ev.claimed_by,
            verification=ev.verification,
            source=source,
            source_url=source_url,
            published=pub.isoformat() if pub else "",
            notes="; ".join(notes),
            confidence=_confidence(ev, m),
            needs_review=review,
            casualties_text=_casualties_text(row_claims, counted, first, n, ev.report_id),
            admin3=place.admin3 or "" if place else "",
            assoc_actor_1=ev.assoc_actor_1,
            assoc_actor_2=ev.assoc_actor_2,
            inter1=_code(inter1),
            inter2=_code(inter2),
            interaction=_code(interaction(inter1, inter2)),
            civilian_targeting=civilian_targeting(ev.event_type, ev.actor2),
            disorder_type=disorder_type(ev.event_type, ev.sub_event_type),
            iso=iso_numeric(country) if country else None,
            type_of_violence=type_of_violence(ev.event_type, ev.actor1, ev.actor2),
        )
        rows.append(rec)
    return rows


def extract_events(text: str, published=None, source: str = "", source_url: str = "",
                   mentions: list | None = None, title: str | None = None) -> list[EventRecord]:
    """Events reported in an article, one :class:`EventRecord` per event and place.

    Examples
    --------
    >>> recs = extract_events(open("data/articles/kursk_2024-12-16_north_korean_casualties.txt")
    ...                       .read(), published="2024-12-16")        # doctest: +SKIP
    >>> [(r.location, r.event_date, r.end_date) for r in recs][:3]     # doctest: +SKIP
    [('Plekhovo', '2024-12-14', '2024-12-15'), ('Vorozhba', ...), ('Martynovka', ...)]
    """
    rows: list[EventRecord] = []
    for ev in extract_claims(text, published, source, source_url, mentions, title):
        rows.extend(claim_to_records(ev, published, source, source_url))
    return rows


__all__ = ["EventClaim", "extract_claims", "extract_events", "claim_to_records", "segment",
           "sentences", "split_sentences", "clauses", "find_actors"]
