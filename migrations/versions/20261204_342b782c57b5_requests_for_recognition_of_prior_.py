"""Requests for recognition of prior learning: a learner's badges towards a provider's programme,
and the provider's decision on each module.

Revision ID: 342b782c57b5
Revises: a584fbb9ff9f
Create Date: 2026-12-04 01:09:51.979570

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '342b782c57b5'
down_revision = 'a584fbb9ff9f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rpl_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('badges', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('submitted', 'decided')", name=op.f('ck_rpl_requests_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_rpl_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['learner_id'], ['users.id'], name=op.f('fk_rpl_requests_learner_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_rpl_requests_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_rpl_requests_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rpl_requests'))
    )
    with op.batch_alter_table('rpl_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rpl_requests_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rpl_requests_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('rpl_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['programme_modules.id'], name=op.f('fk_rpl_decisions_module_id_programme_modules')),
    sa.ForeignKeyConstraint(['request_id'], ['rpl_requests.id'], name=op.f('fk_rpl_decisions_request_id_rpl_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rpl_decisions')),
    sa.UniqueConstraint('request_id', 'module_id', name=op.f('uq_rpl_decisions_request_id_module_id'))
    )
    with op.batch_alter_table('rpl_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rpl_decisions_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('rpl_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rpl_decisions_request_id'))

    op.drop_table('rpl_decisions')
    with op.batch_alter_table('rpl_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rpl_requests_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_rpl_requests_learner_id'))

    op.drop_table('rpl_requests')