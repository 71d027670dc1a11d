"""Reading a record's fields from the form or a CSV row."""

from __future__ import annotations

from app.services.catalogue.fields import clean, format_price, split_list

GOOD = {
    "title": "Welding",
    "summary": "Weld safely.",
    "learning_outcomes": "Weld a joint\nInspect a weld",
    "scqf_level": "6",
    "scqf_credits": "12",
    "mode": "onsite",
    "price": "540",
    "assessment_type": "Practical",
    "qa_type": "credit-rated",
    "qa_body": "Forthside College",
}


def test_credit_bearing_hours_are_ten_per_credit_whatever_is_entered():
    values, _, errors = clean({**GOOD, "notional_hours": "5"})
    assert errors == {}
    assert (values["notional_hours"], values["eqf_level"], values["price_pence"]) == (120, 4, 54000)


def test_non_credit_bearing_needs_hours():
    _, _, errors = clean({**GOOD, "scqf_credits": "", "qa_type": "internal"})
    assert "notional_hours" in errors
    values, _, errors = clean({**GOOD, "scqf_credits": "", "qa_type": "internal", "notional_hours": "20"})
    assert errors == {} and (values["scqf_credits"], values["notional_hours"]) == (None, 20)


def test_rules_between_fields():
    _, _, errors = clean({**GOOD, "qa_type": "none"})
    assert errors["qa_type"] == "A course with SCQF credit points must be credit-rated"
    _, _, errors = clean({**GOOD, "qa_body": ""})
    assert "qa_body" in errors
    _, _, errors = clean(
        {**GOOD, "scqf_credits": "", "qa_type": "none", "notional_hours": "8", "stackable_into": "HNC: 8"}
    )
    assert "stackable_into" in errors


def test_bad_values_each_get_a_message():
    _, _, errors = clean(
        {
            **GOOD,
            "title": "",
            "scqf_level": "0",
            "mode": "pigeon",
            "price": "£ten",
            "funding": "fwdf;lottery",
            "start_dates": "2027-02-30",
            "supervision": "x",
            "stackable_into": "HNC Computing",
        }
    )
    assert set(errors) == {
        "title",
        "scqf_level",
        "mode",
        "price",
        "funding",
        "start_dates",
        "supervision",
        "stackable_into",
    }
    assert "lottery" in errors["funding"] and "2027-02-30" in errors["start_dates"]


def test_list_fields_and_prices():
    assert split_list("a; b|c\n\nd") == ["a", "b", "c", "d"]
    assert split_list("Plan; then do\nReview", sentences=True) == ["Plan; then do", "Review"]
    prices = [clean({**GOOD, "price": t}) for t in ("95", "£1,250.5", "0.99", "", "ten", "-3")]
    assert [values["price_pence"] for values, _, _ in prices[:4]] == [9500, 125050, 99, 0]
    assert [errors.get("price") for _, _, errors in prices[4:]] == ["Enter the price in pounds, like 95 or 1250.50"] * 2
    assert format_price(125050) == "1250.50" and format_price(5) == "0.05"
    values, _, _ = clean(
        {
            **GOOD,
            "stackable_into": "HNC Computing: 12\nBSc Software: 12",
            "start_dates": "2027-09-06;2027-01-18;2027-01-18",
        }
    )
    assert values["stackable_into"][1] == {"qualification": "BSc Software", "credits": 12}
    assert values["start_dates"] == ["2027-01-18", "2027-09-06"]
