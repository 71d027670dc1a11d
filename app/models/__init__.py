"""SQLAlchemy models, one module per domain. Importing this package registers them all."""

from app.models.access import (
    Invitation,
    PasswordResetToken,
    SignInSession,
    SignInThrottle,
    SsoDomain,
    SsoDomainState,
    SsoProvider,
)
from app.models.apprenticeships import (
    Apprenticeship,
    ApprenticeshipEvent,
    ApprenticeshipStatus,
    BreakInLearning,
    ModuleResult,
    Party,
    PlanAcceptance,
    PriorLearning,
)
from app.models.audit import AuditEvent
from app.models.badges import IssuedCredential, IssuerProfile, SigningKey, StatusList
from app.models.base import utcnow
from app.models.catalogue import (
    MicroCredential,
    QualityReview,
    RecordStatus,
    ReviewStatus,
    SearchTerm,
    is_search_index_table,
)
from app.models.cpd import CpdBudget, FundingSource, FundingSourceYear, LearningAgreement, Sponsorship, SponsorshipEvent
from app.models.evidence import (
    EndPointAssessment,
    EvidenceClaim,
    EvidenceComment,
    EvidenceEntry,
    EvidenceFile,
    EvidenceStatus,
    GatewayConfirmation,
)
from app.models.held_credentials import HeldCredential
from app.models.job_roles import AssessedSkill, JobRole, JobRoleMicroCredential, JobRoleSkill
from app.models.jobs import Job, JobStatus
from app.models.orgs import Organisation, OrgKind, Partnership, PartnershipStatus
from app.models.people import (
    ROLE_LABELS,
    ROLES_BY_ORG_KIND,
    Membership,
    MembershipStatus,
    Role,
    RoleGrant,
    User,
)
from app.models.programmes import Cohort, Programme, ProgrammeModule, ProgrammeOutcome, ProgrammeStatus
from app.models.progress_reviews import (
    CalendarFeed,
    OffTheJobEntry,
    ProgressReview,
    ReviewAction,
    ReviewRating,
    ReviewSignature,
)
from app.models.recruitment import Candidate, CandidateBadge, CandidateStatus, Vacancy, VacancySkill
from app.models.rpl import RplDecision, RplRequest, RplStatus
from app.models.skills import Occupation, Skill, occupation_skills
from app.models.verifications import ApiKey, BadgeImage, Verification, VerificationBatch, VerificationBatchItem
from app.models.wallet import WalletCredential, WalletCredentialSkill, WalletProfile

__all__ = [
    "Job",
    "JobStatus",
    "Candidate",
    "CandidateBadge",
    "CandidateStatus",
    "Vacancy",
    "VacancySkill",
    "RplDecision",
    "RplRequest",
    "RplStatus",
    "WalletCredential",
    "WalletCredentialSkill",
    "WalletProfile",
    "EndPointAssessment",
    "GatewayConfirmation",
    "EvidenceClaim",
    "EvidenceComment",
    "EvidenceEntry",
    "EvidenceFile",
    "EvidenceStatus",
    "Apprenticeship",
    "ApprenticeshipEvent",
    "ApprenticeshipStatus",
    "BreakInLearning",
    "ModuleResult",
    "Party",
    "PlanAcceptance",
    "PriorLearning",
    "Cohort",
    "Programme",
    "ProgrammeModule",
    "ProgrammeOutcome",
    "ProgrammeStatus",
    "CalendarFeed",
    "OffTheJobEntry",
    "ProgressReview",
    "ReviewAction",
    "ReviewRating",
    "ReviewSignature",
    "ApiKey",
    "BadgeImage",
    "AssessedSkill",
    "AuditEvent",
    "CpdBudget",
    "FundingSource",
    "FundingSourceYear",
    "HeldCredential",
    "Invitation",
    "IssuedCredential",
    "IssuerProfile",
    "JobRole",
    "JobRoleMicroCredential",
    "JobRoleSkill",
    "LearningAgreement",
    "Membership",
    "MembershipStatus",
    "MicroCredential",
    "QualityReview",
    "ReviewStatus",
    "SearchTerm",
    "Occupation",
    "occupation_skills",
    "Organisation",
    "OrgKind",
    "Partnership",
    "PartnershipStatus",
    "PasswordResetToken",
    "RecordStatus",
    "Role",
    "ROLE_LABELS",
    "RoleGrant",
    "ROLES_BY_ORG_KIND",
    "SigningKey",
    "Skill",
    "Sponsorship",
    "SponsorshipEvent",
    "SignInSession",
    "SignInThrottle",
    "SsoDomain",
    "SsoDomainState",
    "SsoProvider",
    "StatusList",
    "User",
    "utcnow",
    "Verification",
    "VerificationBatch",
    "VerificationBatchItem",
]


def migration_include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object: schema comparisons (autogenerate and the migration test) skip
    the SQLite full-text tables, which the migration creates by hand."""

    return not (type_ == "table" and reflected and is_search_index_table(name))
