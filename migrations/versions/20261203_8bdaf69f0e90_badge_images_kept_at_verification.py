"""badge images kept at verification

Revision ID: 8bdaf69f0e90
Revises: 1b68affde4e0
Create Date: 2026-12-03 08:42:21.728047

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8bdaf69f0e90'
down_revision = '1b68affde4e0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('badge_images',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('source_url', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_badge_images'))
    )
    with op.batch_alter_table('badge_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_badge_images_source_url'), ['source_url'], unique=False)



def downgrade():
    with op.batch_alter_table('badge_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_badge_images_source_url'))

    op.drop_table('badge_images')
