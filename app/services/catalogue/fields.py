"""Reading a micro-credential record's fields from people's input (the form or a CSV row).

`clean(raw)` returns (values, skill_uris, errors): values ready for app.services.catalogue.lifecycle,
and one plain-English message per bad field. List-like fields accept a list or text split
on new lines, ";" or "|", so the form and the CSV template read the same way.
"""

from __future__ import annotations

import re
from datetime import date

from app.domain.money import parse_pence
from app.models.catalogue import FUNDING, MODES, QA_TYPES, SUPERVISION

# EQF level suggested for each SCQF level (SCQF Partnership's referencing to the EQF).
EQF_FROM_SCQF = {1: 1, 2: 1, 3: 1, 4: 2, 5: 3, 6: 4, 7: 5, 8: 5, 9: 6, 10: 6, 11: 7, 12: 8}
HOURS_PER_CREDIT = 10
_SPLIT = re.compile(r"\s*(?:\r?\n|;|\|)\s*")
_SPLIT_SENTENCES = re.compile(r"\s*(?:\r?\n|\|)\s*")  # outcomes may contain ";"


def split_list(value, sentences: bool = False) -> list[str]:
    """A list field from a list or from text separated by new lines, ';' or '|' (sentences:
    new lines or '|' only)."""
    if value is None:
        return []
    pattern = _SPLIT_SENTENCES if sentences else _SPLIT
    items = value if isinstance(value, (list, tuple)) else pattern.split(str(value))
    return [str(v).strip() for v in items if str(v).strip()]


def format_price(pence: int) -> str:
    """A price as the form and the CSV show it: pounds with two decimals, no sign ("1250.50")."""
    return f"{pence // 100}.{pence % 100:02d}"


def clean(raw: dict) -> tuple[dict, list[str], dict[str, str]]:
    """Validate one record's fields. Returns (values, skill URIs, errors by field name)."""
    errors: dict[str, str] = {}
    values: dict = {}

    def text(name, label, required=False, max_length=None):
        value = (raw.get(name) or "").strip() if isinstance(raw.get(name) or "", str) else ""
        if required and not value:
            errors[name] = f"Enter the {label}"
        elif max_length and len(value) > max_length:
            errors[name] = f"The {label} must be {max_length} characters or fewer"
        return value or None

    def whole(name, label, low, high, required=False):
        value = str(raw.get(name) or "").strip()
        if not value:
            if required:
                errors[name] = f"Enter the {label}"
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            errors[name] = f"The {label} must be a whole number from {low} to {high}"
            return None
        return int(value)

    values["title"] = text("title", "title", required=True, max_length=200)
    values["summary"] = text("summary", "summary", required=True, max_length=2000) or ""
    outcomes = split_list(raw.get("learning_outcomes"), sentences=True)
    if not outcomes:
        errors["learning_outcomes"] = "Enter at least one learning outcome"
    values["learning_outcomes"] = outcomes

    level = whole("scqf_level", "SCQF level", 1, 12, required=True)
    values["scqf_level"] = level
    credits = whole("scqf_credits", "number of SCQF credit points", 1, 480)
    values["scqf_credits"] = credits
    hours = whole("notional_hours", "notional hours", 1, 10000)
    if credits:
        # One SCQF credit point is ten notional hours of learning, assessment included.
        hours = credits * HOURS_PER_CREDIT
    elif hours is None and "notional_hours" not in errors:
        errors["notional_hours"] = "Enter the notional hours (a course without credit points needs them)"
    values["notional_hours"] = hours
    eqf = whole("eqf_level", "EQF level", 1, 8)
    values["eqf_level"] = eqf if eqf is not None else EQF_FROM_SCQF.get(level or 0)

    mode = (raw.get("mode") or "").strip()
    if mode not in MODES:
        errors["mode"] = "Choose how people take part: " + ", ".join(MODES)
    values["mode"] = mode
    values["duration_weeks"] = whole("duration_weeks", "duration in weeks", 1, 520)

    try:
        price = parse_pence(str(raw.get("price") or ""))
    except ValueError:
        price = None
        errors["price"] = "Enter the price in pounds, like 95 or 1250.50"
    values["price_pence"] = price or 0

    funding = split_list(raw.get("funding"))
    unknown = [f for f in funding if f not in FUNDING]
    if unknown:
        errors["funding"] = f"Unknown funding: {', '.join(unknown)} (use {', '.join(FUNDING)})"
    values["funding"] = funding

    dates = []
    for item in split_list(raw.get("start_dates")):
        try:
            dates.append(date.fromisoformat(item).isoformat())
        except ValueError:
            errors["start_dates"] = f"Start dates must be real dates like 2027-01-18 ({item} is not)"
    values["start_dates"] = sorted(set(dates))

    values["entry_requirements"] = text("entry_requirements", "entry requirements", max_length=2000)
    values["assessment_type"] = text("assessment_type", "type of assessment", required=True, max_length=300) or ""
    supervision = (raw.get("supervision") or "").strip() or None
    if supervision and supervision not in SUPERVISION:
        errors["supervision"] = "Choose a supervision and identity check option: " + ", ".join(SUPERVISION)
    values["supervision"] = supervision
    values["grading"] = text("grading", "grading", max_length=300)

    qa_type = (raw.get("qa_type") or "").strip()
    if qa_type not in QA_TYPES:
        errors["qa_type"] = "Choose the type of quality assurance: " + ", ".join(QA_TYPES)
    values["qa_type"] = qa_type
    values["qa_body"] = text("qa_body", "quality assurance body", max_length=200)
    if qa_type == "credit-rated" and not values["qa_body"] and "qa_type" not in errors:
        errors["qa_body"] = "Enter the body that credit-rated it"
    if credits and qa_type and qa_type != "credit-rated" and "qa_type" not in errors:
        errors["qa_type"] = "A course with SCQF credit points must be credit-rated"

    stack = []
    for item in split_list(raw.get("stackable_into")):
        name, _, amount = item.rpartition(":")
        if not name.strip() or not amount.strip().isdigit():
            errors["stackable_into"] = f"Write each qualification as 'name: credits' ({item!r} is not)"
            continue
        stack.append({"qualification": name.strip(), "credits": int(amount)})
    if stack and not credits and "stackable_into" not in errors:
        errors["stackable_into"] = "Only a credit-bearing course can count towards a qualification"
    values["stackable_into"] = stack
    values["further_information"] = text("further_information", "further information", max_length=4000)
    values["language"] = text("language", "language", max_length=10) or "en"
    values["country"] = text("country", "country or region", max_length=10) or "GB-SCT"

    skill_uris = split_list(raw.get("skills"))
    return values, skill_uris, errors


def as_form(record) -> dict:
    """A version's fields as the form shows them (lists one item per line)."""
    return {
        "code": record.code,
        "title": record.title,
        "summary": record.summary,
        "learning_outcomes": "\n".join(record.learning_outcomes or []),
        "scqf_level": str(record.scqf_level or ""),
        "scqf_credits": str(record.scqf_credits or ""),
        "notional_hours": "" if record.scqf_credits else str(record.notional_hours or ""),
        "eqf_level": str(record.eqf_level or ""),
        "mode": record.mode,
        "duration_weeks": str(record.duration_weeks or ""),
        "price": format_price(record.price_pence),
        "funding": list(record.funding or []),
        "start_dates": "\n".join(record.start_dates or []),
        "entry_requirements": record.entry_requirements or "",
        "assessment_type": record.assessment_type,
        "supervision": record.supervision or "",
        "grading": record.grading or "",
        "qa_type": record.qa_type,
        "qa_body": record.qa_body or "",
        "stackable_into": "\n".join(f"{s['qualification']}: {s['credits']}" for s in record.stackable_into or []),
        "skills": [s.uri for s in record.skills],
        "further_information": record.further_information or "",
        "language": record.language,
        "country": record.country,
    }
