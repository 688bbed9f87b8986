"""council identities: staff who sign in with the council's own identity provider

Revision ID: f2c8a1d4e6b7
Revises: e7a41c9d2b60
Create Date: 2026-12-07 23:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2c8a1d4e6b7'
down_revision = 'e7a41c9d2b60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_in_method', sa.String(length=20), server_default='password', nullable=False))
    op.create_table('council_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('provider_sub', sa.String(length=255), nullable=True),
    sa.Column('provider_session_id', sa.String(length=255), nullable=True),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_signed_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_council_identities_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_identities')),
    sa.UniqueConstraint('issuer', 'subject', name='uq_council_identities_issuer_subject'),
    sa.UniqueConstraint('user_id', name=op.f('uq_council_identities_user_id'))
    )
    op.create_index(op.f('ix_council_identities_provider_session_id'), 'council_identities', ['provider_session_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_council_identities_provider_session_id'), table_name='council_identities')
    op.drop_table('council_identities')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('sign_in_method')
