"""Skills: the framework (ESCO skills and occupations), a person's skill profile, job roles and
assessments, skills gaps against a role, and suggested pathways of micro-credentials.

Who may see or assess whose skills is decided in `app.security.policy` (skills and job roles).
Outside the package, import a named submodule (`from app.services.skills import gaps`) or the
names below.
"""

from app.services.skills import framework, gaps, job_roles, pathways, profile
from app.services.skills.framework import FrameworkFileError
from app.services.skills.job_roles import JobRoleError

__all__ = ["FrameworkFileError", "JobRoleError", "framework", "gaps", "job_roles", "pathways", "profile"]
