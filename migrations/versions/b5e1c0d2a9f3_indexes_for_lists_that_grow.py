"""indexes for lists that grow: newest cases, chairs, open appeals, "has this person opened it"

Found by the SQL budget test (EXPLAIN at 1,000 rows): each of these queries read its whole table; and, found by
the benchmark at 100,000 cases, the chair dashboard's count of unanswered questions read every question.

Revision ID: b5e1c0d2a9f3
Revises: 70d054e463ef
Create Date: 2026-12-06 22:55:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b5e1c0d2a9f3'
down_revision = '70d054e463ef'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_events_actor_action_object', 'audit_events', ['actor_id', 'action', 'object_id'])
    op.create_index('ix_users_role', 'users', ['role'])
    op.create_index('ix_cases_created_at_id', 'cases', ['created_at', 'id'])
    op.create_index('ix_support_requests_kind_status_created_at', 'support_requests', ['kind', 'status', 'created_at'])
    op.create_index('ix_comments_report_id_parent_id', 'comments', ['report_id', 'parent_id'])


def downgrade():
    op.drop_index('ix_comments_report_id_parent_id', table_name='comments')
    op.drop_index('ix_support_requests_kind_status_created_at', table_name='support_requests')
    op.drop_index('ix_cases_created_at_id', table_name='cases')
    op.drop_index('ix_users_role', table_name='users')
    op.drop_index('ix_audit_events_actor_action_object', table_name='audit_events')
