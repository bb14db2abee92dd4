"""The key two printings of one party's name share, as an Ibis expression (runs in the engine).

Assignment records and publications print the same company differently: "Toyota Jidosha Kabushiki
Kaisha" / "TOYOTA JIDOSHA KABUSHIKI KAISHA", "THE NORDAM GROUP INC" / "NORDAM GROUP INC. THE",
"PACIFIC WESTERN BANK (AS SUCCESSOR IN INTEREST BY MERGER TO SQUARE 1 BANK)", "BANK OF AMERICA,
N.A., AS ADMINISTRATIVE AGENT". The key is upper case without parenthesised remarks, a trailing
", AS <capacity>", the word THE and punctuation. Legal forms stay ("INC" and "INCORPORATED"
differ): an exact key links only names that are the same name, and finds the country of a party
where the transfer record prints none.
"""

from __future__ import annotations

from typing import Any


def name_key(name: Any) -> Any:
    """The matching key of an Ibis string column of names."""
    return (
        name.upper()
        .re_replace(r"\(.*?\)", " ")
        .re_replace(r",\s*AS\s+\S.*$", "")
        .re_replace(r"\bTHE\b", " ")
        .re_replace(r"[^A-Z0-9]+", " ")
        .strip()
    )
