"""Card-number scrubber: Luhn-valid runs of 13–19 digits (spaces or dashes between digit
groups allowed) in free text become ``[card removed]`` before anything leaves the connector
(PCI DSS: no primary account number in the ERP or in logs). Letters around the digits do
not protect them (``4111…1111x`` is still a card number), so the odd digit-only id that
passes Luhn is scrubbed too: erring that way is the safe side."""

from __future__ import annotations

import re

REPLACEMENT = "[card removed]"
_CANDIDATE = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")


def luhn_valid(digits: str) -> bool:
    """True when ``digits`` (only 0-9) passes the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _replace(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = text.replace(" ", "").replace("-", "")
    if 13 <= len(digits) <= 19 and luhn_valid(digits):
        return REPLACEMENT
    return text


def scrub(text: str) -> str:
    """``text`` with every card number replaced; other digit runs are kept."""
    if not text or not any(c.isdigit() for c in text):
        return text
    return _CANDIDATE.sub(_replace, text)


def has_card_number(text: str) -> bool:
    """True when ``text`` still holds a card number."""
    return scrub(text) != text
