"""UK postcodes, offline: recognised by shape, placed only by their postcode AREA.

No package ships UK postcode coordinates, so none are invented here. The table maps each
postcode area (the letters at the start: "M" in "M1 1AE", "SW" in "SW1A 1AA") to its post
town, which is public knowledge; the town itself is then found in GeoNames. That is an answer
at region level only; a full postcode needs the online geocoder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Postcode area -> (a post town of the area, as GeoNames names it; ISO country). It is the
# area's main post town, except for BR and TW, whose main towns (Bromley, Twickenham) are not in
# GeoNames' town list: their neighbouring post towns Beckenham and Hounslow stand in, 3 km away.
# Non-geographic areas (BF, BX, XX) are left out. Guernsey, Jersey and the Isle of Man have
# their own ISO codes.
POSTCODE_AREA_TOWNS: dict[str, tuple[str, str]] = {
    "AB": ("Aberdeen", "GB"), "AL": ("St Albans", "GB"), "B": ("Birmingham", "GB"),
    "BA": ("Bath", "GB"), "BB": ("Blackburn", "GB"), "BD": ("Bradford", "GB"),
    "BH": ("Bournemouth", "GB"), "BL": ("Bolton", "GB"), "BN": ("Brighton", "GB"),
    "BR": ("Beckenham", "GB"), "BS": ("Bristol", "GB"), "BT": ("Belfast", "GB"),
    "CA": ("Carlisle", "GB"), "CB": ("Cambridge", "GB"), "CF": ("Cardiff", "GB"),
    "CH": ("Chester", "GB"), "CM": ("Chelmsford", "GB"), "CO": ("Colchester", "GB"),
    "CR": ("Croydon", "GB"), "CT": ("Canterbury", "GB"), "CV": ("Coventry", "GB"),
    "CW": ("Crewe", "GB"), "DA": ("Dartford", "GB"), "DD": ("Dundee", "GB"),
    "DE": ("Derby", "GB"), "DG": ("Dumfries", "GB"), "DH": ("Durham", "GB"),
    "DL": ("Darlington", "GB"), "DN": ("Doncaster", "GB"), "DT": ("Dorchester", "GB"),
    "DY": ("Dudley", "GB"), "E": ("London", "GB"), "EC": ("London", "GB"),
    "EH": ("Edinburgh", "GB"), "EN": ("Enfield", "GB"), "EX": ("Exeter", "GB"),
    "FK": ("Falkirk", "GB"), "FY": ("Blackpool", "GB"), "G": ("Glasgow", "GB"),
    "GL": ("Gloucester", "GB"), "GU": ("Guildford", "GB"), "GY": ("Saint Peter Port", "GG"),
    "HA": ("Harrow", "GB"), "HD": ("Huddersfield", "GB"), "HG": ("Harrogate", "GB"),
    "HP": ("Hemel Hempstead", "GB"), "HR": ("Hereford", "GB"), "HS": ("Stornoway", "GB"),
    "HU": ("Kingston upon Hull", "GB"), "HX": ("Halifax", "GB"), "IG": ("Ilford", "GB"),
    "IM": ("Douglas", "IM"), "IP": ("Ipswich", "GB"), "IV": ("Inverness", "GB"),
    "JE": ("Saint Helier", "JE"), "KA": ("Kilmarnock", "GB"), "KT": ("Kingston upon Thames", "GB"),
    "KW": ("Kirkwall", "GB"), "KY": ("Kirkcaldy", "GB"), "L": ("Liverpool", "GB"),
    "LA": ("Lancaster", "GB"), "LD": ("Llandrindod Wells", "GB"), "LE": ("Leicester", "GB"),
    "LL": ("Llandudno", "GB"), "LN": ("Lincoln", "GB"), "LS": ("Leeds", "GB"),
    "LU": ("Luton", "GB"), "M": ("Manchester", "GB"), "ME": ("Rochester", "GB"),
    "MK": ("Milton Keynes", "GB"), "ML": ("Motherwell", "GB"), "N": ("London", "GB"),
    "NE": ("Newcastle upon Tyne", "GB"), "NG": ("Nottingham", "GB"), "NN": ("Northampton", "GB"),
    "NP": ("Newport", "GB"), "NR": ("Norwich", "GB"), "NW": ("London", "GB"),
    "OL": ("Oldham", "GB"), "OX": ("Oxford", "GB"), "PA": ("Paisley", "GB"),
    "PE": ("Peterborough", "GB"), "PH": ("Perth", "GB"), "PL": ("Plymouth", "GB"),
    "PO": ("Portsmouth", "GB"), "PR": ("Preston", "GB"), "RG": ("Reading", "GB"),
    "RH": ("Redhill", "GB"), "RM": ("Romford", "GB"), "S": ("Sheffield", "GB"),
    "SA": ("Swansea", "GB"), "SE": ("London", "GB"), "SG": ("Stevenage", "GB"),
    "SK": ("Stockport", "GB"), "SL": ("Slough", "GB"), "SM": ("Sutton", "GB"),
    "SN": ("Swindon", "GB"), "SO": ("Southampton", "GB"), "SP": ("Salisbury", "GB"),
    "SR": ("Sunderland", "GB"), "SS": ("Southend-on-Sea", "GB"), "ST": ("Stoke-on-Trent", "GB"),
    "SW": ("London", "GB"), "SY": ("Shrewsbury", "GB"), "TA": ("Taunton", "GB"),
    "TD": ("Galashiels", "GB"), "TF": ("Telford", "GB"), "TN": ("Tonbridge", "GB"),
    "TQ": ("Torquay", "GB"), "TR": ("Truro", "GB"), "TS": ("Middlesbrough", "GB"),
    "TW": ("Hounslow", "GB"), "UB": ("Southall", "GB"), "W": ("London", "GB"),
    "WA": ("Warrington", "GB"), "WC": ("London", "GB"), "WD": ("Watford", "GB"),
    "WF": ("Wakefield", "GB"), "WN": ("Wigan", "GB"), "WR": ("Worcester", "GB"),
    "WS": ("Walsall", "GB"), "WV": ("Wolverhampton", "GB"), "YO": ("York", "GB"),
    "ZE": ("Lerwick", "GB"),
}  # fmt: skip

# Outward code (area + district, e.g. "SW1A", "M1", "LS10") then an optional inward code
# ("1AA"). The inward code is digit-letter-letter, which a Canadian postal code never is.
_POSTCODE = re.compile(r"^(?P<area>[A-Z]{1,2})(?P<district>\d[A-Z\d]?)(?:\s*(?P<inward>\d[A-Z]{2}))?$")


@dataclass(frozen=True)
class UKPostcode:
    area: str
    outward: str
    inward: str | None

    @property
    def text(self) -> str:
        return f"{self.outward} {self.inward}" if self.inward else self.outward


def parse_uk_postcode(text: str) -> UKPostcode | None:
    """The postcode when the text has the shape of a UK postcode in a known area, else None."""
    match = _POSTCODE.match(" ".join(text.upper().split()))
    if not match or match["area"] not in POSTCODE_AREA_TOWNS:
        return None
    return UKPostcode(match["area"], match["area"] + match["district"], match["inward"])
