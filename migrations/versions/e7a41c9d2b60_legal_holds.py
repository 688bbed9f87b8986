"""legal holds: a case that retention must not delete

Revision ID: e7a41c9d2b60
Revises: b5e1c0d2a9f3
Create Date: 2026-12-06 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7a41c9d2b60'
down_revision = 'b5e1c0d2a9f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('legal_holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_legal_holds_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_holds'))
    )
    op.create_index(op.f('ix_legal_holds_case_id'), 'legal_holds', ['case_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_legal_holds_case_id'), table_name='legal_holds')
    op.drop_table('legal_holds')
