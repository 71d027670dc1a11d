"""Imported badges that are not hub micro-credentials keep the skills their own (ESCO) alignments
claim, so they can feed the holder's skills profile. Existing imports start with none (a re-check
fills them in). A badge issued on Credwork can be listed on its learner's public profile.

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
    with op.batch_alter_table('wallet_credentials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_skills', sa.JSON(), nullable=True))
    op.execute("UPDATE wallet_credentials SET claimed_skills = '[]'")
    with op.batch_alter_table('wallet_credentials', schema=None) as batch_op:
        batch_op.alter_column('claimed_skills', existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table('issued_credentials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_profile', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.alter_column('on_profile', server_default=None)


def downgrade():
    with op.batch_alter_table('issued_credentials', schema=None) as batch_op:
        batch_op.drop_column('on_profile')
    with op.batch_alter_table('wallet_credentials', schema=None) as batch_op:
        batch_op.drop_column('claimed_skills')

