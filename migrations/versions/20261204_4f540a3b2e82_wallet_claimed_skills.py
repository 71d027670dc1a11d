"""Imported badges that are not hub micro-credentials keep the skills their own (ESCO) alignments
claim (one row per skill, so the team summary can count them in SQL), so they feed the holder's
skills profile. Existing imports start with none (a re-check fills them in). A badge issued on Credwork can be listed on its learner's public profile.

Revision ID: 4f540a3b2e82
Revises: 4467127884df
Create Date: 2026-12-04 04:15:38.459065

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4f540a3b2e82'
down_revision = '4467127884df'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wallet_credential_skills',
    sa.Column('wallet_credential_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_wallet_credential_skills_skill_id_skills'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wallet_credential_id'], ['wallet_credentials.id'], name=op.f('fk_wallet_credential_skills_wallet_credential_id_wallet_credentials'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('wallet_credential_id', 'skill_id', name=op.f('pk_wallet_credential_skills'))
    )
    with op.batch_alter_table('wallet_credential_skills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wallet_credential_skills_skill_id'), ['skill_id'], unique=False)
    with op.batch_alter_table('issued_credentials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_profile', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.alter_column('on_profile', server_default=None)


def downgrade():
    with op.batch_alter_table('issued_credentials', schema=None) as batch_op:
        batch_op.drop_column('on_profile')
    with op.batch_alter_table('wallet_credential_skills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wallet_credential_skills_skill_id'))
    op.drop_table('wallet_credential_skills')

