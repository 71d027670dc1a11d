"""Recruitment: vacancies made from job roles, their skills, candidates who apply without an
account, and the badges they share (each with its latest verification).

Revision ID: 4467127884df
Revises: 342b782c57b5
Create Date: 2026-12-04 03:54:47.378349

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4467127884df'
down_revision = '342b782c57b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('vacancies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_role_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('hiring_manager_id', sa.Integer(), nullable=True),
    sa.Column('retention_months', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('purged_counts', sa.JSON(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('retention_months BETWEEN 1 AND 36', name=op.f('ck_vacancies_retention_months')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_vacancies_created_by_id_users')),
    sa.ForeignKeyConstraint(['hiring_manager_id'], ['memberships.id'], name=op.f('fk_vacancies_hiring_manager_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_role_id'], ['job_roles.id'], name=op.f('fk_vacancies_job_role_id_job_roles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_vacancies_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancies')),
    sa.UniqueConstraint('token', name=op.f('uq_vacancies_token'))
    )
    with op.batch_alter_table('vacancies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vacancies_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('carry_badges', sa.Boolean(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('skills_met', sa.Integer(), nullable=False),
    sa.Column('skills_partly', sa.Integer(), nullable=False),
    sa.Column('hired_invitation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('applied', 'shortlisted', 'interview', 'offer', 'hired', 'rejected')", name=op.f('ck_candidates_status')),
    sa.ForeignKeyConstraint(['hired_invitation_id'], ['invitations.id'], name=op.f('fk_candidates_hired_invitation_id_invitations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'], name=op.f('fk_candidates_vacancy_id_vacancies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidates')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_candidates_token_hash')),
    sa.UniqueConstraint('vacancy_id', 'email', name=op.f('uq_candidates_vacancy_id_email'))
    )
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.create_index('ix_candidates_vacancy_coverage', ['vacancy_id', 'skills_met', 'skills_partly'], unique=False)
        batch_op.create_index('ix_candidates_vacancy_status', ['vacancy_id', 'status'], unique=False)

    op.create_table('vacancy_skills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('target_level', sa.Integer(), nullable=False),
    sa.CheckConstraint('target_level BETWEEN 1 AND 4', name=op.f('ck_vacancy_skills_target_level')),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_vacancy_skills_skill_id_skills')),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'], name=op.f('fk_vacancy_skills_vacancy_id_vacancies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy_skills')),
    sa.UniqueConstraint('vacancy_id', 'skill_id', name=op.f('uq_vacancy_skills_vacancy_id_skill_id'))
    )
    with op.batch_alter_table('vacancy_skills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vacancy_skills_vacancy_id'), ['vacancy_id'], unique=False)

    op.create_table('candidate_badges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.LargeBinary(), nullable=False),
    sa.Column('document_kind', sa.String(length=10), nullable=False),
    sa.Column('label', sa.String(length=500), nullable=True),
    sa.Column('verification_id', sa.Integer(), nullable=True),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('achievement_name', sa.String(length=300), nullable=True),
    sa.Column('issuer_name', sa.String(length=300), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_skills', sa.JSON(), nullable=False),
    sa.Column('proves_skills', sa.Boolean(), nullable=False),
    sa.Column('claims_proven', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_badges_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['verification_id'], ['verifications.id'], name=op.f('fk_candidate_badges_verification_id_verifications'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_badges'))
    )
    with op.batch_alter_table('candidate_badges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_badges_candidate_id'), ['candidate_id'], unique=False)



def downgrade():
    with op.batch_alter_table('candidate_badges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_badges_candidate_id'))

    op.drop_table('candidate_badges')
    with op.batch_alter_table('vacancy_skills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vacancy_skills_vacancy_id'))

    op.drop_table('vacancy_skills')
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index('ix_candidates_vacancy_status')
        batch_op.drop_index('ix_candidates_vacancy_coverage')

    op.drop_table('candidates')
    with op.batch_alter_table('vacancies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vacancies_organisation_id'))

    op.drop_table('vacancies')
