"""A published micro-credential as machine-readable documents at stable URLs: an Open Badges
3.0 Achievement (JSON-LD) and an Open Badges 2.0 BadgeClass, plus the provider's OB 2.0
issuer Profile and a plain SVG badge image. Pure functions of the record and its URLs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from app.models import MicroCredential, Organisation

OB3_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
ESCO_FRAMEWORK = "ESCO (European Skills, Competences, Qualifications and Occupations)"


@dataclass(frozen=True)
class RecordLinks:
    """Absolute URLs for one version: its page, its two documents, its image, its issuer."""

    page: str
    achievement: str
    badge_class: str
    image: str
    issuer: str
    provider_page: str


def tags(record: MicroCredential) -> list[str]:
    """Short facts for machine readers: level, credit, hours, mode."""
    out = ["micro-credential", f"SCQF level {record.scqf_level}"]
    if record.eqf_level:
        out.append(f"EQF level {record.eqf_level}")
    if record.credit_bearing:
        out += [f"{record.scqf_credits} SCQF credit points", f"{record.ects:g} ECTS (conversion)"]
    else:
        out.append("not credit-bearing")
    out += [f"{record.notional_hours} notional hours", record.mode_label]
    return out


def criteria_narrative(record: MicroCredential) -> str:
    lines = ["Pass the assessment (" + record.assessment_type + ") showing you can:"]
    lines += [f"- {outcome}" for outcome in record.learning_outcomes or []]
    return "\n".join(lines)


def achievement(record: MicroCredential, links: RecordLinks, assurance: str | None = None) -> dict:
    """The OB 3.0 Achievement (achievementType MicroCredential) for this version. `assurance`
    (quality.assurance_sentence) says who quality-assured it and when: OB 3.0 has no property for
    a platform's review, so it is written where the spec allows words (the description) and
    tagged, adding no term the OB 3.0 context does not define."""
    doc: dict[str, Any] = {
        "@context": OB3_CONTEXT,
        "id": links.achievement,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": record.title,
        "description": f"{record.summary}\n\n{assurance}" if assurance else record.summary,
        "humanCode": record.code,
        "version": str(record.version),
        "inLanguage": record.language,
        "criteria": {"id": links.page, "narrative": criteria_narrative(record)},
        "image": {"id": links.image, "type": "Image", "caption": record.title},
        "creator": {"id": links.issuer, "type": ["Profile"], "name": record.provider.name, "url": links.provider_page},
        "tag": [*tags(record), "quality-assured"] if assurance else tags(record),
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": skill.label,
                "targetUrl": skill.uri,
                "targetDescription": skill.description or skill.label,
                "targetFramework": ESCO_FRAMEWORK,
                "targetType": "ceasn:Competency",
            }
            for skill in record.skills
        ],
    }
    if record.credit_bearing:
        # SCQF credit points; ECTS appears only as a displayed conversion in `tag`.
        doc["creditsAvailable"] = float(record.scqf_credits or 0)
    return doc


def badge_class(record: MicroCredential, links: RecordLinks) -> dict:
    """The OB 2.0 BadgeClass for this version."""
    return {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": links.badge_class,
        "name": record.title,
        "description": record.summary,
        "image": links.image,
        "criteria": {"id": links.page, "narrative": criteria_narrative(record)},
        "issuer": links.issuer,
        "tags": tags(record),
        "alignment": [
            {
                "targetName": skill.label,
                "targetUrl": skill.uri,
                "targetDescription": skill.description or skill.label,
                "targetFramework": ESCO_FRAMEWORK,
            }
            for skill in record.skills
        ],
    }


def issuer_profile(provider: Organisation, profile_url: str, page_url: str) -> dict:
    """The provider as an OB 2.0 issuer Profile."""
    profile = {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": profile_url,
        "name": provider.name,
        "url": provider.website or page_url,
    }
    if provider.email_domain:
        profile["email"] = f"badges@{provider.email_domain}"
    return profile


def badge_image_svg(record: MicroCredential) -> str:
    """A simple, accessible badge image: the title, provider and level as text."""
    title = escape(record.title[:60])
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" '
        f'role="img" aria-labelledby="t"><title id="t">{title}</title>'
        '<circle cx="200" cy="200" r="190" fill="#00594f"/>'
        '<circle cx="200" cy="200" r="170" fill="none" stroke="#ffffff" stroke-width="6"/>'
        '<text x="200" y="150" font-family="Arial, sans-serif" font-size="22" fill="#ffffff" '
        f'text-anchor="middle">{escape(record.provider.name[:40])}</text>'
        '<text x="200" y="210" font-family="Arial, sans-serif" font-size="30" font-weight="bold" '
        f'fill="#ffffff" text-anchor="middle">{escape(record.code)}</text>'
        '<text x="200" y="260" font-family="Arial, sans-serif" font-size="22" fill="#ffffff" '
        f'text-anchor="middle">SCQF level {record.scqf_level}</text></svg>'
    )
