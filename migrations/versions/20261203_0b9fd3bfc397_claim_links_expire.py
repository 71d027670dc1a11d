"""Claim links expire: when the current "accept your badge" link stops working.

Revision ID: 0b9fd3bfc397
Revises: c1e1b8786f7a
Create Date: 2026-12-03 23:30:31.580716

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0b9fd3bfc397'
down_revision = 'c1e1b8786f7a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('issued_credentials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_expires_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('issued_credentials', schema=None) as batch_op:
        batch_op.drop_column('claim_expires_at')
