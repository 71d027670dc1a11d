"""The learner's wallet: badges people import themselves, with their latest check, and the
employer records (held credentials) a verified import adds to the skills profile.

Revision ID: a584fbb9ff9f
Revises: 0b9fd3bfc397
Create Date: 2026-12-04 00:49:04.616724

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a584fbb9ff9f'
down_revision = '0b9fd3bfc397'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wallet_credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('identity', sa.String(length=520), nullable=False),
    sa.Column('document', sa.LargeBinary(), nullable=False),
    sa.Column('document_kind', sa.String(length=10), nullable=False),
    sa.Column('label', sa.String(length=500), nullable=True),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('format', sa.String(length=30), nullable=False),
    sa.Column('issuer_name', sa.String(length=300), nullable=True),
    sa.Column('achievement_name', sa.String(length=300), nullable=True),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('recipient_match', sa.Boolean(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('share_token', sa.String(length=43), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_wallet_credentials_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wallet_credentials')),
    sa.UniqueConstraint('user_id', 'identity', name='uq_wallet_credentials_user_identity'),
    sa.UniqueConstraint('share_token', name=op.f('uq_wallet_credentials_share_token'))
    )
    op.create_table('wallet_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=43), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_wallet_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wallet_profiles')),
    sa.UniqueConstraint('slug', name=op.f('uq_wallet_profiles_slug')),
    sa.UniqueConstraint('user_id', name=op.f('uq_wallet_profiles_user_id'))
    )
    with op.batch_alter_table('wallet_credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wallet_credentials_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('held_credentials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wallet_credential_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_held_credentials_wallet_credential_id'), ['wallet_credential_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_held_credentials_wallet_credential_id_wallet_credentials'),
            'wallet_credentials', ['wallet_credential_id'], ['id'], ondelete='CASCADE',
        )


def downgrade():
    with op.batch_alter_table('held_credentials', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_held_credentials_wallet_credential_id_wallet_credentials'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_held_credentials_wallet_credential_id'))
        batch_op.drop_column('wallet_credential_id')

    with op.batch_alter_table('wallet_credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wallet_credentials_user_id'))

    op.drop_table('wallet_profiles')
    op.drop_table('wallet_credentials')