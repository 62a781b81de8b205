"""Who claims an event, through which channel, and how verified the claim is.

Claimant
--------
Found from the reporting verb of the sentence: "A statement by X on Telegram said",
"X said (on Telegram)", "X has claimed that", "according to X", "…, says X." and a
headline's trailing ": X".  Anaphora ("The statement further claimed", "It added")
inherit the previous claimant.  ``claimed_by`` is written ``"<who>, via <channel>"``
("Ukraine's Defense Intelligence (HUR), via Telegram").

Verification (:data:`geomap.schema.VERIFICATION_STATES`)
-------------------------------------------------------------
Cues anywhere in the article body, with the side they concern:

* "X denied" / "dismissed the claim" / "rejected" → ``denied`` (X is the other side);
* "confirmed by Russia's defence ministry" / "X confirmed", X the other side of the
  claimant → ``confirmed_by_other_side``;
* "independently verified" / "verified by Reuters" (positive) → ``independently_verified``;
* "could not be (independently) verified", "independent verification … is
  difficult", "unverified", "could not confirm" → ``unverified``;
* "Neither X nor Y has commented", "Kyiv has not commented", "declined to comment" →
  no change (a non-denial), noted.

Precedence when several apply to one event: denied > confirmed_by_other_side >
independently_verified > unverified > claimed.  An event with a claimant and no cue
is ``claimed``; an event stated by the outlet without attribution is ``unverified``.
A cue naming whose claims it concerns ("verification of Ukraine's claims") applies
only to events claimed by that side; a denial or confirmation by side X applies only
to events claimed by a side other than X.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geomap.events.classify import side_of

_CHANNELS = (r"Telegram|X|Twitter|Facebook|Instagram|YouTube|VKontakte|VK|television|TV|"
             r"state\s+television|national\s+television|a\s+video(?:\s+address)?|a\s+statement|"
             r"its\s+website|a\s+briefing|a\s+press\s+conference|an\s+interview|social\s+media")
_VERBS = (r"said|says|claimed|claims|has\s+claimed|have\s+claimed|had\s+claimed|reported|"
          r"reports|announced|announces|stated|states|wrote|writes|added|adds|told|tells|"
          r"alleged|alleges|confirmed|posted|noted|according\s+to")
_ANAPHORIC = re.compile(r"^(?:the|this|that|its|their|a)?\s*(?:statement|report|post|update|"
                        r"ministry|agency|it|they|he|she|officials?|sources?|service)$", re.I)
_DET = re.compile(r"^(?:both|also|however|meanwhile|the\s+statement\s+by|a\s+statement\s+by|"
                  r"statement\s+by|a\s+report\s+by|a\s+post\s+by|in\s+a\s+statement,?|"
                  r"and|but|while)\s+", re.I)


_VERB_RE = re.compile(rf"\b(?P<verb>{_VERBS})\b", re.I)


@dataclass
class Claimant:
    """Who made a claim and where."""

    who: str = ""
    channel: str = ""
    anaphoric: bool = False

    @property
    def claimed_by(self) -> str:
        if not self.who:
            return ""
        return f"{self.who}, via {self.channel}" if self.channel else self.who

    @property
    def side(self) -> str:
        return side_of(self.who)


def _clean_who(phrase: str) -> tuple[str, str]:
    """Strip determiners and a trailing channel from a claimant phrase."""
    who = phrase.strip(" ,;:\"“”'")
    channel = ""
    cm = re.search(rf"\s+(?:on|via|in)\s+({_CHANNELS})\s*$", who, re.I)
    if cm:
        channel, who = cm.group(1), who[: cm.start()]
    for _ in range(3):
        who = _DET.sub("", who).strip()
    who = re.sub(r"\s+(?:has|have|had|further|also|later|earlier|previously)$", "", who, flags=re.I)
    who = re.sub(r"\s+(?:has|have|had|further|also|later|earlier|previously)$", "", who, flags=re.I)
    return who.strip(" ,"), channel


def _channel_after(text: str) -> str:
    m = re.match(rf"\s*(?:on|via|in)\s+({_CHANNELS})\b", text, re.I)
    return m.group(1) if m else ""


def find_claimant(sentence: str, previous: Claimant | None = None) -> Claimant | None:
    """The claimant of one sentence, or None when the sentence attributes nothing.

    Examples
    --------
    >>> find_claimant("A statement by Ukraine's Defense Intelligence (HUR) on Telegram said "
    ...               "on Monday that at least 30 ...").claimed_by
    "Ukraine's Defense Intelligence (HUR), via Telegram"
    """
    s = sentence.strip()
    # "A statement by X on Telegram said ..."
    m = re.search(rf"\b(?:a|the)\s+(?:statement|report|post|update|message)\s+(?:by|from)\s+"
                  rf"(?P<who>.{{1,150}}?)\s+(?:on|via|in)\s+(?P<ch>{_CHANNELS})\s+(?:said|says|claimed|"
                  rf"reported|stated)\b", s, re.I)
    if m:
        return Claimant(m.group("who").strip(), m.group("ch"))
    # "according to X" / ", says X." / ": X" (headline)
    m = re.search(r"\baccording\s+to\s+(?P<who>[^,.;]{1,200})", s, re.I)
    if m:
        who, ch = _clean_who(m.group("who"))
        return Claimant(who, ch or _channel_after(s[m.end():]))
    m = re.search(r",\s*(?:says|said|claims|claimed|reports|reported)\s+(?P<who>[^,.;]{1,200})[.]?$",
                  s[-300:], re.I)
    if m:
        who, ch = _clean_who(m.group("who"))
        return Claimant(who, ch)
    m = re.search(r":\s*(?P<who>[A-Z][\w'’ ()-]{1,60})$", s[-100:])
    if m and not s.endswith("."):
        return Claimant(m.group("who").strip(), "")
    # "X said (on Telegram) ..." – the phrase before the first reporting verb
    # the phrase before the first reporting verb, back to the last comma/semicolon (found
    # without a lazy scan from every position, which is quadratic on long sentences)
    m = _VERB_RE.search(s)
    if m:
        cut = max(s.rfind(",", 0, m.start()), s.rfind(";", 0, m.start())) + 1
        pre = s[max(cut, m.start() - 300):m.start()].rstrip()
        if re.search(r"\b(?:that|who|which)\b", pre, re.I):
            pre = re.split(r"\b(?:that|who|which)\b", pre, flags=re.I)[-1]
        who, ch = _clean_who(pre)
        ch = ch or _channel_after(s[m.end():])
        if not who or _ANAPHORIC.match(who):
            if previous and previous.who:
                return Claimant(previous.who, ch or previous.channel, anaphoric=True)
            return None
        if not re.search(r"[A-Z]", who) and not re.search(
                r"officials?|governor|mayor|spokes|commander|ministry|administration|authorities|"
                r"police|military|army|air\s+force|staff|service|council|prosecutor|agency|"
                r"emergency|officers?|head|chief", who, re.I):
            return None
        if len(who) > 90:
            return None
        return Claimant(who, ch)
    return None


# --- verification -----------------------------------------------------------------

_ORDER = ["denied", "confirmed_by_other_side", "independently_verified", "unverified", "claimed"]


@dataclass
class VerificationCue:
    """A sentence that says something about the truth of claims."""

    state: str  # denied | confirmed_by_other_side | independently_verified | unverified | no_comment
    text: str  # the words that triggered it
    by_side: str = ""  # side that denied/confirmed/commented
    about_side: str = ""  # whose claims it concerns ("Ukraine's claims")
    start: int = 0

    def applies_to(self, claimant_side: str) -> bool:
        if not claimant_side:
            # an unattributed (outlet) statement: only general cues apply
            return not self.about_side and self.state not in ("no_comment",
                                                              "confirmed_by_other_side")
        if self.about_side and self.about_side != claimant_side:
            return False
        if self.state in ("denied", "confirmed_by_other_side", "no_comment") and self.by_side:
            return self.by_side != claimant_side
        return True


_CUES: list[tuple[str, str]] = [
    (r"\b(?P<by>[\w'’ ]{0,60}?)\s*(?:has\s+|have\s+|had\s+)?(?:denied|dismissed|rejected|refuted)\b",
     "denied"),
    (r"\bconfirmed\s+by\s+(?P<by>[\w'’ ]{1,60})", "confirmed_by_other_side"),
    (r"\b(?P<by>[\w'’ ]{0,60}?)\s*(?:has\s+|have\s+|had\s+)?(?:also\s+)?(?:confirmed|acknowledged)\b",
     "confirmed_by_other_side"),
    (r"\b(?:could\s+not|couldn't|cannot|can't|was\s+unable\s+to|were\s+unable\s+to|unable\s+to|"
     r"not\s+been\s+able\s+to|did\s+not)\s+(?:be\s+)?(?:independently\s+)?(?:verif\w*|confirm\w*)"
     r"|\bindependent\s+verification\b[^.]{0,80}\b(?:difficult|impossible|not\s+possible|hard)\b"
     r"|\bunverified\b|\bnot\s+(?:been\s+)?(?:independently\s+)?verified\b", "unverified"),
    (r"\b(?:independently\s+verified|verified\s+by\s+(?:Reuters|AP|AFP|the\s+BBC|CNN|"
     r"The\s+New\s+York\s+Times|geolocated)|geolocated\s+(?:footage|video))", "independently_verified"),
    (r"\bneither\s+(?P<by>.{1,80}?)\s+(?:has|have)\s+(?:yet\s+)?(?:commented|responded)", "no_comment"),
    (r"\b(?P<by>[\w'’ ]{1,40}?)\s+(?:has|have|had|did)\s+not\s+(?:yet\s+)?(?:commented|responded)"
     r"|\b(?P<by2>[\w'’ ]{1,40}?)\s+declined\s+to\s+comment", "no_comment"),
]
_CUES_RE = [(re.compile(p, re.I), state) for p, state in _CUES]
# the word each cue needs: a pattern runs only on sentences that contain it (the lazy
# look-behind phrases would otherwise be tried at every character of every sentence)
_CUE_WORDS = [re.compile(w, re.I) for w in (
    r"denied|dismissed|rejected|refuted", r"confirmed\s+by", r"confirmed|acknowledged",
    r"verif|confirm", r"verified|geolocated", r"neither", r"commented|responded|declined")]


def find_verification(sentence: str, offset: int = 0) -> list[VerificationCue]:
    """Verification cues in one sentence."""
    out: list[VerificationCue] = []
    for (pattern, state), word in zip(_CUES_RE, _CUE_WORDS, strict=True):
        if not word.search(sentence):
            continue
        for m in pattern.finditer(sentence):
            by = m.groupdict().get("by") or m.groupdict().get("by2") or ""
            if state == "confirmed_by_other_side" and re.search(
                    r"\b(?:not|n't|never|yet\s+to)\b", sentence[max(0, m.start() - 20):m.end()], re.I):
                continue
            if state == "denied" and re.search(r"\bnot\s+denied\b|\bnor\s+denied\b", m.group(0), re.I):
                continue
            about = ""
            am = re.search(r"\b(\w+)(?:'s|’s)\s+(?:claims?|allegations?|reports?|statements?)",
                           sentence[m.start():m.start() + 300], re.I)
            if am:
                about = side_of(am.group(1))
            by_side = side_of(by)
            if state == "no_comment" and m.group(0).lower().startswith("neither"):
                # "Neither North Korea nor Russia" – both named sides
                by_side = ""
            if state == "no_comment" and any(c.state == "no_comment" and c.start <= m.start() + offset
                                             < c.start + len(c.text) for c in out):
                continue
            out.append(VerificationCue(state, m.group(0).strip(), by_side, about, m.start() + offset))
    return out


def resolve_verification(claimant_side: str, has_claimant: bool,
                         cues: list[VerificationCue]) -> tuple[str, list[str]]:
    """The verification state for one event and notes on the cues that decided it."""
    states: list[str] = []
    notes: list[str] = []
    for cue in cues:
        if not cue.applies_to(claimant_side):
            continue
        if cue.state == "no_comment":
            note = f'no comment from the other side ("{cue.text}"): not a denial'
            if note not in notes:
                notes.append(note)
            continue
        if cue.state == "confirmed_by_other_side" and cue.by_side and cue.by_side == claimant_side:
            continue
        if cue.state == "confirmed_by_other_side" and not cue.by_side:
            continue
        states.append(cue.state)
        note = f'{cue.state}: "{cue.text}"'
        if note not in notes:
            notes.append(note)
    if not states:
        return ("claimed" if has_claimant else "unverified"), notes
    return min(states, key=_ORDER.index), notes
